from django.apps import AppConfig


class FinansieringConfig(AppConfig):
    name = "finansiering"
    verbose_name = "Finansiering"

    def ready(self):
        # The budget and regnskab tables lay themselves out by the cost types screening.options keeps: a
        # change to a cost type starts a new version of the kept lists.
        from finansiering.models import Omkostningstype
        from screening import options

        options.LISTS.until_changed(Omkostningstype)
