"""The demo: the three real hubs of our source material, on their real schools.

Hubs, clusters and coordinators are as their public pages give them (shared/sources). Schools are
the register's open schools in each hub's local authorities. What the sources do not say is filled
in plainly and said so: which schools form each Wiltshire cluster (we group them by postcode
district), Cambridgeshire's clusters (one per district, coordinators vacant) and every email
address (all at example.org).
"""

import csv
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tutti.accounts.models import Membership, Role, User
from tutti.clusters.models import Cluster, ClusterMember
from tutti.core.maps import authority_districts, district_at, district_names
from tutti.demo.competitions import load_competitions
from tutti.demo.cpd import load_cpd
from tutti.demo.events import load_events
from tutti.demo.loans import load_loans
from tutti.demo.networks import load_networks
from tutti.demo.newsletters import load_newsletters
from tutti.demo.participation import demo_years, load_participation
from tutti.demo.programmes import load_programmes
from tutti.demo.provision import load_provision
from tutti.demo.transition import load_transition
from tutti.directory.models import (
    Expertise,
    Hub,
    LocalAuthority,
    Organisation,
    OrganisationKind,
    PartnerCommitments,
    Partnership,
    PartnershipStatus,
)
from tutti.directory.postcodes import postcode_district
from tutti.directory.register import register_import

DATA_DIR = settings.BASE_DIR / "data"
DEMO_PASSWORD = "tutti-demo"  # noqa: S105 - printed for people trying the demo


class HubSpec(TypedDict):
    slug: str
    name: str
    website: str
    las: list[str]  # DfE codes of its local authorities
    description: str


HUBS: list[HubSpec] = [
    {
        "slug": "wiltshire",
        "name": "Wiltshire Music Connect",
        "website": "https://www.wiltshiremusicconnect.org.uk/",
        "las": ["865"],
        "description": (
            "Wiltshire Music Connect works with schools and music providers to develop 12 "
            "Musical Clusters across the county: mini hubs that bring together musical "
            "communities at a more local level."
        ),
    },
    {
        "slug": "cambridgeshire",
        "name": "Cambridgeshire Music",
        "website": "https://www.cambridgeshiremusic.org.uk/",
        "las": ["873"],
        "description": (
            "Cambridgeshire Music, as a Music Education Hub, works with over 250 partners "
            "across different sectors in the county who have a strategic interest in music "
            "education."
        ),
    },
    {
        "slug": "the-music-partnership",
        "name": "The Music Partnership",
        "website": "",
        "las": ["860", "861", "894"],
        "description": (
            "A group of the region's leading quality music education providers, committed to "
            "working together to ensure all young people have the opportunity to sing, learn "
            "an instrument and perform as part of an ensemble or choir. Covering Staffordshire, "
            "Stoke-on-Trent and Telford & Wrekin."
        ),
    },
]

# Wiltshire's 12 musical clusters and coordinators, as Wiltshire Music Connect lists them.
# `outcodes` is our grouping of schools for the demo: the hub keeps the real lists.
WILTSHIRE_CLUSTERS = [
    ("Amesbury area", None, ["SP4", "SP9", "SP11"]),
    ("Bradford on Avon & Corsham", "Jenny Knight", ["BA15", "SN13"]),
    ("Calne and Melksham", "Emily Malcolm", ["SN11", "SN12"]),
    ("Chippenham", "Jacki Pattenden", ["SN14", "SN15"]),
    ("Devizes area", "Emily Malcolm", ["SN10"]),
    ("Downton area", "Sandra Ball", ["SP5", "SP6"]),
    ("Marlborough & Pewsey", "Max Moore", ["SN8", "SN9", "RG17"]),
    ("Mere and Tisbury", "Mark James", ["SP3", "SP7", "SP8", "BA12 6"]),
    ("Royal Wootton Bassett / Purton / Malmesbury", "Helen Fudge", ["SN4", "SN5", "SN6", "SN16"]),
    ("Salisbury & Wilton", None, ["SP1", "SP2"]),
    ("Trowbridge (CSL schools)", "Marie Negus", ["BA14"]),
    ("Warminster & Westbury", "Marie Negus", ["BA12", "BA13"]),
]

