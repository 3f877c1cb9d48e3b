from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from finansiering import demo as finansiering_demo
from helhedsplaner import aendring_demo
from helhedsplaner import demo as helhedsplaner_demo
from indsatser import demo as indsatser_demo
from screening import demo as screening_demo


class Command(BaseCommand):
    help = "Indlæs demodata (fiktive afdelinger, brugere og planer). Kan køres flere gange."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kør også når DEBUG er slået fra (sætter kendte adgangskoder!)",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo opretter brugere med adgangskoden 'demo' og nægter at køre, "
                "når DEBUG er slået fra. Brug --force, hvis det virkelig er meningen."
            )
        with transaction.atomic():
            afdelinger = screening_demo.seed_afdelinger()
            screening_demo.seed_users(afdelinger)
            screening_demo.seed_screening(afdelinger)
            screening_demo.seed_official_lists()
            indsatser_demo.seed_indsatser()
            helhedsplaner_demo.seed_helhedsplaner()
            finansiering_demo.seed_budgets()
            aendring_demo.seed_aendringer()
        self.stdout.write(self.style.SUCCESS(f"Demodata er klar: {len(afdelinger)} afdelinger."))
        self.stdout.write("Demo-logins (adgangskode: demo):")
        for username, first, last, role in screening_demo.DEMO_USERS:
            self.stdout.write(f"  {username:<12} {first} {last} ({role})")
