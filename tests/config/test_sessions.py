"""A login lasts a working day from the last request (DJANGO_SESSION_HOURS), renewed every few minutes."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from config.sessions import RENEW_EVERY, RENEWED
from tests.config.test_settings import PRODUCTION, manage
from tests.factories import UserFactory
from tests.logins import log_in_with_password

pytestmark = pytest.mark.django_db


def test_a_session_lasts_a_working_day_unless_configured(settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    result = manage("shell", "--no-imports", "-c", code, DJANGO_SESSION_HOURS="2", **PRODUCTION)
    assert result.stdout.strip() == "7200", result.stderr


@pytest.fixture
def logged_in(client):
    return log_in_with_password(client, UserFactory(username="anna", role="medarbejder"))


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def age_session(client, *, renewed_ago: int, expires_in: timedelta):
    """As if the session was last renewed `renewed_ago` seconds ago and ends in `expires_in`."""
    store = SessionStore(session_key=client.cookies["sessionid"].value)
    store[RENEWED] = int(time.time()) - renewed_ago
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)


def test_activity_renews_the_session(logged_in, settings):
    working_day = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert session_row(logged_in).expire_date > timezone.now() + working_day - timedelta(minutes=1)

    age_session(logged_in, renewed_ago=RENEW_EVERY + 1, expires_in=timedelta(minutes=1))
    assert logged_in.get(reverse("home")).status_code == 200
    assert session_row(logged_in).expire_date > timezone.now() + working_day - timedelta(minutes=1)
    assert logged_in.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_renewed_minutes_ago_is_not_written_again(logged_in):
    age_session(logged_in, renewed_ago=60, expires_in=timedelta(hours=3))
    before = session_row(logged_in).expire_date
    assert logged_in.get(reverse("home")).status_code == 200
    assert session_row(logged_in).expire_date == before


def test_an_idle_session_ends(logged_in):
    age_session(logged_in, renewed_ago=RENEW_EVERY + 1, expires_in=timedelta(seconds=-1))
    response = logged_in.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
