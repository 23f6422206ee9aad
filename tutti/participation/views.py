import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.permissions import hub_permission_required, public_hub_view
from tutti.participation import selectors, services
from tutti.participation.figures import (
    FIGURES_BY_KEY,
    SECTIONS,
    YearData,
    breakdown,
    compute_figures,
    load_year,
)
from tutti.participation.forms import SECTION_LABELS, YearForm, record_form
from tutti.participation.returns import SCHOOL_COLUMNS, return_rows, return_workbook
from tutti.participation.years import current_academic_year, parse_year, year_label

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
    """The hub's headline figures for a year, each with how it is counted."""
    data, years = _year_data(request)
    figures = compute_figures(data)
    by_key = {f.figure.key: f for f in figures}
    engaged = by_key["schools-engaged"].result.schools or set()
    in_area = by_key["schools-in-area"].value
    membership = request.membership
    return render(
        request,
        "participation/impact.html",
        {
            "year": data.year,
            "year_label": year_label(data.year),
            "year_form": YearForm(initial={"year": data.year}, years=years),
            "figures": figures,
            "share": round(100 * len(engaged & set(data.schools)) / in_area) if in_area else 0,
            "engaged": len(engaged),
            "in_area": in_area,
            "breakdowns": [
                ("local authority", breakdown(data, engaged, "local_authority")),
                ("cluster", breakdown(data, engaged, "cluster")),
                ("school phase", breakdown(data, engaged, "phase")),
            ],
            "can_see_records": membership is not None
            and membership.has_capability("can_manage_participation"),
        },
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


@hub_permission_required("can_manage_participation")
def return_xlsx(request: HttpRequest, hub_slug: str) -> HttpResponse:
    data, _ = _year_data(request)
    body = return_workbook(data, compute_figures(data))
    response = HttpResponse(body, content_type=XLSX)
    name = f"{hub_slug}-data-return-{data.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_cell(value: object) -> object:
    # A cell starting with = + - or @ would run as a formula when the file is opened.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


@hub_permission_required("can_manage_participation")
def return_csv(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The Schools sheet of the data return, as CSV."""
    data, _ = _year_data(request)
    rows = return_rows(data, compute_figures(data))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{hub_slug}-data-return-{data.year}-schools.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(SCHOOL_COLUMNS)
    writer.writerows([_csv_cell(v) for v in row] for row in rows.schools)
    return response


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
    sections = []
    for section in SECTIONS:
        records = selectors.records_for(hub=request.hub, section=section, year=year)
        if own is not None:
            records = records.filter(partner_id__in=own)
        sections.append((section, SECTION_LABELS[section], list(records[:200])))
    return render(
        request,
        "participation/manage_home.html",
        {
            "year": year,
            "year_label": year_label(year),
            "year_form": YearForm(initial={"year": year}, years=years),
            "sections": sections,
            "can_export": own is None,
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
