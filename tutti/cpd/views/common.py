"""Small pieces shared by the CPD network pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tutti.cpd.access import Place


def render_place(
    request: HttpRequest, template: str, place: Place, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a network page with the network and the person's place in it."""
    response = render(
        request,
        template,
        {"network": place.network, "place": place, "member": place.member, **context},
        status=status,
    )
    # Members' pages name people: keep them out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
