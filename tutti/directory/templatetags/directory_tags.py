from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tutti.directory.models import Organisation

register = template.Library()


@register.simple_tag
def organisation_meta(o: Organisation) -> SafeString:
    """One line about an organisation in a list of search results: kind, phase, town,
    postcode, authority, URN and whether it has closed. Written in Python rather than in the
    template: for 25 results the template took a tenth of the directory's server time."""
    authority = o.local_authority if o.local_authority_id else None
    parts = [
        (text,)
        for text in (
            o.phase,
            o.town,
            o.postcode,
            authority.name if authority else "",
            f"URN {o.urn}" if o.urn else "",
        )
        if text
    ]
    return format_html(
        '<p class="meta">{}{}{}</p>',
        o.get_kind_display(),
        format_html_join("", " · {}", parts),
        SafeString(" · <strong>Closed</strong>") if not o.is_open else "",
    )
