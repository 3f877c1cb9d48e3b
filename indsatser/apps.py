from django.apps import AppConfig


class IndsatserConfig(AppConfig):
    name = "indsatser"
    verbose_name = "Indsatser"

    def ready(self):
        # The activity and goal forms draw their drop-downs from the lists screening.options keeps: a change
        # to the rows behind them starts a new version of the kept lists.
        from indsatser.models import Aktivitetstype, Bymaal, Indikator, Indsatsomraade, Partner
        from screening import options

        options.LISTS.until_changed(Aktivitetstype, Bymaal, Indikator, Indsatsomraade, Partner)
