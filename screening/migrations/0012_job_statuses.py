from django.db import migrations, models

# The old status words of screening imports, and the one vocabulary of every background job.
STATUSES = {"i_koe": "queued", "koerer": "running", "faerdig": "done", "fejlet": "failed"}


def to_job(apps, schema_editor):
    Screeningsimport = apps.get_model("screening", "Screeningsimport")
    for old, new in STATUSES.items():
        Screeningsimport.objects.filter(status=old).update(status=new)
    for job in Screeningsimport.objects.defer("indhold").order_by("pk"):
        job.progress = 100 if job.status == "done" else (100 * job.behandlet // job.i_alt if job.i_alt else 0)
        # The result told what went wrong, or (while queued) that the queue did not answer.
        job.sent = None if job.status == "queued" and job.resultat else job.created
        if job.status == "failed":
            job.error, job.resultat = job.resultat, ""
        elif job.status == "queued":
            job.resultat = ""
        job.save(update_fields=["progress", "error", "resultat", "sent"])


def to_old(apps, schema_editor):
    Screeningsimport = apps.get_model("screening", "Screeningsimport")
    for old, new in STATUSES.items():
        Screeningsimport.objects.filter(status=new).update(status=old)
    Screeningsimport.objects.filter(status="fejlet").update(resultat=models.F("error"))
    Screeningsimport.objects.update(behandlet=models.F("progress"), i_alt=100)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0011_screeningsimport_is_a_job"),
    ]

    operations = [
        migrations.RunPython(to_job, to_old),
    ]
