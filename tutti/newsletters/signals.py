"""Delivery events from the mail provider, through django-anymail's tracking webhooks.

Whatever the provider (Amazon SES, Mailgun, Postmark, SendGrid...), anymail checks the
webhook's signature or credentials and sends one ``tracking`` signal per event; a hard bounce,
a rejection or a complaint suppresses the address. Soft bounces and deferrals are left to the
provider's retries. No opens or clicks are tracked, so none are asked for.

The provider's inbound webhook brings the emails sent to List-Unsubscribe's ``mailto:``.
"""

import re
from typing import Any

from anymail.signals import (  # type: ignore[import-untyped]
    AnymailInboundEvent,
    AnymailTrackingEvent,
    inbound,
    tracking,
)
from django.dispatch import receiver


@receiver(tracking, dispatch_uid="newsletters-tracking")
def on_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    from tutti.newsletters.services import tracking_event

    event_type = str(event.event_type or "")
    if event_type not in {"delivered", "bounced", "rejected", "complained"}:
        return
    # Some providers report soft bounces as "bounced" with a description saying so.
    description = str(event.description or "").lower()
    hard = not (event_type == "bounced" and ("soft" in description or "transient" in description))
    tracking_event(
        event_type=event_type,
        recipient=str(event.recipient or ""),
        message_id=str(event.message_id or ""),
        hard=hard,
    )


UNSUBSCRIBE_LINK = re.compile(r"/newsletters/unsubscribe/([\w\-:]+)/")


@receiver(inbound, dispatch_uid="newsletters-inbound-unsubscribe")
def on_inbound(sender: Any, event: AnymailInboundEvent, esp_name: str, **kwargs: Any) -> None:
    """The ``mailto:`` of List-Unsubscribe: a mail client sends an email whose subject holds
    the issue's signed unsubscribe link. Anything else sent to that address is ignored."""
    from tutti.core.errors import DomainError
    from tutti.newsletters.services import unsubscribe
    from tutti.newsletters.tokens import read_unsubscribe

    message = event.message
    text = f"{getattr(message, 'subject', '') or ''} {getattr(message, 'text', '') or ''}"
    found = UNSUBSCRIBE_LINK.search(text)
    if found is None:
        return
    try:
        subscription_id, issue_id = read_unsubscribe(found[1])
        unsubscribe(subscription_id=subscription_id, issue_id=issue_id, source="Unsubscribe email")
    except DomainError:
        return
