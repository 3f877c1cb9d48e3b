"""Render an application pack synchronously, with the same rendering the background jobs use."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helhedsplaner import packs
from helhedsplaner.models import Helhedsplan, Pakke


class Command(BaseCommand):
    help = "Lav en ansøgningspakke som PDF: render_pack PLAN_ID PAKKETYPE --out FIL.pdf"

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("pack_type", choices=Pakke.Type.values)
        parser.add_argument("--out", required=True)
        parser.add_argument("--afdeling", type=int, help="afdelingens id (kun afdelingsmoede)")

    def handle(self, plan_id, pack_type, out, afdeling=None, **options):
        plan = Helhedsplan.objects.select_related("indsats").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"Helhedsplan {plan_id} findes ikke.")
        chosen = None
        if pack_type == Pakke.Type.AFDELINGSMOEDE:
            afdelinger = plan.indsats.afdelinger.all()
            chosen = afdelinger.filter(pk=afdeling).first() if afdeling else packs.default_afdeling(plan)
            if chosen is None:
                raise CommandError("Planen har ingen sådan afdeling.")
        rendered, _version = packs.render(plan, pack_type, chosen)
        Path(out).write_bytes(rendered.content)
        self.stdout.write(
            f"{out}: {rendered.pages} sider, {len(rendered.content)} bytes, sha256 {rendered.sha256}"
        )
