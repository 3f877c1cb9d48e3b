from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Afdelinger og screening"

    def ready(self):
        # Connects the receivers that mark stored screening results stale.
        from screening import results  # noqa: F401
