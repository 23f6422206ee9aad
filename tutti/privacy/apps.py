from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "tutti.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Each app that keeps personal data registers its retention rule in its own
        # retention.py (see tutti/privacy/retention.py); importing them fills the registry.
        autodiscover_modules("retention")
