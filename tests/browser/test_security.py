"""The Content Security Policy in a real browser: key pages work and nothing is refused."""

import re

import pytest

from tests.browser import follow
from tutti.events.tests.factories import EventFactory

pytestmark = pytest.mark.browser

# Runs before any of the page's own scripts, through the DevTools protocol, so the policy does
# not apply to it: it records every refusal the page's policy makes.
LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refused.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, and a function that returns every refusal and console error so far."""
    problems: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def seen() -> list[str]:
        return problems + page.evaluate("window.__refused || []")

    return page, seen


def test_an_inline_script_is_refused_and_noticed(watched, site):
    """The check the other tests rely on: a script injected into a page does not run."""
    page, seen = watched
    page.goto("/wiltshire/")
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.__ran = true";
            document.body.append(s);
        }"""
    )
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in problem for problem in seen())


def test_whats_on_filters_and_a_booking(watched, site):
    page, seen = watched
    event = EventFactory(hub=site.hub, title="Devizes area cluster meeting", cluster=site.cluster)
    EventFactory(hub=site.hub, title="Brass day", cluster=site.other_cluster)
    page.goto("/wiltshire/whats-on/")
    page.get_by_role("textbox", name="Search").fill("Devizes")
    page.get_by_label("Cluster").select_option("devizes-area")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "q=Devizes" in page.url
    assert page.get_by_role("link", name="Devizes area cluster meeting").is_visible()
    assert page.get_by_role("link", name="Brass day").count() == 0

    follow(page, "Devizes area cluster meeting")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.get_by_label("Full name").fill("Ada Guest")
    page.get_by_label("Email address", exact=True).fill("ada@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Book a place").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have a place"
    assert event.bookings.filter(email="ada@example.org").exists()
    # The booking's own page is a signed link.
    assert re.search(r"/whats-on/bookings/[^/]+/$", page.url)
    assert seen() == []


def test_cluster_member_search_as_you_type(watched, site, sign_in):
    page, seen = watched
    sign_in("staff")
    page.goto(f"/wiltshire/manage/clusters/{site.cluster.pk}/")
    address = page.url
    candidates = page.locator("#candidates")
    assert "Wiltshire Music Centre" not in candidates.inner_text()
    page.get_by_label("Find a school or organisation").press_sequentially("Wiltshire Music")
    # The script fetches the results in place: no form submitted, no new page.
    candidates.get_by_text("Wiltshire Music Centre").first.wait_for()
    assert page.url == address
    assert seen() == []


def test_gap_map_and_impact_page(watched, site):
    page, seen = watched
    for path in ("/wiltshire/provision/", "/wiltshire/impact/"):
        response = page.goto(path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto("/wiltshire/provision/")
    assert page.locator("svg").first.is_visible()
    assert seen() == []


def test_api_docs_work_under_the_policy(watched, site):
    page, seen = watched
    response = page.goto("/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Opening an operation changes the address's #fragment; that is no page load to wait for.
    page.get_by_role("button", name="GET /api/hubs Hub List").click(no_wait_after=True)
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Wiltshire Music Connect" in page.locator(".live-responses-table").inner_text()
    assert seen() == []
