from django.core.management.base import BaseCommand, CommandError

from config.web.kept import Kept


class Command(BaseCommand):
    help = (
        "Glem alle værdier, der holdes i den delte cache (rullelister, påmindelser, screeningstal): efter at "
        "databasen er læst tilbage fra en sikkerhedskopi eller ændret uden om applikationen."
    )

    def handle(self, *args, **options):
        for kept in Kept.every:
            kept.new_version()
        if Kept.owed:
            raise CommandError("Cachen (Redis) svarer ikke; intet er glemt.")
        self.stdout.write(f"Glemt: {', '.join(kept.name for kept in Kept.every)}.")
