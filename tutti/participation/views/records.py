"""The hub's participation records: the list, and adding, changing and deleting one."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tutti.core.audit import ReadAction, audit_read
from tutti.core.years import current_academic_year, year_label
from tutti.participation import selectors, services
from tutti.participation.access import (
    Editor,
    ReturnUrls,
    editor,
    hub_record,
    own_organisations,
    record_kind,
)
from tutti.participation.forms import YearForm, record_form
from tutti.participation.kinds import KINDS, RecordKind
from tutti.participation.models import ParticipationRecord, SubmissionStatus
from tutti.participation.views.years import chosen_year
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import HubRequest, MemberRequest

RECORDS_IN_OVERVIEW = 10
RECORDS_PER_PAGE = 50


def form_saved(form: BaseForm, save: Callable[[], Any]) -> Any:
    """What ``save`` returns, or None when the service refused: its reason goes on the form."""
    try:
        return save()
    except services.ParticipationError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error(None, error)
    return None


@hub_permission_required("can_enter_participation")
def manage_home(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """This year's records by kind; partner staff see only their own organisations'."""
    year, years = chosen_year(request)
    own = own_organisations(request.membership)
    # Every kind in full made a page tens of thousands of pixels long: the overview shows the
    # first few of each, and one kind at a time is paged.
    # "?section=" as in the addresses people have bookmarked: the kind of record to page.
    chosen = request.GET.get("section", "")
    if chosen not in KINDS:
        chosen = ""
    page = None
    kinds = []
    for kind in [KINDS[chosen]] if chosen else KINDS.values():
        found = selectors.records_for(hub=request.hub, kind=kind, year=year)
        if own is not None:
            found = found.filter(partner_id__in=own)
        found = found.select_related("submission").order_by("partner__name", "pk")
        if chosen:
            page = Paginator(found, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
            records, count = list(page.object_list), page.paginator.count
        else:
            records, count = list(found[:RECORDS_IN_OVERVIEW]), found.count()
        for record in records:
            record.can_change = not services.record_change_refused(
                record=record, own_organisations=own
            )
        kinds.append((kind, records, count))
    audit_read(request, ReadAction.PARTICIPATION_RECORDS, year=year)
    return render(
        request,
        "participation/manage_home.html",
        {
            "year": year,
            "year_label": year_label(year),
            "year_form": YearForm(initial={"year": year}, years=years),
            "kind_choices": list(KINDS.values()),
            "overview_size": RECORDS_IN_OVERVIEW,
            "chosen": chosen,
            "page": page,
            "query": urlencode({"year": year, "section": chosen}),
            "kinds": kinds,
            "can_export": own is None,
            "returns": list(
                selectors.submissions_for(hub=request.hub, organisation_ids=own).exclude(
                    status=SubmissionStatus.SUBMITTED
                )[:50]
            )
            if own is not None
            else [],
        },
    )


@hub_permission_required("can_enter_participation")
def record_create(request: MemberRequest, hub_slug: str, kind: str) -> HttpResponse:
    of_kind = record_kind(kind)
    own = own_organisations(request.membership)
    partners = selectors.delivering_partners(hub=request.hub, organisation_ids=own)
    now = current_academic_year()
    form = record_form(of_kind)(
        request.POST or None,
        hub=request.hub,
        record_kind=of_kind,
        partners=partners,
        years=[now, now - 1, now - 2],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            year, partner = fields.pop("year"), fields.pop("partner")
            school = fields.pop("urn", None)
            saved = form_saved(
                form,
                lambda: services.record_create(
                    hub=request.hub,
                    section=of_kind.key,
                    year=year,
                    partner=partner,
                    school=school,
                    by=request.user,
                    own_organisations=own,
                    **fields,
                ),
            )
            if saved is not None:
                messages.success(request, f"Saved: {of_kind.label.lower()}.")
                home = reverse("participation-manage:home", kwargs={"hub_slug": hub_slug})
                return redirect(f"{home}?year={year}")
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {"form": form, "kind": of_kind},
        status=status,
    )


def _record_back(request: MemberRequest, record: ParticipationRecord, own: list[int] | None) -> str:
    """The page the person came from (``?next=``), else the records for the record's year, or
    for partner staff the unsent return it is part of."""
    url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    submission = record.submission
    if own is not None and submission is not None and not submission.is_submitted:
        return ReturnUrls(hub_slug=request.hub.slug, pk=submission.pk).page
    home = reverse("participation-manage:home", kwargs={"hub_slug": request.hub.slug})
    return f"{home}?year={record.year}"


def record_edit_page(
    request: HubRequest,
    *,
    record: ParticipationRecord,
    kind: RecordKind,
    editor: Editor,
    back: Callable[[ParticipationRecord], str],
) -> HttpResponse:
    """The form to change a record, for a signed-in person or through a return's link;
    ``back`` gives the page to go back to, once the record is saved."""
    own = editor.own_organisations
    refused = services.record_change_refused(record=record, own_organisations=own)
    if refused:
        messages.error(request, refused)
        return redirect(back(record))
    now = current_academic_year()
    school = getattr(record, "school", None)
    form = record_form(kind)(
        request.POST or None,
        initial={
            **model_to_dict(record, fields=kind.form_fields),
            "year": record.year,
            "partner": record.partner_id,
            "urn": school.urn if school else None,
        },
        hub=request.hub,
        record_kind=kind,
        partners=selectors.record_partners(hub=request.hub, record=record, organisation_ids=own),
        years=sorted({now, now - 1, now - 2, record.year}, reverse=True),
    )
    if record.submission_id:
        # A record in a return keeps the return's year and partner.
        del form.fields["year"], form.fields["partner"]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            if "urn" in fields:
                fields["school"] = fields.pop("urn")
            saved = form_saved(
                form,
                lambda: services.record_update(
                    record=record, by=editor.by, own_organisations=own, via=editor.via, **fields
                ),
            )
            if saved is not None:
                messages.success(request, f"Saved your changes: {kind.label.lower()}.")
                return redirect(back(saved))
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {"form": form, "kind": kind, "record": record, "back": back(record)},
        status=status,
    )


def record_delete_page(
    request: HubRequest,
    *,
    record: ParticipationRecord,
    kind: RecordKind,
    editor: Editor,
    back: str,
) -> HttpResponse:
    """Ask first, then delete the record; the same rules as changing it."""
    own = editor.own_organisations
    refused = services.record_change_refused(record=record, own_organisations=own)
    if refused:
        messages.error(request, refused)
        return redirect(back)
    if request.method == "POST":
        try:
            services.record_delete(
                record=record, by=editor.by, own_organisations=own, via=editor.via
            )
        except services.ParticipationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Deleted: {kind.label.lower()}.")
        return redirect(back)
    return render(
        request,
        "participation/record_confirm_delete.html",
        {"record": record, "kind": kind, "back": back},
    )


@hub_permission_required("can_enter_participation")
def record_edit(request: MemberRequest, hub_slug: str, kind: str, pk: int) -> HttpResponse:
    """Change a record; partner staff their own organisations', until their return is sent."""
    of_kind = record_kind(kind)
    record = hub_record(request, of_kind, pk)
    own = own_organisations(request.membership)
    return record_edit_page(
        request,
        record=record,
        kind=of_kind,
        editor=editor(request),
        back=lambda r: _record_back(request, r, own),
    )


@hub_permission_required("can_enter_participation")
def record_delete(request: MemberRequest, hub_slug: str, kind: str, pk: int) -> HttpResponse:
    """Ask first, then delete the record; the same rules as changing it."""
    of_kind = record_kind(kind)
    record = hub_record(request, of_kind, pk)
    back = _record_back(request, record, own_organisations(request.membership))
    return record_delete_page(
        request, record=record, kind=of_kind, editor=editor(request), back=back
    )
