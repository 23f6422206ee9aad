from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tutti.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from tutti.accounts import audit_trail
        from tutti.accounts.models import Membership
        from tutti.core.page_cache import watch

        audit_trail.connect()
        # A coordinator's name shows on the public cluster pages (tutti/core/page_cache.py).
        watch(Membership)
