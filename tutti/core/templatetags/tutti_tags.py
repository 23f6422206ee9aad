"""Small filters shared by every app's templates."""

from decimal import Decimal, InvalidOperation
from typing import Protocol

from django import template

register = template.Library()


class _Member(Protocol):
    """A membership, as far as the templates ask (core may not import accounts)."""

    def has_capability(self, capability: str) -> bool: ...


@register.filter
def percent(value: object, whole: object = None) -> str:
    """A share, written the same way everywhere: ``{{ 39.94|percent }}`` is "39.9%", and
    ``{{ part|percent:whole }}`` works out the share first. Whole numbers lose the ".0"; a
    share too small to show is "under 0.1%", so that it never reads as none."""
    try:
        number = Decimal(str(value))
        if whole is not None:
            total = Decimal(str(whole))
            if total == 0:
                return "—"
            number = 100 * number / total
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if 0 < number < Decimal("0.05"):
        return "under 0.1%"
    text = f"{number.quantize(Decimal('0.1')):f}"
    return f"{text.removesuffix('.0')}%"


@register.filter
def can(membership: _Member | None, capability: str) -> bool:
    """Whether the person's role in the hub holds the capability, as the views' decorators ask:
    so a page offers only what the person may do."""
    return membership is not None and bool(membership.has_capability(capability))
