"""Newsletters in a real browser, with mail read from a real SMTP server: a visitor signs up
from the foot of a hub page and confirms; staff send an issue with a What's On digest; the
visitor leaves with the one-click List-Unsubscribe POST and the next issue does not reach them.
axe-core runs on every newsletters page on the way."""

import re
import time
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import follow, submit
from tutti.events.tests.factories import EventFactory
from tutti.newsletters.models import Subscription, SubscriptionStatus
from tutti.newsletters.tests.factories import NewsletterListFactory

pytestmark = pytest.mark.browser

VISITOR = "visitor@example.org"


def _message(inbox, to: str, subject: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for rcpt, message in inbox.messages:
            if to in rcpt and subject in message["Subject"]:
                return message
        time.sleep(0.05)
    raise AssertionError(f"No email to {to} about {subject!r}; got {inbox.messages}")


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _write_and_send(page, axe_check, subject: str, *, digest: bool) -> None:
    page.goto("/wiltshire/manage/newsletters/")
    follow(page, "Wiltshire news")
    follow(page, "Write an issue")
    axe_check()
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Text").fill(
        "# Spring term\n\nOur **massed choirs** day is coming.\n\n<script>alert(1)</script>"
    )
    if digest:
        page.get_by_label("Include a What's On digest").check()
        page.get_by_label("Days ahead").fill("30")
    submit(page, "Save and preview")
    assert "massed choirs" in page.content()
    axe_check()
    submit(page, "Send to Wiltshire news")
    assert "Sending has started" in page.content()


def test_visitor_signs_up_gets_an_issue_with_a_digest_and_leaves_in_one_click(
    page, site, sign_in, inbox, axe_check, screenshot
):
    NewsletterListFactory(
        hub=site.hub,
        name="Wiltshire news",
        slug="wiltshire-news",
        description="What's on and what's new, once a month.",
        in_footer=True,
    )
    EventFactory(
        hub=site.hub,
        title="Devizes massed choirs day",
        cluster=site.cluster,
        starts_at=timezone.now() + timedelta(days=10),
    )

    # A visitor signs up from the foot of the hub's home page.
    page.goto("/wiltshire/")
    page.get_by_label("Email address for the newsletter").fill(VISITOR)
    submit(page, "Sign up")
    assert "Check your email" in page.content()
    axe_check()
    assert not Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).exists()

    # The confirmation link, from the email the SMTP server received.
    confirmation = _message(inbox, VISITOR, "Confirm your subscription")
    link = re.search(
        re.escape(site.url) + r"(/wiltshire/newsletters/confirm/\S+/)", _text(confirmation)
    )
    assert link, _text(confirmation)
    page.goto(link[1])
    axe_check()
    submit(page, "Confirm my subscription")
    assert "You are subscribed" in page.content()
    axe_check()
    assert Subscription.objects.get(subscriber__email=VISITOR).status == SubscriptionStatus.ACTIVE

    # Staff add a colleague, then write and send an issue with a digest.
    sign_in("staff")
    page.goto("/wiltshire/manage/newsletters/")
    axe_check()
    screenshot("newsletters-lists")
    follow(page, "Wiltshire news")
    axe_check()
    screenshot("newsletters-list")
    _fits_a_phone(page)
    follow(page, "Add people")
    axe_check()
    page.get_by_label("Email addresses").fill("colleague@example.org")
    page.get_by_label(re.compile("I confirm we have a basis")).check()
    submit(page, "Add them")
    assert "Added 1" in page.content()
    follow(page, "See who is on it")
    axe_check()
    _write_and_send(page, axe_check, "Spring news", digest=True)
    screenshot("newsletters-issue")
    _fits_a_phone(page)
    assert "recipients" in page.content()

    # The visitor's issue: multipart, the digest in it, the script inert, the headers there.
    issue = _message(inbox, VISITOR, "Spring news")
    html = issue.get_body(preferencelist=("html",)).get_content()
    assert "Devizes massed choirs day" in _text(issue)
    assert "Devizes massed choirs day" in html
    assert "<script" not in html
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    urls = [part.strip(" <>") for part in issue["List-Unsubscribe"].split(",")]
    assert urls[1].startswith("mailto:")
    assert urls[0].startswith(site.url)

    # One click in the mail client: a POST with no cookie and no CSRF token (RFC 8058).
    request = urllib.request.Request(  # noqa: S310 - the live server's own URL
        urls[0], data=b"List-Unsubscribe=One-Click", method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 200
    assert (
        Subscription.objects.get(subscriber__email=VISITOR).status
        == SubscriptionStatus.UNSUBSCRIBED
    )

    # The next issue reaches the colleague, not the visitor.
    _write_and_send(page, axe_check, "Summer news", digest=False)
    _message(inbox, "colleague@example.org", "Summer news")
    assert not [m for rcpt, m in inbox.messages if VISITOR in rcpt and "Summer" in m["Subject"]]

    # The public archive, the unsubscribe and preference pages, the sign-up page.
    page.context.clear_cookies()
    page.goto("/wiltshire/newsletters/wiltshire-news/")
    axe_check()
    follow(page, "Spring news")
    assert "massed choirs" in page.content()
    axe_check()
    screenshot("newsletters-archived-issue")
    page.goto(urls[0].removeprefix(site.url))
    assert "You have left Wiltshire news" in page.content()
    axe_check()
    follow(page, "Choose your lists")
    axe_check()
    page.goto("/wiltshire/newsletters/")
    axe_check()
    screenshot("newsletters-signup")
    _fits_a_phone(page)
    page.goto("/wiltshire/newsletters/embed/")
    axe_check()


def test_staff_pages_for_lists_and_images_pass_axe(page, site, sign_in, axe_check):
    sign_in("admin")
    page.goto("/wiltshire/manage/newsletters/")
    assert "No lists yet" in page.content()
    axe_check()
    follow(page, "Create a list")
    axe_check()
    page.get_by_label("Name").fill("Music leads")
    page.get_by_label("Description").fill("For schools' music leads: CPD and networks.")
    page.get_by_label("Kind of list").select_option("audience")
    submit(page, "Save")
    # An audience list needs its audience: a clear message, nothing stored.
    assert "Choose who this audience list is for" in page.content()
    axe_check()
    page.get_by_label("Audience (for an audience list)").select_option("school_music_leads")
    submit(page, "Save")
    assert "List Music leads created" in page.content()
    follow(page, "Write an issue")
    submit(page, "Save and preview")
    assert "Give the issue a subject" in page.content()
    axe_check()
    page.get_by_label("Subject").fill("Autumn CPD")
    submit(page, "Save and preview")
    follow(page, "Add an image")
    axe_check()
    # An issue with nothing in it cannot be sent: the page says why.
    page.goto(page.url.rsplit("/images/", 1)[0] + "/")
    submit(page, "Send to Music leads")
    assert "Write something in the issue" in page.content()
    axe_check()


def test_the_unsubscribe_and_preference_pages_pass_axe(page, site, axe_check):
    from tutti.newsletters.tests.factories import SubscriptionFactory
    from tutti.newsletters.tokens import unsubscribe_token

    news = NewsletterListFactory(hub=site.hub, name="Wiltshire news", slug="news")
    subscription = SubscriptionFactory(newsletter_list=news, subscriber__email=VISITOR)
    page.goto(f"/wiltshire/newsletters/unsubscribe/{unsubscribe_token(subscription.pk, None)}/")
    assert "Leave Wiltshire news?" in page.content()
    axe_check()
    follow(page, "Change your lists instead")
    submit(page, "Leave every list")
    assert "You are on no lists now" in page.content()
    axe_check()
