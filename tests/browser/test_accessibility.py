"""axe-core finds nothing on any public page, nor on the main staff pages, in a real browser.

Each page is also saved in test-results/ so that a person can look at it.
"""

import pytest

from tests.browser import submit

pytestmark = pytest.mark.browser

# name: (path for the world, the page's h1). The h1 proves we checked the page we meant to.
PUBLIC_PAGES = {
    "site-home": (lambda w: "/", "Music Education Hubs on Tutti"),
    "sign-in": (lambda w: "/accounts/login/", "Sign in"),
    "hub-home": (lambda w: "/wiltshire/", "Wiltshire Music Connect"),
    "directory": (lambda w: "/wiltshire/directory/", "Directory"),
    "directory-search": (lambda w: "/wiltshire/directory/?q=Devizes", "Directory"),
    "directory-no-results": (lambda w: "/wiltshire/directory/?q=Nowhere+at+all", "Directory"),
    "school": (lambda w: f"/wiltshire/directory/{w.school.pk}/", "Devizes Primary School"),
    "partner": (lambda w: f"/wiltshire/directory/{w.partner.pk}/", "Wiltshire Music Centre"),
    "clusters": (lambda w: "/wiltshire/clusters/", "Musical clusters"),
    "cluster-with-map": (lambda w: "/wiltshire/clusters/devizes-area/", "Devizes area"),
    "cluster-without-members": (lambda w: "/wiltshire/clusters/chippenham/", "Chippenham"),
}

STAFF_PAGES = {
    "manage-home": (lambda w: "/wiltshire/manage/", "Manage Wiltshire Music Connect"),
    "manage-directory": (lambda w: "/wiltshire/manage/directory/", "Manage the directory"),
    "manage-directory-search": (
        lambda w: "/wiltshire/manage/directory/?q=Devizes",
        "Manage the directory",
    ),
    "add-partner": (lambda w: "/wiltshire/manage/directory/new/", "Add a partner"),
    "edit-school": (
        lambda w: f"/wiltshire/manage/directory/{w.school.pk}/edit/",
        "Edit Devizes Primary School",
    ),
    "register-import": (
        lambda w: "/wiltshire/manage/directory/import/",
        "Import the school register",
    ),
    "manage-clusters": (lambda w: "/wiltshire/manage/clusters/", "Manage clusters"),
    "cluster-members-and-candidates": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/?q=Wiltshire",
        "Devizes area",
    ),
    "create-cluster": (lambda w: "/wiltshire/manage/clusters/new/", "Create a cluster"),
    "change-coordinator": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/coordinator/",
        "Coordinator of Devizes area",
    ),
    "assign-from-csv": (
        lambda w: "/wiltshire/manage/clusters/assign/",
        "Assign schools to clusters",
    ),
}


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


@pytest.mark.parametrize(("path", "h1"), PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_axe_violations(request, page, site, axe_check, screenshot, path, h1):
    response = page.goto(path(site))
    assert response.status == 200
    assert _h1(page) == h1
    screenshot(request.node.callspec.id)
    axe_check()


@pytest.mark.parametrize(("path", "h1"), STAFF_PAGES.values(), ids=STAFF_PAGES.keys())
def test_staff_page_has_no_axe_violations(
    request, page, site, sign_in, axe_check, screenshot, path, h1
):
    sign_in("staff")
    response = page.goto(path(site))
    assert response.status == 200
    assert _h1(page) == h1
    screenshot(f"staff-{request.node.callspec.id}")
    axe_check()


def test_directory_search_shows_results(page, site):
    page.goto("/wiltshire/directory/?q=Devizes")
    assert page.get_by_role("status").first.inner_text() == "1 result"
    assert page.get_by_role("link", name="Devizes Primary School").is_visible()


def test_cluster_members_page_shows_candidates(page, site, sign_in):
    sign_in("staff")
    page.goto(f"/wiltshire/manage/clusters/{site.cluster.pk}/?q=Wiltshire")
    assert page.get_by_role("button", name="Add Wiltshire Music Centre").is_visible()


def test_cluster_map_is_drawn(page, site):
    page.goto("/wiltshire/clusters/devizes-area/")
    assert page.get_by_role("img", name="Map of the cluster's members").is_visible()
    assert page.locator("svg path.map-area").count() == 1, "no outline of Wiltshire"
    assert page.locator("svg circle.map-point").count() == 1


def test_not_found_page_has_no_axe_violations(page, site, axe_check):
    response = page.goto("/wiltshire/no-such-page/")
    assert response.status == 404
    assert _h1(page) == "Page not found"
    axe_check()


def test_form_shown_again_with_errors_has_no_axe_violations(page, site, sign_in, axe_check):
    sign_in("staff")
    page.goto("/wiltshire/manage/clusters/new/")
    submit(page, "Save")
    page.wait_for_load_state()
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert page.locator(".field-error").count() >= 1
    axe_check()


def test_sign_in_shown_again_with_errors_has_no_axe_violations(page, site, axe_check):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong")
    submit(page, "Sign in")
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    axe_check()
