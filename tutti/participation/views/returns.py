"""A partner's return: its page, adding records to it, the spreadsheet, and sending it.

The same pages serve partner staff signed in (under /manage/) and anyone with the return's
signed link; ``access.ReturnAccess`` says which.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tutti.participation import selectors, services
from tutti.participation.access import (
    ReturnAccess,
    linked_record,
    record_kind,
    return_link_view,
    signed_in_return,
)
from tutti.participation.forms import UploadForm, record_form
from tutti.participation.kinds import RecordKind
from tutti.participation.models import ParticipationRecord
from tutti.participation.spreadsheet import read_upload, template_workbook
from tutti.participation.views.exports import XLSX, file_year
from tutti.participation.views.records import form_saved, record_delete_page, record_edit_page
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import HubRequest, MemberRequest


def _return_page(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    """A partner's return: add records, or download the spreadsheet, fill it in, upload it."""
    submission, editor = access.submission, access.editor
    collection = submission.collection
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST" and not submission.is_submitted:
        if form.is_valid():
            upload = read_upload(
                form.cleaned_data["file"].read(),
                hub=request.hub,
                partner=submission.partner,
                year=collection.year,
            )
            problems = upload.errors
            if not problems:
                try:
                    created = services.submission_submit(
                        submission=submission,
                        records=upload.records,
                        by=editor.by,
                        via=editor.via,
                    )
                except services.ParticipationError as error:
                    problems = [str(error)]
                except ValidationError as error:
                    problems = [m for ms in error.message_dict.values() for m in ms]
                else:
                    messages.success(
                        request,
                        f"Thank you: your return for {collection.year_label} is in, with "
                        f"{len(created)} record{'s' if len(created) != 1 else ''}.",
                    )
                    return redirect(access.urls.page)
            services.submission_start(submission=submission)
        status = 400
    elif request.method == "POST":
        status = 400
        problems = [services.RETURN_SENT]
    kinds = _return_kinds(access)
    return render(
        request,
        "participation/submission_detail.html",
        {
            "submission": submission,
            "collection": collection,
            "late": submission.is_late(timezone.localdate()),
            "form": form,
            "problems": problems,
            "kinds": kinds,
            "urls": access.urls,
            "by_link": access.by_link,
        },
        status=status,
    )


def _return_record_add(request: HubRequest, access: ReturnAccess, kind: str) -> HttpResponse:
    """Add one record to the partner's return with a web form, instead of the spreadsheet."""
    submission, editor = access.submission, access.editor
    of_kind = record_kind(kind)
    back = access.urls.page
    if submission.is_submitted:
        messages.info(request, "This return has already been sent.")
        return redirect(back)
    collection = submission.collection
    form = record_form(of_kind)(
        request.POST or None,
        hub=request.hub,
        record_kind=of_kind,
        partners=selectors.delivering_partners(hub=request.hub).filter(pk=submission.partner_id),
        years=[collection.year],
    )
    # The return fixes both: its year, and the partner sending it.
    del form.fields["year"], form.fields["partner"]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            school = fields.pop("urn", None)
            saved = form_saved(
                form,
                lambda: services.submission_record_create(
                    submission=submission,
                    section=of_kind.key,
                    by=editor.by,
                    own_organisations=editor.own_organisations,
                    via=editor.via,
                    school=school,
                    **fields,
                ),
            )
            if saved is not None:
                messages.success(request, f"Added to your return: {of_kind.label.lower()}.")
                return redirect(back)
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {"form": form, "kind": of_kind, "submission": submission, "back": back},
        status=status,
    )


@dataclass(frozen=True)
class ReturnRecord:
    """A record on its return's page, with the links to change and delete it."""

    record: ParticipationRecord
    edit_url: str
    delete_url: str


def _return_kinds(access: ReturnAccess) -> list[tuple[RecordKind, list[ReturnRecord], str]]:
    """The return's records by kind, each with its links, and the kind's add link."""
    urls = access.urls
    return [
        (
            kind,
            [
                ReturnRecord(
                    record=record,
                    edit_url=urls.edit(kind.key, record.pk),
                    delete_url=urls.delete(kind.key, record.pk),
                )
                for record in records
            ],
            urls.add(kind.key),
        )
        for kind, records in selectors.submission_records(submission=access.submission)
    ]


def _return_send(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    """Send the return with the records added on its page, after a page that shows what will
    be sent and asks to confirm."""
    submission, editor = access.submission, access.editor
    if request.method != "POST":
        if submission.is_submitted:
            return redirect(access.urls.page)
        kinds = _return_kinds(access)
        return render(
            request,
            "participation/submission_confirm.html",
            {
                "submission": submission,
                "collection": submission.collection,
                "kinds": kinds,
                "total": sum(len(records) for _, records, _ in kinds),
                "urls": access.urls,
                "by_link": access.by_link,
            },
        )
    try:
        services.submission_submit(submission=submission, records=[], by=editor.by, via=editor.via)
    except services.ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Thank you: your return for {submission.collection.year_label} is in. "
            "What you sent is below.",
        )
    return redirect(access.urls.page)


def _return_template(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    """The spreadsheet to fill in, with last year's ensembles and schools to confirm."""
    submission = access.submission
    year = submission.collection.year
    body = template_workbook(hub=request.hub, partner=submission.partner, year=year)
    response = HttpResponse(body, content_type=XLSX)
    name = f"{request.hub.slug}-data-return-{file_year(year)}-{submission.partner.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hub_permission_required("can_enter_participation")
def submission_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """A partner's return, for the partner's staff signed in (and hub staff)."""
    return _return_page(request, signed_in_return(request, pk))


@hub_permission_required("can_enter_participation")
def submission_record_create(
    request: MemberRequest, hub_slug: str, pk: int, kind: str
) -> HttpResponse:
    return _return_record_add(request, signed_in_return(request, pk), kind)


@hub_permission_required("can_enter_participation")
def submission_send(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _return_send(request, signed_in_return(request, pk))


@hub_permission_required("can_enter_participation")
def submission_template(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _return_template(request, signed_in_return(request, pk))


# The same pages through the return's signed link: no account needed ------------------------


@return_link_view
def return_link(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    return _return_page(request, access)


@return_link_view
def return_link_add(request: HubRequest, access: ReturnAccess, kind: str) -> HttpResponse:
    return _return_record_add(request, access, kind)


@return_link_view
def return_link_submit(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    return _return_send(request, access)


@return_link_view
def return_link_template(request: HubRequest, access: ReturnAccess) -> HttpResponse:
    return _return_template(request, access)


@return_link_view
def return_link_edit(
    request: HubRequest, access: ReturnAccess, kind: str, record_pk: int
) -> HttpResponse:
    of_kind = record_kind(kind)
    return record_edit_page(
        request,
        record=linked_record(access, of_kind, record_pk),
        kind=of_kind,
        editor=access.editor,
        back=lambda _: access.urls.page,
    )


@return_link_view
def return_link_delete(
    request: HubRequest, access: ReturnAccess, kind: str, record_pk: int
) -> HttpResponse:
    of_kind = record_kind(kind)
    return record_delete_page(
        request,
        record=linked_record(access, of_kind, record_pk),
        kind=of_kind,
        editor=access.editor,
        back=access.urls.page,
    )
