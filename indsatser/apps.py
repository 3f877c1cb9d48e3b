from django.apps import AppConfig


class IndsatserConfig(AppConfig):
    name = "indsatser"
    verbose_name = "Indsatser"
