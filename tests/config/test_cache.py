"""The shared cache (config.cache): one Redis client per connection pool, and pages that still answer, from
the database, when Redis does not."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from config.cache import RedisCache
from tests.factories import AfdelingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_every_operation_of_a_thread_uses_the_same_client(settings):
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("the cache is Redis only when REDIS_URL is set (CI sets it)")
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client(write=True)
    cache.set("config-cache-test", {"afdelinger": 7500}, 30)
    assert cache.get("config-cache-test") == {"afdelinger": 7500}
    cache.delete("config-cache-test")
    assert cache.get("config-cache-test") is None
    assert cache._cache.get_client() is client


def test_the_start_page_reads_from_the_database_when_the_cache_does_not_answer(
    client_as, medarbejder, settings, free_tcp_port
):
    AfdelingFactory(organisation=OrganisationFactory(navn="Boligselskabet Ved Søerne"), lejemaal=120)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_tcp_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    page = client_as(medarbejder).get(reverse("home"))
    assert page.status_code == 200
    assert ">Boligselskabet Ved Søerne</a>" in page.text and "<dt>Lejemål</dt><dd>120</dd>" in page.text
