from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tutti.accounts"
    label = "accounts"
    verbose_name = "Accounts"
