"""Fixtures for the browser tests: Debian's Chromium, the live server, axe-core.

When Chromium or axe-core is missing the tests skip with the reason, unless
TUTTI_REQUIRE_BROWSER=1 (CI), when they fail instead.
"""

import json
import socket
import time
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import Client

from tests.browser import AXE, CHROMIUM, missing, required

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

# Everything the A and AA success criteria of WCAG 2.0, 2.1 and 2.2 cover, plus axe's own
# best practices (landmarks, one h1, headings in order...).
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
]

# Without the background-networking flags Chromium keeps calling hosts that CI cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _skip_or_fail(reason: str | None) -> None:
    if reason is None:
        return
    if required():
        pytest.fail(f"TUTTI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _skip_or_fail(missing(axe=False))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(world, transactional_db, live_server):
    """The shared world, committed so that the live server's thread can see it.

    ``world`` asks for ``db``, but pytest-django runs the whole test as a TransactionTestCase
    as soon as ``transactional_db`` or ``live_server`` is among its fixtures, on SQLite and on
    PostgreSQL alike, and empties the tables afterwards.
    """
    world.url = live_server.url
    return world


@pytest.fixture
def page(browser, site) -> Iterator[object]:
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page, site):
    """sign_in('staff') gives the browser that person's session cookie."""

    def sign_in_as(who: str) -> None:
        client = Client()
        client.force_login(site.users[who])
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
        )

    return sign_in_as


@pytest.fixture
def axe_check(page):
    """axe_check() runs axe-core on the page as it is now and fails on any violation."""
    _skip_or_fail(missing())

    def check() -> None:
        # Evaluated through the DevTools protocol: our Content Security Policy refuses the
        # inline <script> that add_script_tag would insert.
        page.evaluate(AXE.read_text())
        violations = page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
                }));
            }""",
            AXE_TAGS,
        )
        assert violations == [], f"axe found problems on {page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}\n"
            + "\n".join(
                f"    {json.dumps(n['target'])}: {n['summary']}".replace("\n", "\n      ")
                for n in v["nodes"]
            )
            for v in violations
        )

    return check


NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def screenshot(page):
    """screenshot('name') saves the whole page in test-results/ for a person to look at."""

    def take(name: str) -> Path:
        from playwright.sync_api import Error as PlaywrightError

        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # Just after the viewport changes, Chromium may not yet have a frame to capture
        # ("Unable to capture screenshot"), more often on a loaded machine: wait for the next
        # frames and try again, a few times, before failing the test.
        for attempt in range(3):
            try:
                page.screenshot(path=str(path), full_page=True)
                return path
            except PlaywrightError as error:
                if "Unable to capture screenshot" not in str(error) or attempt == 2:
                    raise
                page.evaluate(NEXT_FRAMES)
        return path

    return take


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for rcpt, message in self.messages:
                if to in rcpt:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"No email to {to} arrived; got {self.messages}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(settings, site):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = site.url
    yield handler
    controller.stop()
