"""A member's CPD record in the network, their certificates, and peer visits.
/<hub>/networks/<network>/my-record/, /certificates/, /visits/."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from tutti.cpd import selectors, services
from tutti.cpd.access import member_place
from tutti.cpd.certificates import certificate_for, certificate_pdf
from tutti.cpd.forms import ReflectionForm, VisitAnswerForm, VisitForm
from tutti.cpd.models import PeerVisit
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import signed_in_hub_view
from tutti.tenancy.request import SignedInHubRequest


@signed_in_hub_view
def my_record(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """The days attended (with certificates) and the visits made, with the hours of each."""
    place = member_place(request, network_slug)
    record = selectors.member_record(member=place.me)
    years = sorted({d.day.year for d in record.days}, reverse=True)
    return render_place(request, "cpd/my_record.html", place, {"record": record, "years": years})


def _pdf(request: SignedInHubRequest, network_slug: str, day_id: int | None, year: int | None):
    place = member_place(request, network_slug)
    if day_id is not None:
        day = selectors.day_get(network=place.network, pk=day_id)
        if day is None:
            raise Http404("No such network day.")
        year = day.year
    if year is None:
        raise Http404("No such certificate.")
    certificate = certificate_for(member=place.me, day_id=day_id, year=year)
    if certificate is None:
        raise Http404("There is no attendance on record for this certificate.")
    response = HttpResponse(
        certificate_pdf(certificate=certificate, request=request), content_type="application/pdf"
    )
    name = f"cpd-certificate-{place.network.slug}-{'day-' + str(day_id) if day_id else year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@signed_in_hub_view
def certificate_day(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    return _pdf(request, network_slug, pk, None)


@signed_in_hub_view
def certificate_year(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, year: int
) -> HttpResponse:
    return _pdf(request, network_slug, None, year)


@signed_in_hub_view
def visit_list(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """The member's visits, the visits on offer, and the form to offer or ask for one."""
    place = member_place(request, network_slug)
    me = place.me
    form = VisitForm(request.POST or None, network=place.network, me=me)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            offer = data["kind"] == "offer"
            try:
                services.visit_propose(
                    host=me if offer else data["host"],
                    visitor=None if offer else me,
                    focus=data["focus"],
                    by_member=me,
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Your offer is on the list for other members."
                    if offer
                    else "We have asked the member; they will accept and agree a date.",
                )
                return redirect("cpd:visits", hub_slug=hub_slug, network_slug=network_slug)
        status = 400
    visits = selectors.member_visits(member=me)
    return render_place(
        request, "cpd/visit_list.html", place, {"visits": visits, "form": form}, status
    )


@signed_in_hub_view
def visit_detail(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """Take up an offer, answer a request (the host), or write a reflection afterwards."""
    place = member_place(request, network_slug)
    me = place.me
    visit = selectors.member_visits(member=me).filter(pk=pk).first()
    if visit is None:
        raise Http404("No such visit.")
    answer_form = VisitAnswerForm(request.POST if "answer" in request.POST else None)
    reflection = ReflectionForm(request.POST if "text" in request.POST else None)
    if request.method == "POST":
        try:
            done = _visit_action(request, visit, me, answer_form, reflection)
        except services.CpdError as error:
            messages.error(request, str(error))
        else:
            if done:
                messages.success(request, done)
                return redirect("cpd:visits", hub_slug=hub_slug, network_slug=network_slug)
    return render_place(
        request,
        "cpd/visit_detail.html",
        place,
        {"visit": visit, "answer_form": answer_form, "reflection": reflection},
    )


def _visit_action(request, visit: PeerVisit, me, answer_form, reflection) -> str:
    if request.POST.get("take-up"):
        services.visit_take_up(visit=visit, visitor=me)
        return "We have asked the host; they will accept and agree a date."
    if answer_form.is_bound and visit.host_id == me.pk and answer_form.is_valid():
        accept = answer_form.cleaned_data["answer"] == "accept"
        services.visit_answer(
            visit=visit, accept=accept, on=answer_form.cleaned_data["date"], by=request.user
        )
        return "Visit agreed." if accept else "Visit declined."
    if reflection.is_bound and reflection.is_valid():
        services.visit_reflect(visit=visit, member=me, text=reflection.cleaned_data["text"])
        return "Your reflection is saved in your CPD record."
    return ""
