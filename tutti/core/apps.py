from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tutti.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from tutti.core import text

        text.install()
