from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "tutti.events"
    label = "events"
    verbose_name = "What's On"

    def ready(self) -> None:
        from tutti.events import signals  # noqa: F401
