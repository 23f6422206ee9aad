"""The demo's programme across services: the Changing Tracks music nurture groups pilot.

From the source (shared/sources, the 001 text): Hertfordshire Music Service runs it through its
Changing Tracks programme, funded by Youth Music; 17 named music services each run a group of
three to five pupils in one primary school of their own area, for six months. The lead's
organisation and the 17 services are real; which school each uses is our choice (the register's
first open primary school of the service's local authority with "Primary" in its name, taken from
the shipped register extract and imported here, since the demo otherwise loads only its three
hubs' areas). Every person, pupil, session, score and the narrative are invented, and the
programme's dates are moved to end a fortnight ago so the pilot can be explored as finished.
"""

import csv
import io
import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from tutti.accounts.models import User
from tutti.directory.models import Hub, LocalAuthority, Organisation, OrganisationKind
from tutti.directory.register import register_import
from tutti.programmes import services
from tutti.programmes.models import (
    Attendance,
    OutcomeMeasure,
    Point,
    Programme,
    ProgrammeStatus,
    Pupil,
    ReferralReason,
    Score,
    Session,
    Site,
    SitePerson,
    SiteRole,
)

SLUG = "changing-tracks-music-nurture-groups"
# The 17 services as the source names them, each with the DfE code of its local authority.
SERVICES = [
    ("Bury Music", "351"),
    ("Calderdale Music Trust", "381"),
    ("Milton Keynes Music Hub", "826"),
    ("Dorset Music Service", "838"),
    ("Merton Music Foundation", "315"),
    ("Lambeth Music Service", "208"),
    ("Sunderland Music Hub", "394"),
    ("Severn Arts (Worcestershire)", "885"),
    ("Peterborough Music Hub", "874"),
    ("West Sussex Music", "938"),
    ("Wakefield Music Services", "384"),
    ("East Riding Schools' Music Service", "811"),
    ("Soundstorm Music Education Agency (Bournemouth & Poole)", "839"),
    ("Waltham Forest Music Education Hub", "320"),
    ("Cornwall Music Service Trust", "908"),
    ("NMPAT (Northamptonshire Music and Performing Arts Trust)", "941"),
    ("Liverpool Resonate", "341"),
]
LEAD = "Hertfordshire Music Service"
NAMES = ["Ava", "Ben", "Cal", "Dee", "Eli", "Fin", "Gus", "Isa", "Jo", "Kit", "Lou", "Mo", "Nia"]
AIMS = (
    "Music nurture groups: calm, nurturing music sessions for three to five pupils in each "
    "primary school, chosen by the school's SENCo, to reduce school exclusions and foster a sense "
    "of belonging. Inclusion managers and tutors receive resources, training on the impact of "
    "trauma on learning, regular critical reflection sessions and support groups."
)
NARRATIVE = (
    "Invented for the demo: pupils' sense of belonging, confidence and wellbeing rose over the "
    "six months, and fewer were excluded in the term after than in the term before."
)


def _schools(codes: set[str]) -> dict[str, int]:
    """The first open primary school of each authority in the shipped register, imported."""
    path = settings.BASE_DIR / "data" / "england_schools_2026-06.csv"
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        chosen: dict[str, dict[str, str]] = {}
        for row in reader:
            code = row["LA (code)"]
            if (
                code in codes
                and code not in chosen
                and row["PhaseOfEducation (name)"] == "Primary"
                and "Primary" in row["EstablishmentName"]
                and row["Latitude"]
            ):
                chosen[code] = row
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(chosen.values())
    report = register_import(data=out.getvalue().encode())
    if not report.ok:
        raise RuntimeError(f"The programme's schools did not import: {report.errors[:5]}")
    return {code: int(row["URN"]) for code, row in chosen.items()}


def _person(email: str, first: str, last: str) -> User:
    from tutti.demo.loader import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _services(urns: dict[str, int]) -> list[tuple[Organisation, Organisation]]:
    schools = {o.urn: o for o in Organisation.objects.filter(urn__in=urns.values())}
    las = {la.code: la for la in LocalAuthority.objects.filter(code__in=urns)}
    pairs = []
    for name, code in SERVICES:
        service, _ = Organisation.objects.get_or_create(
            name=name,
            kind=OrganisationKind.MUSIC_SERVICE,
            defaults={"local_authority": las.get(code), "listed_publicly": True},
        )
        pairs.append((service, schools[urns[code]]))
    return pairs


