from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "tutti.clusters"
    label = "clusters"
    verbose_name = "Clusters"