# From Cambridgeshire Music's page on what its hub partners commit to.
CAMBRIDGESHIRE_COMMITMENTS = """Our hub partners commit to:
- Maintaining the partnership's expected standards in all music education activities, and the \
quality assurance process of partnership-supported activity
- Contributing positively and constructively to the Hub audit, needs analysis and work stream \
discussions
- Actively and positively promoting and signposting our work to their own local and national \
networks
- Helping the group identify further sources of support
- Providing data and information for evaluation of the activities we deliver and the scope of \
other music education activities not directly supported by the Hub
- Working together to build successful partnerships and avoid potential duplication or \
conflicts of interest
- Ensuring delivery of a strong programme which implements the Hub's strategic goals"""

DEFAULT_COMMITMENTS = """Our hub partners commit to:
- Quality assurance of the music education they deliver with the hub
- Taking part in the hub's audit and needs analysis
- Providing data for the evaluation of the hub's work
- Promoting the hub's work to their own networks"""

EXPERTISE = [
    "SEND",
    "Music technology",
    "Early years",
    "Singing and choirs",
    "Hip hop, rap and grime",
    "Songwriting and composition",
    "Orchestral and band",
    "Inclusion",
]

# (hub, kind, name, outcode for its location, expertise, description)
PARTNERS = [
    (
        "wiltshire",
        OrganisationKind.VENUE,
        "Wiltshire Music Centre",
        "BA15",
        ["Orchestral and band", "Singing and choirs"],
        "A concert venue and music education centre; a key provider in Wiltshire's clusters.",
    ),
    (
        "cambridgeshire",
        OrganisationKind.MUSIC_SERVICE,
        "Cambridgeshire Music",
        "CB1",
        ["Music technology", "Inclusion", "Orchestral and band"],
        "The county's music service and lead organisation of the hub: First Access, singing, "
        "instrument loans, progression and CPD for music leaders.",
    ),
    (
        "cambridgeshire",
        OrganisationKind.BRIDGE,
        "Norfolk and Norwich Festival",
        "NR2",
        [],
        "A Bridge organisation in the region, working with hubs on jointly commissioned projects.",
    ),
    (
        "cambridgeshire",
        OrganisationKind.BRIDGE,
        "Royal Opera House",
        "WC2E",
        [],
        "A Bridge organisation in the region.",
    ),
    (
        "the-music-partnership",
        OrganisationKind.MUSIC_SERVICE,
        "Entrust Music Service Staffordshire",
        "ST16",
        ["Early years", "Singing and choirs", "Orchestral and band"],
        "One of the three music services of The Music Partnership; runs the Soundpots early "
        "years programme.",
    ),
    (
        "the-music-partnership",
        OrganisationKind.MUSIC_SERVICE,
        "Stoke-on-Trent Music Service",
        "ST4",
        ["Hip hop, rap and grime", "Songwriting and composition"],
        "One of the three music services of The Music Partnership.",
    ),
    (
        "the-music-partnership",
        OrganisationKind.MUSIC_SERVICE,
        "Telford & Wrekin Music Service",
        "TF3",
        ["SEND", "Inclusion"],
        "One of the three music services of The Music Partnership.",
    ),
]


@dataclass
class DemoLogin:
    email: str
    role: str


def _outcode_positions() -> dict[str, tuple[float, float]]:
    with open(DATA_DIR / "postcode_districts_uk.csv", encoding="utf-8") as f:
        return {
            row["Postcode"]: (float(row["Latitude"]), float(row["Longitude"]))
            for row in csv.DictReader(f)
            if row["Latitude"]
        }


def demo_is_loaded() -> bool:
    return (
        Hub.objects.filter(slug="wiltshire").exists()
        and Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__code="865"
        ).exists()
    )


