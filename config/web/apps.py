from django.apps import AppConfig


class WebConfig(AppConfig):
    """An app only so that it can hold template tags every app loads."""

    name = "config.web"
    label = "web"
