"""Two-factor login: setting up the app, the login's second step, its window and replay, recovery codes,
reset by the user and by an administrator, who must have it and who may, and the throttle on codes."""

import re
from base64 import b32decode
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts import actions
from config.accounts.models import SecondFactorEvent
from config.accounts.views import NEW_KEY_SESSION_KEY
from tests.factories import BestyrelsesmedlemFactory, UserFactory
from tests.logins import PASSWORD, code_of, give_app, log_in_with_password
from tests.test_permission_matrix import EXPECTED

pytestmark = pytest.mark.django_db

NOW = 1_790_000_000.0  # a moment in 2026, on a 30-second boundary's inside: step 59666666
REQUIRED_ROLES = ("medarbejder", "sekretariat", "administrator")
OPEN_WHILE_OWED = {"login", "logout", "health", "login_code", "second_factor_set_up"}


@pytest.fixture
def clock(monkeypatch):
    """django-otp's clock, set by the test: no waiting for the next 30 seconds."""
    now = SimpleNamespace(value=NOW)
    monkeypatch.setattr("django_otp.plugins.otp_totp.models.time", SimpleNamespace(time=lambda: now.value))
    return now


def password_step(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def every_page_without_arguments() -> list[str]:
    """The pages of the permission matrix that need no object, and the admin's."""
    urls = ["/admin/"]
    for name in EXPECTED:
        if name in OPEN_WHILE_OWED:
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_a_required_role_without_an_app_reaches_nothing_but_the_set_up(client, role):
    user = UserFactory(role=role, is_staff=role == "administrator")
    password_step(client, user)
    pages = every_page_without_arguments()
    assert len(pages) > 20
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("second_factor_set_up") + "?next="), url
    assert client.post(reverse("account")).status_code == 302
    page = client.get(reverse("second_factor_set_up"))
    assert page.status_code == 200 and 'href="/konto/"' not in page.text  # no menu, no way around


def test_set_up_shows_the_secret_confirms_by_a_first_code_and_shows_the_recovery_codes_once(client, clock):
    user = UserFactory(role="medarbejder")
    password_step(client, user)
    page = client.get(reverse("second_factor_set_up")).text
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn here
    key = client.session[NEW_KEY_SESSION_KEY]
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1)
    assert b32decode(secret.replace(" ", "")).hex() == key
    app = TOTPDevice(key=key)

    wrong = client.post(reverse("second_factor_set_up"), {"code": code_of(app, NOW - 90)})
    assert wrong.status_code == 400 and "Koden er forkert" in wrong.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 302

    response = client.post(reverse("second_factor_set_up"), {"code": code_of(app, NOW)})
    assert response["Location"] == reverse("recovery_codes")
    shown = client.get(reverse("recovery_codes")).text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(set(codes)) == 10
    assert 'download="gendannelseskoder.txt"' in shown and codes[0] in shown.split("data:text/plain")[1]
    assert client.get(reverse("recovery_codes"))["Location"] == reverse("account")  # shown once
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == key
    assert SecondFactorEvent.objects.filter(user=user, kind="set_up", acting_user=user).count() == 1
    # The code that confirmed the app cannot log in again.
    client.post(reverse("logout"))
    password_step(client, user)
    assert client.post(reverse("login_code"), {"code": code_of(app, NOW)}).status_code == 400


def test_login_with_a_code_goes_on_to_the_page_asked_for(client, clock):
    user = UserFactory(role="sekretariat")
    app = give_app(user)
    client.get(reverse("home"))
    password_step(client, user)
    asked_for = reverse("afdeling_list")
    response = client.get(asked_for)
    assert response["Location"] == reverse("login_code") + "?next=" + asked_for.replace("/", "%2F")
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="code"' in page.text
    key_between_the_steps = client.cookies["sessionid"].value
    response = client.post(reverse("login_code"), {"code": code_of(app, NOW), "next": asked_for})
    assert response["Location"] == asked_for
    assert client.cookies["sessionid"].value != key_between_the_steps  # the whole login has a key of its own
    assert client.get(asked_for).status_code == 200
    # Given once, the step sends on.
    assert client.get(reverse("login_code"))["Location"] == reverse("home")


def test_a_code_is_refused_the_second_time(client, clock):
    user = UserFactory(role="medarbejder")
    app = give_app(user)
    password_step(client, user)
    code = code_of(app, NOW)
    assert client.post(reverse("login_code"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_step(client, user)
    replayed = client.post(reverse("login_code"), {"code": code})
    assert replayed.status_code == 400 and "Koden er forkert" in replayed.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("login_code"))


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-61, False), (-31, True), (0, True), (30, True), (60, False)]
)
def test_a_code_is_accepted_one_step_early_or_late_and_no_further(clock, offset, accepted):
    """The app's clock may be one 30-second step off ours, either way; two steps is refused."""
    user = UserFactory(role="medarbejder")
    app = give_app(user)
    assert actions.accept_code(user, code_of(app, NOW + offset)) is accepted


