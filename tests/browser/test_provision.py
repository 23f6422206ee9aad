"""The provision audit and gap map in a real browser: axe-core on each page, and a school's
audit, completed through its link, changing the school's marker on the map."""

from decimal import Decimal

import pytest

from tests.browser import submit
from tutti.clusters.tests.factories import ClusterMemberFactory
from tutti.directory.tests.factories import SchoolFactory
from tutti.provision.models import WorkingGroup
from tutti.provision.tests.factories import SchoolAuditFactory, audit_path, network_for

pytestmark = pytest.mark.browser

# Around Devizes and Chippenham, inside Wiltshire's outline.
DEVIZES = [(51.35, -1.99), (51.31, -2.03), (51.38, -1.93), (51.33, -1.90)]
CHIPPENHAM = [(51.46, -2.12), (51.50, -2.10), (51.43, -2.05), (51.48, -2.00)]


@pytest.fixture
def area(site):
    """Two clusters of schools with a mix of answers, so the map has every status."""
    answers = ["yes", "partly", "no", ""]
    for cluster, positions in ((site.cluster, DEVIZES[1:]), (site.other_cluster, CHIPPENHAM)):
        for n, (lat, lon) in enumerate(positions):
            school = SchoolFactory(
                local_authority=site.la,
                latitude=lat,
                longitude=lon,
                pupils=150 + 40 * n,
                percent_fsm=Decimal(10 + 7 * n),
            )
            ClusterMemberFactory(cluster=cluster, organisation=school)
            if answers[n]:
                SchoolAuditFactory(hub=site.hub, school=school, wcet=answers[n])
    return site


def _marker(page, name: str):
    return page.locator("g.gap-point", has=page.locator(f"title:text-matches('^{name}: ')"))


def test_gap_map_has_no_accessibility_problems(page, area, axe_check, screenshot):
    page.goto("/wiltshire/provision/")
    assert page.get_by_role("heading", level=1).inner_text() == "Music provision in schools"
    assert page.locator(".map-cluster").count() == 2
    for status in ("provided", "partly", "none", "unknown"):
        assert page.locator(f"g.gap-point.status-{status}").count() >= 1, status
    axe_check()
    screenshot("provision-gap-map")
    page.goto("/wiltshire/provision/?role=send&phase=Primary")
    axe_check()


def test_audit_form_has_no_accessibility_problems(page, site, axe_check, screenshot):
    page.goto(audit_path(site.hub, site.school))
    assert "Music audit" in page.get_by_role("heading", level=1).inner_text()
    axe_check()
    screenshot("provision-audit-form")
    # With a contradiction: the message beside the field must be accessible too.
    page.locator("#id_choir").select_option("no")
    page.locator("#id_choir_members").fill("40")
    submit(page, "Save answers")
    assert page.locator("#id_choir_members_error").is_visible()
    axe_check()


def test_the_link_problem_page_has_no_accessibility_problems(page, site, axe_check):
    response = page.goto("/wiltshire/provision/audit/1/not-a-token/")
    assert response.status == 400
    axe_check()


def test_staff_page_has_no_accessibility_problems(page, area, sign_in, axe_check, screenshot):
    sign_in("staff")
    page.goto("/wiltshire/manage/provision/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Provision audit")
    axe_check()
    screenshot("provision-manage")


def test_completing_the_audit_changes_the_schools_marker(page, area):
    page.goto("/wiltshire/provision/")
    before = _marker(page, "Devizes Primary School")
    assert "status-unknown" in before.get_attribute("class")
    unknown_fill = before.evaluate("e => getComputedStyle(e).fill")

    page.goto(audit_path(area.hub, area.school))
    page.locator("#id_wcet").select_option("yes")
    page.locator("#id_singing").select_option("yes")
    submit(page, "Save answers")
    assert "your answers are saved" in page.locator(".messages").inner_text()

    page.goto("/wiltshire/provision/?role=wcet")
    after = _marker(page, "Devizes Primary School")
    assert "status-provided" in after.get_attribute("class")
    assert after.evaluate("e => getComputedStyle(e).fill") != unknown_fill
    assert page.locator("title", has_text="Devizes Primary School: provided").count() == 1


def test_network_page_has_no_accessibility_problems(page, area, sign_in, axe_check, screenshot):
    network = network_for(area.hub, area.other_hub)
    group = WorkingGroup.objects.create(
        network=network, name="Devizes schools", focus="Singing", is_steering=False
    )
    group.clusters.add(area.cluster)
    sign_in("staff")
    page.goto(f"/networks/{network.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == network.name
    assert page.locator("g.gap-point").count() >= 8
    axe_check()
    screenshot("provision-network")
    page.goto(f"/networks/{network.slug}/?role=send&group={group.pk}")
    axe_check()


def test_gap_map_renders_with_no_network(page, area, screenshot):
    """Nothing leaves the site: every request to another host is refused, and the map still
    draws the authority, the cluster outlines and every school inside its cluster's outline."""
    refused = []

    def only_the_site(route):
        if route.request.url.startswith(area.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_the_site)
    page.goto("/wiltshire/provision/")
    svg = page.locator("svg[role=img]").first
    assert svg.locator("path.map-area").count() >= 1
    assert svg.locator("path.map-cluster").count() == 2
    markers = svg.locator("g.gap-point")
    assert markers.count() >= 7
    outside = svg.evaluate(
        """svg => {
            const outlines = [...svg.querySelectorAll('path.map-cluster')];
            return [...svg.querySelectorAll('g.gap-point')].filter(g => {
                const m = g.transform.baseVal.consolidate().matrix;
                // A school at a corner of its cluster's outline sits on its edge, and the
                // outline's corners are rounded to whole units: look 1.5 units around it.
                const near = [0, 1, 2, 3, 4, 5, 6, 7].map(i => new DOMPoint(
                    m.e + 1.5 * Math.cos(i * Math.PI / 4), m.f + 1.5 * Math.sin(i * Math.PI / 4)));
                return !outlines.some(o => near.some(p => o.isPointInFill(p)));
            }).map(g => g.querySelector('title').textContent);
        }"""
    )
    assert outside == []
    assert refused == []
    svg.screenshot(
        path=str(
            screenshot("provision-gap-map-offline").with_name("provision-gap-map-offline-map.png")
        )
    )
