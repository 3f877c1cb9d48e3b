"""Every named URL, requested by every role, against one table of what each role must get.

Each role asks with GET, with GET as htmx does (for a fragment) and with an empty POST. The board member
(who sits on two afdelinger) asks twice: about their own afdeling's objects and about a foreign afdeling's (in
another organisation); a URL without objects is the same request both times. A user without a role and a
deactivated board member ask too, and must get what another role gets (DERIVED_ROLES). A URL missing from the
table fails, so a new page cannot skip the matrix.

Besides the status: no 500; every answer carries the content security policy; nothing a board member, an
anonymous, deactivated or role-less user is shown (body, headers, and the text of a downloaded PDF, workbook
or archive) carries the mark of an object they may not see (tests/world.py); a refused POST changes no row
in the database; a form refused with 400 says why. Nested URLs are also asked about the own side's parent
with the foreign side's child (MIXED_CHILDREN), and answer 404.
"""

import io
import re
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.logins import log_in
from tests.world import BUDGET_YEAR, FOREIGN_MARK, OWN_MARK, SCREENING_YEAR, module_world

ROLES = ("anonym", "bestyrelse_egen", "bestyrelse_fremmed", "sekretariat", "medarbejder", "administrator")
METHODS = ("GET", "POST", "GET htmx")
# Roles outside the table, asked about the own side with GET and an empty POST; each must get the answers of
# the table's role named here.
DERIVED_ROLES = {
    "uden_rolle": "bestyrelse_fremmed",  # logged in without a role: sees no afdeling at all
    "inaktiv": "anonym",  # a deactivated board member on the own afdeling: logged out
}
# The marks each role must never be shown (tests/world.py).
HIDDEN_MARKS = {
    "anonym": (FOREIGN_MARK, OWN_MARK),
    "bestyrelse_egen": (FOREIGN_MARK,),
    "bestyrelse_fremmed": (FOREIGN_MARK,),
    "uden_rolle": (FOREIGN_MARK, OWN_MARK),
    "inaktiv": (FOREIGN_MARK, OWN_MARK),
}
LOGIN = "L"  # 302 to the login page
REDIRECT = "R"  # 302 anywhere else
SAME = "som GET"  # the view does not tell the methods apart: a POST answers as a GET

# Fragments htmx loads into a page: opened as a page of their own (without htmx) they redirect to it.
FRAGMENTS = {
    "screening_afdeling_status",
    "plan_pack_status",
    "screening_pack_status",
    "pack_export_status",
    "indsats_section",
}

# Asked with single sign-on configured (the test provider of tests/oidc.py): without it they answer 404.
SSO_URLS = {"sso_login", "sso_callback"}

# URL names (or whole namespaces, written "namespace:") deliberately outside the matrix, with the reason.
EXCLUDED = {
    "admin:": "Django's admin: its own staff-only login (is_staff) guards every page; Django tests it",
    "password_reset_confirm": "needs a one-time token from a password-reset e-mail; Django tests it",
}

API_LIST = "401 200 200 200 200 200"
API_DETAIL = "401 200 404 200 200 200"
API_POST = "401 405 405 405 405 405"

