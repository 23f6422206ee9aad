"""The schema and the server agree, both ways: whatever the schema forbids is refused (never
answered 200, as ``[null, null]`` once was by PATCH), and whatever it allows is never refused
as malformed (422), so every limit the server enforces on dates, pages and slugs is stated."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from config.api import api
from tests.test_openapi import _aim_at_real_objects, keep_test_connection, staff_session
from tutti.events.tests.factories import EventFactory

__all__ = ["keep_test_connection", "staff_session"]

# Allowed requests may still break a rule of the hub's data (400: no such category) or clash
# with it (409); only 422, "this is not what the schema says", would be a disagreement.
ACCEPTED = ["2xx", "400", "401", "403", "404", "409"]
REFUSED = ["400", "401", "403", "404", "405", "422"]

config = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ACCEPTED},
            "negative_data_rejection": {"expected-statuses": REFUSED},
        }
    }
)


def _without_sign_in(document):
    """The test signs in itself: were the session cookie in the schema, leaving it out would
    count as invalid data that the server (rightly) still accepts with the test's cookie."""
    document = json.loads(json.dumps(document))
    document.get("components", {}).pop("securitySchemes", None)
    for operations in document["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)
    return document


schema = schemathesis.openapi.from_dict(_without_sign_in(api.get_openapi_schema()), config=config)
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_server_accepts_exactly_what_the_schema_allows(case, staff_session):
    world, cookies, headers = staff_session
    _aim_at_real_objects(case, world)
    response = case.call(cookies=cookies, headers=headers)
    checks = [negative_data_rejection]
    # Every free-text field's schema states the control-character rule as a pattern
    # (config/api.py), but schemathesis's generator does not always keep to a pattern's
    # negated class; a 422 from that rule, and only that rule, is then the schema's answer.
    if not _refused_by_the_text_rule(response):
        checks.append(positive_data_acceptance)
    case.validate_response(response, checks=checks)


TEXT_RULE_WORDS = ("control character", "not a character", "line break", "tab character")


def _refused_by_the_text_rule(response) -> bool:
    if response.status_code != 422:
        return False
    errors = response.json().get("errors", [])
    return bool(errors) and all(
        any(words in e["message"] for words in TEXT_RULE_WORDS) for e in errors
    )


# The limits themselves, by hand, so a change to one is seen at once.

HUB = "/api/hubs/wiltshire"


def _param(path, method, name):
    operation = api.get_openapi_schema()["paths"][path][method]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=100000", 200),
        ("page=100001", 422),
        ("page=0", 422),
        ("date_from=2199-12-31", 200),
        ("date_from=2200-01-01", 422),
        ("date_from=1999-12-31", 422),
        ("date_from=15/07/2026", 422),
        ("category=not a slug", 422),
        ("cluster=devizes-area", 200),
        ("date_from=soon", 422),
        ("q=" + "x" * 101, 422),
    ],
)
def test_event_filters_are_limited_as_the_schema_says(client, world, query, status):
    response = client.get(f"{HUB}/events?{query}")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_schema_states_those_limits():
    path = "/api/hubs/{hub_slug}/events"
    assert _param(path, "get", "page")["maximum"] == 100_000
    assert "pattern" in _param(path, "get", "date_from")
    assert "pattern" in _param(path, "get", "category")
    session = api.get_openapi_schema()["components"]["schemas"]["SessionIn"]
    assert session["properties"]["starts_at"]["pattern"] == "^2[01][0-9][0-9]-"
    query = "/api/hubs/{hub_slug}/organisations"
    assert _param(query, "get", "page")["maximum"] == 100_000


@pytest.mark.parametrize("year", ["1999", "2200"])
def test_an_event_date_outside_the_years_is_422_naming_the_field(client_for, world, year):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    body = {"booking_opens_at": f"{year}-01-01T10:00:00Z"}
    response = client_for("staff").generic(
        "PATCH", f"{HUB}/events/{event.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "booking_opens_at"
    event.refresh_from_db()
    assert event.booking_opens_at is None
