"""The impact page, publishing its figures, and the records behind a figure."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.audit import ReadAction, audit_read
from tutti.core.years import parse_year, year_label
from tutti.participation import publishing, selectors
from tutti.participation.access import may_manage_participation, may_see_draft_figures
from tutti.participation.figures import FIGURES_BY_KEY, compute_figures, load_year
from tutti.participation.forms import PublicationForm, YearForm
from tutti.participation.impact import impact_page
from tutti.participation.kinds import KINDS
from tutti.participation.views.years import chosen_year, chosen_year_data
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest


@public_hub_view
def impact(request: HubRequest, hub_slug: str) -> HttpResponse:
    """The hub's headline figures for a year, each with how it is counted, their five-year
    trend and the schools reached. The public sees the years and figures the hub has
    published; hub staff and partners see everything, and can preview the public page."""
    membership = request.membership
    internal = may_see_draft_figures(membership)
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
        year, years = chosen_year(request)
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
            "can_publish": internal and may_manage_participation(membership),
            "can_see_records": internal and not public and may_manage_participation(membership),
        },
    )


@hub_permission_required("can_manage_participation")
def publish(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Choose which of a year's figures the public impact page shows, or take them off it."""
    year, _ = chosen_year(request)
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
def figure_records(request: MemberRequest, hub_slug: str, key: str) -> HttpResponse:
    """The records behind one figure: which partner, which school."""
    figure = FIGURES_BY_KEY.get(key)
    if figure is None:
        raise Http404("No such figure.")
    data, _ = chosen_year_data(request, with_schools=figure.key == "schools-in-area")
    result = figure.compute(data)
    kinds = [
        (
            KINDS[kind],
            list(
                selectors.records_for(
                    hub=request.hub, kind=KINDS[kind], year=data.year, pks=[r["pk"] for r in rows]
                )
            ),
        )
        for kind, rows in result.records.items()
        if rows
    ]
    schools = None
    if figure.key == "schools-in-area":
        schools = [school for _, school in sorted(data.schools.items()) if school.is_open]
    audit_read(request, ReadAction.FIGURE_RECORDS, figure=figure.key, year=data.year)
    return render(
        request,
        "participation/figure_records.html",
        {
            "figure": figure,
            "value": result.value,
            "year": data.year,
            "year_label": year_label(data.year),
            "kinds": kinds,
            "schools": schools,
        },
    )