# URL name: (GET, empty POST), each the answers for the roles in ROLES order (htmx's GET gets the GET answer,
# except for the FRAGMENTS above):
#                                  anonym  bestyrelse: egen fremmed  sekretariat  medarbejder  administrator
# A board member gets 404 for anything about an afdeling that is not theirs (its existence is not revealed)
# and 403 for what they may read but not change. An empty POST that is allowed is refused as a form (400
# with the errors, or 200 for Django's own login and password forms) or, where an empty form is a valid
# answer, carried out (302).
EXPECTED = {
    "health": ("200 200 200 200 200 200", SAME),
    "home": ("L 200 200 200 200 200", SAME),
    "login": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    "logout": ("405 405 405 405 405 405", "L L L L L L"),
    "password_change": ("L 200 200 200 200 200", "L 200 200 200 200 200"),
    "password_change_done": ("L 200 200 200 200 200", "L 405 405 405 405 405"),
    "password_reset": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    "password_reset_done": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "password_reset_complete": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # Everyone signed in keeps their own API tokens; only the owner revokes one (the world's foreign token is
    # staff's, the own one the board member's).
    "api_tokens": ("L 200 200 200 200 200", "L 400 400 400 400 400"),
    "api_token_revoke": ("L 405 405 405 405 405", "L R 404 404 404 404"),
    # The read-only API answers as the pages do, but 401 (not the login page) without a token or login, and
    # 405 to anything but GET.
    "api:schema": (API_LIST, API_POST),
    "api:docs": (API_LIST, API_POST),
    "api:afdeling-list": (API_LIST, API_POST),
    "api:afdeling-detail": (API_DETAIL, API_POST),
    "api:boligomraade-list": (API_LIST, API_POST),
    "api:boligomraade-detail": (API_DETAIL, API_POST),
    "api:screeningsrunde-list": (API_LIST, API_POST),
    "api:screeningsrunde-detail": (API_LIST, API_POST),  # the rounds hold no figures: every user knows them
    "api:screeningsrunde-afdelinger": (API_LIST, API_POST),
    "api:screeningsrunde-omraader": (API_LIST, API_POST),
    "api:indsats-list": (API_LIST, API_POST),
    "api:indsats-detail": (API_DETAIL, API_POST),
    "api:helhedsplan-list": (API_LIST, API_POST),
    "api:helhedsplan-detail": (API_DETAIL, API_POST),
    "api:budget-list": (API_LIST, API_POST),
    "api:budget-detail": (API_DETAIL, API_POST),
    "api:forpligtelse-list": (API_LIST, API_POST),
    "api:forpligtelse-detail": (API_DETAIL, API_POST),
    # Every logged-in role here has given its second factor: the code step sends it on, and it has no app
    # to reset (but may set one up) nor recovery codes waiting to be shown (tests/accounts).
    "login_code": ("L R R R R R", SAME),
    "account": ("L 200 200 200 200 200", "L 405 405 405 405 405"),
    "second_factor_set_up": ("L 200 200 200 200 200", "L 400 400 400 400 400"),
    "recovery_codes": ("L R R R R R", "L 405 405 405 405 405"),
    "second_factor_reset": ("L 405 405 405 405 405", "L R R R R R"),
    # Single sign-on, asked with it configured (SSO_URLS): anyone may start a login through the provider; the
    # return without a state this browser started is refused (tests/accounts/test_sso.py has the rest).
    "sso_login": ("R R R R R R", "405 405 405 405 405 405"),
    "sso_callback": ("400 400 400 400 400 400", "405 405 405 405 405 405"),
    # screening: the register
    "afdeling_list": ("L 200 200 200 200 200", SAME),
    "afdeling_export": ("L 200 200 200 200 200", SAME),
    "afdeling_search": ("L 403 403 403 200 200", "L 405 405 405 405 405"),
    "afdeling_detail": ("L 200 404 200 200 200", SAME),
    "afdeling_create": ("L 403 403 403 200 200", "L 403 403 403 400 400"),
    "afdeling_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "afdeling_import": ("L 403 403 403 200 200", "L 403 403 403 400 400"),
    "afdeling_import_template": ("L 403 403 403 200 200", SAME),
    # An afdeling's board members: staff keep them; board members and the secretariat only read them.
    "afdeling_bestyrelse_add": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "afdeling_bestyrelse_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "afdeling_bestyrelse_end": ("L 403 404 403 200 200", "L 403 404 403 400 400"),  # the date is required
    "afdeling_bestyrelse_invite": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "omraade_list": ("L 200 200 200 200 200", SAME),
    "omraade_detail": ("L 200 404 200 200 200", SAME),
    # screening: rounds, figures and imports (an import job is staff's business alone: 404 for others)
    "screening_overview": ("L 200 200 200 200 200", SAME),
    "screening_export": ("L 200 200 200 200 200", SAME),
    "screening_runder": ("L 200 200 200 200 200", SAME),
    "screening_watch_list": ("L 200 200 200 200 200", SAME),
    "screening_runde_endelig": ("L 403 403 403 405 405", "L 403 403 403 R R"),
    "screening_runde_genaabn": ("L 403 403 403 405 405", "L 403 403 403 400 400"),  # the reason is required
    "screening_import": ("L 403 403 403 200 200", "L 403 403 403 400 400"),
    "screening_import_template": ("L 403 403 403 200 200", SAME),
    "screening_import_status": ("L 404 404 404 200 200", SAME),
    "screening_afdeling": ("L 200 404 200 200 200", SAME),
    "screening_afdeling_status": ("L R 404 R R R", SAME),  # a fragment: opened as a page it redirects
    "screening_vurdering": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    "screening_omraade": ("L 200 404 200 200 200", SAME),
    # Everyone reads the lists of the areas they may see; staff import them.
    "officielle_lister": ("L 200 200 200 200 200", "L 403 403 403 400 400"),
    "officielle_lister_slet": ("L 403 403 403 405 405", "L 403 403 403 R R"),
    # The round's screening report covers every afdeling: staff and the secretariat only.
    "screening_packs": ("L 403 403 200 200 200", SAME),
    "screening_pack_order": ("L 405 405 405 405 405", "L 403 403 R R R"),
    "screening_pack_status": ("L 403 403 R R R", SAME),  # a fragment: opened as a page it redirects
    "screening_pack_retry": ("L 405 405 405 405 405", "L 403 403 R R R"),
    "screening_pack_download": ("L 403 403 200 200 200", SAME),
    # helhedsplaner (the plan is at the afdelingsmøder: open for the board's comments)
    "plan_list": ("L 200 200 200 200 200", SAME),
    "plan_create": ("L 403 403 403 200 200", "L 403 403 403 400 400"),
    # What is due across plans: every plan's reports, for staff and the secretariat, not a board member.
    "due_list": ("L 403 403 200 200 200", SAME),
    "due_export": ("L 403 403 200 200 200", SAME),
    # Each user's own choice of e-mails: an empty POST lacks the choices.
    # Report reminders go to staff and the secretariat: a board member has nothing to choose.
    "notification_settings": ("L 200 200 200 200 200", "L 403 403 400 400 400"),
    "plan_lifecycle": ("L 200 200 200 200 200", SAME),
    "plan_detail": ("L 200 404 200 200 200", SAME),
    "plan_economy": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    # A board member reads their plan's cash position and payment lines; staff record payments.
    "plan_payments": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "plan_payment_expected_add": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_payment_received_add": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_payment_expected_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_payment_expected_delete": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_payment_received_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_payment_received_delete": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_text_edit": ("L 403 404 403 R R", "L 403 404 403 R R"),  # the text is locked in this phase
    "plan_transition": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_decisions": ("L 200 404 200 200 200", SAME),
    # On a plan awaiting the funders: their decisions are the secretariat's (and the administrator's).
    "plan_decision_create": ("L 403 404 200 403 200", "L 403 404 400 403 400"),
    "plan_decision_document": ("L 200 404 200 200 200", SAME),
    # A tilsagn's conditions: everyone who reads the plan reads them; staff mark them met.
    "plan_condition_met": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_condition_document": ("L 200 404 200 200 200", SAME),
    "plan_meetings": ("L 200 404 200 200 200", SAME),
    "plan_meeting_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_meeting_minutes": ("L 200 404 200 200 200", SAME),
    # The board member comments on their own plan; the secretariat reads only.
    "plan_comment_create": ("L 405 405 405 405 405", "L 400 404 403 400 400"),
    "plan_comment_reply": ("L 405 405 405 405 405", "L 400 404 403 400 400"),
    "plan_thread_resolve": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "plan_member_add": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    "plan_member_delete": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "plan_attachment_upload": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    "plan_attachment_download": ("L 200 404 200 200 200", SAME),
    "plan_attachment_delete": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_timeline": ("L 200 404 200 200 200", SAME),
    # The active years: everyone who reads the plan reads its years; staff fill them and mark a report
    # ready, the secretariat (and an administrator) marks it sent.
    "plan_years": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "plan_year": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "plan_year_goals": ("L 403 404 403 200 200", "L 403 404 403 R R"),  # no goals: nothing to fill
    "plan_year_milestone": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_year_status": ("L 403 404 403 200 200", "L 403 404 403 R R"),  # every field may be empty
    "plan_year_auditor": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "plan_obligation_ready": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_obligation_sent": ("L 403 404 200 403 200", "L 403 404 400 403 400"),
    # Undone before the secretariat sends it (the world's report is open: nothing to undo) ...
    "plan_obligation_unready": ("L 403 404 403 200 200", "L 403 404 403 409 409"),
    # ... and by the secretariat once sent, with a reason (the empty POST gives none).
    "plan_obligation_unsent": ("L 403 404 200 403 200", "L 403 404 400 403 400"),
    "plan_milestone_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_milestone_delete": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_changes": ("L 200 404 200 200 200", SAME),
    # Ændring af godkendt plan (an active plan's change request, sent to the funders): read by all who read
    # the plan, written by staff, decided by the secretariat (and the administrator) for the funders.
    "plan_aendringer": ("L 200 404 200 200 200", SAME),
    "plan_aendring_create": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "plan_aendring_detail": ("L 200 404 200 200 200", SAME),
    "plan_aendring_edit": ("L 403 404 403 R R", SAME),  # sent: no longer a kladde, back to its page
    "plan_aendring_action": ("L 403 404 403 200 200", "L 403 404 403 R R"),
    "plan_aendring_decision": ("L 403 404 200 403 200", "L 403 404 400 403 400"),
    "plan_aendring_decision_document": ("L 200 404 200 200 200", SAME),
    # Packs: everyone who reads the plan downloads them; staff and the secretariat order them.
    "plan_packs": ("L 200 404 200 200 200", SAME),
    "plan_pack_order": ("L 405 405 405 405 405", "L 403 404 400 400 400"),
    "plan_pack_status": ("L R 404 R R R", SAME),  # a fragment: opened as a page it redirects
    "plan_pack_retry": ("L 405 405 405 405 405", "L 403 404 R R R"),
    "plan_pack_download": ("L 200 404 200 200 200", SAME),
    # Exporting many plans' packs at once: staff and the secretariat only.
    "pack_export": ("L 403 403 200 200 200", "L 403 403 400 400 400"),
    "pack_export_status": ("L 403 403 R R R", SAME),  # a fragment: opened as a page it redirects
    "pack_export_retry": ("L 405 405 405 405 405", "L 403 403 R R R"),
    "pack_export_download": ("L 403 403 200 200 200", SAME),
    # indsatser
    "indsats_list": ("L 200 200 200 200 200", SAME),
    "indsats_create": ("L 403 403 403 200 200", "L 403 403 403 400 400"),
    "indsats_export": ("L 200 200 200 200 200", SAME),
    "indsats_detail": ("L 200 404 200 200 200", SAME),
    "indsats_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "indsats_overgang": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "indsats_section": ("L R 404 R R R", "L 405 405 405 405 405"),  # without htmx: back to the page
    "aktivitet_create": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    "aktivitet_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "aktivitet_delete": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "forankring_edit": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "afslutning_checklist": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "maalsaetning_create": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    "maalsaetning_edit": ("L 403 404 403 200 200", "L 403 404 403 R R"),  # every field may be blank
    "maalsaetning_delete": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "benchmarking": ("L 200 200 200 200 200", SAME),
    "aktivitetskatalog": ("L 200 200 200 200 200", SAME),
    "partner_list": ("L 200 200 200 200 200", "L 403 403 403 400 400"),
    "kontaktperson_list": ("L 200 200 200 200 200", SAME),
    "kontaktperson_afdeling": ("L 200 404 200 200 200", "L 403 404 403 400 400"),
    "kontaktperson_afmeld": ("L 405 405 405 405 405", "L 403 404 403 400 400"),
    # finansiering (the budget of the plan's indsats; version 1 is not approved, so it can be edited)
    "budget_list": ("L 200 200 200 200 200", "L 405 405 405 405 405"),
    "budget_detail": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "budget_version_create": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "budget_compare": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "budget_export": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "budget_version": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "budget_save": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "budget_cell": ("L 405 405 405 405 405", "L 403 404 403 R R"),  # without htmx: back with a message
    "budget_lines": ("L 200 404 200 200 200", "L 403 404 403 400 400"),
    "budget_line_edit": ("L 403 404 403 200 200", "L 403 404 403 R R"),  # blank amount and note: removed
    "finansiering_detail": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "finansiering_afdelinger": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "finansiering_edit": ("L 403 404 403 200 200", "L 403 404 403 200 200"),  # the form with its errors
    "regnskab_detail": ("L 200 404 200 200 200", "L 405 405 405 405 405"),
    "regnskab_save": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "regnskab_cell": ("L 405 405 405 405 405", "L 403 404 403 R R"),
    "regnskab_import": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    "regnskab_template": ("L 403 404 403 200 200", "L 405 405 405 405 405"),
    "goal_figures_import": ("L 403 404 403 200 200", "L 403 404 403 400 400"),
    # Data protection: the administrator's alone. The export is a download (GET); the erasure needs the
    # person's user name and a reason (one without an account: a reason).
    "privacy_overview": ("L 403 403 403 403 200", SAME),
    "privacy_export": ("L 403 403 403 403 200", "L 403 403 403 403 405"),
    "privacy_erase": ("L 403 403 403 403 200", "L 403 403 403 403 400"),
    "privacy_export_without_account": ("L 403 403 403 403 200", "L 403 403 403 403 405"),
    "privacy_erase_without_account": ("L 403 403 403 403 200", "L 403 403 403 403 400"),
}


