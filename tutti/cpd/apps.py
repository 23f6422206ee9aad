from django.apps import AppConfig


class CpdConfig(AppConfig):
    name = "tutti.cpd"
    label = "cpd"
    verbose_name = "CPD networks"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.cpd.models import DaySession, NetworkDay

        # The hub's public networks page lists each network's days and their programme.
        watch(NetworkDay, lambda day: day.network.hub_id)
        watch(DaySession, lambda item: item.day.network.hub_id)
