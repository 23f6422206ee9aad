import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tutti.core.audit import ReadAction, audit_read
from tutti.core.spreadsheets import cell_value
from tutti.core.urls import absolute_url
from tutti.participation import publishing, selectors, services
from tutti.participation.figures import (
    FIGURES_BY_KEY,
    SECTIONS,
    YearData,
    compute_figures,
    load_year,
)
from tutti.participation.forms import (
    SECTION_FIELDS,
    SECTION_LABELS,
    CollectionForm,
    PublicationForm,
    UploadForm,
    YearForm,
    record_form,
)
from tutti.participation.impact import impact_page
from tutti.participation.models import Collection, Submission, SubmissionStatus
from tutti.participation.returns import SCHOOL_COLUMNS, return_rows, return_workbook
from tutti.participation.spreadsheet import read_upload, template_workbook
from tutti.participation.tokens import (
    LinkProblem,
    return_link_check,
    return_link_path,
    return_link_read,
)
from tutti.participation.years import current_academic_year, parse_year, year_label
from tutti.tenancy.pages import hub_permission_required, public_hub_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> tuple[int, list[int]]:
    """The year asked for (?year=2025 or 2025/26), and the years to choose from."""
    years = selectors.years_with_records(hub=request.hub)
    year = parse_year(request.GET.get("year"), selectors.default_year(years))
    if year is None:
        raise Http404("No such academic year.")
    return year, sorted({*years, year}, reverse=True)


def _year_data(request: HttpRequest) -> tuple[YearData, list[int]]:
    year, years = _year(request)
    return load_year(hub=request.hub, year=year), years


