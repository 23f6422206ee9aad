"""One rule for full addresses: the request's host when there is one, else SITE_URL."""

import re
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory

from tutti.core.urls import absolute_url
from tutti.events.emails import booking_email
from tutti.events.tests.factories import BookingFactory

ROOT = Path(settings.BASE_DIR)
HELPER = ROOT / "tutti/core/urls.py"
# Ways of building a full address by hand; only the helper may use them.
BY_HAND = [
    re.compile(r"\bSITE_URL\b"),
    re.compile(r"build_absolute_uri"),
    re.compile(r"META\[[\"'](HTTP_HOST|SERVER_NAME)"),
    re.compile(r"""["']https?://(127\.0\.0\.1|localhost)[:/]"""),
]


def test_with_a_request_the_address_is_the_requests_own(settings):
    settings.SITE_URL = "https://tutti.example.org"
    request = RequestFactory().get("/", SERVER_PORT="8101")
    assert absolute_url("/wiltshire/", request) == "http://testserver:8101/wiltshire/"


def test_without_a_request_the_address_is_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    assert absolute_url("/wiltshire/whats-on/") == "http://127.0.0.1:8101/wiltshire/whats-on/"


def test_emails_built_outside_a_request_link_to_site_url(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    booking = BookingFactory()
    body = booking_email(booking, "confirmed").body
    links = re.findall(r"https?://\S+", body)
    assert links
    assert all(link.startswith("http://127.0.0.1:8101/") for link in links), links


def test_no_code_builds_a_full_address_by_hand():
    offenders = []
    for path in sorted((ROOT / "tutti").rglob("*.py")):
        if path == HELPER or "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in BY_HAND):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            text = path.read_text(encoding="utf-8")
            if re.search(r"request\.(get_host|scheme)|SITE_URL", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "Use tutti.core.urls.absolute_url:\n" + "\n".join(offenders)


def test_the_detector_finds_a_hand_built_address():
    # The scan above must be able to fail: each pattern catches what it is meant to.
    samples = [
        'url = f"{settings.SITE_URL}/x"',
        "request.build_absolute_uri('/')",
        "f\"https://{request.META['HTTP_HOST']}/x\"",
        '"http://127.0.0.1:8000/"',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in BY_HAND), sample
