"""Shared fixtures: two hubs, and a person in each role, named as in the access matrix.

Also marks the slow tests (``make test-fast`` leaves them out).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutti.accounts.models import Role
from tutti.accounts.tests.factories import MembershipFactory, UserFactory
from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory
from tutti.directory.tests.factories import (
    HubFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    SchoolFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# live server thread are unaffected, but fixtures that touch the database need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent

# Whole files of slow tests, marked here so the list is in one place. A new slow test can
# instead say @pytest.mark.slow itself. Tests driven by Hypothesis (the schemathesis fuzzing of
# the API) are marked wherever they are.
SLOW_FILES = {
    # Each loads the demo: three hubs on the real school register.
    "tutti/demo/tests/test_loader.py",
    "tutti/demo/tests/test_networks.py",
    "tutti/participation/tests/test_demo.py",
    "tutti/privacy/tests/test_demo.py",
    # The hostile uploads: files of up to 20 MB through the real upload pages.
    "tutti/core/tests/test_uploads.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path.relative_to(ROOT).as_posix()
        hypothesis = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        if path in SLOW_FILES or hypothesis:
            item.add_marker(pytest.mark.slow)


@dataclass
class World:
    hub: object
    other_hub: object
    la: object
    school: object
    partner: object
    cluster: object
    other_cluster: object
    other_school: object
    other_hub_cluster: object
    users: dict


@pytest.fixture
def world(db):
    """Hub 'wiltshire' and hub 'cambridgeshire', each with schools, a partner and clusters.

    users: admin, staff, coordinator (of ``cluster``, not ``other_cluster``), partner (staff of
    ``partner``), outsider (staff of the other hub), plain (signed in, no role anywhere).
    """
    la = LocalAuthorityFactory(code="865", name="Wiltshire", gss_code="E06000054")
    other_la = LocalAuthorityFactory(code="873", name="Cambridgeshire", gss_code="E10000003")
    hub = HubFactory(name="Wiltshire Music Connect", slug="wiltshire", local_authorities=[la])
    other_hub = HubFactory(
        name="Cambridgeshire Music", slug="cambridgeshire", local_authorities=[other_la]
    )
    school = SchoolFactory(name="Devizes Primary School", local_authority=la, urn=126000)
    other_school = SchoolFactory(
        name="Ely Primary School", local_authority=other_la, urn=110000, town="Ely"
    )
    partner = OrganisationFactory(name="Wiltshire Music Centre", hub=hub)
    cluster = ClusterFactory(hub=hub, name="Devizes area", slug="devizes-area")
    other_cluster = ClusterFactory(hub=hub, name="Chippenham", slug="chippenham")
    other_hub_cluster = ClusterFactory(hub=other_hub, name="Fenland", slug="fenland")
    ClusterMemberFactory(cluster=cluster, organisation=school)
    ClusterMemberFactory(cluster=other_hub_cluster, organisation=other_school)

    users = {
        "admin": MembershipFactory(hub=hub, role=Role.HUB_ADMIN).user,
        "staff": MembershipFactory(hub=hub, role=Role.HUB_STAFF).user,
        "coordinator": MembershipFactory(hub=hub, role=Role.COORDINATOR).user,
        "outsider": MembershipFactory(hub=other_hub, role=Role.HUB_STAFF).user,
        "plain": UserFactory(),
    }
    partner_membership = MembershipFactory(hub=hub, role=Role.PARTNER_STAFF)
    partner_membership.organisations.add(partner)
    users["partner"] = partner_membership.user
    cluster.coordinator = users["coordinator"]
    cluster.save(update_fields=["coordinator"])
    return World(
        hub=hub,
        other_hub=other_hub,
        la=la,
        school=school,
        partner=partner,
        cluster=cluster,
        other_cluster=other_cluster,
        other_school=other_school,
        other_hub_cluster=other_hub_cluster,
        users=users,
    )


@pytest.fixture
def client_for(client, world):
    """client_for('staff') returns the test client signed in as that person."""

    def sign_in(who):
        client.logout()
        if who != "anonymous":
            client.force_login(world.users[who])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no page, rate limit or hub id left by another."""
    from django.core.cache import cache

    from tutti.core import page_cache

    cache.clear()
    page_cache.forget_hub_slugs()
    yield
