from django.db import migrations
from django.db.models import Exists, OuterRef


def supersede_passed_over_drafts(apps, schema_editor):
    """Drafts left behind by a later version that was sent to the funders can never be sent themselves:
    submitting a version now lays them aside, and so does this for those left before."""
    Budgetversion = apps.get_model("finansiering", "Budgetversion")
    later_sent = Budgetversion.objects.filter(
        indsats_id=OuterRef("indsats_id"), nummer__gt=OuterRef("nummer"), indsendt_tidspunkt__isnull=False
    )
    Budgetversion.objects.filter(Exists(later_sent), status="udkast").update(status="erstattet")


class Migration(migrations.Migration):
    dependencies = [
        ("finansiering", "0004_budgetversion_afdelingstal"),
    ]

    operations = [
        migrations.RunPython(supersede_passed_over_drafts, migrations.RunPython.noop),
    ]
