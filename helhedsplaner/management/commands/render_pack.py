"""Render an application pack or a screening report synchronously, as the background jobs do."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helhedsplaner.models import Helhedsplan, Pakke
from helhedsplaner.packs import documents
from screening.models import Screeningsrunde


class Command(BaseCommand):
    help = (
        "Lav en ansøgningspakke som PDF: render_pack PLAN_ID PAKKETYPE --out FIL.pdf [--afdeling ID], "
        "eller en screeningsrapport: render_pack --screening ÅR --out FIL.pdf"
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, nargs="?")
        parser.add_argument("pack_type", nargs="?", choices=Pakke.PLAN_TYPES)
        parser.add_argument("--out", required=True)
        parser.add_argument("--afdeling", type=int, help="afdelingens id (kun afdelingsmoede)")
        parser.add_argument("--screening", type=int, metavar="ÅR", help="screeningsrapporten for årets runde")

    def handle(self, plan_id, pack_type, out, afdeling=None, screening=None, **options):
        if screening is not None:
            if plan_id is not None or pack_type is not None or afdeling is not None:
                raise CommandError("--screening tager ingen plan, pakketype eller afdeling.")
            rendered, _version = documents.render_screening(self._round(screening))
        elif plan_id is None or pack_type is None:
            raise CommandError("Angiv PLAN_ID og PAKKETYPE, eller --screening ÅR.")
        else:
            rendered, _version = self._plan_pack(plan_id, pack_type, afdeling)
        Path(out).write_bytes(rendered.content)
        self.stdout.write(
            f"{out}: {rendered.pages} sider, {len(rendered.content)} bytes, sha256 {rendered.sha256}"
        )

    def _round(self, aar):
        runde = Screeningsrunde.objects.select_related("regelsaet").filter(aar=aar).first()
        if runde is None:
            raise CommandError(f"Der findes ingen screeningsrunde for {aar}.")
        return runde

    def _plan_pack(self, plan_id, pack_type, afdeling):
        plan = Helhedsplan.objects.select_related("indsats").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"Helhedsplan {plan_id} findes ikke.")
        chosen = None
        if pack_type == Pakke.Type.AFDELINGSMOEDE:
            afdelinger = plan.indsats.afdelinger.all()
            chosen = afdelinger.filter(pk=afdeling).first() if afdeling else documents.default_afdeling(plan)
            if chosen is None:
                raise CommandError("Planen har ingen sådan afdeling.")
        return documents.render(plan, pack_type, chosen)
