from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "config.accounts"
    label = "accounts"
    verbose_name = "Brugerkonti og totrinslogin"

    def ready(self):
        # Connects the receiver that makes every new login owe its second factor again.
        from config.accounts import second_factor  # noqa: F401
