"""The security headers every deployment gets, and the one log line for each 403."""

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.test_access_matrix import MATRIX, PART_SIGNED_LINKS

ROOT = Path(settings.BASE_DIR)

# Pages whose link is the only key: a token in the URL stands in for signing in.
SIGNED_LINKS = {
    "accounts:invitation",
    "events:booking",
    "events:booking-cancel",
    "events:my-feed",
    "provision:audit",
    "participation:return-link",
    "participation:return-link-add",
    "participation:return-link-submit",
    "participation:return-link-template",
    "participation:return-link-edit",
    "participation:return-link-delete",
} | PART_SIGNED_LINKS

PUBLIC_PAGES = [
    "/",
    "/wiltshire/",
    "/wiltshire/directory/?q=Devizes",
    "/wiltshire/clusters/",
    "/wiltshire/whats-on/",
    "/wiltshire/whats-on/feed.ics",
    "/wiltshire/impact/",
    "/wiltshire/provision/",
]


def _script_src(response) -> list[str]:
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if " " in part.strip()
    )
    return (policy.get("script-src") or policy["default-src"]).split()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("anonymous", "/wiltshire/whats-on/"),
        ("anonymous", "/wiltshire/provision/"),
        ("staff", "/wiltshire/manage/"),
        ("staff", "/wiltshire/manage/events/"),
        ("anonymous", "/api/docs"),
    ],
)
def test_pages_forbid_inline_and_foreign_scripts(client_for, world, role, path):
    response = client_for(role).get(path)
    assert response.status_code == 200
    assert _script_src(response) == ["'self'"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_error_pages_have_the_policy_too(client_for, world):
    response = client_for("coordinator").get("/wiltshire/manage/clusters/new/")
    assert response.status_code == 403
    assert _script_src(response) == ["'self'"]


def test_every_response_refuses_powerful_features(client_for, world):
    for role, path in [("anonymous", "/wiltshire/"), ("staff", "/wiltshire/manage/")]:
        policy = client_for(role).get(path)["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


def test_no_template_has_inline_script_or_event_handler():
    """Data blocks (JSON-LD, json_script) are not run, so the policy allows them."""
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("tutti/*/templates/**/*.html")]
    assert templates
    offending = []
    for template in templates:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag and not re.search(r'type="application/(ld\+)?json"', tag):
                offending.append(f"{template.relative_to(ROOT)}: {tag}")
        for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", text, flags=re.IGNORECASE):
            offending.append(f"{template.relative_to(ROOT)}: {handler}")
    assert offending == []


def _cached_by_nobody(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_only_public_pages_may_be_kept_by_a_cache(client_for, world, name):
    build, expected = MATRIX[name]
    if name in SIGNED_LINKS or expected["anonymous"] != 200:
        # Staff pages, exports, a person's own pages and signed links, as someone allowed.
        role = next((r for r in ("admin", "partner", "plain") if expected[r] in (200, 302)), None)
        if role is None and expected["anonymous"] == 404:
            pytest.skip("A public page that is not there for anyone in the matrix (a hub's logo)")
        role = role or "anonymous"
        response = client_for(role).get(build(world))
        assert response.status_code == expected[role]
        assert _cached_by_nobody(response), (name, response.get("Cache-Control"))
    elif name not in {"accounts:login", "accounts:logout"} and not name.startswith("account_"):
        # (The sign-in, sign-out and password pages are never cached, whoever asks.)
        response = client_for("anonymous").get(build(world))
        assert response.status_code == 200
        assert not _cached_by_nobody(response), name


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_may_be_cached(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not _cached_by_nobody(response)


def test_exports_are_never_stored(client_for, world):
    client = client_for("staff")
    for path in [
        "/wiltshire/manage/participation/return.csv",
        "/wiltshire/manage/participation/return.xlsx",
    ]:
        response = client.get(path)
        assert response.status_code == 200
        assert _cached_by_nobody(response), path
        assert "private" in response["Cache-Control"]


def test_api_answers_are_never_stored(client_for, world):
    response = client_for("staff").get("/api/hubs/wiltshire/provision/statuses")
    assert response.status_code == 200
    assert _cached_by_nobody(response)


def test_no_server_details(client, world):
    response = client.get("/wiltshire/")
    assert "Server" not in response
    assert "X-Powered-By" not in response


def _warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_refused_page_is_logged_on_one_line(client_for, world, caplog):
    coordinator = world.users["coordinator"]
    with caplog.at_level(logging.INFO):
        response = client_for("coordinator").get("/wiltshire/manage/clusters/new/")
    assert response.status_code == 403
    [record] = _warnings(caplog)
    line = record.getMessage()
    assert "\n" not in line
    assert record.exc_info is None
    assert f"user {coordinator.pk}" in line
    assert "/wiltshire/manage/clusters/new/" in line
    assert "can_manage_clusters" in line
    # Whoever reads the log learns no email address.
    assert coordinator.email not in line
    assert caplog.text.count("\n") == 1


def test_a_refused_api_call_is_logged_on_one_line(client_for, world, caplog):
    with caplog.at_level(logging.INFO):
        response = client_for("coordinator").get("/api/hubs/wiltshire/provision/statuses")
    assert response.status_code == 403
    [record] = _warnings(caplog)
    line = record.getMessage()
    assert record.exc_info is None
    assert f"user {world.users['coordinator'].pk}" in line
    assert "/api/hubs/wiltshire/provision/statuses" in line
    assert response.json()["detail"] in line


def test_a_failed_csrf_check_is_logged_on_one_line(world, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO):
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    [record] = _warnings(caplog)
    line = record.getMessage()
    assert line.startswith("Forbidden (403): anonymous, POST /accounts/login/")
    assert "CSRF" in line


def test_a_path_cannot_forge_a_second_log_line(client_for, world, caplog):
    with caplog.at_level(logging.INFO):
        client_for("coordinator").get("/wiltshire/manage/clusters/new/?x=%0AForbidden+(403):+admin")
    [record] = _warnings(caplog)
    assert "\n" not in record.getMessage()
