"""An issue as HTML and as plain text, and the message each subscriber gets.

The body is rendered once per issue (Markdown by ``tutti.core.markdown``: no raw HTML, then
sanitised), with the What's On digest as it is at sending; each recipient's message only swaps
in their own unsubscribe and preferences links, so a large list costs little more than a string
replace per address.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, make_msgid, parseaddr
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from tutti.core.markdown import render_markdown
from tutti.core.urls import absolute_url
from tutti.events.models import Event
from tutti.events.selectors import EventFilters, public_events
from tutti.newsletters.models import Issue, IssueImage
from tutti.newsletters.tokens import preferences_token, unsubscribe_token

UNSUBSCRIBE = "@@unsubscribe_url@@"
PREFERENCES = "@@preferences_url@@"
DIGEST_LIMIT = 20


def digest_filters(issue: Issue, now: datetime | None = None) -> EventFilters:
    today = timezone.localdate(now or timezone.now())
    return EventFilters(
        category=issue.digest_category.slug if issue.digest_category else "",
        cluster=issue.digest_cluster.slug if issue.digest_cluster else "",
        audience=issue.digest_audience,
        date_from=today,
        date_to=today + timedelta(days=issue.digest_days),
    )


def digest_events(issue: Issue, now: datetime | None = None) -> list[Event]:
    """The upcoming events that match the issue's saved filter, soonest first."""
    if not issue.include_digest:
        return []
    events = public_events(hub=issue.hub, filters=digest_filters(issue, now), now=now)
    return list(events.select_related("venue")[:DIGEST_LIMIT])


@dataclass(frozen=True)
class Content:
    html: str
    text: str


def issue_content(issue: Issue, events: list[Event]) -> Content:
    """The issue's own content, as kept for the archive: the body and the digest."""
    hub = issue.hub
    digest = [{"event": event, "url": absolute_url(event.get_absolute_url())} for event in events]
    context = {
        "hub": hub,
        "issue": issue,
        "body_html": render_markdown(issue.body),
        "body_text": issue.body.strip(),
        "digest": digest,
        "include_digest": issue.include_digest,
        "whats_on_url": absolute_url(reverse("events:list", kwargs={"hub_slug": hub.slug})),
    }
    return Content(
        html=render_to_string("newsletters/email/issue_content.html", context),
        text=render_to_string("newsletters/email/issue_content.txt", context),
    )


def email_content(issue: Issue, content: Content) -> Content:
    """The whole email around the content, with placeholders for each recipient's links."""
    hub = issue.hub
    context = {
        "hub": hub,
        "issue": issue,
        "list": issue.newsletter_list,
        "content_html": mark_safe(content.html),  # noqa: S308 - rendered by issue_content
        "content_text": content.text,
        "unsubscribe_url": UNSUBSCRIBE,
        "preferences_url": PREFERENCES,
        "archive_url": absolute_url(
            reverse(
                "newsletters:archive",
                kwargs={"hub_slug": hub.slug, "list_slug": issue.newsletter_list.slug},
            )
        ),
    }
    return Content(
        html=render_to_string("newsletters/email/issue.html", context),
        text=render_to_string("newsletters/email/issue.txt", context),
    )


def image_markdown(image: IssueImage) -> str:
    """The Markdown line that shows an uploaded image, at its full address for emails."""
    url = absolute_url(
        reverse("newsletters:image", kwargs={"hub_slug": image.issue.hub.slug, "pk": image.pk})
    )
    alt = image.alt.replace("[", "(").replace("]", ")")
    return f"![{alt}]({url})"


LINK_SLOT = "LINK-TOKEN-SLOT"


@lru_cache(maxsize=256)
def _link_pattern(name: str, hub_slug: str, site: str) -> str:
    # reverse() once per hub and link, not once per message: a large send makes 100,000. The
    # site's own address is part of the key, so a changed site address is not served stale.
    return absolute_url(reverse(name, kwargs={"hub_slug": hub_slug, "token": LINK_SLOT}))


def unsubscribe_url(hub_slug: str, subscription_id: int, issue_id: int | None) -> str:
    pattern = _link_pattern("newsletters:unsubscribe", hub_slug, absolute_url("/"))
    return pattern.replace(LINK_SLOT, unsubscribe_token(subscription_id, issue_id))


def preferences_url(hub_slug: str, subscriber_id: int) -> str:
    pattern = _link_pattern("newsletters:preferences", hub_slug, absolute_url("/"))
    return pattern.replace(LINK_SLOT, preferences_token(subscriber_id))


def unsubscribe_mailto(token_url: str) -> str:
    address = getattr(settings, "NEWSLETTERS_UNSUBSCRIBE_EMAIL", "") or (
        "unsubscribe@" + parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2]
    )
    return f"mailto:{address}?subject={quote('unsubscribe ' + token_url, safe='')}"


def sender(hub_name: str) -> str:
    """The hub's name with Tutti's sending address."""
    return formataddr((hub_name, parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]))


def message_for(
    *,
    issue: Issue,
    content: Content,
    to: str,
    subscription_id: int | None,
    subscriber_id: int | None,
) -> EmailMultiAlternatives:
    """One recipient's multipart message, with one-click unsubscribe headers (RFC 8058)."""
    hub = issue.hub
    headers = {
        "Message-ID": make_msgid(
            domain=parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2]
        ),
        "List-Id": f"{issue.newsletter_list.name} <{issue.newsletter_list.slug}.{hub.slug}.tutti>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }
    if subscription_id is not None and subscriber_id is not None:
        leave = unsubscribe_url(hub.slug, subscription_id, issue.pk)
        prefs = preferences_url(hub.slug, subscriber_id)
        headers["List-Unsubscribe"] = f"<{leave}>, <{unsubscribe_mailto(leave)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        leave = prefs = absolute_url(reverse("newsletters:signup", kwargs={"hub_slug": hub.slug}))
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=content.text.replace(UNSUBSCRIBE, leave).replace(PREFERENCES, prefs),
        from_email=sender(hub.name),
        to=[to],
        reply_to=[hub.contact_email] if hub.contact_email else None,
        headers=headers,
    )
    message.attach_alternative(
        content.html.replace(UNSUBSCRIBE, leave).replace(PREFERENCES, prefs), "text/html"
    )
    return message
