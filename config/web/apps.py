from django.apps import AppConfig


class WebConfig(AppConfig):
    """An app so that it can hold the template tags every app loads and the access log (models.py)."""

    name = "config.web"
    label = "web"
