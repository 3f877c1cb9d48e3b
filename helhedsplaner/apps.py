from django.apps import AppConfig


class HelhedsplanerConfig(AppConfig):
    name = "helhedsplaner"
    verbose_name = "Helhedsplaner"
