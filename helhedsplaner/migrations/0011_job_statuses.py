from django.db import migrations, models
from django.db.models.functions import Coalesce

# The old status words of packs and exports, and the one vocabulary of every background job.
STATUSES = {"i_koe": "queued", "genereres": "running", "faerdig": "done", "fejlet": "failed"}


def to_job_statuses(apps, schema_editor):
    Pakke = apps.get_model("helhedsplaner", "Pakke")
    Pakkeeksport = apps.get_model("helhedsplaner", "Pakkeeksport")
    for old, new in STATUSES.items():
        Pakke.objects.filter(status=old).update(status=new)
        Pakkeeksport.objects.filter(status=old).update(status=new)
    # A pack's last sign of life was when it was last sent to the queue or moved on.
    Pakke.objects.update(sent=models.F("opdateret"))
    Pakke.objects.exclude(status="queued").update(started=models.F("opdateret"))


def to_old_statuses(apps, schema_editor):
    Pakke = apps.get_model("helhedsplaner", "Pakke")
    Pakkeeksport = apps.get_model("helhedsplaner", "Pakkeeksport")
    for old, new in STATUSES.items():
        Pakke.objects.filter(status=new).update(status=old)
        Pakkeeksport.objects.filter(status=new).update(status=old)
    Pakke.objects.update(opdateret=Coalesce("started", "sent", "created"))


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0010_packs_and_exports_are_jobs"),
    ]

    operations = [
        migrations.RunPython(to_job_statuses, to_old_statuses),
    ]