def load_programmes(hubs: dict[str, Hub]) -> Programme | None:
    """The pilot, its 17 sites and their invented groups, sessions and scores."""
    if Programme.objects.filter(slug=SLUG).exists():
        return None
    urns = _schools({code for _, code in SERVICES})
    lead_org, _ = Organisation.objects.get_or_create(
        name=LEAD,
        kind=OrganisationKind.MUSIC_SERVICE,
        defaults={"local_authority": LocalAuthority.objects.filter(code="919").first()},
    )
    lead = _person("changing.tracks@example.org", "Cass", "Morgan")
    ends_on = timezone.localdate() - timedelta(days=14)
    programme = services.programme_create(
        by=lead,
        lead_hub=None,
        lead_organisation=lead_org,
        name="Changing Tracks: music nurture groups pilot",
        funder="Youth Music",
        aims=AIMS,
        starts_on=ends_on - timedelta(weeks=26),
        ends_on=ends_on,
    )
    Programme.objects.filter(pk=programme.pk).update(slug=SLUG, status=ProgrammeStatus.FINISHED)
    programme.refresh_from_db()
    sites = Site.objects.bulk_create(
        Site(
            programme=programme,
            organisation=service,
            school=school,
            hub=None,
            senco_name=f"SENCo at {school.name}",
        )
        for service, school in _services(urns)
    )
    rng = random.Random(13)  # noqa: S311 - invented demo data, not security
    people = []
    for n, site in enumerate(sites, start=1):
        tutor = _person(f"tutor{n}.nurture@example.org", "Tutor", f"Site {n}")
        people.append(SitePerson(site=site, user=tutor, role=SiteRole.TUTOR))
    SitePerson.objects.bulk_create(people)
    _load_groups(programme, sites, rng)
    services.resource_add(
        programme=programme,
        title="Setting up a music nurture group (invented guidance)",
        link="https://www.changingtracks.org.uk/",
        by=lead,
    )
    services.outcomes_publish(programme=programme, narrative=NARRATIVE, by=lead)
    return programme


def _load_groups(programme: Programme, sites: list[Site], rng: random.Random) -> None:
    reasons = ReferralReason.values
    pupils = Pupil.objects.bulk_create(
        Pupil(
            site=site,
            name=NAMES[i],
            year_group=rng.randint(2, 6),
            reasons=sorted(rng.sample(reasons, rng.randint(1, 2))),
            consent_on=programme.starts_on - timedelta(days=rng.randint(3, 20)),
            added_by_senco=True,
        )
        for site in sites
        for i in range(rng.randint(3, 5))
    )
    taken = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            site=site,
            date=programme.starts_on + timedelta(weeks=w, days=2),
            minutes=45,
            # Now and then a week is missed, as happens.
            attendance_taken_at=None if rng.random() < 0.08 else taken,
        )
        for site in sites
        for w in range(25)
    )
    by_site: dict[int, list[Pupil]] = {}
    for p in pupils:
        by_site.setdefault(p.site_id, []).append(p)
    Attendance.objects.bulk_create(
        Attendance(session=s, pupil=p, present=rng.random() < 0.85)
        for s in sessions
        if s.attendance_taken_at is not None
        for p in by_site[s.site_id]
    )
    measures = list(OutcomeMeasure.objects.filter(programme=programme))
    scores = []
    for p in pupils:
        for m in measures:
            if m.kind == "count":
                before = rng.randint(0, 3)
                values = [before, before, max(0, before - rng.randint(0, 2))]
            else:
                start = rng.randint(1, 3)
                middle = min(5, start + rng.randint(0, 1))
                values = [start, middle, min(5, middle + rng.randint(0, 1))]
            for point, value in zip(Point.values, values, strict=True):
                scores.append(Score(pupil=p, measure=m, point=point, value=value, by_senco=True))
    Score.objects.bulk_create(scores)
