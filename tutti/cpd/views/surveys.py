"""Needs surveys and the planning page: a facilitator sends members (and the hub's schools,
by link) a short survey; the results are charted beside the provision audit's "CPD wanted"
answers. /<hub>/networks/<network>/surveys/ and /planning/."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.links import LinkProblem, read_signed, sign
from tutti.core.urls import absolute_url
from tutti.cpd import selectors, services
from tutti.cpd.access import facilitator_place, member_place, network_place
from tutti.cpd.forms import AnswerForm, SurveyForm
from tutti.cpd.models import Survey
from tutti.cpd.selectors import network_hub
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view
from tutti.tenancy.request import HubRequest, SignedInHubRequest

SALT = "tutti.cpd.survey"
LINK_AGE = timedelta(days=180)


def school_link(survey: Survey, request: HttpRequest | None = None) -> str:
    network = survey.network
    token = sign({"s": survey.pk}, salt=SALT)
    return absolute_url(
        reverse(
            "cpd:survey-school", kwargs={"hub_slug": network_hub(network).slug, "token": token}
        ),
        request,
    )


@signed_in_hub_view
def survey_list(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """Members see the open surveys to answer; facilitators see all, and make new ones."""
    place = network_place(request, network_slug)
    if not place.is_member and not place.can_facilitate:
        raise Http404("No such network.")
    surveys = place.network.surveys.all()
    if not place.can_facilitate:
        surveys = surveys.filter(is_open=True)
    return render_place(request, "cpd/survey_list.html", place, {"surveys": surveys})


@signed_in_hub_view
def survey_new(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = facilitator_place(request, network_slug)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survey = services.survey_create(
                    network=place.network,
                    title=form.cleaned_data["title"],
                    intro=form.cleaned_data["intro"],
                    questions=form.questions(),
                    by=request.user,
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The survey is ready. Open it when you want answers.")
                return redirect(
                    "cpd:survey", hub_slug=hub_slug, network_slug=network_slug, pk=survey.pk
                )
        status = 400
    return render_place(request, "cpd/survey_form.html", place, {"form": form}, status)


@signed_in_hub_view
def survey_detail(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """The results, charted, with the link for schools; open or close it (a POST)."""
    place = facilitator_place(request, network_slug)
    survey = place.network.surveys.filter(pk=pk).first()
    if survey is None:
        raise Http404("No such survey.")
    if request.method == "POST":
        services.survey_set_open(
            survey=survey, is_open=request.POST.get("open") == "1", by=request.user
        )
        messages.success(request, "The survey is open." if survey.is_open else "Survey closed.")
        return redirect("cpd:survey", hub_slug=hub_slug, network_slug=network_slug, pk=pk)
    context = {
        "survey": survey,
        "results": selectors.survey_results(survey=survey),
        "responses": survey.responses.count(),
        "school_link": school_link(survey, request),
    }
    return render_place(request, "cpd/survey_detail.html", place, context)


def _answer(request: HubRequest, survey: Survey, member, template: str, context: dict):
    form = AnswerForm(
        request.POST or None, survey=survey, hub=request.hub, ask_school=member is None
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(
                    survey=survey,
                    answers=form.answers(),
                    member=member,
                    school=form.cleaned_data.get("school"),
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                return render(request, "cpd/survey_thanks.html", {"survey": survey, **context})
        return render(request, template, {"form": form, "survey": survey, **context}, status=400)
    return render(request, template, {"form": form, "survey": survey, **context})


@signed_in_hub_view
def survey_answer(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    place = member_place(request, network_slug)
    survey = place.network.surveys.filter(pk=pk, is_open=True).first()
    if survey is None:
        raise Http404("No such open survey.")
    return _answer(
        request, survey, place.member, "cpd/survey_answer.html", {"network": place.network}
    )


@public_hub_view
def survey_school(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """The survey for the hub's schools, through the link the network sends them."""
    try:
        value = read_signed(
            token,
            salt=SALT,
            max_age=LINK_AGE,
            expired="This survey link has expired. Ask the network for a new one.",
            broken="This survey link is incomplete. Copy the whole link from the email.",
        )
    except LinkProblem as problem:
        return render(
            request, "core/link_problem.html", {"message": str(problem)}, status=problem.status
        )
    survey = (
        Survey.objects.filter(pk=value.get("s"), network__hub=request.hub, is_open=True)
        .select_related("network")
        .first()
    )
    if survey is None:
        return render(
            request,
            "core/link_problem.html",
            {"message": "This survey is closed. Thank you for your interest."},
            status=410,
        )
    return _answer(request, survey, None, "cpd/survey_answer.html", {"network": survey.network})


@signed_in_hub_view
def planning(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """What teachers and schools say they need: the network's surveys and the audit's answers."""
    place = facilitator_place(request, network_slug)
    year, answered, wanted = selectors.audit_cpd_wanted(hub=request.hub)
    surveys = [
        (survey, selectors.survey_results(survey=survey), survey.responses.count())
        for survey in place.network.surveys.all()[:3]
    ]
    context = {
        "audit_year": year,
        "audit_answered": answered,
        "wanted": sorted(wanted, key=lambda w: -w[1]),
        "wanted_most": max((n for _, n in wanted), default=0),
        "surveys": surveys,
        "days": selectors.network_days(network=place.network),
    }
    return render_place(request, "cpd/planning.html", place, context)
