from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "tutti.participation"
    label = "participation"
    verbose_name = "Participation"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.participation.models import ParticipationRecord, Publication

        # What public pages show (tutti/core/page_cache.py): the published figures, which are
        # counted from the records, so a corrected record changes them.
        watch(Publication)
        for kind in ParticipationRecord.__subclasses__():
            watch(kind)
