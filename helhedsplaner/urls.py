from django.urls import include, path

from helhedsplaner.views import (
    aarsstatus,
    aendringer,
    bestyrelse,
    decisions,
    economy,
    files,
    frister,
    history,
    payments,
    plans,
    review,
)

AENDRING = "helhedsplaner/<int:pk>/aendring-af-godkendt-plan/"
AAR = "helhedsplaner/<int:pk>/aar/<int:aar>/"
FORPLIGTELSE = "helhedsplaner/<int:pk>/rapportering/<int:obligation_pk>/"
UDBETALING = "helhedsplaner/<int:pk>/udbetalinger/"
MILEPAEL = "helhedsplaner/<int:pk>/milepael/<int:milestone_pk>/"
# An afdeling's board members: on the afdeling's page, kept here where their invitations are sent from.
BESTYRELSE = "afdelinger/<int:pk>/bestyrelse/"

urlpatterns = [
    path("helhedsplaner/", plans.plan_list, name="plan_list"),
    path("helhedsplaner/ny/", plans.plan_create, name="plan_create"),
    path("helhedsplaner/forloeb/", plans.lifecycle_overview, name="plan_lifecycle"),
    path("helhedsplaner/frister/", frister.due_list, name="due_list"),
    path("helhedsplaner/frister/eksport/", frister.due_export, name="due_export"),
    path("konto/notifikationer/", frister.notification_settings, name="notification_settings"),
    path("helhedsplaner/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("helhedsplaner/<int:pk>/tekst/", plans.plan_text_edit, name="plan_text_edit"),
    path("helhedsplaner/<int:pk>/oekonomi/", economy.plan_economy, name="plan_economy"),
    path("helhedsplaner/<int:pk>/aar/", aarsstatus.plan_years, name="plan_years"),
    path(AAR, aarsstatus.plan_year, name="plan_year"),
    path(AAR + "maal/", aarsstatus.plan_year_goals, name="plan_year_goals"),
    path(AAR + "milepael/", aarsstatus.plan_year_milestone, name="plan_year_milestone"),
    path(AAR + "regnskab/", aarsstatus.plan_year_status, name="plan_year_status"),
    path(AAR + "revisorerklaering/", aarsstatus.plan_year_auditor, name="plan_year_auditor"),
    path(FORPLIGTELSE + "klar/", aarsstatus.obligation_ready, name="plan_obligation_ready"),
    path(FORPLIGTELSE + "sendt/", aarsstatus.obligation_sent, name="plan_obligation_sent"),
    path(FORPLIGTELSE + "ikke-klar/", aarsstatus.obligation_unready, name="plan_obligation_unready"),
    path(FORPLIGTELSE + "ikke-sendt/", aarsstatus.obligation_unsent, name="plan_obligation_unsent"),
    path(MILEPAEL, aarsstatus.plan_milestone_edit, name="plan_milestone_edit"),
    path(MILEPAEL + "slet/", aarsstatus.plan_milestone_delete, name="plan_milestone_delete"),
    path("helhedsplaner/<int:pk>/udbetalinger/", payments.plan_payments, name="plan_payments"),
    path(
        UDBETALING + "forventet/",
        payments.plan_payment_add,
        {"kind": "forventet"},
        name="plan_payment_expected_add",
    ),
    path(
        UDBETALING + "forventet/<int:payment_pk>/",
        payments.plan_payment_edit,
        {"kind": "forventet"},
        name="plan_payment_expected_edit",
    ),
    path(
        UDBETALING + "forventet/<int:payment_pk>/slet/",
        payments.plan_payment_delete,
        {"kind": "forventet"},
        name="plan_payment_expected_delete",
    ),
    path(
        UDBETALING + "modtaget/",
        payments.plan_payment_add,
        {"kind": "modtaget"},
        name="plan_payment_received_add",
    ),
    path(
        UDBETALING + "modtaget/<int:payment_pk>/",
        payments.plan_payment_edit,
        {"kind": "modtaget"},
        name="plan_payment_received_edit",
    ),
    path(
        UDBETALING + "modtaget/<int:payment_pk>/slet/",
        payments.plan_payment_delete,
        {"kind": "modtaget"},
        name="plan_payment_received_delete",
    ),
    path("helhedsplaner/<int:pk>/handling/<slug:name>/", decisions.plan_transition, name="plan_transition"),
    path("helhedsplaner/<int:pk>/beslutninger/", decisions.decision_list, name="plan_decisions"),
    path("helhedsplaner/<int:pk>/beslutninger/ny/", decisions.decision_create, name="plan_decision_create"),
    path(
        "helhedsplaner/<int:pk>/beslutninger/<int:decision_pk>/dokument/",
        files.decision_document,
        name="plan_decision_document",
    ),
    path(
        "helhedsplaner/<int:pk>/betingelser/<int:condition_pk>/opfyldt/",
        decisions.condition_met,
        name="plan_condition_met",
    ),
    path(
        "helhedsplaner/<int:pk>/betingelser/<int:condition_pk>/dokument/",
        files.condition_document,
        name="plan_condition_document",
    ),
    path("helhedsplaner/<int:pk>/afdelingsmoeder/", decisions.meeting_list, name="plan_meetings"),
    path(
        "helhedsplaner/<int:pk>/afdelingsmoeder/<int:afdeling_pk>/",
        decisions.meeting_edit,
        name="plan_meeting_edit",
    ),
    path(
        "helhedsplaner/<int:pk>/afdelingsmoeder/referat/<int:meeting_pk>/",
        files.meeting_minutes,
        name="plan_meeting_minutes",
    ),
    path(
        "helhedsplaner/<int:pk>/kommentarer/<slug:sektion>/",
        review.comment_create,
        name="plan_comment_create",
    ),
    path(
        "helhedsplaner/<int:pk>/kommentarer/<int:comment_pk>/svar/",
        review.comment_reply,
        name="plan_comment_reply",
    ),
    path(
        "helhedsplaner/<int:pk>/kommentarer/<int:comment_pk>/loest/",
        review.thread_resolve,
        name="plan_thread_resolve",
    ),
    path("helhedsplaner/<int:pk>/organisation/", files.member_add, name="plan_member_add"),
    path(
        "helhedsplaner/<int:pk>/organisation/<int:member_pk>/slet/",
        files.member_delete,
        name="plan_member_delete",
    ),
    path("helhedsplaner/<int:pk>/bilag/", files.attachment_upload, name="plan_attachment_upload"),
    path(
        "helhedsplaner/<int:pk>/bilag/<int:attachment_pk>/",
        files.attachment_download,
        name="plan_attachment_download",
    ),
    path(
        "helhedsplaner/<int:pk>/bilag/<int:attachment_pk>/fjern/",
        files.attachment_delete,
        name="plan_attachment_delete",
    ),
    path("helhedsplaner/<int:pk>/tidslinje/", history.timeline, name="plan_timeline"),
    path("helhedsplaner/<int:pk>/aendringer/", history.text_changes, name="plan_changes"),
    path(AENDRING, aendringer.aendring_list, name="plan_aendringer"),
    path(AENDRING + "ny/", aendringer.aendring_create, name="plan_aendring_create"),
    path(AENDRING + "<int:nummer>/", aendringer.aendring_detail, name="plan_aendring_detail"),
    path(AENDRING + "<int:nummer>/rediger/", aendringer.aendring_edit, name="plan_aendring_edit"),
    path(AENDRING + "<int:nummer>/beslutning/", aendringer.aendring_decision, name="plan_aendring_decision"),
    path(
        AENDRING + "<int:nummer>/beslutning/<int:decision_pk>/dokument/",
        files.change_decision_document,
        name="plan_aendring_decision_document",
    ),
    path(AENDRING + "<int:nummer>/<slug:handling>/", aendringer.aendring_action, name="plan_aendring_action"),
    path(BESTYRELSE + "ny/", bestyrelse.bestyrelse_add, name="afdeling_bestyrelse_add"),
    path(BESTYRELSE + "<int:seat_pk>/", bestyrelse.bestyrelse_edit, name="afdeling_bestyrelse_edit"),
    path(BESTYRELSE + "<int:seat_pk>/fratraed/", bestyrelse.bestyrelse_end, name="afdeling_bestyrelse_end"),
    path(
        BESTYRELSE + "<int:seat_pk>/invitation/",
        bestyrelse.bestyrelse_invite,
        name="afdeling_bestyrelse_invite",
    ),
    path("", include("helhedsplaner.packs.urls")),
]
