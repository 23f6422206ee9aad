from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "tutti.clusters"
    label = "clusters"
    verbose_name = "Clusters"

    def ready(self) -> None:
        from tutti.clusters.models import Cluster, ClusterMember
        from tutti.core.page_cache import watch

        # What public pages show (tutti/core/page_cache.py).
        watch(Cluster)
        watch(ClusterMember, lambda member: member.cluster.hub_id)
