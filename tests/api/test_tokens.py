"""Personal API tokens: made on the user's own page and shown once, stored as a hash, refused with 401 and a
reason once revoked or expired, when unknown, or when sent beside another user's login; revoked by their
owner only; and every user's requests are throttled."""

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.api import actions
from config.api.models import ApiToken, token_digest
from config.api.throttling import ApiRateThrottle
from tests.factories import UserFactory
from tests.logins import log_in

AFDELINGER = "/api/v1/afdelinger/"


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def staff(db):
    return UserFactory(role="medarbejder")


def test_a_token_is_shown_once_and_stored_as_its_hash_only(client, staff):
    log_in(client, staff)
    page = client.post(reverse("api_tokens"), {"navn": "Power BI", "gyldig_til": ""})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=staff)
    raw = re.search(r'<code class="app-token">([^<]+)</code>', page.text).group(1)
    assert token.digest == token_digest(raw) and raw not in token.digest
    assert token.begyndelse == raw[:8] and token.navn == "Power BI" and token.udloeber is None
    again = client.get(reverse("api_tokens"))
    assert raw not in again.text and "Power BI" in again.text and token.begyndelse in again.text


def test_a_token_reads_as_its_user_and_records_its_last_use(staff):
    token, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    response = Client().get(AFDELINGER, headers=bearer(raw))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.sidst_brugt is not None


def test_an_expiry_date_in_the_past_is_refused(client, staff):
    log_in(client, staff)
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client.post(reverse("api_tokens"), {"navn": "BI", "gyldig_til": yesterday.isoformat()})
    assert page.status_code == 400 and "Datoen er allerede passeret." in page.text
    assert not ApiToken.objects.exists()


def test_a_token_works_through_its_last_day(client, staff):
    log_in(client, staff)
    today = timezone.localdate()
    client.post(reverse("api_tokens"), {"navn": "BI", "gyldig_til": today.isoformat()})
    token = ApiToken.objects.get()
    assert timezone.localtime(token.udloeber).date() == today + timedelta(days=1)
    assert token.is_usable


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        (lambda token: actions.revoke_token(token, acting_user=token.user), "API-nøglen er tilbagekaldt."),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(udloeber=timezone.now()),
            "API-nøglen udløb",
        ),
        (lambda token: ApiToken.objects.filter(pk=token.pk).update(digest="x"), "API-nøglen kendes ikke."),
        (lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False), "lukket"),
    ],
    ids=["revoked", "expired", "unknown", "deactivated user"],
)
def test_a_token_that_no_longer_holds_is_refused_with_a_reason(staff, make_bad, message):
    token, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    make_bad(token)
    response = Client().get(AFDELINGER, headers=bearer(raw))
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_users_token_beside_a_login_is_refused(client, staff):
    other = UserFactory(role="afdelingsbestyrelse")
    _, raw = actions.create_token(navn="BI", udloeber=None, acting_user=other)
    log_in(client, staff)
    response = client.get(AFDELINGER, headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"] == "API-nøglen tilhører en anden bruger end den, der er logget ind."


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer \xe6\xf8"])
def test_a_malformed_header_is_refused(staff, header):
    assert Client().get(AFDELINGER, headers={"Authorization": header}).status_code == 401


def test_no_token_and_no_login_is_refused(db):
    response = Client().get(AFDELINGER)
    assert response.status_code == 401 and response.json()["detail"]


def test_the_owner_revokes_a_token_and_no_one_else_can(client, staff):
    token, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    other = UserFactory(role="medarbejder")
    log_in(client, other)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.tilbagekaldt is None
    log_in(client, staff)
    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "er tilbagekaldt" in response.text
    token.refresh_from_db()
    assert token.tilbagekaldt is not None
    assert Client().get(AFDELINGER, headers=bearer(raw)).status_code == 401


def test_a_token_may_last_at_most_five_years(client, staff):
    log_in(client, staff)
    for day in ("9999-12-31", str(timezone.localdate() + timedelta(days=5 * 365 + 1))):
        response = client.post(reverse("api_tokens"), {"navn": "BI", "gyldig_til": day})
        assert response.status_code == 400 and "højst gælde fem år frem" in response.text
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_users_own_tokens(client, staff):
    actions.create_token(navn="Min nøgle", udloeber=None, acting_user=staff)
    actions.create_token(navn="Andres nøgle", udloeber=None, acting_user=UserFactory())
    log_in(client, staff)
    page = client.get(reverse("api_tokens")).text
    assert "Min nøgle" in page and "Andres nøgle" not in page


def test_requests_beyond_the_rate_are_throttled(settings, staff):
    settings.API_THROTTLE_RATE = "3/day"  # one window for the whole test, however slow the machine
    cache.delete(f"api-throttle:{staff.pk}:day:{int(time.time() // 86400)}")
    _, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    client = Client(headers=bearer(raw))
    answers = [client.get(AFDELINGER).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert "Retry-After" in client.get(AFDELINGER)


def test_the_docs_page_loads_only_our_own_scripts(client, staff):
    log_in(client, staff)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts and all('src="/' in tag for tag in scripts), scripts
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert client.get("/api/v1/docs/?script=").status_code == 200


def test_requests_that_arrive_together_are_all_counted(settings, staff):
    """Each request is one atomic increment in Redis: eight threads sending 40 requests get exactly 25 through
    a limit of 25 (DRF's own throttle read, appended to and wrote back a list, losing requests that overlap).
    """
    settings.API_THROTTLE_RATE = "25/day"
    cache.delete(f"api-throttle:{staff.pk}:day:{int(time.time() // 86400)}")
    throttle = ApiRateThrottle()
    request = SimpleNamespace(user=staff)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: throttle.allow_request(request, None), range(40)))
    assert answers.count(True) == 25


def test_the_api_answers_unthrottled_when_the_cache_does_not(settings, staff):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.API_THROTTLE_RATE = "1/day"
    _, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    client = Client(headers=bearer(raw))
    assert [client.get(AFDELINGER).status_code for _ in range(2)] == [200, 200]
