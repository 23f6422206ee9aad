"""With the keyboard alone, someone can skip to the content and find a school in the directory."""

import pytest

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: el.getAttribute("name") || "",
        text: (el.innerText || "").trim(),
        inMain: Boolean(el.closest("main")),
        outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
    };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, *, limit: int = 60) -> dict:
    """Press Tab until ``wanted(focused element)`` is true, as a keyboard user would."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            assert element["outline"], f"no visible focus on {element}"
            return element
        seen.append(element["text"] or element["id"] or element["tag"])
    raise AssertionError(f"Tab never reached it; focus went through {seen}")


def test_skip_link_is_first_and_moves_focus_to_main(page, site):
    page.goto("/wiltshire/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content"
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab starts inside the content, past the header and its navigation.
    page.keyboard.press("Tab")
    assert focused(page)["inMain"]


def test_find_a_school_with_the_keyboard_only(page, site, screenshot):
    page.goto("/wiltshire/")

    tab_to(page, lambda el: el["text"] == "Directory" and el["tag"] == "a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wiltshire/directory/")

    tab_to(page, lambda el: el["name"] == "q")
    page.keyboard.type("Devizes Primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wiltshire/directory/?q=Devizes+Primary*")
    assert page.get_by_role("status").first.inner_text() == "1 result"
    screenshot("keyboard-directory-results")

    tab_to(page, lambda el: el["text"] == "Devizes Primary School" and el["inMain"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/wiltshire/directory/{site.school.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Devizes Primary School"
    assert page.get_by_role("link", name="Devizes area").is_visible()


def test_search_from_the_hub_home_with_the_keyboard_only(page, site):
    page.goto("/wiltshire/")
    tab_to(page, lambda el: el["id"] == "home-q")
    page.keyboard.type("Devizes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wiltshire/directory/?q=Devizes")
    tab_to(page, lambda el: el["text"] == "Devizes Primary School")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/wiltshire/directory/{site.school.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Devizes Primary School"
