"""Tests that drive Debian's Chromium through Playwright against pytest-django's live server.

``missing()`` is shared by the fixtures and by ``make test``, which prints it before pytest runs.
"""

import importlib.util
import os
from pathlib import Path

# Debian's Chromium; TUTTI_CHROMIUM points elsewhere (and lets a test of the skip use a bad path).
CHROMIUM = Path(os.environ.get("TUTTI_CHROMIUM") or "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
REQUIRE_ENV = "TUTTI_REQUIRE_BROWSER"


def required() -> bool:
    """CI sets TUTTI_REQUIRE_BROWSER=1 so a browser test can never pass by being skipped."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def missing(*, axe: bool = True) -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (make setup)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if axe and not AXE.exists():
        return "node_modules/axe-core is not installed (npm ci)"
    return None


def status_line() -> str:
    reason = missing()
    if reason is None:
        return f"Browser tests: will run with {CHROMIUM} and axe-core."
    if required():
        return f"Browser tests: REQUIRED ({REQUIRE_ENV}=1) but cannot run: {reason}."
    return f"Browser tests: skipped — {reason}."


def submit(page, name: str, *, exact: bool = False, within: str | None = None) -> None:
    """Press a form's button and wait for the answer page.

    A bare ``click()`` returns before the browser has left the page, so a check straight after
    it can read the old page and pass or fail by luck; every form a test sends goes through here.
    """
    scope = page.locator(within) if within else page
    with page.expect_navigation():
        scope.get_by_role("button", name=name, exact=exact).click()


def follow(page, name: str, *, exact: bool = False) -> None:
    """Follow a link and wait for the new page, for the same reason as ``submit``."""
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=exact).click()