@public_hub_view
def impact(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The hub's headline figures for a year, each with how it is counted, their five-year
    trend and the schools reached. The public sees the years and figures the hub has
    published; hub staff and partners see everything, and can preview the public page."""
    membership = request.membership
    internal = membership is not None and membership.has_capability("can_view_draft_impact")
    public = not internal or request.GET.get("as") == "public"
    published = publishing.publications(hub=request.hub)
    if public:
        years = list(published)
        if not years:
            return render(request, "participation/impact_unpublished.html", {"internal": internal})
        year = parse_year(request.GET.get("year"), years[0])
        if year not in published:
            raise Http404("The hub has not published its figures for that year.")
    else:
        year, years = _year(request)
    page = impact_page(hub=request.hub, year=year, publications=published, public=public)
    return render(
        request,
        "participation/impact.html",
        {
            "page": page,
            "figures": [row.figure_value for row in page.rows],
            "year": year,
            "year_label": year_label(year),
            "year_form": YearForm(initial={"year": year}, years=years),
            "internal": internal,
            "preview": internal and public,
            "can_publish": internal and membership.has_capability("can_manage_participation"),
            "can_see_records": internal
            and not public
            and membership.has_capability("can_manage_participation"),
        },
    )


@hub_permission_required("can_manage_participation")
def publish(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """Choose which of a year's figures the public impact page shows, or take them off it."""
    year, _ = _year(request)
    publication = publishing.publications(hub=request.hub).get(year)
    figures, show_reach = publishing.default_choice(hub=request.hub, year=year)
    values = {f.figure.key: f for f in compute_figures(load_year(hub=request.hub, year=year))}
    form = PublicationForm(
        request.POST or None,
        initial={"figures": figures, "show_reach": show_reach},
        values=values,
    )
    impact_url = reverse("participation:impact", kwargs={"hub_slug": hub_slug})
    # Publishing before every return is in shows figures that will still grow: say so first.
    collection, outstanding = selectors.outstanding_returns(hub=request.hub, year=year)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        if publishing.withdraw(hub=request.hub, year=year, by=request.user):
            messages.success(
                request, f"The figures for {year_label(year)} are no longer on the public page."
            )
        return redirect(f"{impact_url}?year={year}")
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = publishing.publish(
                    hub=request.hub,
                    year=year,
                    figures=form.cleaned_data["figures"],
                    show_reach=form.cleaned_data["show_reach"],
                    by=request.user,
                )
            except publishing.PublishingError as error:
                form.add_error(None, str(error))
            else:
                count = len(saved.figures)
                messages.success(
                    request,
                    f"Published: the public impact page shows {count} "
                    f"figure{'s' if count != 1 else ''} for {year_label(year)}."
                    + (
                        f" {outstanding} partner{'s' if outstanding != 1 else ''} still "
                        "to send a return: the figures change as their records come in."
                        if outstanding
                        else ""
                    ),
                )
                return redirect(f"{impact_url}?year={year}")
        status = 400
    return render(
        request,
        "participation/publish.html",
        {
            "form": form,
            "year": year,
            "year_label": year_label(year),
            "publication": publication,
            "collection": collection,
            "outstanding": outstanding,
        },
        status=status,
    )


@hub_permission_required("can_manage_participation")
def figure_records(request: HttpRequest, hub_slug: str, key: str) -> HttpResponse:
    """The records behind one figure: which partner, which school."""
    figure = FIGURES_BY_KEY.get(key)
    if figure is None:
        raise Http404("No such figure.")
    data, _ = _year_data(request)
    result = figure.compute(data)
    sections = [
        (
            section,
            SECTION_LABELS[section],
            list(
                selectors.records_for(
                    hub=request.hub, section=section, year=data.year, pks=[r["pk"] for r in rows]
                )
            ),
        )
        for section, rows in result.records.items()
        if rows
    ]
    schools = None
    if figure.key == "schools-in-area":
        schools = [data.schools[pk] for pk in sorted(result.schools or ())]
    audit_read(request, ReadAction.FIGURE_RECORDS, figure=figure.key, year=data.year)
    return render(
        request,
        "participation/figure_records.html",
        {
            "figure": figure,
            "value": result.value,
            "year": data.year,
            "year_label": year_label(data.year),
            "sections": sections,
            "schools": schools,
        },
    )


def _file_year(year: int) -> str:
    """The academic year in a file name: 2025 → "2025-26", as "2025" alone could be either."""
    return year_label(year).replace("/", "-")


@hub_permission_required("can_manage_participation")
def return_xlsx(request: HttpRequest, hub_slug: str) -> HttpResponse:
    data, _ = _year_data(request)
    audit_read(request, ReadAction.DATA_RETURN, year=data.year, format="xlsx")
    body = return_workbook(data, compute_figures(data))
    response = HttpResponse(body, content_type=XLSX)
    name = f"{hub_slug}-data-return-{_file_year(data.year)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_cell(value: object) -> object:
    return cell_value(value)


@hub_permission_required("can_manage_participation")
def return_csv(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The Schools sheet of the data return, as CSV."""
    data, _ = _year_data(request)
    audit_read(request, ReadAction.DATA_RETURN, year=data.year, format="csv")
    rows = return_rows(data, compute_figures(data))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{hub_slug}-data-return-{_file_year(data.year)}-schools.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(SCHOOL_COLUMNS)
    writer.writerows([_csv_cell(v) for v in row] for row in rows.schools)
    return response


RECORDS_IN_OVERVIEW = 10
RECORDS_PER_PAGE = 50


def _own_organisations(request: HttpRequest) -> list[int] | None:
    """None for hub staff (every partner); a partner's staff, their own organisations."""
    membership = request.membership
    if membership.has_capability("can_manage_participation"):
        return None
    if membership.pk is None:
        return []
    return list(membership.organisations.values_list("pk", flat=True))


@hub_permission_required("can_enter_participation")
def manage_home(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """This year's records by section; partner staff see only their own organisations'."""
    year, years = _year(request)
    own = _own_organisations(request)
    # Every section in full made a page tens of thousands of pixels long: the overview shows
    # the first few of each, and one section at a time is paged.
    chosen = request.GET.get("section", "")
    if chosen not in SECTIONS:
        chosen = ""
    page = None
    sections = []
    for section in [chosen] if chosen else SECTIONS:
        found = selectors.records_for(hub=request.hub, section=section, year=year)
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
        sections.append((section, SECTION_LABELS[section], records, count))
    audit_read(request, ReadAction.PARTICIPATION_RECORDS, year=year)
    return render(
        request,
        "participation/manage_home.html",
        {
            "year": year,
            "year_label": year_label(year),
            "year_form": YearForm(initial={"year": year}, years=years),
            "section_choices": [(key, SECTION_LABELS[key]) for key in SECTIONS],
            "overview_size": RECORDS_IN_OVERVIEW,
            "chosen": chosen,
            "page": page,
            "query": urlencode({"year": year, "section": chosen}),
            "sections": sections,
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
def record_create(request: HttpRequest, hub_slug: str, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such kind of record.")
    own = _own_organisations(request)
    partners = selectors.delivering_partners(hub=request.hub, organisation_ids=own)
    now = current_academic_year()
    form = record_form(section)(
        request.POST or None,
        hub=request.hub,
        section=section,
        partners=partners,
        years=[now, now - 1, now - 2],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            year, partner = fields.pop("year"), fields.pop("partner")
            school = fields.pop("urn", None)
            try:
                services.record_create(
                    hub=request.hub,
                    section=section,
                    year=year,
                    partner=partner,
                    school=school,
                    by=request.user,
                    own_organisations=own,
                    **fields,
                )
            except services.ParticipationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Saved: {SECTION_LABELS[section].lower()}.")
                home = reverse("participation-manage:home", kwargs={"hub_slug": hub_slug})
                return redirect(f"{home}?year={year}")
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {"form": form, "section": section, "section_label": SECTION_LABELS[section]},
        status=status,
    )


def _find_record(section: str, **lookup: Any) -> Model:
    if section not in SECTIONS:
        raise Http404("No such kind of record.")
    related = ["partner", "submission__collection"] + (["school"] if section != "loans" else [])
    return get_object_or_404(SECTIONS[section].objects.select_related(*related), **lookup)


def _record(request: HttpRequest, section: str, pk: int) -> Model:
    """A record of this hub; partner staff reach only their own organisations'."""
    record = _find_record(section, hub=request.hub, pk=pk)
    own = _own_organisations(request)
    if own is not None and record.partner_id not in own:
        raise Http404("No such record.")
    return record


def _record_back(request: HttpRequest, record: Model, own: list[int] | None) -> str:
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


@dataclass(frozen=True)
class Editor:
    """Who changes records, and how: ``own_organisations`` None for hub staff, else the
    organisations whose records they may change; ``by`` the person signed in, or None through
    a return's signed link (``via`` "link", which the audit log keeps)."""

    own_organisations: list[int] | None
    by: Any
    via: str | None = None


def _editor(request: HttpRequest) -> Editor:
    return Editor(own_organisations=_own_organisations(request), by=request.user)


def _record_edit(
    request: HttpRequest,
    *,
    record: Model,
    section: str,
    editor: Editor,
    back: Callable[[Model], str],
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
    form = record_form(section)(
        request.POST or None,
        initial={
            **model_to_dict(record, fields=SECTION_FIELDS[section]),
            "year": record.year,
            "partner": record.partner_id,
            "urn": school.urn if school else None,
        },
        hub=request.hub,
        section=section,
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
            try:
                record = services.record_update(
                    record=record, by=editor.by, own_organisations=own, via=editor.via, **fields
                )
            except services.ParticipationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Saved your changes: {SECTION_LABELS[section].lower()}.")
                return redirect(back(record))
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {
            "form": form,
            "section": section,
            "section_label": SECTION_LABELS[section],
            "record": record,
            "back": back(record),
        },
        status=status,
    )


def _record_delete(
    request: HttpRequest, *, record: Model, section: str, editor: Editor, back: str
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
            messages.success(request, f"Deleted: {SECTION_LABELS[section].lower()}.")
        return redirect(back)
    return render(
        request,
        "participation/record_confirm_delete.html",
        {
            "record": record,
            "section": section,
            "section_label": SECTION_LABELS[section],
            "back": back,
        },
    )


@hub_permission_required("can_enter_participation")
def record_edit(request: HttpRequest, hub_slug: str, section: str, pk: int) -> HttpResponse:
    """Change a record; partner staff their own organisations', until their return is sent."""
    record = _record(request, section, pk)
    own = _own_organisations(request)
    return _record_edit(
        request,
        record=record,
        section=section,
        editor=_editor(request),
        back=lambda r: _record_back(request, r, own),
    )


@hub_permission_required("can_enter_participation")
def record_delete(request: HttpRequest, hub_slug: str, section: str, pk: int) -> HttpResponse:
    """Ask first, then delete the record; the same rules as changing it."""
    record = _record(request, section, pk)
    back = _record_back(request, record, _own_organisations(request))
    return _record_delete(
        request, record=record, section=section, editor=_editor(request), back=back
    )


# Partner data collection -------------------------------------------------------------------


@hub_permission_required("can_manage_participation")
def collection_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The hub's data collections, and opening a new one for a year."""
    now = current_academic_year()
    form = CollectionForm(request.POST or None, years=[now - 1, now, now - 2])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                collection = services.collection_open(
                    hub=request.hub,
                    year=form.cleaned_data["year"],
                    deadline=form.cleaned_data["deadline"],
                    by=request.user,
                )
            except services.ParticipationError as error:
                form.add_error("year", str(error))
            else:
                messages.success(
                    request,
                    f"Data collection for {collection.year_label} opened: "
                    f"{collection.submissions.count()} partners can now send their return. "
                    "Each is being emailed its own link; copy a link below to send it yourself.",
                )
                return redirect(
                    "participation-manage:collection", hub_slug=hub_slug, pk=collection.pk
                )
        status = 400
    return render(
        request,
        "participation/collection_list.html",
        {"collections": selectors.collection_list(hub=request.hub), "form": form},
        status=status,
    )


@hub_permission_required("can_manage_participation")
def collection_detail(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Who has sent their return, who has not, and who is late."""
    collection = get_object_or_404(Collection, hub=request.hub, pk=pk)
    today = timezone.localdate()
    submissions = selectors.collection_submissions(collection=collection)
    for s in submissions:
        # The partner's signed link, for staff to copy and send themselves.
        s.link = absolute_url(
            return_link_path(hub=request.hub, submission_id=s.pk, version=s.link_version),
            request,
        )
    rows = [(s, s.is_late(today)) for s in submissions]
    return render(
        request,
        "participation/collection_detail.html",
        {
            "collection": collection,
            "rows": rows,
            "submitted": sum(1 for s in submissions if s.is_submitted),
            "late": sum(1 for _, late in rows if late),
            "waiting": sum(1 for s in submissions if not s.is_submitted),
            "past_deadline": today > collection.deadline,
        },
    )


@hub_permission_required("can_manage_participation")
def collection_remind(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, hub=request.hub, pk=pk)
    if request.method == "POST":
        reminded = services.collection_remind(collection=collection, by=request.user)
        if reminded:
            messages.success(
                request,
                f"Reminder sent to {len(reminded)} partner{'s' if len(reminded) != 1 else ''}.",
            )
        else:
            messages.info(request, "Every partner has sent their return: nobody to remind.")
    return redirect("participation-manage:collection", hub_slug=hub_slug, pk=collection.pk)


@hub_permission_required("can_manage_participation")
def submission_link_replace(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Give a partner's return a new link, when the old one went astray: the old one stops
    working. A GET goes back to the collection's page."""
    submission = get_object_or_404(
        Submission.objects.select_related("collection__hub", "partner"),
        collection__hub=request.hub,
        pk=pk,
    )
    if request.method == "POST":
        services.submission_link_replace(submission=submission, by=request.user)
        messages.success(
            request,
            f"{submission.partner.name} has a new link, below. The old link no longer works: "
            "send the new one to the partner.",
        )
    back = reverse(
        "participation-manage:collection",
        kwargs={"hub_slug": hub_slug, "pk": submission.collection_id},
    )
    return redirect(f"{back}#return-{submission.pk}")


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

    def add(self, section: str) -> str:
        return self._either("submission-record-create", "return-link-add", section=section)

    def edit(self, section: str, record_pk: int) -> str:
        if self.token is None:
            url = self._manage("record-edit", section=section, pk=record_pk)
            return f"{url}?next={quote(self.page)}"
        return self._link("return-link-edit", section=section, record_pk=record_pk)

    def delete(self, section: str, record_pk: int) -> str:
        if self.token is None:
            url = self._manage("record-delete", section=section, pk=record_pk)
            return f"{url}?next={quote(self.page)}"
        return self._link("return-link-delete", section=section, record_pk=record_pk)


@dataclass(frozen=True)
class ReturnAccess:
    """A return, who is working on it, and where its pages are for them."""

    submission: Submission
    editor: Editor
    urls: ReturnUrls

    @property
    def by_link(self) -> bool:
        return self.urls.token is not None


def _submission(request: HttpRequest, pk: int) -> Submission:
    """A submission of this hub; partner staff reach only their own organisations'."""
    submission = get_object_or_404(
        Submission.objects.select_related("collection__hub", "partner"),
        collection__hub=request.hub,
        pk=pk,
    )
    own = _own_organisations(request)
    if own is not None and submission.partner_id not in own:
        raise Http404("No such data return.")
    return submission


def _signed_in_return(request: HttpRequest, pk: int) -> ReturnAccess:
    return ReturnAccess(
        submission=_submission(request, pk),
        editor=_editor(request),
        urls=ReturnUrls(hub_slug=request.hub.slug, pk=pk),
    )


def _return_page(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
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
    sections = _return_sections(access)
    return render(
        request,
        "participation/submission_detail.html",
        {
            "submission": submission,
            "collection": collection,
            "late": submission.is_late(timezone.localdate()),
            "form": form,
            "problems": problems,
            "sections": sections,
            "urls": access.urls,
            "by_link": access.by_link,
        },
        status=status,
    )


def _return_record_add(request: HttpRequest, access: ReturnAccess, section: str) -> HttpResponse:
    """Add one record to the partner's return with a web form, instead of the spreadsheet."""
    submission, editor = access.submission, access.editor
    if section not in SECTIONS:
        raise Http404("No such kind of record.")
    back = access.urls.page
    if submission.is_submitted:
        messages.info(request, "This return has already been sent.")
        return redirect(back)
    collection = submission.collection
    form = record_form(section)(
        request.POST or None,
        hub=request.hub,
        section=section,
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
            try:
                services.submission_record_create(
                    submission=submission,
                    section=section,
                    by=editor.by,
                    own_organisations=editor.own_organisations,
                    via=editor.via,
                    school=school,
                    **fields,
                )
            except services.ParticipationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"Added to your return: {SECTION_LABELS[section].lower()}."
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "participation/record_form.html",
        {
            "form": form,
            "section": section,
            "section_label": SECTION_LABELS[section],
            "submission": submission,
            "back": back,
        },
        status=status,
    )


def _return_sections(access: ReturnAccess) -> list[tuple[str, str, list[Model], str]]:
    """The return's records by section, each with its links, and the section's add link."""
    sections = []
    for section, records in selectors.submission_records(submission=access.submission):
        for record in records:
            record.edit_url = access.urls.edit(section, record.pk)
            record.delete_url = access.urls.delete(section, record.pk)
        sections.append((section, SECTION_LABELS[section], records, access.urls.add(section)))
    return sections


def _return_send(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
    """Send the return with the records added on its page, after a page that shows what will
    be sent and asks to confirm."""
    submission, editor = access.submission, access.editor
    if request.method != "POST":
        if submission.is_submitted:
            return redirect(access.urls.page)
        sections = _return_sections(access)
        return render(
            request,
            "participation/submission_confirm.html",
            {
                "submission": submission,
                "collection": submission.collection,
                "sections": sections,
                "total": sum(len(records) for _, _, records, _ in sections),
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


def _return_template(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
    """The spreadsheet to fill in, with last year's ensembles and schools to confirm."""
    submission = access.submission
    year = submission.collection.year
    body = template_workbook(hub=request.hub, partner=submission.partner, year=year)
    response = HttpResponse(body, content_type=XLSX)
    name = f"{request.hub.slug}-data-return-{_file_year(year)}-{submission.partner.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hub_permission_required("can_enter_participation")
def submission_detail(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """A partner's return, for the partner's staff signed in (and hub staff)."""
    return _return_page(request, _signed_in_return(request, pk))


@hub_permission_required("can_enter_participation")
def submission_record_create(
    request: HttpRequest, hub_slug: str, pk: int, section: str
) -> HttpResponse:
    return _return_record_add(request, _signed_in_return(request, pk), section)


@hub_permission_required("can_enter_participation")
def submission_send(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _return_send(request, _signed_in_return(request, pk))


@hub_permission_required("can_enter_participation")
def submission_template(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _return_template(request, _signed_in_return(request, pk))


# The same pages through the return's signed link: no account needed ------------------------


def _linked_return(request: HttpRequest, pk: int, token: str) -> ReturnAccess:
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


def return_link_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a return reached through its signed link; the view gets the ReturnAccess."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, hub_slug: str, pk: int, token: str, **kwargs: Any
    ) -> HttpResponse:
        try:
            access = _linked_return(request, pk, token)
        except LinkProblem as problem:
            response = render(
                request,
                "participation/return_link_problem.html",
                {"message": problem.message},
                status=problem.status,
            )
        else:
            response = view(request, access, **kwargs)
        # The token is a secret in the address: keep it out of search engines, and out of the
        # Referer sent to other sites. Not "no-referrer": browsers then send "Origin: null"
        # with the page's own forms, and Django's CSRF check refuses them.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return public_hub_view(wrapper)


def _linked_record(access: ReturnAccess, section: str, record_pk: int) -> Model:
    # The link reaches the records of its own return only.
    submission = access.submission
    return _find_record(section, hub=submission.collection.hub, submission=submission, pk=record_pk)


@return_link_view
def return_link(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
    return _return_page(request, access)


@return_link_view
def return_link_add(request: HttpRequest, access: ReturnAccess, section: str) -> HttpResponse:
    return _return_record_add(request, access, section)


@return_link_view
def return_link_submit(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
    return _return_send(request, access)


@return_link_view
def return_link_template(request: HttpRequest, access: ReturnAccess) -> HttpResponse:
    return _return_template(request, access)


@return_link_view
def return_link_edit(
    request: HttpRequest, access: ReturnAccess, section: str, record_pk: int
) -> HttpResponse:
    return _record_edit(
        request,
        record=_linked_record(access, section, record_pk),
        section=section,
        editor=access.editor,
        back=lambda _: access.urls.page,
    )


@return_link_view
def return_link_delete(
    request: HttpRequest, access: ReturnAccess, section: str, record_pk: int
) -> HttpResponse:
    return _record_delete(
        request,
        record=_linked_record(access, section, record_pk),
        section=section,
        editor=access.editor,
        back=access.urls.page,
    )
