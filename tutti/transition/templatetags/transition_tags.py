from django import template

from tutti.transition import selectors

register = template.Library()


@register.filter
def shown(count: int | None) -> str:
    """A count of pupils as a page may show it: "fewer than 10" for 1 to 9."""
    return selectors.shown(count)
