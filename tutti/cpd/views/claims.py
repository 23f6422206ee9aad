"""Supply-cover claims: a member's school claims for its teachers who attended a day
(/<hub>/networks/<network>/claims/); hub staff approve or reject them and export the approved
ones for payment (/<hub>/manage/networks/claims/)."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tutti.core.audit import ReadAction, audit_read
from tutti.cpd import exports, selectors, services
from tutti.cpd.access import member_place
from tutti.cpd.forms import ClaimForm, DecisionForm
from tutti.cpd.models import ClaimStatus
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import hub_permission_required, signed_in_hub_view
from tutti.tenancy.request import MemberRequest, SignedInHubRequest


@signed_in_hub_view
def school_claims(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """The member's school's claims, and the days it can still claim for."""
    place = member_place(request, network_slug)
    school = place.me.school
    context: dict = {"school": school}
    if school is not None:
        # Days from today back: attendance is taken on the day, so a claim can follow it.
        tomorrow = timezone.localdate() + timedelta(days=1)
        days = selectors.network_days(network=place.network).filter(
            event__starts_at__date__lt=tomorrow
        )
        context["claims"] = selectors.school_claims(network=place.network, school=school)
        context["open_days"] = [
            (day, len(selectors.claimable_members(day=day, school=school))) for day in days
        ]
        context["rate"] = services.money(place.network.supply_cover_rate)
    return render_place(request, "cpd/claims.html", place, context)


@signed_in_hub_view
def claim_new(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """Claim for the school's teachers who attended one day."""
    place = member_place(request, network_slug)
    school = place.me.school
    day = selectors.day_get(network=place.network, pk=pk)
    if day is None or school is None:
        raise Http404("No such network day.")
    claimable = selectors.claimable_members(day=day, school=school)
    form = ClaimForm(request.POST or None, claimable=claimable)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                claims = services.claim_create(
                    day=day, members=form.cleaned_data["members"], school=school, by=request.user
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Claimed for {len(claims)} teacher{'s' if len(claims) != 1 else ''}: "
                    "the hub will look at it and you will see its answer here.",
                )
                return redirect("cpd:claims", hub_slug=hub_slug, network_slug=network_slug)
        status = 400
    context = {
        "day": day,
        "school": school,
        "form": form,
        "claimable": claimable,
        "rate": services.money(place.network.supply_cover_rate),
    }
    return render_place(request, "cpd/claim_form.html", place, context, status)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:1000]


@hub_permission_required("can_manage_events")
def manage_claims(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Claims waiting for a decision, and the approved ones with their totals per school."""
    pending = selectors.hub_claims(hub=request.hub, status=ClaimStatus.PENDING)
    if request.method == "POST":
        chosen = pending.filter(pk__in=_ids(request.POST.getlist("claim")))
        approved_now = services.claims_approve(claims=list(chosen), by=request.user)
        if approved_now:
            messages.success(
                request, f"{approved_now} claim{'s' if approved_now != 1 else ''} approved."
            )
        else:
            messages.error(request, "Choose the claims to approve.")
        return redirect("cpd-manage:claims", hub_slug=hub_slug)
    approved = selectors.hub_claims(hub=request.hub, status=ClaimStatus.APPROVED)
    rejected = selectors.hub_claims(hub=request.hub, status=ClaimStatus.REJECTED)
    audit_read(request, ReadAction.CPD_CLAIMS)
    return render(
        request,
        "cpd/manage_claims.html",
        {
            "pending": pending,
            "approved": approved,
            "rejected": rejected[:50],
            "totals": selectors.claim_totals(claims=approved),
        },
    )


@hub_permission_required("can_manage_events")
def manage_claim_decide(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    claim = selectors.hub_claim_get(hub=request.hub, pk=pk)
    if claim is None:
        raise Http404("No such claim.")
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.claim_decide(
                    claim=claim,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Claim {'approved' if approve else 'rejected'}: {claim.member}."
                )
                return redirect("cpd-manage:claims", hub_slug=hub_slug)
        status = 400
    return render(
        request,
        "cpd/manage_claim_decide.html",
        {"claim": claim, "form": form, "amount": services.money(claim.amount)},
        status=status,
    )


def _export(request: MemberRequest, kind: str) -> HttpResponse:
    claims = selectors.hub_claims(hub=request.hub, status=ClaimStatus.APPROVED)
    audit_read(request, ReadAction.CPD_CLAIMS, export=kind)
    name = f"supply-cover-claims-{request.hub.slug}-{timezone.localdate().isoformat()}"
    if kind == "csv":
        response = HttpResponse(exports.claims_csv(claims), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.claims_xlsx(claims), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@hub_permission_required("can_manage_events")
def manage_claims_csv(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return _export(request, "csv")


@hub_permission_required("can_manage_events")
def manage_claims_xlsx(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return _export(request, "xlsx")
