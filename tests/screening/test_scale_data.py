"""The scale-data generator builds a consistent register and screening in bulk (small scale here)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from screening.models import Afdeling, Afdelingsresultat, Bestyrelsesmedlem, Maaling, Screeningsrunde

pytestmark = pytest.mark.django_db


def test_small_scale_builds_everything_once(capsys):
    call_command("generate_scale_data", "--scale", "small")
    assert Afdeling.objects.filter(navn__startswith="Skala ").count() == 80
    assert User.objects.filter(username__startswith="skala-").count() == 40
    assert Bestyrelsesmedlem.objects.filter(user__username__startswith="skala-bestyrelse-").exists()
    rounds = Screeningsrunde.objects.filter(aar__in=[2023, 2024, 2025]).count()
    assert rounds == 3
    assert Maaling.objects.filter(kilde="Skaladata").count() == 80 * 3 * 14
    # The stored results of every round come with them, one per afdeling.
    assert not Screeningsrunde.objects.filter(resultater_beregnet=None).exists()
    assert Afdelingsresultat.objects.filter(runde__aar=2025).count() == Afdeling.objects.count()
    assert "Skaladata (small) bygget" in capsys.readouterr().out
    with pytest.raises(CommandError, match="findes allerede"):
        call_command("generate_scale_data", "--scale", "small")


def test_every_generated_share_is_a_valid_share():
    call_command("generate_scale_data", "--scale", "small")
    shares = Maaling.objects.filter(kilde="Skaladata", indikator__enhed="pct")
    assert not shares.filter(vaerdi__lt=0).exists()
    assert not shares.filter(vaerdi__gt=100).exists()
