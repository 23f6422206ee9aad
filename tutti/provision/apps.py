from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "tutti.provision"
    label = "provision"
    verbose_name = "Provision audit"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.provision.models import Network, SchoolAudit, WorkingGroup

        # What public pages show (tutti/core/page_cache.py): the gap map reads the audits.
        # A network spans hubs, so a change to one is every hub's.
        watch(SchoolAudit)
        watch(Network, lambda _: None)
        watch(WorkingGroup, lambda _: None)
