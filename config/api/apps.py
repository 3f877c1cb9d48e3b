from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only REST API's plumbing: personal tokens, their authentication, paging and throttling. The
    serializers and views live beside what they show, in each app's api.py."""

    name = "config.api"
    label = "api"
    verbose_name = "API"
