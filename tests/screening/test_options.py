"""The long drop-downs kept ready in the shared cache: never stale after a change, never shared between a
board member and staff."""

import uuid

import pytest
from django.contrib.auth.models import update_last_login
from django.urls import reverse

from screening import options
from screening.models import Boligomraade
from tests.factories import AfdelingFactory, OmraadeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_chosen_pk_is_selected_and_names_are_escaped():
    chosen = OmraadeFactory(navn="Tingbjerg & Utterslevhuse")
    OmraadeFactory(navn="<Husum>")
    html = options.long_options(Boligomraade.objects.all(), str(chosen.pk))
    assert f'<option value="{chosen.pk}" selected>Tingbjerg &amp; Utterslevhuse</option>' in html
    assert "&lt;Husum&gt;</option>" in html
    assert html.count("selected") == 1


def test_a_value_from_the_request_that_is_not_a_pk_changes_nothing():
    OmraadeFactory(navn="Mjølnerparken")
    plain = options.long_options(Boligomraade.objects.all(), None)
    assert options.long_options(Boligomraade.objects.all(), '1"><script>') == plain


def test_a_rename_or_a_new_area_shows_at_once(client_as, medarbejder):
    area = OmraadeFactory(navn="Før")
    client = client_as(medarbejder)
    assert ">Før</option>" in client.get(reverse("indsats_list")).content.decode()
    area.navn = "Efter"
    area.save()
    OmraadeFactory(navn="Helt nyt")
    html = client.get(reverse("indsats_list")).content.decode()
    assert ">Efter</option>" in html and ">Helt nyt</option>" in html and ">Før</option>" not in html


def test_a_new_staff_member_shows_at_once(client_as, medarbejder):
    client = client_as(medarbejder)
    client.get(reverse("plan_list"))
    UserFactory(username="ny-medarbejder", first_name="Nanna", last_name="Nybegynder", role="medarbejder")
    assert ">Nanna Nybegynder</option>" in client.get(reverse("plan_list")).content.decode()


def test_a_login_keeps_the_lists(medarbejder, django_assert_num_queries):
    options.indicators()
    medarbejder.first_name = "Omdøbt"
    medarbejder.save()
    with django_assert_num_queries(1):  # a saved user starts a new version of the lists
        options.indicators()
    update_last_login(None, medarbejder)  # what a login does to the user
    with django_assert_num_queries(0):
        options.indicators()


def test_a_board_member_never_gets_the_staff_list_kept_for_staff(client_as, medarbejder, bestyrelse):
    AfdelingFactory(boligomraade=OmraadeFactory(navn="Et andet område"))
    assert "Et andet område</option>" in client_as(medarbejder).get(reverse("plan_list")).content.decode()
    html = client_as(bestyrelse).get(reverse("plan_list")).content.decode()
    assert "Et andet område</option>" not in html


def test_the_indicators_are_kept_in_order_and_a_change_shows_at_once():
    from screening.models import Indikator

    kept = options.indicators()
    assert kept == list(Indikator.objects.order_by("sortering", "kode"))
    first = kept[0]
    first.kort_navn = "Omdøbt"
    first.save()
    assert options.indicators()[0].kort_navn == "Omdøbt"


def test_the_risk_models_are_kept_and_a_changed_threshold_shows_at_once(django_assert_num_queries):
    from screening.models import Risikomodel, Risikotaerskel

    kept = options.risk_models()
    assert kept == list(Risikomodel.objects.order_by("-gyldig_fra_aar"))
    with django_assert_num_queries(0):
        assert options.risk_models() == kept
    threshold = Risikotaerskel.objects.filter(model=kept[0]).first()
    threshold.roed += 1
    threshold.save()
    fresh = options.risk_models()
    assert [t.roed for t in fresh[0].thresholds() if t.kode == threshold.indikator.kode] == [threshold.roed]


@pytest.mark.parametrize("change", ["rename", "delete"])
def test_a_renamed_or_deleted_staff_group_shows_at_once(client_as, administrator, change):
    from django.contrib.auth.models import Group

    UserFactory(username="m", first_name="Mette", last_name="Medarbejder", role="medarbejder")
    client = client_as(administrator)
    assert ">Mette Medarbejder</option>" in client.get(reverse("plan_create")).content.decode()
    group = Group.objects.get(name="medarbejder")
    if change == "rename":
        group.name = "tidligere medarbejdere"
        group.save()
    else:
        group.delete()
    assert "Mette Medarbejder" not in client.get(reverse("plan_create")).content.decode()


def test_a_change_committed_elsewhere_shows_in_every_worker(django_assert_num_queries):
    """Another worker reads the lists from the shared cache: the version it finds there is the one a change
    set, whichever process made it."""
    from django.core.cache import caches

    options.indicators()
    caches["default"].set(options.LISTS.version_key, f"another-worker-{uuid.uuid4().hex}", timeout=None)
    with django_assert_num_queries(1):
        options.indicators()


def test_the_lists_are_read_from_the_database_when_the_cache_does_not_answer(
    settings, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    OmraadeFactory(navn="Uden cache")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert ">Uden cache</option>" in options.long_options(Boligomraade.objects.all(), None)
