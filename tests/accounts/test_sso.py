"""Single sign-on through a real OpenID provider on the loopback (tests/oidc.py): discovery, the code flow
with PKCE, the roles from the groups at every login, and every refusal (a person without a role, a board
member or an administrator, a forged, misdirected or stale answer), each with its reason and without a
change."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import escape

from config.accounts import actions, second_factor, sso
from config.accounts.forms import PROVIDER_ACCOUNT
from config.accounts.models import ProviderIdentity
from config.accounts.views import AT_PROVIDER, NOT_COMPLETED, UNKNOWN_ATTEMPT
from tests.factories import BestyrelsesmedlemFactory, UserFactory
from tests.logins import PASSWORD, log_in
from tests.oidc import CALLBACK, CLIENT_ID, callback_path, log_in_at_provider, start
from tests.test_permission_matrix import database_writes

pytestmark = pytest.mark.django_db

ANNE = "anne.medarbejder@fsb.example"
STAFF_GROUPS = ["fsb-boligsocial-staff"]


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def says(response, text) -> bool:
    return escape(text) in response.text


def logged_in(client):
    return client.session.get(SESSION_KEY)


@pytest.fixture
def anne(sso_provider):
    """Anne's claims at the provider as the test starts (another test may have changed them)."""
    sso_provider.set_account(
        "anne", email=ANNE, email_verified=True, name="Anne Andersen", given_name="Anne",
        family_name="Andersen", groups=[*STAFF_GROUPS, "fsb-alle"],
    )  # fmt: skip
    return "anne"


def test_the_endpoints_come_from_the_providers_discovery_document(sso_provider):
    found = sso.endpoints()
    assert (found.authorization, found.token, found.jwks) == (
        f"{sso_provider.issuer}/auth",
        f"{sso_provider.issuer}/token",
        f"{sso_provider.issuer}/jwks",
    )


def test_a_discovery_document_of_another_issuer_is_refused(sso_provider, settings, client):
    settings.OIDC_ISSUER = f"{sso_provider.issuer}/"  # the document names the issuer without the slash
    response = client.get(reverse("sso_login"))
    assert response.status_code == 503
    assert says(response, sso.UNAVAILABLE)


def test_the_login_goes_to_the_provider_with_state_nonce_and_a_pkce_challenge(sso_provider, client):
    location = start(client)["Location"]
    assert location.startswith(f"{sso_provider.issuer}/auth?")
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    assert query["client_id"] == CLIENT_ID and query["redirect_uri"] == CALLBACK
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43 and query["state"] and query["nonce"]
    assert set(client.session["oidc_states"]) == {query["state"]}


def test_a_staff_member_logs_in_and_is_made_a_user_with_the_staff_role(sso_provider, anne, client):
    response = log_in_at_provider(client, sso_provider, anne, "?next=/indsatser/")
    assert response.status_code == 302 and response["Location"] == "/indsatser/"
    user = get_user_model().objects.get(pk=logged_in(client))
    assert (user.username, user.email, user.first_name, user.last_name) == (ANNE, ANNE, "Anne", "Andersen")
    assert not user.has_usable_password()
    assert group_names(user) == {"medarbejder"}
    identity = ProviderIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso_provider.issuer, "anne")
    # The provider asked for its own second factor: no code here, and the pages open.
    assert client.session[second_factor.SESSION_KEY] == second_factor.PROVIDER
    assert client.get(reverse("home")).status_code == 200


def test_the_roles_follow_the_groups_at_every_login(sso_provider, anne, client):
    log_in_at_provider(client, sso_provider, anne)
    user = get_user_model().objects.get(pk=logged_in(client))
    sso_provider.set_account(
        anne, email=ANNE, email_verified=True, name="Anne Berg", groups=["fsb-sekretariat"]
    )
    client.logout()
    assert log_in_at_provider(client, sso_provider, anne).status_code == 302
    user.refresh_from_db()
    assert logged_in(client) == str(user.pk)
    assert group_names(user) == {"sekretariat"}
    assert (user.first_name, user.last_name) == ("Anne", "Berg")
    assert get_user_model().objects.filter(email=ANNE).count() == 1


