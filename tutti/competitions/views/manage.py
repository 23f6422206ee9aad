"""The hub staff's pages: set up a competition, invite adjudicators, follow judging,
shortlist, put the final on What's On and publish the results."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.competitions import selectors, services
from tutti.competitions.access import CAPABILITY
from tutti.competitions.emails import entry_link
from tutti.competitions.forms import (
    AdjudicatorCategoriesForm,
    AdjudicatorForm,
    CategoryForm,
    CompetitionForm,
    CriterionForm,
    FinalForm,
)
from tutti.competitions.models import Competition, Result, Score
from tutti.competitions.views.common import CompetitionRead, audit_read, video_url
from tutti.core.errors import DomainError
from tutti.core.urls import absolute_url
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest

manage = hub_permission_required(CAPABILITY)


def _competition(request: MemberRequest, pk: int) -> Competition:
    competition = selectors.competition_by_pk(hub=request.hub, pk=pk)
    if competition is None:
        raise Http404("No such competition.")
    return competition


def _home(competition: Competition) -> str:
    return reverse(
        "competitions-manage:detail",
        kwargs={"hub_slug": competition.hub.slug, "pk": competition.pk},
    )


@manage
def competition_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return render(
        request,
        "competitions/manage_list.html",
        {"competitions": selectors.competitions_all(hub=request.hub)},
    )


@manage
def competition_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    form = CompetitionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                competition = services.competition_create(
                    hub=request.hub, by=request.user, **form.cleaned_data
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Competition created. Now add its categories.")
                return redirect(_home(competition))
        status = 400
    return render(
        request, "competitions/manage_form.html", {"form": form, "competition": None}, status=status
    )


@manage
def competition_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = CompetitionForm(request.POST or None, instance=competition)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.competition_update(
                    competition=_competition(request, pk), by=request.user, **form.cleaned_data
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Changes saved.")
                return redirect(_home(competition))
        status = 400
    return render(
        request,
        "competitions/manage_form.html",
        {"form": form, "competition": competition},
        status=status,
    )


@manage
def competition_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    return render(
        request,
        "competitions/manage_detail.html",
        {
            "competition": competition,
            "figures": selectors.figures(competition=competition),
            "progress": selectors.progress(competition=competition),
            "category_progress": selectors.progress_by_category(competition=competition),
            "unjudged": selectors.unjudged_after_conflicts(competition=competition),
            "categories": competition.categories.all(),
            "criteria": competition.criteria.all(),
        },
    )


@manage
def categories(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = CategoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                category = services.category_create(
                    competition=competition, by=request.user, **form.cleaned_data
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Category added: {category}.")
                return redirect(request.path)
        status = 400
    return render(
        request,
        "competitions/manage_categories.html",
        {"competition": competition, "form": form, "categories": competition.categories.all()},
        status=status,
    )


@manage
def rubric(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = CriterionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.criterion_create(
                    competition=competition, by=request.user, **form.cleaned_data
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Criterion added to the rubric.")
                return redirect(request.path)
        status = 400
    return render(
        request,
        "competitions/manage_rubric.html",
        {"competition": competition, "form": form, "criteria": competition.criteria.all()},
        status=status,
    )


@manage
def adjudicators(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = AdjudicatorForm(request.POST or None, competition=competition)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                adjudicator, _ = services.adjudicator_invite(
                    competition=competition,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    categories=list(form.cleaned_data["categories"]),
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Invitation emailed to {adjudicator.email}.")
                return redirect(request.path)
        status = 400
    return render(
        request,
        "competitions/manage_adjudicators.html",
        {
            "competition": competition,
            "form": form,
            "adjudicators": selectors.adjudicators_of(competition=competition),
        },
        status=status,
    )


@manage
def adjudicator(
    request: MemberRequest, hub_slug: str, pk: int, adjudicator_id: int
) -> HttpResponse:
    """Change the categories an adjudicator judges."""
    competition = _competition(request, pk)
    found = competition.adjudicators.filter(pk=adjudicator_id).first()
    if found is None:
        raise Http404("No such adjudicator.")
    form = AdjudicatorCategoriesForm(
        request.POST or None,
        competition=competition,
        initial={"categories": list(found.categories.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.adjudicator_set_categories(
            adjudicator=found, by=request.user, categories=list(form.cleaned_data["categories"])
        )
        messages.success(request, f"{found.name}'s categories are saved.")
        return redirect(
            reverse("competitions-manage:adjudicators", kwargs={"hub_slug": hub_slug, "pk": pk})
        )
    return render(
        request,
        "competitions/manage_adjudicator.html",
        {"competition": competition, "adjudicator": found, "form": form},
        status=400 if form.errors else 200,
    )


@manage
def entries(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    rows = selectors.entries_of(competition=competition)
    audit_read(request, CompetitionRead.ENTRIES, obj=competition, count=rows.count())
    return render(
        request, "competitions/manage_entries.html", {"competition": competition, "entries": rows}
    )


@manage
def entry_detail(request: MemberRequest, hub_slug: str, pk: int, entry_id: int) -> HttpResponse:
    competition = _competition(request, pk)
    entry = selectors.entry_get(hub=request.hub, pk=entry_id)
    if entry is None or entry.competition_id != competition.pk:
        raise Http404("No such entry.")
    if request.method == "POST":
        if "new_link" in request.POST:
            services.entry_link_renew(entry=entry, by=request.user)
            messages.success(request, "A new link is emailed to the family; the old one stops.")
        else:
            _moderate(request, entry.pk)
        return redirect(request.path)
    audit_read(request, CompetitionRead.ENTRY, obj=entry)
    return render(
        request,
        "competitions/manage_entry.html",
        {
            "competition": competition,
            "entry": entry,
            "pieces": entry.pieces.all(),
            "scores": entry.scores.select_related("adjudicator").order_by("adjudicator__name"),
            "conflicts": entry.conflicts.select_related("adjudicator"),
            "video_src": video_url(request, entry),
            "family_link": absolute_url(entry_link(entry), request),
        },
    )


def _moderate(request: MemberRequest, entry_id: int) -> None:
    score_id = request.POST.get("score", "")
    if not score_id.isdigit():
        return
    score = Score.objects.filter(pk=int(score_id), entry_id=entry_id).first()
    if score is None:
        return
    raw = request.POST.get("moderated", "").strip()
    try:
        percent = Decimal(raw) if raw else None
        services.score_moderate(score=score, percent=percent, by=request.user)
    except (InvalidOperation, services.CompetitionError):
        messages.error(request, "Give a moderated score from 0 to 100, or leave it empty.")
    else:
        messages.success(request, "Moderated score saved.")


@manage
def scores(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Scores side by side, ranked in each category, with the shortlist to choose."""
    competition = _competition(request, pk)
    if request.method == "POST":
        results: dict[int, str] = {}
        for key in request.POST:
            if key.startswith("result_") and key[7:].isdigit():
                results[int(key[7:])] = request.POST.get(key, "")
        try:
            changed = services.shortlist_set(
                competition=competition, by=request.user, results=results
            )
        except services.CompetitionError as error:
            messages.error(request, error.message)
        else:
            emailed = sum(1 for e in changed if e.result)
            messages.success(
                request,
                f"Shortlist saved. {emailed} famil{'y' if emailed == 1 else 'ies'} emailed.",
            )
        return redirect(request.path)
    adjudicator_list, ranking = selectors.rankings(competition=competition)
    return render(
        request,
        "competitions/manage_scores.html",
        {
            "competition": competition,
            "adjudicators": adjudicator_list,
            "rankings": ranking,
            "results": Result.choices,
        },
    )


@manage
def final(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    form = FinalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts_at, ends_at = form.times()
            try:
                services.final_create(
                    competition=competition,
                    by=request.user,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    venue_name=form.cleaned_data["venue_name"],
                    venue_address=form.cleaned_data["venue_address"],
                    capacity=form.cleaned_data["capacity"],
                )
            except DomainError as error:
                # The competition's rules, and What's On's for the event.
                form.add_error(None, error.message)
            else:
                messages.success(request, "The final is on What's On, open for booking.")
                return redirect(_home(competition))
        status = 400
    return render(
        request,
        "competitions/manage_final.html",
        {
            "competition": competition,
            "form": form,
            "finalists": selectors.finalists(competition=competition),
        },
        status=status,
    )


@manage
def publish_results(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    competition = _competition(request, pk)
    if request.method == "POST":
        try:
            services.results_publish(competition=competition, by=request.user)
        except services.CompetitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Results published. Every family is emailed their feedback.")
        return redirect(_home(competition))
    return render(
        request,
        "competitions/manage_publish.html",
        {"competition": competition, "finalists": selectors.finalists(competition=competition)},
    )
