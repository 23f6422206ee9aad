"""Who may do what with participation records, for the pages and the API alike.

Hub staff (``can_manage_participation``) reach every record of their hub; partner staff
(``can_enter_participation``) only their own organisations' records and returns, until a
return is sent; anyone with a return's signed link, that return only, on the same terms as
the partner's staff. The draft (unpublished) impact figures are for the hub's own people.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tutti.accounts.models import Membership
from tutti.core.links import LinkProblem
from tutti.core.permissions import View
from tutti.participation.kinds import KINDS, RecordKind
from tutti.participation.models import ParticipationRecord, Submission
from tutti.participation.tokens import return_link_check, return_link_read
from tutti.tenancy.pages import public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest


def may_see_draft_figures(membership: Membership | None) -> bool:
    """Every figure of every year, published or not: the hub's staff and partners."""
    return membership is not None and membership.has_capability("can_view_draft_impact")


def may_manage_participation(membership: Membership | None) -> bool:
    """Every record of the hub, publishing the figures and the data collections."""
    return membership is not None and membership.has_capability("can_manage_participation")


def own_organisations(membership: Membership) -> list[int] | None:
    """None for hub staff (every partner); a partner's staff, their own organisations."""
    if may_manage_participation(membership):
        return None
    return membership.organisation_ids()


def record_kind(key: str) -> RecordKind:
    """The kind of record named in an address; 404 for any other name."""
    kind = KINDS.get(key)
    if kind is None:
        raise Http404("No such kind of record.")
    return kind


@dataclass(frozen=True)
class Editor:
    """Who changes records, and how: ``own_organisations`` None for hub staff, else the
    organisations whose records they may change; ``by`` the person signed in, or None through
    a return's signed link (``via`` "link", which the audit log keeps)."""

    own_organisations: list[int] | None
    by: Any
    via: str | None = None


def editor(request: MemberRequest) -> Editor:
    return Editor(own_organisations=own_organisations(request.membership), by=request.user)


def find_record(kind: RecordKind, **lookup: Any) -> ParticipationRecord:
    related = ["partner", "submission__collection"] + (["school"] if kind.names_school else [])
    return get_object_or_404(kind.model.objects.select_related(*related), **lookup)


def hub_record(request: MemberRequest, kind: RecordKind, pk: int) -> ParticipationRecord:
    """A record of this hub; partner staff reach only their own organisations'."""
    record = find_record(kind, hub=request.hub, pk=pk)
    own = own_organisations(request.membership)
    if own is not None and record.partner_id not in own:
        raise Http404("No such record.")
    return record


# A partner's return: the same pages for partner staff signed in and for anyone with its
# signed link; ReturnAccess says which, and where the pages are.


@dataclass(frozen=True)
class ReturnUrls:
    """The addresses of a return's pages: under /manage/ for partner staff signed in, or under
    the return's signed link (``token``) for anyone who has it."""

    hub_slug: str
    pk: int
    token: str | None = None

    def _manage(self, name: str, **kwargs: Any) -> str:
        return reverse(f"participation-manage:{name}", kwargs={"hub_slug": self.hub_slug, **kwargs})

    def _link(self, name: str, **kwargs: Any) -> str:
        kwargs |= {"hub_slug": self.hub_slug, "pk": self.pk, "token": self.token}
        return reverse(f"participation:{name}", kwargs=kwargs)

    def _either(self, manage: str, link: str, **kwargs: Any) -> str:
        if self.token is None:
            return self._manage(manage, pk=self.pk, **kwargs)
        return self._link(link, **kwargs)

    @property
    def page(self) -> str:
        return self._either("submission", "return-link")

    @property
    def submit(self) -> str:
        return self._either("submission-submit", "return-link-submit")

    @property
    def template(self) -> str:
        return self._either("submission-template", "return-link-template")

    def add(self, kind: str) -> str:
        return self._either("submission-record-create", "return-link-add", kind=kind)

    def edit(self, kind: str, record_pk: int) -> str:
        if self.token is None:
            url = self._manage("record-edit", kind=kind, pk=record_pk)
            return f"{url}?next={quote(self.page)}"
        return self._link("return-link-edit", kind=kind, record_pk=record_pk)

    def delete(self, kind: str, record_pk: int) -> str:
        if self.token is None:
            url = self._manage("record-delete", kind=kind, pk=record_pk)
            return f"{url}?next={quote(self.page)}"
        return self._link("return-link-delete", kind=kind, record_pk=record_pk)


@dataclass(frozen=True)
class ReturnAccess:
    """A return, who is working on it, and where its pages are for them."""

    submission: Submission
    editor: Editor
    urls: ReturnUrls

    @property
    def by_link(self) -> bool:
        return self.urls.token is not None


def hub_submission(request: MemberRequest, pk: int) -> Submission:
    """A submission of this hub; partner staff reach only their own organisations'."""
    submission = get_object_or_404(
        Submission.objects.select_related("collection__hub", "partner"),
        collection__hub=request.hub,
        pk=pk,
    )
    own = own_organisations(request.membership)
    if own is not None and submission.partner_id not in own:
        raise Http404("No such data return.")
    return submission


def signed_in_return(request: MemberRequest, pk: int) -> ReturnAccess:
    return ReturnAccess(
        submission=hub_submission(request, pk),
        editor=editor(request),
        urls=ReturnUrls(hub_slug=request.hub.slug, pk=pk),
    )


def linked_return(request: HubRequest, pk: int, token: str) -> ReturnAccess:
    """The return the token is for; LinkProblem when it cannot be used, 404 when it is for
    another return or hub."""
    link = return_link_read(token)
    if link.hub_id != request.hub.pk or link.submission_id != pk:
        raise Http404("No such data return.")
    submission = get_object_or_404(
        Submission.objects.select_related("collection__hub", "partner"),
        collection__hub=request.hub,
        pk=pk,
    )
    return_link_check(link, link_version=submission.link_version)
    return ReturnAccess(
        submission=submission,
        # The same rules as for the partner's staff: their own return, until it is sent.
        editor=Editor(own_organisations=[submission.partner_id], by=None, via="link"),
        urls=ReturnUrls(hub_slug=request.hub.slug, pk=pk, token=token),
    )


def linked_record(access: ReturnAccess, kind: RecordKind, record_pk: int) -> ParticipationRecord:
    # The link reaches the records of its own return only.
    submission = access.submission
    return find_record(kind, hub=submission.collection.hub, submission=submission, pk=record_pk)


def link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request, "core/link_problem.html", {"message": problem.message}, status=problem.status
    )


def return_link_view(view: Callable[..., HttpResponse]) -> View:
    """A page of a return reached through its signed link; the view gets the ReturnAccess."""

    @wraps(view)
    def wrapper(
        request: HubRequest, hub_slug: str, pk: int, token: str, **kwargs: Any
    ) -> HttpResponse:
        try:
            access = linked_return(request, pk, token)
        except LinkProblem as problem:
            response = link_problem(request, problem)
        else:
            response = view(request, access, **kwargs)
        # The token is a secret in the address: keep it out of search engines, and out of the
        # Referer sent to other sites. Not "no-referrer": browsers then send "Origin: null"
        # with the page's own forms, and Django's CSRF check refuses them.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return public_hub_view(wrapper)