def test_a_person_in_no_group_that_gives_a_role_is_refused_and_no_account_made(sso_provider, client):
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, "uden")
    assert response.status_code == 403
    assert says(response, actions.NO_ROLE)
    assert logged_in(client) is None
    assert database_writes() == before


def test_a_staff_member_taken_out_of_every_group_is_refused_and_loses_the_role(sso_provider, anne, client):
    log_in_at_provider(client, sso_provider, anne)
    user = get_user_model().objects.get(pk=logged_in(client))
    client.logout()
    sso_provider.set_account(anne, email=ANNE, email_verified=True, groups=["fsb-alle"])
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 403 and says(response, actions.NO_ROLE)
    assert logged_in(client) is None
    assert group_names(user) == set()  # also for a password the account might have
    assert ProviderIdentity.objects.filter(user=user).exists()


TAMPERED = {
    "wrong audience": ({"aud": "en-anden-tjeneste"}, sso.WRONG_AUDIENCE),
    "several audiences, given to another": (
        {"aud": [CLIENT_ID, "en-anden"], "azp": "en-anden"},
        sso.WRONG_AUDIENCE,
    ),
    "expired": ({"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}, sso.EXPIRED),
    "wrong issuer": ({"iss": "https://login.example/falsk"}, sso.WRONG_ISSUER),
    "wrong nonce": ({"nonce": "en-anden-nonce"}, sso.WRONG_NONCE),
    "no subject": ({"sub": None}, sso.MALFORMED),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_an_id_token_with_a_wrong_claim_is_refused_and_changes_nothing(sso_provider, anne, client, case):
    claims, reason = TAMPERED[case]
    sso_provider.tamper_next_id_token(**claims)
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 400
    assert says(response, sso.NOT_VERIFIED) and says(response, reason)
    assert logged_in(client) is None
    assert database_writes() == before


def test_an_id_token_signed_by_another_key_is_refused_and_changes_nothing(sso_provider, anne, client):
    sso_provider.tamper_next_id_token(stranger=True)
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 400 and says(response, sso.WRONG_SIGNATURE)
    assert logged_in(client) is None
    assert database_writes() == before


def test_an_unchanged_token_passes_the_tampering_hook(sso_provider, anne, client):
    """The hook itself re-signs a token the application accepts: the refusals above are the claims'."""
    sso_provider.tamper_next_id_token()
    assert log_in_at_provider(client, sso_provider, anne).status_code == 302


def test_an_answer_to_a_state_this_browser_did_not_start_is_refused(sso_provider, anne, client):
    location = sso_provider.authorize(start(client)["Location"], anne)
    forged = callback_path(location).replace("state=", "state=x")
    before = database_writes()
    response = client.get(forged)
    assert response.status_code == 400 and says(response, UNKNOWN_ATTEMPT)
    # Nor in another browser, which started nothing.
    client.cookies.clear()
    assert client.get(callback_path(location)).status_code == 400
    assert logged_in(client) is None
    assert database_writes() == before


def test_an_answer_is_used_once(sso_provider, anne, client):
    location = sso_provider.authorize(start(client)["Location"], anne)
    assert client.get(callback_path(location)).status_code == 302
    client.logout()
    response = client.get(callback_path(location))
    assert response.status_code == 400 and says(response, UNKNOWN_ATTEMPT)


def test_a_code_is_traded_once(sso_provider, anne, client):
    """The provider's code, brought back again with a state of a new login from this browser (whose PKCE
    verifier is not the code's), is refused by the provider: nothing is logged in."""
    location = sso_provider.authorize(start(client)["Location"], anne)
    assert client.get(callback_path(location)).status_code == 302
    client.logout()
    state = parse_qs(urlsplit(start(client)["Location"]).query)["state"][0]
    before = database_writes()
    old_state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get(callback_path(location).replace(f"state={old_state}", f"state={state}"))
    assert response.status_code == 400 and says(response, sso.TOKEN_REFUSED)
    assert logged_in(client) is None
    assert database_writes() == before


def test_a_login_the_provider_ends_with_an_error_is_refused(sso_provider, client):
    state = parse_qs(urlsplit(start(client)["Location"]).query)["state"][0]
    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": state})
    assert response.status_code == 403 and says(response, NOT_COMPLETED)
    assert logged_in(client) is None


def test_an_answer_naming_another_issuer_is_refused(sso_provider, anne, client):
    location = sso_provider.authorize(start(client)["Location"], anne)
    response = client.get(callback_path(location).replace("iss=http", "iss=https"))
    assert response.status_code == 400 and says(response, sso.WRONG_ISSUER)
    assert logged_in(client) is None


def test_a_refused_answer_leaves_a_logged_in_user_as_they_were(sso_provider, anne, client):
    staff = UserFactory(role="medarbejder")
    log_in(client, staff)
    sso_provider.tamper_next_id_token(aud="en-anden-tjeneste")
    assert log_in_at_provider(client, sso_provider, anne).status_code == 400
    assert logged_in(client) == str(staff.pk)


@pytest.mark.parametrize("who", ["afdelingsbestyrelse", "administrator", "superuser"])
def test_a_board_member_or_administrator_cannot_log_in_through_the_provider(sso_provider, anne, client, who):
    if who == "afdelingsbestyrelse":
        user = BestyrelsesmedlemFactory(user__email=ANNE).user
    else:
        user = UserFactory(
            email=ANNE, role=None if who == "superuser" else who, is_superuser=who == "superuser"
        )
    groups = group_names(user)
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 403 and says(response, actions.LOCAL_ONLY)
    assert logged_in(client) is None
    assert database_writes() == before
    assert group_names(user) == groups
    # Their own login still works.
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_linked_account_that_became_a_board_member_is_refused(sso_provider, anne, client):
    log_in_at_provider(client, sso_provider, anne)
    client.logout()
    # As screening.actions seats a board member: the seat, and the role.
    user = get_user_model().objects.get(email=ANNE)
    BestyrelsesmedlemFactory(user=user)
    user.groups.add(Group.objects.get(name="afdelingsbestyrelse"))
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 403 and says(response, actions.LOCAL_ONLY)


def test_a_closed_account_is_refused_and_its_sessions_end(sso_provider, anne, client):
    log_in_at_provider(client, sso_provider, anne)
    user = get_user_model().objects.get(email=ANNE)
    user.is_active = False
    user.save()
    assert client.get(reverse("home")).status_code == 302  # logged out
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 403 and says(response, actions.CLOSED)


def test_an_existing_account_with_the_verified_address_is_linked(sso_provider, anne, client):
    local = UserFactory(email=ANNE.upper(), role="sekretariat")
    log_in_at_provider(client, sso_provider, anne)
    assert logged_in(client) == str(local.pk)
    assert group_names(local) == {"medarbejder"}
    assert ProviderIdentity.objects.get(subject="anne").user == local
    # Their password no longer logs them in while single sign-on is on: the provider decides whether they
    # still work here.
    response = client.post(reverse("login"), {"username": local.username, "password": PASSWORD})
    assert response.status_code == 200 and says(response, PROVIDER_ACCOUNT)


def test_a_look_alike_address_at_the_provider_takes_over_no_account(sso_provider, client):
    """PostgreSQL's case-insensitive match makes "ı" (dotless i) equal "i"; the link must not."""
    local = UserFactory(email="medarbejder@demo.invalid", role="medarbejder")
    sso_provider.set_account(
        "mallory", email="medarbejder@demo.ınvalid", email_verified=True, name="Mallory", groups=STAFF_GROUPS
    )
    log_in_at_provider(client, sso_provider, "mallory")
    assert logged_in(client) != str(local.pk)
    assert not ProviderIdentity.objects.filter(user=local).exists()
    local.refresh_from_db()
    assert (local.first_name, group_names(local)) != ("Mallory", set())


@pytest.mark.parametrize(
    "claims",
    [{"groups": 5}, {"groups": [5]}, {"email": 5}, {"email": ["x@y.dk"]}, {"email": "anne@fsb.example "},
     {"name": ["a", "b"], "given_name": None, "family_name": None}],
    ids=str,
)  # fmt: skip
def test_claims_about_the_person_of_the_wrong_type_are_refused(sso_provider, anne, client, claims):
    sso_provider.tamper_next_id_token(**claims)
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, anne)
    assert response.status_code == 400 and says(response, sso.MALFORMED)
    assert database_writes() == before


def test_an_answer_without_the_issuer_is_refused_when_the_provider_always_names_it(
    sso_provider, anne, client
):
    assert sso.endpoints().names_issuer
    location = sso_provider.authorize(start(client)["Location"], anne)
    path = callback_path(location)
    without_issuer = "&".join(part for part in path.split("&") if not part.startswith("iss="))
    response = client.get(without_issuer.replace("?iss=", "?"))
    assert response.status_code == 400 and says(response, sso.WRONG_ISSUER)
    assert logged_in(client) is None


def test_an_account_of_the_provider_gets_no_password_reset_link(
    sso_provider, anne, client, mailoutbox, tasks_run_here
):
    log_in_at_provider(client, sso_provider, anne)
    client.logout()
    client.post(reverse("password_reset"), {"email": ANNE})
    assert mailoutbox == []


def test_an_existing_account_with_an_unverified_address_is_not_taken_over(sso_provider, client):
    local = UserFactory(email=ANNE, role="medarbejder")
    sso_provider.set_account("anne", email=ANNE, email_verified=False, groups=STAFF_GROUPS)
    before = database_writes()
    response = log_in_at_provider(client, sso_provider, "anne")
    assert response.status_code == 403 and says(response, actions.EMAIL_TAKEN)
    assert database_writes() == before
    assert not ProviderIdentity.objects.filter(user=local).exists()


def test_the_login_page_offers_the_fsb_account_only_when_configured(client, settings):
    assert "Log ind med fsb-konto" not in client.get(reverse("login")).text
    assert client.get(reverse("sso_login")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404


def test_the_login_page_offers_the_fsb_account_with_the_page_asked_for(sso_provider, client):
    page = client.get(reverse("login") + "?next=/indsatser/").text
    assert "Log ind med fsb-konto" in page
    assert f'href="{reverse("sso_login")}?next=/indsatser/"' in page
    assert 'name="password"' in page  # the local login stays


def test_roles_from_the_groups_claim(settings):
    settings.OIDC_GROUPS_CLAIM = "roller"
    settings.OIDC_ROLE_GROUPS = (("medarbejder", "a"), ("medarbejder", "b"), ("sekretariat", "c"))
    assert sso.roles_from_claims({"roller": ["b", "x"]}) == {"medarbejder"}
    assert sso.roles_from_claims({"roller": ["a", "c"]}) == {"medarbejder", "sekretariat"}
    assert sso.roles_from_claims({"roller": "c"}) == {"sekretariat"}
    assert sso.roles_from_claims({"groups": ["a"]}) == set()


def test_an_account_of_the_provider_sets_up_no_app_here(sso_provider, anne, client):
    """The provider asks for the second factor; the app here would never be asked for."""
    log_in_at_provider(client, sso_provider, anne)
    assert says(client.get(reverse("account")), AT_PROVIDER)
    response = client.get(reverse("second_factor_set_up"))
    assert response.status_code == 302 and response.url == reverse("account")
