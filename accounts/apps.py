from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Brugerkonti og totrinslogin"

    def ready(self):
        # Connects the receiver that makes every new login owe its second factor again.
        from accounts import second_factor  # noqa: F401
