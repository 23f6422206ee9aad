from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from tutti.core.audit import audit
from tutti.core.permissions import login_required_view
from tutti.privacy import selectors, services
from tutti.privacy.actions import PrivacyAction
from tutti.privacy.export import data_zip_response
from tutti.privacy.forms import AuditFilterForm, EraseForm, PersonForm
from tutti.privacy.sources import label_of
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest, SignedInRequest

AUDIT_PAGE_SIZE = 50


@public_hub_view
def notice(request: HubRequest, hub_slug: str) -> HttpResponse:
    """The hub's privacy notice: its own text, or Tutti's default filled in with its details."""
    return render(request, "privacy/notice.html", {})


@login_required_view
def my_data(request: SignedInRequest) -> HttpResponse:
    """A person's own data, in every hub: what is held, and a download of all of it."""
    user = request.user
    data = selectors.person_data(email=user.email, user=user)
    if request.method == "POST":
        audit(PrivacyAction.OWN_DATA, actor=user, bookings=len(data["bookings"]))
        return data_zip_response(data, label=user.email)
    return render(
        request, "privacy/my_data.html", {"data": data, "apps": selectors.held_in_apps(data)}
    )


def _person_url(hub_slug: str, email: str) -> str:
    return reverse("privacy-manage:person", args=[hub_slug]) + "?" + urlencode({"email": email})


@hub_permission_required("can_manage_privacy")
def person(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Find a person by email: what the hub holds about them, to download or erase."""
    form = PersonForm(request.GET or None)
    data = None
    if form.is_valid():
        data = selectors.person_data(email=form.cleaned_data["email"], hub=request.hub)
        audit(
            PrivacyAction.PERSON_LOOKED_UP,
            hub=request.hub,
            actor=request.user,
            email=data["email"],
        )
    response = render(
        request,
        "privacy/person.html",
        {
            "form": form,
            "data": data,
            "found": data is not None and selectors.holds_anything(data),
            "apps": selectors.held_in_apps(data) if data is not None else [],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@hub_permission_required("can_manage_privacy")
def download(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """An access request: everything this hub holds about the person, as a ZIP."""
    form = PersonForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        if request.method == "POST":
            messages.error(request, "Enter a valid email address, like name@example.org.")
        return redirect("privacy-manage:person", hub_slug=hub_slug)
    data = selectors.person_data(email=form.cleaned_data["email"], hub=request.hub)
    audit(
        PrivacyAction.ACCESS_REQUEST,
        hub=request.hub,
        actor=request.user,
        email=data["email"],
        bookings=len(data["bookings"]),
    )
    return data_zip_response(data, label=data["email"])


@hub_permission_required("can_manage_privacy")
def erase(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Erase a person from this hub, after a page that says exactly what will happen."""
    source = request.POST if request.method == "POST" else request.GET
    email_form = PersonForm({"email": source.get("email", "")})
    if not email_form.is_valid():
        return redirect("privacy-manage:person", hub_slug=hub_slug)
    email = email_form.cleaned_data["email"]
    if email.lower() == request.user.email.lower():
        messages.error(request, "You cannot erase yourself. Ask another hub admin.")
        return redirect(_person_url(hub_slug, email))
    form = EraseForm(request.POST or None, initial={"email": email})
    if request.method == "POST" and form.is_valid():
        outcome = services.person_erase(hub=request.hub, email=email, by=request.user)
        messages.success(
            request,
            f"Erased: {outcome.bookings} booking{'s' if outcome.bookings != 1 else ''} "
            "anonymised"
            + (", their role removed" if outcome.memberships else "")
            + "".join(
                f", {label_of(key).lower()}: {count} erased"
                for key, count in outcome.in_apps.items()
                if count
            )
            + (
                ", their account closed"
                if outcome.account_scrubbed
                else ", their account kept for the other hubs that hold them"
                if outcome.account_kept_for_other_hubs
                else ""
            )
            + ".",
        )
        return redirect("privacy-manage:person", hub_slug=hub_slug)
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "email": email,
            "preview": services.erasure_preview(hub=request.hub, email=email),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@hub_permission_required("can_manage_privacy")
def audit_log(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The hub's audit log, newest first, with filters."""
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions(hub=request.hub))
    filters = selectors.AuditFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilters(
            person=data["person"].strip(),
            action=data["action"],
            since=data["since"],
            until=data["until"],
        )
    # The log names people, so reading it is itself recorded: one row per page view, written
    # first so that the reader sees their own read.
    audit(
        PrivacyAction.AUDIT_LOG_READ,
        hub=request.hub,
        actor=request.user,
        page=request.GET.get("page", "1")[:10],
    )
    page = Paginator(
        selectors.audit_log(hub=request.hub, filters=filters), AUDIT_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = urlencode(
        [(k, v) for k, v in request.GET.items() if k != "page" and isinstance(v, str) and v],
        doseq=False,
    )
    return render(
        request,
        "privacy/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": filters != selectors.AuditFilters(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
