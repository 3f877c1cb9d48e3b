"""Rounds are shown to anyone but staff only once final. The rounds that exist when this comes in were read
by everyone as they were, so they become final rather than disappear from board members' pages."""

from django.db import migrations
from django.utils import timezone


def make_existing_rounds_final(apps, schema_editor):
    Screeningsrunde = apps.get_model("screening", "Screeningsrunde")
    Screeningsrunde.objects.filter(status="kladde").update(status="endelig", afsluttet=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("screening", "0020_screeningsrunde_genaabning")]

    operations = [migrations.RunPython(make_existing_rounds_final, migrations.RunPython.noop)]
