"""Anonymous public pages come from the shared cache, and every kind of write shows at once.

These tests commit (``transaction=True``), so each write's version change runs both at once and
again when its transaction commits, as in production. ``TestRedis`` runs the same checks against
a real Redis server that the test starts (skipped when redis-server is not installed, required
in CI by TUTTI_REQUIRE_REDIS).
"""

import gzip
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tutti.clusters import services as cluster_services
from tutti.core import page_cache
from tutti.events import services as event_services
from tutti.events.models import Event, EventStatus
from tutti.events.tests.factories import EventFactory
from tutti.participation import publishing
from tutti.participation.tests.factories import WcetFactory
from tutti.provision import services as provision_services
from tutti.provision.tests.factories import this_year

pytestmark = pytest.mark.django_db(transaction=True)

WHATS_ON = "/wiltshire/whats-on/"
IMPACT = "/wiltshire/impact/"
GAP_MAP = "/wiltshire/provision/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True


def _get(client: Client, url: str):
    """The page, and whether it came from the cache (a hit asks the database nothing)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries) == 0


def _twice(url: str) -> str:
    """The page as two fresh anonymous visitors see it; the second is a hit."""
    first, first_hit = _get(Client(), url)
    second, second_hit = _get(Client(), url)
    assert not first_hit
    assert second_hit, f"{url} was not served from the cache"
    # Each visitor gets their own booking token; the rest is the same page.
    assert _without_tokens(second) == _without_tokens(first)
    return first


def _without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_a_second_visitor_gets_the_page_from_the_cache(world):
    event = EventFactory(hub=world.hub, title="Summer sing")
    body = _twice(WHATS_ON)
    assert "Summer sing" in body
    assert "Summer sing" in _twice(f"/wiltshire/whats-on/{event.pk}/")


def test_a_published_event_shows_on_the_next_request(world):
    draft = EventFactory(
        hub=world.hub, title="Autumn strings", status=EventStatus.DRAFT, published_at=None
    )
    assert "Autumn strings" not in _twice(WHATS_ON)
    event_services.event_publish(event=Event.objects.get(pk=draft.pk), by=world.users["staff"])
    body, hit = _get(Client(), WHATS_ON)
    assert not hit
    assert "Autumn strings" in body


def test_a_booking_that_fills_the_event_shows_on_the_next_request(world):
    event = EventFactory(hub=world.hub, title="Small workshop", capacity=1)
    url = f"/wiltshire/whats-on/{event.pk}/"
    assert "Every place is taken" not in _twice(url)
    event_services.booking_create(event=event, name="Ada", email="ada@example.org")
    body, hit = _get(Client(), url)
    assert not hit
    assert "Every place is taken" in body


def test_a_corrected_record_shows_on_the_next_request(world):
    WcetFactory(
        hub=world.hub, partner=world.partner, school=world.school, year=2025, pupils=40, continued=0
    )
    publishing.publish(hub=world.hub, year=2025, figures=["wcet-pupils"], show_reach=True, by=None)
    assert ">40<" in _twice(IMPACT).replace(" ", "")
    WcetFactory(
        hub=world.hub, partner=world.partner, school=world.school, year=2025, pupils=5, continued=0
    )
    body, hit = _get(Client(), IMPACT)
    assert not hit
    assert ">45<" in body.replace(" ", "")


def test_an_answered_audit_shows_on_the_next_request(world):
    assert "Devizes Primary School: not provided" not in _twice(GAP_MAP)
    provision_services.audit_save(
        hub=world.hub, school=world.school, year=this_year(), answers={"wcet": "no"}
    )
    body, hit = _get(Client(), GAP_MAP)
    assert not hit
    assert "Devizes Primary School: not provided" in body


def test_a_renamed_cluster_shows_on_the_next_request(world):
    assert "Devizes area" in _twice("/wiltshire/clusters/")
    cluster_services.cluster_update(cluster=world.cluster, by=None, name="Vale of Pewsey")
    body, hit = _get(Client(), "/wiltshire/clusters/")
    assert not hit
    assert "Vale of Pewsey" in body and "Devizes area" not in body


def test_another_hubs_change_leaves_this_hubs_pages_cached(world):
    _twice(WHATS_ON)
    EventFactory(hub=world.other_hub, title="Fenland fiddles")
    _body, hit = _get(Client(), WHATS_ON)
    assert hit


def test_signed_in_pages_are_never_cached_nor_served_from_the_cache(world):
    staff = Client()
    staff.force_login(world.users["staff"])
    name = world.users["staff"].get_full_name() or world.users["staff"].email
    _twice(WHATS_ON)
    response = staff.get(WHATS_ON)
    assert name in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # And the other way round: what the signed-in person saw is not what a visitor gets.
    page_cache.forget_hub_slugs()
    from django.core.cache import cache

    cache.clear()
    staff.get(WHATS_ON)
    body, hit = _get(Client(), WHATS_ON)
    assert not hit
    assert name not in body


def test_a_visitor_with_a_session_is_not_served_from_the_cache(world, client):
    _twice(WHATS_ON)
    visitor = Client()
    visitor.cookies["sessionid"] = "anything"
    _body, hit = _get(visitor, WHATS_ON)
    assert not hit


def test_headers_ask_browsers_to_check_and_answer_304_when_unchanged(world):
    _twice(WHATS_ON)
    response = Client().get(WHATS_ON)
    assert response["Cache-Control"] == "no-cache"
    assert "Cookie" in response["Vary"]
    unchanged = Client().get(WHATS_ON, HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_a_client_that_accepts_gzip_gets_the_stored_page_compressed(world):
    EventFactory(hub=world.hub, title="Samba day")
    plain = _twice(WHATS_ON)
    response = Client().get(WHATS_ON, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode() == plain
    # Either form's ETag is the page's: a 304 while it is unchanged.
    assert response["ETag"].startswith("W/")
    for etag in (response["ETag"], Client().get(WHATS_ON)["ETag"]):
        unchanged = Client().get(WHATS_ON, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip")
        assert unchanged.status_code == 304
    # Without gzip in Accept-Encoding, the plain bytes: the same page, from the one compressed
    # copy the cache keeps (a hub's feed is half a megabyte; reading both was half the work).
    identity = Client().get(WHATS_ON, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in identity
    assert identity.content.decode() == plain
    # A change is seen compressed too.
    EventFactory(hub=world.hub, title="Steel pans")
    changed = Client().get(WHATS_ON, HTTP_ACCEPT_ENCODING="gzip")
    assert "Steel pans" in changed.content.decode()  # the miss: rendered, not compressed
    again = Client().get(WHATS_ON, HTTP_ACCEPT_ENCODING="gzip")
    assert "Steel pans" in gzip.decompress(again.content).decode()


def test_a_page_with_a_booking_token_is_never_compressed(world):
    event = EventFactory(hub=world.hub, title="Open rehearsal", capacity=30)
    url = f"/wiltshire/whats-on/{event.pk}/"
    _twice(url)
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_each_visitor_gets_their_own_working_booking_token(world):
    event = EventFactory(hub=world.hub, title="Open rehearsal", capacity=30)
    url = f"/wiltshire/whats-on/{event.pk}/"
    _twice(url)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url)
    body = response.content.decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "\x00" not in body
    assert "csrftoken" in response.cookies
    booked = visitor.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "name": "Grace",
            "email": "grace@example.org",
            "organisation_name": "Devizes Primary School",
            "places": "1",
            "consent": "on",
        },
    )
    assert booked.status_code in (200, 302)
    assert booked.status_code != 403


# --- The same against a real Redis server.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("TUTTI_REQUIRE_REDIS"):
            pytest.fail("redis-server is required (TUTTI_REQUIRE_REDIS) but not installed")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="tutti-redis-")
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/1"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def on_redis(redis_url):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        cache.clear()
        page_cache.forget_hub_slugs()
        yield cache


def test_on_redis_a_hit_and_a_change_shown_at_once(world, on_redis):
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    _twice(WHATS_ON)
    EventFactory(hub=world.hub, title="Brass day")
    body, hit = _get(Client(), WHATS_ON)
    assert not hit
    assert "Brass day" in body
    assert _get(Client(), WHATS_ON)[1]


def test_public_api_reads_are_cached_and_change_with_the_hub(world):
    api = "/api/hubs/wiltshire/events"
    _twice(api)
    EventFactory(hub=world.hub, title="Jazz workshop")
    body, hit = _get(Client(), api)
    assert not hit
    assert "Jazz workshop" in body
    assert _get(Client(), api)[1]


def test_api_writes_and_staff_reads_are_never_cached(world):
    staff = Client()
    staff.force_login(world.users["staff"])
    _twice("/api/hubs/wiltshire/events")
    # The same URL with a session: answered fresh, and not stored for anyone.
    with CaptureQueriesContext(connection) as queries:
        assert staff.get("/api/hubs/wiltshire/events").status_code == 200
    assert len(queries) > 0


def test_the_health_check_always_asks_the_database(world):
    _get(Client(), "/healthz")
    _body, hit = _get(Client(), "/healthz")
    assert not hit


def test_an_unreachable_cache_serves_pages_and_takes_writes_without_it(world):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        EventFactory(hub=world.hub, title="Strings day")
        body, hit = _get(Client(), WHATS_ON)
        assert not hit
        assert "Strings day" in body


def test_deleting_an_event_with_bookings_changes_the_page(world):
    event = EventFactory(hub=world.hub, title="Samba morning")
    event_services.booking_create(event=event, name="Ada", email="ada@example.org")
    assert "Samba morning" in _twice(WHATS_ON)
    Event.objects.get(pk=event.pk).delete()  # its sessions and bookings go with it
    body, hit = _get(Client(), WHATS_ON)
    assert not hit
    assert "Samba morning" not in body
