from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tutti.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.directory.models import (
            Expertise,
            Hub,
            LocalAuthority,
            Organisation,
            PartnerCommitments,
            Partnership,
        )

        # What public pages show (tutti/core/page_cache.py). Schools and local authorities
        # are national: a change is every hub's.
        watch(Hub, lambda hub: hub.pk)
        watch(Partnership)
        watch(PartnerCommitments)
        for national in (Organisation, LocalAuthority, Expertise):
            watch(national, lambda _: None)
