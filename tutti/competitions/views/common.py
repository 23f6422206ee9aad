"""What the competition's pages share: reading the family's link, video addresses, audit."""

from enum import StrEnum
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tutti.competitions.models import Entry
from tutti.competitions.tokens import LinkProblem, entry_link_check, entry_link_read, video_token
from tutti.core.audit import audit
from tutti.directory.models import Hub


class CompetitionRead(StrEnum):
    """Someone saw a child's entry or video."""

    ENTRY = "read.competitions.entry"
    ENTRIES = "read.competitions.entries"
    VIDEO = "read.competitions.video"
    JUDGING = "read.competitions.judging"


def audit_read(request: Any, action: CompetitionRead, *, obj: Any = None, **data: Any) -> None:
    """As tutti.core.audit.audit_read, with this app's kinds of read."""
    audit(
        action,
        hub=getattr(request, "hub", None),
        actor=request.user,
        obj=obj,
        path=request.get_full_path()[:500],
        **data,
    )


def link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request, "core/link_problem.html", {"message": problem.message}, status=problem.status
    )


def entry_from_link(hub: Hub, token: str) -> Entry:
    """The entry a family's link is for; LinkProblem when the link cannot be used, 404 when
    the entry is not (or no longer) there."""
    link = entry_link_read(token)
    entry = (
        Entry.objects.filter(pk=link.entry_id, competition__hub=hub)
        .select_related("competition__hub", "category", "school__local_authority")
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    entry_link_check(link, current_version=entry.link_version)
    return entry


def video_url(request: HttpRequest, entry: Entry) -> str | None:
    """A short-lived address of the entry's video that only this browser's session can use."""
    if not entry.video:
        return None
    if request.session.session_key is None:
        request.session.create()
    token = video_token(entry_id=entry.pk, session_key=request.session.session_key or "")
    hub: Hub = request.hub  # type: ignore[attr-defined]
    return reverse("competitions:video", kwargs={"hub_slug": hub.slug, "token": token})