def kwargs_for(name, side, world):
    """The URL's arguments, filled from one side of the world (the foreign side for "bestyrelse_fremmed")."""
    plan = side.plan
    cell = {"aar": BUDGET_YEAR, "omraade_pk": side.indsatsomraade.pk, "type_pk": side.omkostningstype.pk}
    budget = {"indsats_pk": plan.indsats.pk}
    version = {**budget, "nummer": side.version.nummer}
    aendring = {"pk": side.aendring.plan_id, "nummer": side.aendring.nummer}
    year = {"pk": side.aendring.plan_id, "aar": BUDGET_YEAR}
    expected = received = {}
    if name.startswith("plan_payment_"):  # the plan's one instalment and one payment (tests/world.py)
        expected = {"pk": plan.pk, "payment_pk": plan.indsats.forventede_udbetalinger.get().pk}
        received = {"pk": plan.pk, "payment_pk": plan.indsats.modtagne_udbetalinger.get().pk}
    by_name = {
        "afdeling_export": {"fmt": "csv"},
        "api_token_revoke": {"pk": side.api_token.pk},
        "api:afdeling-detail": {"pk": side.afdeling.pk},
        "api:boligomraade-detail": {"pk": side.omraade.pk},
        "api:screeningsrunde-detail": {"aar": SCREENING_YEAR},
        "api:screeningsrunde-afdelinger": {"aar": SCREENING_YEAR},
        "api:screeningsrunde-omraader": {"aar": SCREENING_YEAR},
        "api:indsats-detail": {"pk": side.indsats.pk},
        "api:helhedsplan-detail": {"pk": side.plan.pk},
        "api:budget-detail": {"pk": side.version.pk},
        "api:forpligtelse-detail": {"pk": side.obligation.pk},
        "afdeling_detail": {"pk": side.afdeling.pk},
        "afdeling_edit": {"pk": side.afdeling.pk},
        "afdeling_bestyrelse_add": {"pk": side.afdeling.pk},
        "afdeling_bestyrelse_edit": {"pk": side.afdeling.pk, "seat_pk": side.seat.pk},
        "afdeling_bestyrelse_end": {"pk": side.afdeling.pk, "seat_pk": side.seat.pk},
        "afdeling_bestyrelse_invite": {"pk": side.afdeling.pk, "seat_pk": side.seat.pk},
        "omraade_detail": {"pk": side.omraade.pk},
        "screening_runde_endelig": {"aar": SCREENING_YEAR},
        "screening_runde_genaabn": {"aar": SCREENING_YEAR},
        "officielle_lister_slet": {"aar": SCREENING_YEAR},
        "screening_import_status": {"pk": world.screening_job.pk},
        "screening_afdeling": {"pk": side.afdeling.pk},
        "screening_afdeling_status": {"pk": side.afdeling.pk},
        "screening_vurdering": {"pk": side.afdeling.pk, "aar": SCREENING_YEAR},
        "screening_omraade": {"pk": side.omraade.pk},
        "screening_packs": {"aar": SCREENING_YEAR},
        "screening_pack_order": {"aar": SCREENING_YEAR},
        "screening_pack_status": {"aar": SCREENING_YEAR, "pack_pk": world.screening_report.pk},
        "screening_pack_retry": {"aar": SCREENING_YEAR, "pack_pk": world.failed_screening_report.pk},
        "screening_pack_download": {"aar": SCREENING_YEAR, "pack_pk": world.screening_report.pk},
        "plan_detail": {"pk": plan.pk},
        "plan_economy": {"pk": plan.pk},
        "plan_payments": {"pk": plan.pk},
        "plan_payment_expected_add": {"pk": plan.pk},
        "plan_payment_received_add": {"pk": plan.pk},
        "plan_payment_expected_edit": expected,
        "plan_payment_expected_delete": expected,
        "plan_payment_received_edit": received,
        "plan_payment_received_delete": received,
        "plan_text_edit": {"pk": plan.pk},
        "plan_transition": {"pk": plan.pk, "name": "send_til_godkendelse"},
        "plan_decisions": {"pk": plan.pk},
        "plan_decision_create": {"pk": side.funder_plan.pk},
        "plan_decision_document": {"pk": plan.pk, "decision_pk": side.decision.pk},
        "plan_condition_met": {"pk": side.funder_plan.pk, "condition_pk": side.condition.pk},
        "plan_condition_document": {"pk": side.funder_plan.pk, "condition_pk": side.condition.pk},
        "plan_meetings": {"pk": plan.pk},
        "plan_meeting_edit": {"pk": plan.pk, "afdeling_pk": side.afdeling.pk},
        "plan_meeting_minutes": {"pk": plan.pk, "meeting_pk": side.meeting.pk},
        "plan_comment_create": {"pk": plan.pk, "sektion": "resume"},
        "plan_comment_reply": {"pk": plan.pk, "comment_pk": side.comment.pk},
        "plan_thread_resolve": {"pk": plan.pk, "comment_pk": side.comment.pk},
        "plan_member_add": {"pk": plan.pk},
        "plan_member_delete": {"pk": plan.pk, "member_pk": side.member.pk},
        "plan_attachment_upload": {"pk": plan.pk},
        "plan_attachment_download": {"pk": plan.pk, "attachment_pk": side.attachment.pk},
        "plan_attachment_delete": {"pk": plan.pk, "attachment_pk": side.attachment.pk},
        "plan_timeline": {"pk": plan.pk},
        "plan_years": {"pk": side.aendring.plan_id},
        "plan_year": year,
        "plan_year_goals": year,
        "plan_year_milestone": year,
        "plan_year_status": year,
        "plan_year_auditor": year,
        "plan_obligation_ready": {"pk": side.aendring.plan_id, "obligation_pk": side.obligation.pk},
        "plan_obligation_sent": {"pk": side.aendring.plan_id, "obligation_pk": side.obligation.pk},
        "plan_obligation_unready": {"pk": side.aendring.plan_id, "obligation_pk": side.obligation.pk},
        "plan_obligation_unsent": {"pk": side.aendring.plan_id, "obligation_pk": side.obligation.pk},
        "plan_milestone_edit": {"pk": side.aendring.plan_id, "milestone_pk": side.milestone.pk},
        "plan_milestone_delete": {"pk": side.aendring.plan_id, "milestone_pk": side.milestone.pk},
        "plan_changes": {"pk": plan.pk},
        "plan_aendringer": {"pk": side.aendring.plan_id},
        "plan_aendring_create": {"pk": side.aendring.plan_id},
        "plan_aendring_detail": aendring,
        "plan_aendring_edit": aendring,
        "plan_aendring_action": {**aendring, "handling": "traek-tilbage"},
        "plan_aendring_decision": aendring,
        "plan_aendring_decision_document": {**aendring, "decision_pk": side.change_decision.pk},
        "plan_packs": {"pk": plan.pk},
        "plan_pack_order": {"pk": plan.pk},
        "plan_pack_status": {"pk": plan.pk, "pack_pk": side.finished_pack.pk},
        "plan_pack_retry": {"pk": plan.pk, "pack_pk": side.failed_pack.pk},
        "plan_pack_download": {"pk": plan.pk, "pack_pk": side.finished_pack.pk},
        "pack_export_status": {"pk": world.pack_export.pk},
        "pack_export_retry": {"pk": world.failed_pack_export.pk},
        "pack_export_download": {"pk": world.pack_export.pk},
        "indsats_detail": {"pk": side.indsats.pk},
        "indsats_edit": {"pk": side.indsats.pk},
        "indsats_overgang": {"pk": side.indsats.pk, "name": "opgiv"},
        "indsats_section": {"pk": side.indsats.pk, "section": "aktiviteter"},
        "aktivitet_create": {"pk": side.indsats.pk},
        "aktivitet_edit": {"pk": side.indsats.pk, "aid": side.aktivitet.pk},
        "aktivitet_delete": {"pk": side.indsats.pk, "aid": side.aktivitet.pk},
        "forankring_edit": {"pk": side.indsats.pk, "aid": side.aktivitet.pk},
        "afslutning_checklist": {"pk": side.indsats.pk},
        "maalsaetning_create": {"pk": side.indsats.pk},
        "maalsaetning_edit": {"pk": side.indsats.pk, "mid": side.maalsaetning.pk},
        "maalsaetning_delete": {"pk": side.indsats.pk, "mid": side.maalsaetning.pk},
        "goal_figures_import": {"pk": side.indsats.pk},
        "kontaktperson_afdeling": {"afdeling_pk": side.afdeling.pk},
        "kontaktperson_afmeld": {"afdeling_pk": side.afdeling.pk},
        "budget_detail": budget,
        "budget_version_create": budget,
        "budget_compare": budget,
        "budget_export": budget,
        "budget_version": version,
        "budget_save": version,
        "budget_cell": {**version, **cell},
        "budget_lines": version,
        "budget_line_edit": {**version, "linje_pk": side.linje.pk},
        "finansiering_detail": budget,
        "finansiering_afdelinger": budget,
        "finansiering_edit": budget,
        "regnskab_detail": budget,
        "regnskab_save": budget,
        "regnskab_cell": {**budget, **cell},
        "regnskab_import": budget,
        "regnskab_template": budget,
        "privacy_export": {"pk": side.seat.user_id},
        "privacy_erase": {"pk": side.seat.user_id},
        "privacy_export_without_account": {"kind": "kontaktperson", "pk": side.kontaktperson.pk},
        "privacy_erase_without_account": {"kind": "kontaktperson", "pk": side.kontaktperson.pk},
    }
    return by_name.get(name, {})


