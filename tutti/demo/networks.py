"""The demo's cross-hub network: two demo hubs working together on music for pupils with SEND.

THE NETWORK IS MADE UP FOR THE DEMO. The charities are real ones that such networks work with
(the North East's SEND network names them), but none of them is a partner of these hubs: they
are here to show how a network lists its partners. No people are invented: the steering group's
members are the demo hubs' own admins.
"""

from tutti.accounts.models import Membership, Role
from tutti.clusters.models import Cluster
from tutti.directory.models import Hub, LocalAuthority, Organisation, OrganisationKind
from tutti.provision.models import Network, WorkingGroup

CHARITIES = [
    ("Jessie's Fund", "Music therapy and music-making for children with complex needs."),
    ("Live Music Now", "Professional musicians performing and leading music in special schools."),
    ("Music and the Deaf", "Music-making for deaf children and young people."),
]


def load_networks(hubs: dict[str, Hub]) -> Network:
    members = [hubs["wiltshire"], hubs["cambridgeshire"]]
    network, _ = Network.objects.update_or_create(
        slug="south-west-and-east-send",
        defaults={
            "name": "South West and East SEND network",
            "description": (
                "Wiltshire Music Connect and Cambridgeshire Music, with specialist charities, "
                "mapping and filling the gaps in music for pupils with special educational "
                "needs and disabilities across both counties."
            ),
        },
    )
    network.hubs.set(members)
    partners = []
    for name, description in CHARITIES:
        organisation, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.CHARITY,
            name=name,
            defaults={"description": description, "listed_publicly": False},
        )
        partners.append(organisation)
    network.partners.set(partners)

    steering, _ = WorkingGroup.objects.update_or_create(
        network=network,
        name="Steering group",
        defaults={
            "is_steering": True,
            "focus": "Sets the network's priorities and reports to the member hubs' boards.",
        },
    )
    steering.members.set(
        Membership.objects.filter(hub__in=members, role=Role.HUB_ADMIN).values_list(
            "user", flat=True
        )
    )
    steering.organisations.set(partners)

    wiltshire_send, _ = WorkingGroup.objects.update_or_create(
        network=network,
        name="Special schools in Wiltshire",
        defaults={"focus": "Adaptive instruments and inclusive ensembles in special schools."},
    )
    wiltshire_send.local_authorities.set(LocalAuthority.objects.filter(code="865"))
    wiltshire_send.organisations.set([p for p in partners if p.name == "Live Music Now"])

    fens, _ = WorkingGroup.objects.update_or_create(
        network=network,
        name="Fenland schools",
        defaults={"focus": "Whole-class ensemble teaching where the map shows the fewest schools."},
    )
    fens.clusters.set(Cluster.objects.filter(hub=hubs["cambridgeshire"], name__icontains="fenland"))
    return network