def _user(email: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email, "first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    # A verified address, as an invited person has, so the demo shows email changes as they are.
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _member(hub: Hub, user: User, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(hub=hub, user=user, defaults={"role": role})
    return membership


def _cluster_for_postcode(postcode: str, rules: list[tuple[str, Cluster]]) -> Cluster | None:
    """The cluster of the longest matching rule: "BA12 6" (Mere) beats "BA12" (Warminster).

    A rule with a space matches the start of the postcode; one without matches the outcode.
    """
    postcode = postcode.upper().strip()
    outcode = postcode.split(" ")[0]
    matches = [
        (len(prefix), cluster)
        for prefix, cluster in rules
        if (postcode.startswith(prefix) if " " in prefix else outcode == prefix)
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def _nearest(
    latitude: float, longitude: float, centres: dict[int, tuple[float, float, Cluster]]
) -> Cluster:
    def distance(item: tuple[float, float, Cluster]) -> float:
        lat, lon, _ = item
        return math.hypot((latitude - lat), (longitude - lon) * math.cos(math.radians(lat)))

    return min(centres.values(), key=distance)[2]


def _assign_wiltshire(hub: Hub, clusters: dict[str, Cluster], schools: list[Organisation]) -> None:
    rules = [
        (prefix, clusters[name]) for name, _, prefixes in WILTSHIRE_CLUSTERS for prefix in prefixes
    ]
    assigned: dict[int, Cluster] = {}
    unplaced = []
    for school in schools:
        cluster = _cluster_for_postcode(school.postcode, rules)
        if cluster:
            assigned[school.pk] = cluster
        else:
            unplaced.append(school)
    # Schools in an outcode we did not list join the cluster whose schools are nearest on average.
    points = defaultdict(list)
    by_pk = {s.pk: s for s in schools}
    for pk, cluster in assigned.items():
        school = by_pk[pk]
        if school.latitude is not None and school.longitude is not None:
            points[cluster.pk].append((school.latitude, school.longitude, cluster))
    centres = {
        pk: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts), pts[0][2])
        for pk, pts in points.items()
    }
    for school in unplaced:
        if school.latitude is not None and school.longitude is not None and centres:
            assigned[school.pk] = _nearest(school.latitude, school.longitude, centres)
    ClusterMember.objects.bulk_create(
        [ClusterMember(cluster=c, organisation_id=pk) for pk, c in assigned.items()]
    )


def _assign_by_district(hub: Hub, la: LocalAuthority, schools: list[Organisation]) -> None:
    names = district_names()
    # A county's group of codes holds its own code too, which has no district boundary: only
    # the districts drawn in the boundary file can hold schools.
    districts = sorted(code for code in authority_districts(la.gss_code) if code in names)
    clusters = {}
    for code in districts:
        name = names.get(code, code)
        clusters[code] = Cluster.objects.create(
            hub=hub,
            name=f"{name} schools",
            slug=slugify(f"{name} schools"),
            area=name,
            contact_email=f"{slugify(name)}-cluster@example.org",
            description=f"The schools of {name}, a starting point for a musical cluster.",
        )
    members = []
    for school in schools:
        if school.latitude is not None and school.longitude is not None:
            district = district_at(school.longitude, school.latitude, districts)
            if district:
                members.append(ClusterMember(cluster=clusters[district], organisation=school))
    ClusterMember.objects.bulk_create(members)


def load_demo(*, echo: Callable[[str], None] = print) -> list[DemoLogin]:
    """Load the demo hubs. Safe to run again: it does nothing when the demo is there."""
    if demo_is_loaded():
        echo("Demo data is already loaded.")
        return demo_logins()

    la_codes = {code for hub in HUBS for code in hub["las"]}
    with open(DATA_DIR / "england_schools_2026-06.csv", "rb") as f:
        report = register_import(data=f.read(), la_codes=la_codes)
    if not report.ok:
        raise RuntimeError(f"The shipped register did not import: {report.errors[:5]}")
    echo(f"Imported {report.created + report.updated} schools from the national register.")
    # The register has no numbers of pupils: they come from the January 2023 school census,
    # joined to today's schools (a new academy takes the count of the school it replaced).
    with open(DATA_DIR / "england_schools_2026-06_pupils.csv", "rb") as f:
        census = register_import(data=f.read())
    if not census.ok:
        raise RuntimeError(f"The shipped pupil numbers did not import: {census.errors[:5]}")
    echo(f"Added numbers of pupils from the school census: {census.summary}")

    with transaction.atomic():
        _load_hubs_and_people(echo)
    return demo_logins()


def _load_hubs_and_people(echo: Callable[[str], None]) -> None:
    positions = _outcode_positions()
    hubs = {}
    for spec in HUBS:
        hub, _ = Hub.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "website": spec["website"],
                "description": spec["description"],
                "contact_email": f"{spec['slug']}@example.org",
            },
        )
        hub.local_authorities.set(LocalAuthority.objects.filter(code__in=spec["las"]))
        text = (
            CAMBRIDGESHIRE_COMMITMENTS if spec["slug"] == "cambridgeshire" else DEFAULT_COMMITMENTS
        )
        PartnerCommitments.objects.get_or_create(hub=hub, version=1, defaults={"text": text})
        hubs[spec["slug"]] = hub

    expertise = {
        name: Expertise.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in EXPERTISE
    }
    organisations = {}
    for hub_slug, kind, name, outcode, skills, description in PARTNERS:
        lat, lon = positions.get(outcode, (None, None))
        district = postcode_district(outcode)
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            kind=kind,
            defaults={
                "postcode": outcode,
                # The post town of its postcode district: the demo knows no street address.
                "town": district.town if district else "",
                "latitude": lat,
                "longitude": lon,
                "description": description,
            },
        )
        organisation.expertise.set([expertise[s] for s in skills])
        commitments = hubs[hub_slug].commitments.get(version=1)
        Partnership.objects.get_or_create(
            hub=hubs[hub_slug],
            organisation=organisation,
            defaults={
                "status": PartnershipStatus.ACTIVE,
                # From the first year the demo has their records for.
                "since": timezone.localdate().replace(month=9, day=1, year=demo_years()[0]),
                "commitments_accepted": commitments,
                "commitments_accepted_at": timezone.now(),
            },
        )
        organisations[name] = organisation

    # People. Coordinators are real people named on the hub's page: their accounts use
    # example.org addresses, never invented real contact details.
    admin = _user("admin@example.org", "Site", "Administrator", is_staff=True, is_superuser=True)
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    for slug, hub in hubs.items():
        short = slug.split("-")[-1] if slug != "the-music-partnership" else "tmp"
        _member(hub, _user(f"{short}.admin@example.org", hub.name, "Admin"), Role.HUB_ADMIN)
        _member(hub, _user(f"{short}.staff@example.org", hub.name, "Staff"), Role.HUB_STAFF)
    partner_staff = [
        ("wiltshire", "Wiltshire Music Centre", "centre.staff@example.org", "Centre", "Staff"),
        (
            "the-music-partnership",
            "Entrust Music Service Staffordshire",
            "entrust.staff@example.org",
            "Entrust",
            "Staff",
        ),
    ]
    for hub_slug, org_name, email, first, last in partner_staff:
        membership = _member(hubs[hub_slug], _user(email, first, last), Role.PARTNER_STAFF)
        membership.organisations.add(organisations[org_name])

    wiltshire = hubs["wiltshire"]
    clusters = {}
    for name, coordinator_name, _ in WILTSHIRE_CLUSTERS:
        coordinator = None
        if coordinator_name:
            first, last = coordinator_name.split(" ", 1)
            coordinator = _user(f"{first}.{last}@example.org".lower(), first, last)
            _member(wiltshire, coordinator, Role.COORDINATOR)
        clusters[name] = Cluster.objects.create(
            hub=wiltshire,
            name=name,
            slug=slugify(name),
            coordinator=coordinator,
            contact_email=f"{slugify(name)}@example.org",
            area=name,
        )
    wiltshire_schools = list(
        Organisation.objects.filter(kind=OrganisationKind.SCHOOL, local_authority__code="865")
    )
    _assign_wiltshire(wiltshire, clusters, wiltshire_schools)
    ClusterMember.objects.create(
        cluster=clusters["Bradford on Avon & Corsham"],
        organisation=organisations["Wiltshire Music Centre"],
    )

    cambridgeshire = hubs["cambridgeshire"]
    la = LocalAuthority.objects.get(code="873")
    _assign_by_district(
        cambridgeshire,
        la,
        list(Organisation.objects.filter(kind=OrganisationKind.SCHOOL, local_authority=la)),
    )
    load_events(hubs)
    load_provision(hubs, timezone.localdate())
    load_participation(hubs)
    load_transition(hubs)
    load_loans(hubs)
    load_networks(hubs)
    load_newsletters(hubs)
    load_programmes(hubs)
    load_competitions(hubs, echo)
    load_cpd(hubs, timezone.localdate())
    echo("Loaded the demo hubs: " + ", ".join(h.name for h in hubs.values()) + ".")


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("admin@example.org", "Site administrator (Django admin at /admin/)")]
    for membership in (
        Membership.objects.filter(user__email__endswith="@example.org")
        .select_related("hub", "user")
        .order_by("hub__name", "role", "user__email")
    ):
        logins.append(
            DemoLogin(membership.user.email, f"{membership.get_role_display()}, {membership.hub}")
        )
    return logins
