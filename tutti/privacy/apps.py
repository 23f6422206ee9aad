from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tutti.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # The registry of retention rules fills as tutti/privacy/retention.py is imported: it
        # registers each app's rule (an app's own retention.py holds the rule itself).
        from tutti.privacy import retention  # noqa: F401
