from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.web.kept import Kept


class Command(BaseCommand):
    help = (
        "Glem alle værdier, der holdes i den delte cache (rullelister, påmindelser, screeningstal): efter at "
        "databasen er læst tilbage fra en sikkerhedskopi eller ændret uden om applikationen."
    )

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            # Without Redis each process keeps its own values in its memory, out of this command's reach.
            raise CommandError("Uden REDIS_URL holder hver proces sine egne værdier: genstart serveren.")
        for kept in Kept.every:
            kept.new_version()
        if Kept.owed:
            raise CommandError("Cachen (Redis) svarer ikke; intet er glemt.")
        self.stdout.write(f"Glemt: {', '.join(kept.name for kept in Kept.every)}.")
