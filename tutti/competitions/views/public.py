"""The hub's public competition pages: the list, a competition, entering and results."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tutti.competitions import selectors, services
from tutti.competitions.emails import entry_link
from tutti.competitions.forms import EntryForm, school_label
from tutti.competitions.models import Competition
from tutti.core.markdown import render_markdown
from tutti.directory.models import Organisation, OrganisationKind
from tutti.tenancy.pages import public_hub_view
from tutti.tenancy.request import HubRequest


def _published(request: HubRequest, slug: str) -> Competition:
    competition = selectors.competition_get(hub=request.hub, slug=slug)
    if competition is None:
        raise Http404("No such competition.")
    return competition


@public_hub_view
def competition_list(request: HubRequest, hub_slug: str) -> HttpResponse:
    competitions = selectors.competitions_public(hub=request.hub)
    return render(
        request,
        "competitions/competition_list.html",
        {"competitions": competitions, "today": timezone.localdate()},
    )


@public_hub_view
def competition_detail(request: HubRequest, hub_slug: str, slug: str) -> HttpResponse:
    competition = _published(request, slug)
    return render(
        request,
        "competitions/competition_detail.html",
        {
            "competition": competition,
            "rules": render_markdown(competition.rules),
            "categories": competition.categories.all(),
            "is_open": competition.is_open(timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


def _area_schools(competition: Competition) -> list[str]:
    schools = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL,
        local_authority__hubs=competition.hub,
        is_open=True,
        urn__isnull=False,
    ).order_by("name")
    return [school_label(s) for s in schools.only("name", "town", "urn")]


@public_hub_view
def entry_create(request: HubRequest, hub_slug: str, slug: str) -> HttpResponse:
    """One form for the whole entry; then the video."""
    competition = _published(request, slug)
    today = timezone.localdate()
    if not competition.is_open(today):
        return render(
            request,
            "competitions/entries_closed.html",
            {"competition": competition, "today": today},
        )
    form = EntryForm(request.POST or None, competition=competition)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.entry_create(
                    competition=competition,
                    details=form.details(),
                    pieces=form.pieces(),
                    contact_name=form.cleaned_data["contact_name"],
                    contact_email=form.cleaned_data["contact_email"],
                    consent_judged=form.cleaned_data["consent_judged"],
                    consent_public=form.cleaned_data["consent_public"],
                    consent_filming=form.cleaned_data["consent_filming"],
                    teacher=form.cleaned_data["teacher"],
                    accompanist=form.cleaned_data["accompanist"],
                    today=today,
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    f"Entry {entry.code} received. We have emailed {entry.contact_email} a link "
                    "to this entry. Now upload the video.",
                )
                return redirect(f"{entry_link(entry)}video/")
        status = 400
    return render(
        request,
        "competitions/entry_form.html",
        {"competition": competition, "form": form, "schools": _area_schools(competition)},
        status=status,
    )


@public_hub_view
def results(request: HubRequest, hub_slug: str, slug: str) -> HttpResponse:
    competition = _published(request, slug)
    if competition.results_published_at is None:
        raise Http404("The results are not out yet.")
    chosen = selectors.finalists(competition=competition)
    rows = [(entry, selectors.public_name(entry)) for entry in chosen]
    return render(
        request,
        "competitions/results.html",
        {
            "competition": competition,
            "winners": [r for r in rows if r[0].result == "winner"],
            "finalists": [r for r in rows if r[0].result == "finalist"],
        },
    )
