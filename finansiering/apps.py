from django.apps import AppConfig


class FinansieringConfig(AppConfig):
    name = "finansiering"
    verbose_name = "Finansiering"
