"""Delivery events from the mail provider, through django-anymail's tracking webhooks.

Whatever the provider (Amazon SES, Mailgun, Postmark, SendGrid...), anymail checks the
webhook's signature or credentials and sends one ``tracking`` signal per event; a hard bounce,
a rejection or a complaint suppresses the address. Soft bounces and deferrals are left to the
provider's retries. No opens or clicks are tracked, so none are asked for.
"""

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking  # type: ignore[import-untyped]
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
