import factory

from tutti.clusters.models import Cluster, ClusterMember


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    area = "Somewhere"
    contact_email = factory.Sequence(lambda n: f"cluster{n}@example.org")


class ClusterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMember
