"""The programmes' API: the published outcomes (anyone) and the live figures (the leads).

Both carry only figures about 10 pupils or more: a smaller one comes with ``value`` and
``pupils`` null and ``suppressed`` true. No operation returns a pupil.
"""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tutti.core.api import (
    PUBLIC_NOTE,
    READ_ERRORS,
    SLUG_PATTERN,
    STAFF_READ_ERRORS,
    View,
    with_access_note,
)
from tutti.programmes import selectors
from tutti.programmes.access import standing
from tutti.programmes.models import Programme

router = Router(tags=["programmes"])

ProgrammeSlug = Annotated[str, Field(min_length=1, max_length=50, pattern=SLUG_PATTERN)]
LEADS_NOTE = (
    "**Who may use it:** the programme's leads, signed in with a session. Not signed in: 401. "
    "Someone in the programme who is not a lead: 403. Anyone else: 404."
)


class ProgrammeFigureOut(Schema):
    key: str
    label: str
    value: str | None = Field(description="Null when the figure is about fewer than 10 pupils.")
    pupils: int | None = Field(description="How many pupils it is about; null when suppressed.")
    suppressed: bool


class OutcomesOut(Schema):
    programme: str
    name: str
    narrative: str
    published_at: str | None
    figures: list[ProgrammeFigureOut]


def _public(view: View) -> View:
    view.__doc__ = with_access_note(view, PUBLIC_NOTE)
    # Not "public": the page cache would keep it by hub, and a programme has none.
    view.access = "programme_public"  # type: ignore[attr-defined]
    return view


def _leads(view: View) -> View:
    view.__doc__ = with_access_note(view, LEADS_NOTE)
    view.access = "programme_lead"  # type: ignore[attr-defined]
    return view


def _figures_out(figures: list[selectors.Figure]) -> list[dict[str, Any]]:
    return [
        {
            "key": f.key,
            "label": f.label,
            "value": f.value,
            "pupils": f.pupils,
            "suppressed": f.suppressed,
        }
        for f in figures
    ]


def _programme(slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    return programme


@router.get(
    "/{slug}/outcomes",
    response={200: OutcomesOut, **READ_ERRORS},
    auth=None,
    summary="A programme's published outcomes",
)
@_public
def outcomes(request: HttpRequest, slug: ProgrammeSlug) -> Any:
    """The aggregated figures and narrative the programme's leads published."""
    programme = _programme(slug)
    if programme.outcomes_published_at is None:
        raise Http404("This programme has not published its outcomes yet.")
    return {
        "programme": programme.slug,
        "name": programme.name,
        "narrative": programme.outcomes_narrative,
        "published_at": programme.outcomes_published_at.isoformat(),
        "figures": _figures_out(selectors.published_figures(programme=programme)),
    }


@router.get(
    "/{slug}/figures",
    response={200: OutcomesOut, **STAFF_READ_ERRORS},
    summary="A programme's figures now",
)
@_leads
def figures(request: HttpRequest, slug: ProgrammeSlug) -> Any:
    """The programme's figures from its data as it is now, for its dashboard."""
    programme = _programme(slug)
    who = standing(request.user, programme)
    if not who.is_lead:
        if not who.in_programme:
            raise Http404("No such programme.")
        raise PermissionDenied("Only the programme's leads see its figures before publishing.")
    return {
        "programme": programme.slug,
        "name": programme.name,
        "narrative": programme.outcomes_narrative,
        "published_at": (
            programme.outcomes_published_at.isoformat() if programme.outcomes_published_at else None
        ),
        "figures": _figures_out(selectors.programme_figures(programme=programme)),
    }
