"""The demo data: refuses to run without DEBUG unless forced, and running it twice changes nothing."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from helhedsplaner.models import Aendringsanmodning
from screening.models import Afdeling, Bestyrelsesmedlem, Boligomraade, Boligorganisation

pytestmark = pytest.mark.django_db


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_forced_seed_is_idempotent(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    counts = (Afdeling.objects.count(), Boligorganisation.objects.count(), Boligomraade.objects.count())
    call_command("seed_demo", "--force")
    assert counts == (
        Afdeling.objects.count(),
        Boligorganisation.objects.count(),
        Boligomraade.objects.count(),
    )
    assert counts[1] == 4 and counts[2] == 6 and 55 <= counts[0] <= 65
    # One active plan with an approved change request, one with a change awaiting the kommune.
    statuses = dict(Aendringsanmodning.objects.values_list("plan__indsats__titel", "status"))
    assert statuses == {
        "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28": "godkendt",
        "Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26": "sendt",
    }
    output = capsys.readouterr().out
    for username in ("admin", "medarbejder", "sekretariat", "bestyrelse"):
        assert username in output


def test_demo_users_log_in_with_demo_password(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    request = RequestFactory().post("/accounts/login/")
    for username in ("admin", "medarbejder", "sekretariat", "bestyrelse"):
        assert authenticate(request, username=username, password="demo") is not None
    assert Bestyrelsesmedlem.objects.filter(user__username="bestyrelse").count() == 2
