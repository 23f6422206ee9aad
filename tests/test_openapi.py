"""The API as a whole: its docs, its schema, and who may use each operation.

The access matrix is built from the OpenAPI schema, so an operation added without a row in
``MATRIX`` fails ``test_every_operation_is_in_the_matrix``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from tutti.core.tests.helpers import send
from tutti.events.models import EventStatus
from tutti.events.tests.factories import EventFactory
from tutti.participation.models import Publication
from tutti.participation.tests.factories import WcetFactory
from tutti.programmes.tests.factories import matrix_programme

ROLES = ("anonymous", "plain", "outsider", "partner", "coordinator", "staff", "admin")


@dataclass(frozen=True)
class Case:
    url: Callable[[Any], str]
    body: dict | None
    # One status per role, in the order of ROLES.
    statuses: tuple[int, ...]


HUB = "/api/hubs/wiltshire"


def _event(world):
    return world.hub.events.first() or EventFactory(hub=world.hub, cluster=world.cluster)


def _draft(world):
    return EventFactory(
        hub=world.hub, cluster=world.cluster, status=EventStatus.DRAFT, published_at=None
    )


def _in_a_month(hour):
    day = timezone.now() + timedelta(days=30)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _record(world):
    return WcetFactory(hub=world.hub, partner=world.partner, school=world.school)


def _published(world):
    """A year with a record, published: anyone may read its figures."""
    record = WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=2024)
    return Publication.objects.create(hub=world.hub, year=record.year, figures=["wcet-pupils"])


def _invitation(world):
    from tutti.accounts.services import invitation_create

    return invitation_create(hub=world.hub, by=None, email="invited@example.org", role="hub_staff")


def _secondary(world):
    from tutti.transition.tests.factories import secondary_of

    return secondary_of(world)


def _competition(world):
    from tutti.competitions.tests.factories import CompetitionFactory

    return CompetitionFactory(hub=world.hub)


def _partner_membership(world):
    return world.partner.staff_memberships.get(hub=world.hub)


ANYONE = (200,) * len(ROLES)
HUB_ADMINS = (401, 404, 404, 403, 403, 403)
# Hub staff, and the coordinator of the event's cluster; the partner's organisation does not
# run it.
EVENT_MANAGERS = (401, 404, 404, 403, 200, 200, 200)
NEW_EVENT = {
    "title": "Devizes area termly meeting",
    "summary": "Plans for the term.",
    "category": "cluster-meetings",
    "cluster": "devizes-area",
    "is_online": True,
    "sessions": [{"starts_at": _in_a_month(15), "ends_at": _in_a_month(17)}],
}

MATRIX: dict[tuple[str, str], Case] = {
    ("GET", "/api/hubs"): Case(lambda w: "/api/hubs", None, ANYONE),
    ("GET", "/api/hubs/{hub_slug}/organisations"): Case(
        lambda w: f"{HUB}/organisations", None, ANYONE
    ),
    ("POST", "/api/hubs/{hub_slug}/organisations"): Case(
        lambda w: f"{HUB}/organisations",
        {"kind": "tutor", "name": "Jo Bloggs Violin"},
        (401, 404, 404, 403, 403, 201, 201),
    ),
    ("GET", "/api/hubs/{hub_slug}/organisations/{id}"): Case(
        lambda w: f"{HUB}/organisations/{w.partner.pk}", None, ANYONE
    ),
    ("PATCH", "/api/hubs/{hub_slug}/organisations/{id}"): Case(
        lambda w: f"{HUB}/organisations/{w.partner.pk}",
        {"town": "Bradford on Avon"},
        (401, 404, 404, 200, 403, 200, 200),
    ),
    ("GET", "/api/hubs/{hub_slug}/clusters"): Case(lambda w: f"{HUB}/clusters", None, ANYONE),
    ("POST", "/api/hubs/{hub_slug}/clusters"): Case(
        lambda w: f"{HUB}/clusters",
        {"name": "Marlborough"},
        (401, 404, 404, 403, 403, 201, 201),
    ),
    ("GET", "/api/hubs/{hub_slug}/clusters/{cluster}"): Case(
        lambda w: f"{HUB}/clusters/{w.cluster.slug}", None, ANYONE
    ),
    ("PATCH", "/api/hubs/{hub_slug}/clusters/{cluster}"): Case(
        lambda w: f"{HUB}/clusters/{w.cluster.pk}",
        {"area": "Devizes and the villages around"},
        (401, 404, 404, 403, 200, 200, 200),
    ),
    ("PUT", "/api/hubs/{hub_slug}/clusters/{id}/coordinator"): Case(
        lambda w: f"{HUB}/clusters/{w.cluster.pk}/coordinator",
        {"vacant": True},
        (401, 404, 404, 403, 403, 200, 200),
    ),
    ("POST", "/api/hubs/{hub_slug}/clusters/{id}/members"): Case(
        lambda w: f"{HUB}/clusters/{w.cluster.pk}/members",
        {"organisation_id": None},  # filled in with the partner's id
        (401, 404, 404, 403, 201, 201, 201),
    ),
    ("DELETE", "/api/hubs/{hub_slug}/clusters/{id}/members/{organisation_id}"): Case(
        lambda w: f"{HUB}/clusters/{w.cluster.pk}/members/{w.school.pk}",
        None,
        (401, 404, 404, 403, 204, 204, 204),
    ),
    ("GET", "/api/hubs/{hub_slug}/events"): Case(lambda w: f"{HUB}/events", None, ANYONE),
    ("GET", "/api/hubs/{hub_slug}/events/{id}"): Case(
        lambda w: f"{HUB}/events/{_event(w).pk}", None, ANYONE
    ),
    ("POST", "/api/hubs/{hub_slug}/events"): Case(
        lambda w: f"{HUB}/events", NEW_EVENT, (401, 404, 404, 403, 201, 201, 201)
    ),
    ("PATCH", "/api/hubs/{hub_slug}/events/{id}"): Case(
        lambda w: f"{HUB}/events/{_event(w).pk}", {"capacity": 30}, EVENT_MANAGERS
    ),
    ("POST", "/api/hubs/{hub_slug}/events/{id}/publish"): Case(
        lambda w: f"{HUB}/events/{_draft(w).pk}/publish", None, EVENT_MANAGERS
    ),
    ("POST", "/api/hubs/{hub_slug}/events/{id}/cancel"): Case(
        lambda w: f"{HUB}/events/{_event(w).pk}/cancel", {"reason": "Snow."}, EVENT_MANAGERS
    ),
    ("GET", "/api/hubs/{hub_slug}/events/{id}/bookings"): Case(
        lambda w: f"{HUB}/events/{_event(w).pk}/bookings", None, EVENT_MANAGERS
    ),
    ("GET", "/api/hubs/{hub_slug}/impact"): Case(
        lambda w: f"{HUB}/impact?year={_published(w).year}", None, ANYONE
    ),
    # Hub staff only: partner staff enter records on the website but do not read everyone's.
    ("GET", "/api/hubs/{hub_slug}/participation/{section}"): Case(
        lambda w: f"{HUB}/participation/wcet?year=2024", None, (401, 404, 404, 403, 403, 200, 200)
    ),
    ("DELETE", "/api/hubs/{hub_slug}/participation/{section}/{id}"): Case(
        lambda w: f"{HUB}/participation/wcet/{_record(w).pk}",
        None,
        (401, 404, 404, 403, 403, 204, 204),
    ),
    ("GET", "/api/hubs/{hub_slug}/provision/statuses"): Case(
        lambda w: f"{HUB}/provision/statuses?role=wcet",
        None,
        (401, 404, 404, 403, 403, 200, 200),
    ),
    ("GET", "/api/hubs/{hub_slug}/team"): Case(lambda w: f"{HUB}/team", None, (*HUB_ADMINS, 200)),
    ("POST", "/api/hubs/{hub_slug}/team/invitations"): Case(
        lambda w: f"{HUB}/team/invitations",
        {"email": "new.person@example.org", "role": "hub_staff"},
        (*HUB_ADMINS, 201),
    ),
    ("POST", "/api/hubs/{hub_slug}/team/invitations/{id}/resend"): Case(
        lambda w: f"{HUB}/team/invitations/{_invitation(w).pk}/resend", None, (*HUB_ADMINS, 200)
    ),
    ("DELETE", "/api/hubs/{hub_slug}/team/invitations/{id}"): Case(
        lambda w: f"{HUB}/team/invitations/{_invitation(w).pk}", None, (*HUB_ADMINS, 204)
    ),
    ("PATCH", "/api/hubs/{hub_slug}/team/members/{id}"): Case(
        lambda w: f"{HUB}/team/members/{_partner_membership(w).pk}",
        {"role": "hub_staff"},
        (*HUB_ADMINS, 200),
    ),
    ("DELETE", "/api/hubs/{hub_slug}/team/members/{id}"): Case(
        lambda w: f"{HUB}/team/members/{_partner_membership(w).pk}", None, (*HUB_ADMINS, 204)
    ),
    # The world's secondary is in the coordinator's cluster; partner staff have no such role.
    ("GET", "/api/hubs/{hub_slug}/transition/{urn}/feeders"): Case(
        lambda w: f"{HUB}/transition/{_secondary(w).urn}/feeders",
        None,
        (401, 404, 404, 403, 200, 200, 200),
    ),
    ("PUT", "/api/hubs/{hub_slug}/transition/{urn}/feeders/{primary_urn}"): Case(
        lambda w: f"{HUB}/transition/{_secondary(w).urn}/feeders/{w.school.urn}",
        {"state": "confirmed"},
        (401, 404, 404, 403, 200, 200, 200),
    ),
    ("GET", "/api/hubs/{hub_slug}/provision/summary"): Case(
        lambda w: f"{HUB}/provision/summary", None, ANYONE
    ),
    # Programmes span hubs: the published outcomes for anyone, the live figures for the leads
    # (the hub admin leads the matrix programme; see tutti/programmes/tests/factories.py).
    ("GET", "/api/programmes/{slug}/outcomes"): Case(
        lambda w: f"/api/programmes/{matrix_programme(w).slug}/outcomes", None, ANYONE
    ),
    ("GET", "/api/programmes/{slug}/figures"): Case(
        lambda w: f"/api/programmes/{matrix_programme(w).slug}/figures",
        None,
        (401, 404, 404, 403, 403, 403, 200),
    ),
    ("GET", "/api/hubs/{hub_slug}/competitions"): Case(
        lambda w: f"{HUB}/competitions", None, ANYONE
    ),
    ("GET", "/api/hubs/{hub_slug}/competitions/{competition}/progress"): Case(
        lambda w: f"{HUB}/competitions/{_competition(w).pk}/progress",
        None,
        (401, 404, 404, 403, 403, 200, 200),
    ),
    # The instrument library: partner staff see their own organisation's instruments.
    ("GET", "/api/hubs/{hub_slug}/instruments"): Case(
        lambda w: f"{HUB}/instruments?tag=WMC", None, (401, 404, 404, 200, 403, 200, 200)
    ),
    ("GET", "/api/hubs/{hub_slug}/loans/dashboard"): Case(
        lambda w: f"{HUB}/loans/dashboard", None, (401, 404, 404, 403, 403, 200, 200)
    ),
}


def schema_operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }


def test_every_operation_is_in_the_matrix():
    missing = schema_operations() - MATRIX.keys()
    assert not missing, f"Add the expected statuses of {sorted(missing)} to MATRIX"


def test_matrix_has_no_stale_rows():
    assert MATRIX.keys() <= schema_operations()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(MATRIX), ids=" ".join)
def test_access(client_for, world, operation, role):
    case = MATRIX[operation]
    body = case.body
    if body is not None and "organisation_id" in body:
        body = {"organisation_id": world.partner.pk}
    response = send(client_for(role), operation[0], case.url(world), body)
    expected = case.statuses[ROLES.index(role)]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["detail"]


def test_every_operation_says_who_may_use_it():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            assert "**Who may use it:**" in operation["description"], (method, path)


def test_operations_that_need_a_role_use_the_session_and_list_their_errors():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if "anyone" in operation["description"]:
                assert "security" not in operation, (method, path)
                continue
            assert operation["security"] == [{"SessionAuth": []}], (method, path)
            responses = {str(status): r for status, r in operation["responses"].items()}
            for status in ("400", "401", "403", "404", "422"):
                error = responses[status]["content"]["application/json"]
                assert error["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_a_write_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    response = send(client, "POST", f"{HUB}/clusters", {"name": "Marlborough"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_superuser_acts_as_hub_admin(client, world, django_user_model):
    root = django_user_model.objects.create_superuser(
        username="root", email="root@example.org", password="a-good-test-password"
    )
    client.force_login(root)
    response = send(client, "POST", f"{HUB}/clusters", {"name": "Marlborough"})
    assert response.status_code == 201


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Tutti API"


def test_docs_load_nothing_from_another_host(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any(u.endswith(".js") for u in urls)
    assert not [u for u in urls if re.match(r"(https?:)?//", u)]
    assert not re.search(r"https?://", html)
    for url in urls:
        assert url.startswith("/static/")
        assert finders.find(url.removeprefix("/static/")), url
    # Swagger UI would otherwise show a badge fetched from validator.swagger.io.
    assert '"validatorUrl": null' in html


def test_an_unknown_api_path_is_json_404(client, db):
    response = client.post("/api/hubs/wiltshire/nothing-here")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_unknown_hub_is_404(client, db):
    response = client.get("/api/hubs/nowhere/clusters")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such hub.", "errors": []}


def test_a_method_a_path_lacks_is_json_405(client, db):
    response = client.put(f"{HUB}/clusters")
    assert response.status_code == 405
    allowed = response["Allow"]
    assert set(allowed.split(", ")) == {"GET", "POST"}
    assert response.json()["detail"] == f"This path takes only {allowed}."


def test_an_unreadable_body_is_400(world):
    # The CSRF check reads the body as a form first; multipart without a boundary fails there.
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    client.cookies["csrftoken"] = token = get_random_string(32)
    response = client.post(
        f"{HUB}/clusters", data=b"x", content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body could not be read; send JSON."


# Generated requests, as hub staff, against every operation: whatever is sent, the answer is
# never a server error and always matches the documented statuses and schemas.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def keep_test_connection():
    """WSGIHandler closes the database connection after each request, which on PostgreSQL
    would end the test's transaction; Django's test client disconnects the same signal."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_session(client_for, world, keep_test_connection):
    token = get_random_string(32)
    cookies = {"sessionid": client_for("staff").cookies["sessionid"].value, "csrftoken": token}
    return world, cookies, {"X-CSRFToken": token}


