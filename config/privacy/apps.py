from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "config.privacy"
    label = "privacy"
    verbose_name = "Databeskyttelse"