# Nested URLs: the arguments naming the child object. Asked about the own side's parent with the foreign
# side's child, every one answers 404, also to staff who may read both sides: a view looks the child up
# among its parent's own. (A change request and a budget version are numbered within their plan, so their
# URLs name no child that could belong to another parent.)
MIXED_CHILDREN = {
    "afdeling_bestyrelse_edit": ("seat_pk",),
    "afdeling_bestyrelse_end": ("seat_pk",),
    "afdeling_bestyrelse_invite": ("seat_pk",),
    "plan_decision_document": ("decision_pk",),
    "plan_aendring_decision_document": ("decision_pk",),
    "plan_condition_met": ("condition_pk",),
    "plan_condition_document": ("condition_pk",),
    "plan_meeting_edit": ("afdeling_pk",),
    "plan_meeting_minutes": ("meeting_pk",),
    "plan_comment_reply": ("comment_pk",),
    "plan_thread_resolve": ("comment_pk",),
    "plan_member_delete": ("member_pk",),
    "plan_obligation_ready": ("obligation_pk",),
    "plan_obligation_sent": ("obligation_pk",),
    "plan_payment_expected_edit": ("payment_pk",),
    "plan_payment_expected_delete": ("payment_pk",),
    "plan_payment_received_edit": ("payment_pk",),
    "plan_payment_received_delete": ("payment_pk",),
    "plan_obligation_unready": ("obligation_pk",),
    "plan_obligation_unsent": ("obligation_pk",),
    "plan_milestone_edit": ("milestone_pk",),
    "plan_milestone_delete": ("milestone_pk",),
    "plan_attachment_download": ("attachment_pk",),
    "plan_attachment_delete": ("attachment_pk",),
    "plan_pack_status": ("pack_pk",),
    "plan_pack_retry": ("pack_pk",),
    "plan_pack_download": ("pack_pk",),
    "aktivitet_edit": ("aid",),
    "aktivitet_delete": ("aid",),
    "forankring_edit": ("aid",),
    "maalsaetning_edit": ("mid",),
    "maalsaetning_delete": ("mid",),
    "budget_line_edit": ("linje_pk",),
    # The round's report, asked for with a plan's pack: no report of the round.
    "screening_pack_status": ("pack_pk",),
    "screening_pack_retry": ("pack_pk",),
    "screening_pack_download": ("pack_pk",),
}
MIXED_ROLES = ("bestyrelse_egen", "medarbejder")


