from django.core.management.base import BaseCommand, CommandError

from config.web.tabular import GuardedCsvWriter
from screening import assessment, forecast, official_lists
from screening.models import Afdeling, Boligomraade, Screeningsrunde


def number(value):
    """A figure as the CSV writes it: the number itself (a negative one is no formula), or blank."""
    return "" if value is None else value


class Command(BaseCommand):
    help = (
        "Skriv en rundes resultat som CSV på standard-output. --niveau omraade: boligomraade, "
        "klassifikation, kriterier (de opfyldte bogstaver, fx A,C), tallene bag og den officielle liste "
        "for året, hvis den er indlæst (med --prognose også klassifikation og kriterier efter prognosen for "
        "næste år); --niveau afdeling: "
        "afdelingernes risikoscore og foreslåede indsats."
    )

    def add_arguments(self, parser):
        parser.add_argument("--aar", type=int, required=True)
        parser.add_argument("--niveau", choices=["omraade", "afdeling"], default="omraade")
        parser.add_argument(
            "--prognose",
            action="store_true",
            help="Tilføj klassifikation og kriterier efter prognosen for næste år (kun --niveau omraade).",
        )

    def handle(self, *args, aar, niveau, prognose=False, **options):
        runde = Screeningsrunde.objects.select_related("regelsaet").filter(aar=aar).first()
        if runde is None:
            raise CommandError(f"Der findes ingen screening for {aar}.")
        if prognose:
            self.check_forecast(runde, niveau)
        data = assessment.load(runde)
        writer = GuardedCsvWriter(self.stdout, lineterminator="\n")
        if niveau == "omraade":
            self.write_areas(writer, data, prognose)
        else:
            self.write_afdelinger(writer, data)

    def check_forecast(self, runde, niveau):
        if niveau != "omraade":
            raise CommandError("--prognose gælder kun --niveau omraade.")
        first = runde.aar - forecast.MAX_ROUNDS + 1
        rounds = Screeningsrunde.objects.filter(aar__gte=first, aar__lte=runde.aar).count()
        if rounds < forecast.MIN_ROUNDS:
            raise CommandError(
                f"En prognose kræver tal fra mindst {forecast.MIN_ROUNDS} runder; der er {rounds} "
                f"i årene {first}-{runde.aar}."
            )

    def write_areas(self, writer, data, prognose):
        writer.writerow(
            [
                "boligomraade",
                "klassifikation",
                "kriterier",
                "regelsaet",
                *assessment.OFFICIAL_CODES,
                "beregnet",
                "officiel_klassifikation",
                *(["prognose_klassifikation", "prognose_kriterier"] if prognose else []),
            ]
        )
        official = official_lists.classes_in_year(data.runde.aar)
        for area in Boligomraade.objects.order_by("navn"):
            result = assessment.area_result(data, area.pk)
            if result.classification is None:
                continue
            classification = result.classification
            values = [
                number(result.values[c].value) if c in result.values else ""
                for c in assessment.OFFICIAL_CODES
            ]
            forecast_columns = []
            if prognose:
                projection, _ = assessment.area_forecast(result, data.runde)
                projected = projection.classification if projection else None
                forecast_columns = [
                    projected.klassifikation if projected else "",
                    ",".join(projected.kriterier) if projected else "",
                ]
            computed = ",".join(
                c for c in assessment.OFFICIAL_CODES if c in result.values and result.values[c].beregnet
            )
            writer.writerow(
                [
                    area.navn,
                    classification.klassifikation,
                    ",".join(classification.kriterier),
                    classification.rule_set.kode,
                    *values,
                    computed,
                    "" if official is None else official.get(area.pk, official_lists.NOT_LISTED),
                    *forecast_columns,
                ]
            )

    def write_afdelinger(self, writer, data):
        codes = list(data.indicators)
        writer.writerow(
            [
                "organisation",
                "afdeling_nr",
                "navn",
                "boligomraade",
                "klassifikation",
                "risikoscore",
                "forslag",
                *codes,
            ]
        )
        afdelinger = Afdeling.objects.select_related("organisation", "boligomraade").order_by(
            "organisation__navn", "nummer"
        )
        for result in assessment.afdeling_results(data, list(afdelinger)):
            if not result.has_data:
                continue
            afdeling = result.afdeling
            writer.writerow(
                [
                    afdeling.organisation.navn,
                    afdeling.nummer,
                    afdeling.navn,
                    afdeling.boligomraade.navn if afdeling.boligomraade else "",
                    result.klassifikation,
                    number(result.risk.score if result.risk else None),
                    result.suggestion.kode if result.suggestion else "",
                    *[number(result.values.get(code)) for code in codes],
                ]
            )
