from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Afdelinger og screening"

    def ready(self):
        # Connects the receivers that mark stored screening results stale and drop kept drop-down lists, and
        # the one that marks a session renewed when its user logs in.
        from config import sessions  # noqa: F401
        from screening import options, results  # noqa: F401