def _aim_at_real_objects(case, world):
    """Mostly random paths find nothing; point half of them at the hub's real objects."""
    params = case.path_parameters or {}
    if "hub_slug" in params:
        params["hub_slug"] = "wiltshire"
    real = {
        "id": [world.cluster.pk, world.partner.pk, world.school.pk, _event(world).pk],
        "organisation_id": [world.school.pk, world.partner.pk],
        "cluster": [world.cluster.pk],
    }
    for name, ids in real.items():
        value = params.get(name)
        if isinstance(value, int) and value % 2 == 0:
            params[name] = ids[abs(value) % len(ids)]
    if case.method == "GET" and isinstance(params.get("cluster"), str):
        params["cluster"] = world.cluster.slug


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_never_fail_on_our_side(case, staff_session):
    world, cookies, headers = staff_session
    _aim_at_real_objects(case, world)
    response = case.call(cookies=cookies, headers=headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


def test_nul_characters_are_refused_in_bodies_and_query_strings(client_for, world):
    """PostgreSQL cannot store NUL in text; the API says so instead of failing."""
    client = client_for("staff")
    response = send(client, "POST", f"{HUB}/clusters", {"name": "Devizes\x00", "area": "x"})
    assert response.status_code == 422
    assert "control character (U+0000)" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "name"
    response = client.get(f"{HUB}/organisations", {"q": "Devizes\x00"})
    assert response.status_code == 422
