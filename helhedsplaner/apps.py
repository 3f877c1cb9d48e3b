from django.apps import AppConfig


class HelhedsplanerConfig(AppConfig):
    name = "helhedsplaner"
    verbose_name = "Helhedsplaner"

    def ready(self):
        # The staff start page reads the reminders kept: a change to a row they are read from forgets them.
        from helhedsplaner import reminders

        reminders.KEPT.until_changed(*reminders.KEPT_FROM)
