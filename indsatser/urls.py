from django.urls import path

from indsatser.views import catalogue, goal_figures, kontaktpersoner, register, sections

urlpatterns = [
    path("indsatser/", register.indsats_list, name="indsats_list"),
    path("indsatser/ny/", register.indsats_create, name="indsats_create"),
    path("indsatser/eksport.xlsx", register.indsats_export, name="indsats_export"),
    path("indsatser/<int:pk>/", register.indsats_detail, name="indsats_detail"),
    path("indsatser/<int:pk>/rediger/", register.indsats_edit, name="indsats_edit"),
    path("indsatser/<int:pk>/handling/<slug:name>/", register.indsats_overgang, name="indsats_overgang"),
    path("indsatser/<int:pk>/sektion/<slug:section>/", sections.section, name="indsats_section"),
    path("indsatser/<int:pk>/aktiviteter/ny/", sections.aktivitet_create, name="aktivitet_create"),
    path("indsatser/<int:pk>/aktiviteter/<int:aid>/", sections.aktivitet_edit, name="aktivitet_edit"),
    path(
        "indsatser/<int:pk>/aktiviteter/<int:aid>/slet/", sections.aktivitet_delete, name="aktivitet_delete"
    ),
    path(
        "indsatser/<int:pk>/aktiviteter/<int:aid>/forankring/",
        sections.forankring_edit,
        name="forankring_edit",
    ),
    path("indsatser/<int:pk>/afslutning/", sections.afslutning_checklist, name="afslutning_checklist"),
    path("indsatser/<int:pk>/maal/ny/", sections.maalsaetning_create, name="maalsaetning_create"),
    path("indsatser/<int:pk>/maal/<int:mid>/", sections.maalsaetning_edit, name="maalsaetning_edit"),
    path("indsatser/<int:pk>/maal/<int:mid>/slet/", sections.maalsaetning_delete, name="maalsaetning_delete"),
    path(
        "indsatser/<int:pk>/maal/indlaes/", goal_figures.goal_figures_import_view, name="goal_figures_import"
    ),
    path("indsatser/benchmarking/", catalogue.benchmarking, name="benchmarking"),
    path("indsatser/aktivitetskatalog/", catalogue.aktivitetskatalog, name="aktivitetskatalog"),
    path("indsatser/partnere/", catalogue.partner_list, name="partner_list"),
    path("indsatser/kontaktpersoner/", kontaktpersoner.kontaktperson_list, name="kontaktperson_list"),
    path(
        "indsatser/kontaktpersoner/<int:afdeling_pk>/",
        kontaktpersoner.kontaktperson_afdeling,
        name="kontaktperson_afdeling",
    ),
    path(
        "indsatser/kontaktpersoner/<int:afdeling_pk>/afmeld/",
        kontaktpersoner.kontaktperson_afmeld,
        name="kontaktperson_afmeld",
    ),
]
