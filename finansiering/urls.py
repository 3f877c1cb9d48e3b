from django.urls import path

from finansiering.views import actuals, budget, financing, overview

CELL = "<int:aar>/<int:omraade_pk>/<int:type_pk>/"

urlpatterns = [
    path("budgetter/", overview.budget_list, name="budget_list"),
    path("indsatser/<int:indsats_pk>/budget/", budget.budget_detail, name="budget_detail"),
    path("indsatser/<int:indsats_pk>/budget/ny/", budget.budget_version_create, name="budget_version_create"),
    path("indsatser/<int:indsats_pk>/budget/sammenlign/", budget.budget_compare, name="budget_compare"),
    path("indsatser/<int:indsats_pk>/budget/eksport.xlsx", budget.budget_export, name="budget_export"),
    path("indsatser/<int:indsats_pk>/budget/<int:nummer>/", budget.budget_detail, name="budget_version"),
    path("indsatser/<int:indsats_pk>/budget/<int:nummer>/gem/", budget.budget_save, name="budget_save"),
    path(
        "indsatser/<int:indsats_pk>/budget/<int:nummer>/celle/" + CELL, budget.budget_cell, name="budget_cell"
    ),
    path("indsatser/<int:indsats_pk>/budget/<int:nummer>/linjer/", budget.budget_lines, name="budget_lines"),
    path(
        "indsatser/<int:indsats_pk>/budget/<int:nummer>/linjer/<int:linje_pk>/",
        budget.budget_line_edit,
        name="budget_line_edit",
    ),
    path(
        "indsatser/<int:indsats_pk>/finansiering/", financing.finansiering_detail, name="finansiering_detail"
    ),
    path(
        "indsatser/<int:indsats_pk>/finansiering/afdelinger/",
        financing.finansiering_afdelinger,
        name="finansiering_afdelinger",
    ),
    path(
        "indsatser/<int:indsats_pk>/finansiering/rediger/",
        financing.finansiering_edit,
        name="finansiering_edit",
    ),
    path("indsatser/<int:indsats_pk>/regnskab/", actuals.regnskab_detail, name="regnskab_detail"),
    path("indsatser/<int:indsats_pk>/regnskab/gem/", actuals.regnskab_save, name="regnskab_save"),
    path("indsatser/<int:indsats_pk>/regnskab/celle/" + CELL, actuals.regnskab_cell, name="regnskab_cell"),
    path("indsatser/<int:indsats_pk>/regnskab/import/", actuals.regnskab_import_view, name="regnskab_import"),
    path(
        "indsatser/<int:indsats_pk>/regnskab/skabelon.csv",
        actuals.regnskab_template,
        name="regnskab_template",
    ),
]
