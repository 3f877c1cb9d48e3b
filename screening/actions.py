"""Every change the screening pages make, in one place: the afdeling register, a staff decision on a
screening's suggestion, a round made final, and a screening import sent to the background.

Each runs in one transaction and records who acted in the rows' history (django-simple-history is
screening's record); the import's task is sent only after its job row is committed. The imports
themselves (afdeling_import, screening_import) check a whole file first and write it in one transaction.
"""

from django.db import transaction
from django.utils import timezone

from config.web import jobs
from screening.models import Afdeling, Screeningsimport, Screeningsrunde, Vurdering


def save_afdeling(form, *, acting_user) -> Afdeling:
    """Create or change an afdeling from the validated AfdelingForm."""
    with transaction.atomic():
        afdeling = form.save(commit=False)
        afdeling._history_user = acting_user
        afdeling.save()
        form.save_m2m()
    return afdeling


def decide_vurdering(runde, afdeling, suggestion, risk, cleaned, *, acting_user) -> Vurdering:
    """Staff confirm or overrule the round's suggested type of indsats for the afdeling, with a reason."""
    confirmed = cleaned["beslutning"] == Vurdering.Beslutning.BEKRAEFTET
    with transaction.atomic():
        vurdering = Vurdering.objects.select_for_update().filter(runde=runde, afdeling=afdeling).first()
        vurdering = vurdering or Vurdering(runde=runde, afdeling=afdeling)
        vurdering.foreslaaet_type = suggestion.kode
        vurdering.risikoscore = risk.score if risk else None
        vurdering.beslutning = cleaned["beslutning"]
        vurdering.valgt_type = suggestion.kode if confirmed else cleaned["valgt_type"]
        vurdering.begrundelse = cleaned["begrundelse"].strip()
        vurdering.besluttet_af = acting_user
        vurdering.besluttet = timezone.now()
        vurdering._history_user = acting_user
        vurdering.save()
    return vurdering


def finalize_round(runde: Screeningsrunde, *, acting_user) -> bool:
    """Make the round final: its figures no longer change. False when it already was."""
    with transaction.atomic():
        runde = Screeningsrunde.objects.select_for_update().get(pk=runde.pk)
        if runde.is_final:
            return False
        runde.status = Screeningsrunde.Status.ENDELIG
        runde.afsluttet = timezone.now()
        runde.afsluttet_af = acting_user
        runde._history_user = acting_user
        runde.save(update_fields=["status", "afsluttet", "afsluttet_af"])
    return True


def start_screening_import(upload, aar, national, *, region_income=None, acting_user) -> Screeningsimport:
    """The job row is committed before the task is sent, so a worker always finds it."""
    with transaction.atomic():
        job = Screeningsimport.objects.create(
            aar=aar,
            landsgennemsnit_domfaeldte_pct=national,
            region_gennemsnitsindkomst=region_income,
            filnavn=upload.name[:200],
            indhold=upload.read(),
            oprettet_af=acting_user,
        )
        jobs.send_on_commit(job)
    return job
