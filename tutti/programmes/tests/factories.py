"""Programmes for tests, and the one the access matrix uses (``matrix_programme``)."""

from datetime import date, timedelta

from django.utils import timezone

from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.programmes import services
from tutti.programmes.models import Programme, Pupil, Session, Site, SitePerson, SiteRole
from tutti.programmes.tokens import senco_token


def make_programme(*, hub, lead=None, name="Music nurture groups", **kwargs) -> Programme:
    today = timezone.localdate()
    defaults = {
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=150),
        "funder": "Youth Music",
        "aims": "Reduce exclusions and foster belonging.",
    }
    return services.programme_create(by=lead, lead_hub=hub, name=name, **(defaults | kwargs))


def make_site(programme, *, organisation=None, school=None, tutor=None) -> Site:
    site = services.site_create(
        programme=programme,
        organisation=organisation or OrganisationFactory(),
        school=school or SchoolFactory(),
        by=None,
        senco_name="Ms Senco",
    )
    if tutor is not None:
        SitePerson.objects.create(site=site, user=tutor, role=SiteRole.TUTOR)
    return site


def add_pupils(site, n, *, prefix="P") -> list[Pupil]:
    return [
        services.pupil_add(
            site=site,
            name=f"{prefix}{i}",
            year_group=4,
            reasons=["semh"],
            consent_on=date(2026, 1, 5),
            by_senco=True,
        )
        for i in range(n)
    ]


def senco_path(site) -> str:
    token = senco_token(site_id=site.pk, version=site.senco_link_version)
    return f"/programmes/{site.programme.slug}/senco/{token}/"


def matrix_programme(w) -> Programme:
    """Led by the world's hub admin; site A is the partner's (Wiltshire Music Centre) at
    Devizes Primary, with the partner as tutor and three pupils; site B, in a school outside
    any hub, has the coordinator as tutor. Wiltshire staff are hub staff of site A's hub."""
    found = Programme.objects.filter(slug="matrix-programme").first()
    if found is not None:
        return found
    programme = make_programme(hub=w.hub, lead=w.users["admin"], name="Matrix programme")
    site_a = make_site(programme, organisation=w.partner, school=w.school, tutor=w.users["partner"])
    make_site(programme, tutor=w.users["coordinator"])
    add_pupils(site_a, 3)
    Session.objects.create(site=site_a, date=timezone.localdate() - timedelta(days=1))
    services.outcomes_publish(programme=programme, narrative="Early days.", by=None)
    return programme


def site_a(w) -> Site:
    return matrix_programme(w).sites.get(school=w.school)
