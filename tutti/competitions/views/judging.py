"""The adjudicators' pages: accepting the invitation, the list to judge and blind scoring.

Nothing here shows an entrant's name, school or date of birth: an entry is its code, its
category, its pieces and its video (a test reads the HTML to prove it).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.accounts.models import User
from tutti.competitions import selectors, services
from tutti.competitions.access import adjudicator_for, entries_to_judge
from tutti.competitions.forms import AcceptForm, ConflictForm, score_form_class
from tutti.competitions.models import Adjudicator, Competition, Entry, Score
from tutti.competitions.views.common import CompetitionRead, audit_read, video_url
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view
from tutti.tenancy.request import HubRequest, SignedInHubRequest


@public_hub_view
def adjudicator_accept(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """The invitation's link: accept as the signed-in person, or make an account."""
    adjudicator = (
        Adjudicator.objects.filter(
            token_hash=services.token_hash(token), competition__hub=request.hub
        )
        .select_related("competition")
        .first()
    )
    if adjudicator is None:
        return render(
            request,
            "core/link_problem.html",
            {"message": "This invitation link is not complete or has been withdrawn."},
            status=404,
        )
    competition = adjudicator.competition
    judging = reverse(
        "competitions:judging", kwargs={"hub_slug": hub_slug, "slug": competition.slug}
    )
    if adjudicator.user_id is not None:
        messages.info(request, "You have accepted this invitation already: sign in to judge.")
        return redirect(judging)
    existing = User.objects.filter(email__iexact=adjudicator.email).exists()
    form = AcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        if user is not None or form.is_valid():
            try:
                user = services.adjudicator_accept(
                    adjudicator=adjudicator,
                    user=user,
                    password=form.cleaned_data.get("password", "") if user is None else "",
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                if not request.user.is_authenticated:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Thank you for judging. Here are your entries.")
                return redirect(judging)
        status = 400
    return render(
        request,
        "competitions/adjudicator_accept.html",
        {
            "adjudicator": adjudicator,
            "competition": competition,
            "form": form,
            "has_account": existing,
        },
        status=status,
    )


def _panel_place(request: SignedInHubRequest, slug: str) -> tuple[Competition, Adjudicator]:
    competition = selectors.competition_get(hub=request.hub, slug=slug, public=False)
    adjudicator = adjudicator_for(request.user, competition) if competition else None
    if competition is None or adjudicator is None:
        raise Http404("No such page in this hub.")
    return competition, adjudicator


@signed_in_hub_view
def judging(request: SignedInHubRequest, hub_slug: str, slug: str) -> HttpResponse:
    competition, adjudicator = _panel_place(request, slug)
    rows = selectors.judging_list(adjudicator=adjudicator)
    return render(
        request,
        "competitions/judging_list.html",
        {
            "competition": competition,
            "adjudicator": adjudicator,
            "rows": rows,
            "judged": sum(1 for _, score in rows if score is not None),
        },
    )


def _entry_to_judge(adjudicator: Adjudicator, number: int) -> Entry:
    """The entry, if it is this adjudicator's to judge: one they declared a conflict with, or
    of another category, is not found."""
    entry = (
        entries_to_judge(adjudicator)
        .filter(number=number)
        .select_related("category", "competition__hub")
        .first()
    )
    if entry is None:
        raise Http404("This entry is not on your list.")
    return entry


@signed_in_hub_view
def judge_entry(request: SignedInHubRequest, hub_slug: str, slug: str, number: int) -> HttpResponse:
    """Blind: the category, the pieces and the video; the rubric and the feedback."""
    competition, adjudicator = _panel_place(request, slug)
    entry = _entry_to_judge(adjudicator, number)
    criteria = list(competition.criteria.all())
    score = Score.objects.filter(entry=entry, adjudicator=adjudicator).first()
    initial: dict[str, object] = {}
    if score is not None:
        initial = {f"mark_{m.criterion_id}": m.value for m in score.marks.all()}
        initial["feedback"] = score.feedback
    form = score_form_class(criteria, competition.rubric_max)(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            marks = {c.pk: form.cleaned_data[f"mark_{c.pk}"] for c in criteria}
            try:
                services.score_save(
                    adjudicator=adjudicator,
                    entry=entry,
                    marks=marks,
                    feedback=form.cleaned_data["feedback"],
                    by=request.user,
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Your score for {entry.code} is saved.")
                return redirect(
                    reverse("competitions:judging", kwargs={"hub_slug": hub_slug, "slug": slug})
                )
        status = 400
    else:
        audit_read(request, CompetitionRead.JUDGING, obj=entry)
    return render(
        request,
        "competitions/judge_entry.html",
        {
            "competition": competition,
            "entry": entry,
            "pieces": entry.pieces.all(),
            "video_src": video_url(request, entry),
            "form": form,
            "conflict_form": ConflictForm(),
            "criteria": criteria,
        },
        status=status,
    )


@signed_in_hub_view
def declare_conflict(
    request: SignedInHubRequest, hub_slug: str, slug: str, number: int
) -> HttpResponse:
    _, adjudicator = _panel_place(request, slug)
    entry = _entry_to_judge(adjudicator, number)
    back = reverse("competitions:judging", kwargs={"hub_slug": hub_slug, "slug": slug})
    if request.method != "POST":
        return redirect(back)
    form = ConflictForm(request.POST)
    if form.is_valid():
        services.conflict_declare(
            adjudicator=adjudicator,
            entry=entry,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            f"Thank you: {entry.code} is off your list and goes to another adjudicator.",
        )
    return redirect(back)
