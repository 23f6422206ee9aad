from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tutti.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from tutti.accounts import audit_trail

        audit_trail.connect()