def test_a_recovery_code_logs_in_once(client, clock):
    user = UserFactory(role="medarbejder")
    give_app(user)
    codes = actions.set_up_app(user, "00" * 20, code_of(TOTPDevice(key="00" * 20), NOW), acting_user=user)
    password_step(client, user)
    typed = codes[3].upper()[:4] + "-" + codes[3].upper()[4:]  # as read aloud from paper
    assert client.post(reverse("login_code"), {"code": typed}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("logout"))
    password_step(client, user)
    assert client.post(reverse("login_code"), {"code": codes[3]}).status_code == 400
    assert client.post(reverse("login_code"), {"code": codes[4]}).status_code == 302


def test_set_up_voids_the_apps_given_before(clock):
    user = UserFactory(role="medarbejder")
    old = give_app(user)
    actions.set_up_app(user, "00" * 20, code_of(TOTPDevice(key="00" * 20), NOW), acting_user=user)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert not actions.accept_code(user, code_of(old, NOW + 30))


def test_reset_asks_for_the_password_or_a_code_and_then_voids_the_app(client, clock):
    user = UserFactory(role="medarbejder")
    app = give_app(user)
    log_in_with_password(client, user)
    account_page = client.get(reverse("account")).text
    assert "Nulstil totrinslogin" in account_page
    assert reverse("api_tokens") in account_page  # the user's API tokens are kept from here

    refused = client.post(reverse("second_factor_reset"), {"secret": "forkert"})
    assert refused.status_code == 400 and "forkert" in refused.text
    assert TOTPDevice.objects.filter(pk=app.pk).exists()

    response = client.post(reverse("second_factor_reset"), {"secret": code_of(app, NOW + 30)})
    assert response["Location"] == reverse("second_factor_set_up")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert SecondFactorEvent.objects.filter(user=user, kind="reset", acting_user=user).exists()
    # Required: nothing but the set-up until a new app is confirmed.
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_set_up"))


def test_reset_by_password(client):
    user = UserFactory(role="medarbejder")
    log_in_with_password(client, user)
    response = client.post(reverse("second_factor_reset"), {"secret": PASSWORD})
    assert response["Location"] == reverse("second_factor_set_up")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_board_member_may_log_in_without_and_set_up_an_app(client, clock, own_afdeling):
    member = UserFactory(role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=member, afdeling=own_afdeling)
    password_step(client, member)
    assert client.get(reverse("home")).status_code == 200
    account = client.get(reverse("account")).text
    assert "frivilligt" in account and reverse("second_factor_set_up") in account

    client.get(reverse("second_factor_set_up"))
    app = TOTPDevice(key=client.session[NEW_KEY_SESSION_KEY])
    client.post(reverse("second_factor_set_up"), {"code": code_of(app, NOW)})
    client.post(reverse("logout"))
    password_step(client, member)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login_code"))
    assert client.post(reverse("login_code"), {"code": code_of(app, NOW + 30)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_not_required_when_switched_off_or_without_a_local_password(client, settings):
    settings.REQUIRE_SECOND_FACTOR = False
    password_step(client, UserFactory(role="medarbejder"))
    assert client.get(reverse("home")).status_code == 200

    settings.REQUIRE_SECOND_FACTOR = True
    single_sign_on = UserFactory(role="medarbejder")
    single_sign_on.set_unusable_password()
    single_sign_on.save()
    client.force_login(single_sign_on)
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_lock_out_like_wrong_passwords_and_a_new_password_login_does_not_reset_them(
    client, settings, clock
):
    user = UserFactory(role="medarbejder")
    app = give_app(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, user)
        assert client.post(reverse("login_code"), {"code": "000000"}).status_code == 400
        client.post(reverse("logout"))
    password_step(client, user)
    locked = client.post(reverse("login_code"), {"code": "000000"})
    assert locked.status_code == 429 and "For mange forkerte forsøg" in locked.text
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))  # the half login is over
    # Neither the password nor the right code gets in now.
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 429
    assert client.post(reverse("login_code"), {"code": code_of(app, NOW)})["Location"] == reverse("login")


def test_the_right_code_resets_the_count(client, settings, clock):
    user = UserFactory(role="medarbejder")
    app = give_app(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, user)
        client.post(reverse("login_code"), {"code": "000000"})
        client.post(reverse("logout"))
    password_step(client, user)
    assert client.post(reverse("login_code"), {"code": code_of(app, NOW)}).status_code == 302
    client.post(reverse("logout"))
    password_step(client, user)
    assert client.post(reverse("login_code"), {"code": "000000"}).status_code == 400


def test_an_administrator_resets_a_users_app_in_the_admin(client, clock):
    administrator = UserFactory(role="administrator", is_staff=True, is_superuser=True)
    user = UserFactory(role="medarbejder")
    give_app(user)
    log_in_with_password(client, administrator)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = SecondFactorEvent.objects.get(user=user)
    assert (event.kind, event.acting_user) == ("reset", administrator)
    assert TOTPDevice.objects.filter(user=administrator).exists()  # their own is untouched
    # The admin shows no app's secret.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert get_user_model().objects.get(pk=user.pk).is_active
