"""Values kept in the shared cache (config.web.kept) when Redis hangs: one wait for its timeout, then a pause
in which the values are read from the database and the cache is not asked; the new versions owed from the
pause are set once it answers again."""

import io
import socket
import threading

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings

from config.web.kept import Kept

pytestmark = pytest.mark.django_db

HANGING_SECONDS = 0.2


@pytest.fixture
def kept():
    """A set of kept values of the test's own."""
    made = Kept("test-kept")
    yield made
    Kept.every.remove(made)


@pytest.fixture
def hanging_redis():
    """A server that takes connections and never answers; counts the connections it was asked to take."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken = []

    def take():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            taken.append(connection)

    threading.Thread(target=take, daemon=True).start()
    settings = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
            "OPTIONS": {"socket_connect_timeout": HANGING_SECONDS, "socket_timeout": HANGING_SECONDS},
        }
    }
    with override_settings(CACHES=settings):
        yield taken
    listener.close()
    for connection in taken:
        connection.close()


def test_a_hanging_cache_is_waited_for_once_then_left_alone(hanging_redis, kept):
    reads = []
    for _ in range(3):
        assert kept.value("key", lambda: reads.append(1) or "from the database") == "from the database"
        kept.forget()  # as a saved row does: a new version now and on commit (at once, outside a transaction)
    assert len(reads) == 3
    assert len(hanging_redis) == 1  # asked once; then the pause
    assert kept in Kept.owed


def test_the_versions_owed_from_a_pause_are_set_when_it_ends(kept):
    version = kept.version()
    Kept.paused_until = float("inf")
    kept.forget()
    assert cache.get(kept.version_key) == version  # not asked during the pause
    Kept.paused_until = 0.0
    assert kept.value("key", lambda: "read") == "read"
    assert cache.get(kept.version_key) != version
    assert not Kept.owed


def test_the_command_forgets_every_kept_value(kept):
    version = kept.version()
    output = io.StringIO()
    call_command("forget_kept", stdout=output)
    assert kept.version() != version
    assert "options" in output.getvalue() and "reminders" in output.getvalue()


def test_the_command_says_so_when_the_cache_does_not_answer(hanging_redis, kept):
    with pytest.raises(CommandError, match="svarer ikke"):
        call_command("forget_kept")


def test_the_command_says_what_to_do_without_redis(settings, kept):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="genstart serveren"):
        call_command("forget_kept")
