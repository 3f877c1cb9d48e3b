"""Render an application pack or a screening report synchronously, as the background jobs do."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finansiering import queries as budget_queries
from helhedsplaner.models import Helhedsplan, Pakke
from helhedsplaner.packs import documents
from screening.models import Screeningsrunde
from screening.queries import scenario_rule_sets


class Command(BaseCommand):
    help = (
        "Lav en ansøgningspakke som PDF: render_pack PLAN_ID PAKKETYPE --out FIL.pdf [--afdeling ID] "
        "(årsrapporten med --aar ÅR), "
        "eller en screeningsrapport: render_pack --screening ÅR --out FIL.pdf [--scenarie REGELSÆT]"
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, nargs="?")
        parser.add_argument("pack_type", nargs="?", choices=Pakke.PLAN_TYPES)
        parser.add_argument("--out", required=True)
        parser.add_argument("--afdeling", type=int, help="afdelingens id (kun afdelingsmoede)")
        parser.add_argument(
            "--aar", type=int, metavar="ÅR", help="året, årsrapporten gælder (kun aarsrapport)"
        )
        parser.add_argument("--screening", type=int, metavar="ÅR", help="screeningsrapporten for årets runde")
        parser.add_argument(
            "--scenarie",
            metavar="REGELSÆT",
            help="screeningsrapporten efter et andet regelsæt (dets kode), fx 2021-uden-ikke-vestlige",
        )

    def handle(
        self, plan_id, pack_type, out, afdeling=None, aar=None, screening=None, scenarie=None, **options
    ):
        if scenarie is not None and screening is None:
            raise CommandError("--scenarie gælder kun --screening.")
        if screening is not None:
            if plan_id is not None or pack_type is not None or afdeling is not None or aar is not None:
                raise CommandError("--screening tager ingen plan, pakketype, afdeling eller år.")
            runde = self._round(screening)
            scenario = self._scenario(runde, scenarie) if scenarie else None
            rendered, _version = documents.render_screening(runde, scenario=scenario)
        elif plan_id is None or pack_type is None:
            raise CommandError("Angiv PLAN_ID og PAKKETYPE, eller --screening ÅR.")
        else:
            rendered, _version = self._plan_pack(plan_id, pack_type, afdeling, aar)
        Path(out).write_bytes(rendered.content)
        self.stdout.write(
            f"{out}: {rendered.pages} sider, {len(rendered.content)} bytes, sha256 {rendered.sha256}"
        )

    def _round(self, aar):
        runde = Screeningsrunde.objects.select_related("regelsaet").filter(aar=aar).first()
        if runde is None:
            raise CommandError(f"Der findes ingen screeningsrunde for {aar}.")
        return runde

    def _scenario(self, runde, kode):
        scenario = scenario_rule_sets(runde).filter(kode=kode).first()
        if scenario is None:
            known = ", ".join(scenario_rule_sets(runde).values_list("kode", flat=True))
            raise CommandError(
                f"Regelsættet {kode} kan ikke bruges som scenarie for {runde.aar} (kendte: {known})."
            )
        return scenario

    def _plan_pack(self, plan_id, pack_type, afdeling, aar):
        plan = Helhedsplan.objects.select_related("indsats").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"Helhedsplan {plan_id} findes ikke.")
        if (aar is None) == (pack_type == Pakke.Type.AARSRAPPORT):
            raise CommandError("--aar skal angives for en årsrapport og kun for den.")
        if aar is not None and aar not in budget_queries.period_years(plan.indsats):
            raise CommandError(f"{aar} ligger uden for planens periode.")
        chosen = None
        if pack_type == Pakke.Type.AFDELINGSMOEDE:
            afdelinger = plan.indsats.afdelinger.all()
            chosen = afdelinger.filter(pk=afdeling).first() if afdeling else documents.default_afdeling(plan)
            if chosen is None:
                raise CommandError("Planen har ingen sådan afdeling.")
        return documents.render(plan, pack_type, chosen, aar=aar)