def mixed_kwargs(name, world):
    """The own side's URL arguments with the foreign side's child."""
    kwargs = kwargs_for(name, world.own, world)
    foreign = kwargs_for(name, world.foreign, world)
    if name.startswith("screening_pack_"):
        pack = world.foreign.failed_pack if name == "screening_pack_retry" else world.foreign.finished_pack
        foreign = {"pack_pk": pack.pk}
    return {**kwargs, **{key: foreign[key] for key in MIXED_CHILDREN[name]}}


def named_urls(patterns=None, namespace=""):
    """(name, pattern) of every named URL, namespaced names as "namespace:name"."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def excluded(name):
    return name in EXCLUDED or any(key.endswith(":") and name.startswith(key) for key in EXCLUDED)


MATRIX_NAMES = sorted({name for name, _ in named_urls() if not excluded(name)})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


@pytest.fixture(scope="module")
def shared_client():
    """One test client for all the module's requests: a new client builds its middleware again, and
    WhiteNoise's then reads through every static file (a quarter of a second each time)."""
    return Client()


def content_text(content: bytes) -> str:
    """The text of a file as a person would read it: a PDF's text, a workbook's cells, an archive's files."""
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" in archive.namelist():
                workbook = load_workbook(io.BytesIO(content), read_only=True)
                return "\n".join(
                    str(value)
                    for sheet in workbook.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for value in row
                    if value is not None
                )
            return "\n".join(
                f"{member}\n{content_text(archive.read(member))}" for member in archive.namelist()
            )
    return content.decode("utf-8", errors="replace")


def body_text(response) -> str:
    """Everything the response shows, downloaded files read as text, to search for names."""
    return content_text(b"".join(response.streaming_content) if response.streaming else response.content)


def header_text(response) -> str:
    return "\n".join(f"{name}: {value}" for name, value in response.items())


# A list chosen from with Ctrl-click: one stray click drops every choice. Forms use checkboxes instead.
MULTIPLE_SELECT = re.compile(r"<select[^>]*\smultiple[\s>]")
FILE_INPUT = re.compile(r'<input[^>]*type="file"[^>]*>')
# Tokens and digests (the CSRF token, a file's SHA-256): random letters that may spell a mark by chance.
RANDOM_TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


def assert_no_marks(response, text, marks, request):
    searched = RANDOM_TOKEN.sub("", f"{text}\n{header_text(response)}")
    for mark in marks:
        shown = sorted(set(re.findall(rf"{mark}[\w-]*", searched)))
        assert not shown, f"{request} shows {shown}"


# Rows that change whatever the answer: logging in (force_login) writes the session.
UNCHECKED_TABLES = ("django_session",)
# Carried out, though answered with the login page.
DONE_WITH_LOGIN = {"logout"}


def database_writes() -> int:
    """The rows inserted, updated and deleted so far in this test's transaction, in every table but
    UNCHECKED_TABLES (PostgreSQL's own count, pg_stat_xact_user_tables; a write undone by a savepoint counts
    too): far cheaper to read than a digest of every row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            " WHERE relname <> ALL(%s)",
            [list(UNCHECKED_TABLES)],
        )
        return cursor.fetchone()[0]


def outcome(response) -> str:
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else REDIRECT
    return str(response.status_code)


def expected_answer(name, role, method) -> str:
    get_row, post_row = EXPECTED[name]
    row = post_row if method == "POST" and post_row != SAME else get_row
    expected = row.split()[ROLES.index(DERIVED_ROLES.get(role, role))]
    if method == "GET htmx" and name in FRAGMENTS and expected == REDIRECT:
        return "200"
    return expected


def ask(client, world, role, method, url):
    """The response to `role`'s request, with the database's count of writes before and after a POST."""
    client.cookies.clear()  # no session or message left from the test before
    user = world.users.get(role.split("_")[0])
    if user is not None:
        log_in(client, user)
    if method != "POST":
        response = client.get(url, headers={"HX-Request": "true"} if method == "GET htmx" else {})
        return response, None, None
    before = database_writes()
    response = client.post(url)
    return response, before, database_writes()


def check_answer(response, name, role, request, writes):
    """What holds for every answer, whatever its status."""
    policy = response.get("Content-Security-Policy", "")
    # The API's docs (Swagger UI) alone may set inline styles; no page may run inline scripts.
    inline_allowed = "style-src 'self' 'unsafe-inline'" if name == "api:docs" else ""
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.replace(inline_allowed, "x"), (
        f"{request}: no CSP"
    )
    before, after = writes
    if before is not None and outcome(response) != REDIRECT and name not in DONE_WITH_LOGIN:
        assert after == before, f"{request} was refused ({outcome(response)}) but changed the database"
    text = body_text(response)
    assert_no_marks(response, text, HIDDEN_MARKS.get(role, ()), request)
    if response.status_code == 400 and "<form" in text:
        assert "form-error" in text or "alert-error" in text, f"{request}: form refused without a word"
    if response.get("Content-Type", "").startswith("text/html"):
        # Django's empty choice: a drop-down says in Danish what to choose, or has no empty choice
        assert "---------" not in text, f"{request}: a drop-down offers «---------»"
        assert not MULTIPLE_SELECT.search(text), f"{request}: a Ctrl-click list instead of checkboxes"
        unstyled = [tag for tag in FILE_INPUT.findall(text) if 'class="form-file-input"' not in tag]
        assert not unstyled, f"{request}: a file input without the design system's look: {unstyled}"


CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name in MATRIX_NAMES
    for role, methods in [
        *((role, METHODS) for role in ROLES),
        *((r, ("GET", "POST")) for r in DERIVED_ROLES),
    ]
    for method in methods
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_matrix(db, shared_client, world, name, role, method, request):
    if name not in EXPECTED:
        pytest.fail(f"{name} is not in the permission matrix: add its row to EXPECTED")
    if name in SSO_URLS:
        request.getfixturevalue("sso_provider")
    side = world.foreign if role == "bestyrelse_fremmed" else world.own
    try:
        url = reverse(name, kwargs=kwargs_for(name, side, world))
    except NoReverseMatch:
        pytest.fail(f"{name} takes arguments: add them to kwargs_for")
    response, *writes = ask(shared_client, world, role, method, url)
    expected = expected_answer(name, role, method)
    assert outcome(response) == expected, f"{method} {url} as {role}: expected {expected}"
    check_answer(response, name, role, f"{method} {url} as {role}", writes)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", MIXED_ROLES)
@pytest.mark.parametrize("name", sorted(MIXED_CHILDREN))
def test_a_foreign_child_under_an_own_parent_is_not_found(db, shared_client, world, name, role, method):
    url = reverse(name, kwargs=mixed_kwargs(name, world))
    response, *writes = ask(shared_client, world, role, method, url)
    # A method the URL does not take is refused before any lookup; so may be a change the role may not make.
    usual = expected_answer(name, role, method)
    expected = {"405": {"405"}, "403": {"403", "404"}}.get(usual, {"404"})
    assert outcome(response) in expected, f"{method} {url} as {role}: expected {' or '.join(expected)}"
    check_answer(response, name, "bestyrelse_egen", f"{method} {url} as {role}", writes)


def test_the_board_member_reads_both_their_afdelinger(db, shared_client, world):
    shared_client.cookies.clear()
    log_in(shared_client, world.users["bestyrelse"])
    for afdeling in (world.own.afdeling, world.second_afdeling):
        for url in (
            reverse("afdeling_detail", args=[afdeling.pk]),
            reverse("screening_afdeling", args=[afdeling.pk]),
            reverse("kontaktperson_afdeling", args=[afdeling.pk]),
        ):
            assert shared_client.get(url).status_code == 200, url
    listed = shared_client.get(reverse("afdeling_list")).text
    assert world.own.afdeling.navn in listed and world.second_afdeling.navn in listed


def test_every_named_url_is_in_the_table():
    names = {name for name, _ in named_urls()}
    missing = sorted(set(MATRIX_NAMES) - set(EXPECTED))
    assert not missing, f"URL names missing from the permission matrix: {missing}"
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"rows for URL names that no longer exist: {stale}"
    for name, rows in EXPECTED.items():
        for row in rows:
            assert row == SAME or len(row.split()) == len(ROLES), f"{name}: one answer per role"
