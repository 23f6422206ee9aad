"""The public side: sign-up (page, footer and embeddable form), confirmation, the preference
centre, one-click unsubscribe and the archive. The last four need no account: signed links."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from tutti.core.links import LinkProblem
from tutti.newsletters import selectors, services
from tutti.newsletters.access import CAPABILITY
from tutti.newsletters.forms import FOOTER_WORDING, SIGNUP_WORDING, PreferencesForm, SignupForm
from tutti.newsletters.models import (
    Confirmation,
    IssueImage,
    IssueStatus,
    NewsletterList,
    Subscription,
)
from tutti.newsletters.tokens import read_confirmation, read_preferences, read_unsubscribe
from tutti.tenancy.pages import public_hub_view
from tutti.tenancy.request import HubRequest


def _link_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed link that cannot be used answers with the plain page other links use."""

    @wraps(view)
    def wrapper(request: HubRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LinkProblem as problem:
            return render(
                request,
                "core/link_problem.html",
                {"message": problem.message},
                status=problem.status,
            )

    return wrapper


def _signup(request: HubRequest, *, source: str, template: str) -> HttpResponse:
    lists = selectors.public_lists(hub=request.hub)
    footer = request.method == "POST" and request.POST.get("source") == "footer"
    data = request.POST.copy() if request.method == "POST" else None
    wording = SIGNUP_WORDING
    if footer and data is not None:
        # The footer's form has only the address: it joins the hub's main list.
        footer_lists = selectors.footer_lists(hub=request.hub)
        if footer_lists:
            data.setlist("lists", [str(item.pk) for item in footer_lists])
            source, wording = "Footer form", FOOTER_WORDING
    form = SignupForm(data, lists=lists)
    status = 200
    if data is not None and form.is_valid():
        try:
            services.signup_request(
                hub=request.hub,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                lists=form.cleaned_data["lists"],
                source=source,
                wording=wording,
            )
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            if template.endswith("embed.html"):
                return render(request, template, {"done": True, "lists": lists})
            return redirect("newsletters:check-email", hub_slug=request.hub.slug)
    if form.errors:
        status = 400
    context = {"form": form, "lists": lists, "wording": SIGNUP_WORDING}
    return render(request, template, context, status=status)


# The footer of every public page posts here without a CSRF token, so that those pages stay the
# same for every visitor (the page cache) and set no cookie. Like the embedded form below, that
# is safe: nothing is subscribed until the address's owner confirms by email.
@csrf_exempt
@public_hub_view
def signup(request: HubRequest, hub_slug: str) -> HttpResponse:
    return _signup(request, source="Sign-up page", template="newsletters/signup.html")


@public_hub_view
def check_email(request: HubRequest, hub_slug: str) -> HttpResponse:
    return render(request, "newsletters/check_email.html")


# A hub's own website shows this page in an <iframe>, so it may be framed by any site, and its
# form carries no CSRF token: the browser sends no Tutti cookie from inside another site. That
# is safe because nothing is subscribed until the address's owner confirms by email.
@csrf_exempt
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_hub_view
def embed(request: HubRequest, hub_slug: str) -> HttpResponse:
    return _signup(request, source="Embedded form", template="newsletters/embed.html")


@public_hub_view
@_link_page
def confirm(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """A GET shows a button, so that mail scanners following links confirm nothing."""
    confirmation_id = read_confirmation(token)
    if request.method != "POST":
        return render(request, "newsletters/confirm.html", {"token": token})
    if (
        not Confirmation.objects.filter(pk=confirmation_id, subscriber__hub=request.hub).exists()
        and Confirmation.objects.filter(pk=confirmation_id).exists()
    ):
        raise Http404("No such sign-up in this hub.")
    confirmation, now = services.signup_confirm(confirmation_id=confirmation_id)
    return render(
        request,
        "newsletters/confirmed.html",
        {
            "lists": list(confirmation.lists.all()),
            "already": not now,
            "preferences_token": _preferences_token(confirmation.subscriber_id),
        },
    )


def _preferences_token(subscriber_id: int) -> str:
    from tutti.newsletters.tokens import preferences_token

    return preferences_token(subscriber_id)


@public_hub_view
@_link_page
def preferences(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    subscriber = selectors.subscriber_get(hub=request.hub, pk=read_preferences(token))
    if subscriber is None:
        raise LinkProblem("We no longer hold this address, so there is nothing to change.", 410)
    lists, on = selectors.subscriber_lists(subscriber=subscriber)
    ids = [item.pk for item in lists]
    choices = NewsletterList.objects.filter(hub=request.hub, pk__in=ids).order_by("kind", "name")
    form = PreferencesForm(request.POST or None, lists=choices, initial={"lists": sorted(on)})
    saved = False
    if request.method == "POST":
        chosen: Any = []
        if request.POST.get("action") != "leave" and form.is_valid():
            chosen = form.cleaned_data["lists"]
        if request.POST.get("action") == "leave" or form.is_valid():
            services.preferences_update(
                subscriber=subscriber, lists=chosen, source="Preference centre"
            )
            lists, on = selectors.subscriber_lists(subscriber=subscriber)
            form = PreferencesForm(lists=choices, initial={"lists": sorted(on)})
            saved = True
    return render(
        request,
        "newsletters/preferences.html",
        {"form": form, "subscriber": subscriber, "saved": saved, "on": on, "token": token},
    )


# Mail clients send the one-click POST of RFC 8058 with no cookie and no CSRF token; the
# signed token in the URL is the proof. A GET (someone following the link) asks first.
@csrf_exempt
@public_hub_view
@_link_page
def unsubscribe(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    subscription_id, issue_id = read_unsubscribe(token)
    subscription = (
        Subscription.objects.select_related("newsletter_list", "subscriber")
        .filter(pk=subscription_id, newsletter_list__hub=request.hub)
        .first()
    )
    if subscription is None:
        raise LinkProblem("You are no longer on this list.", 410)
    done = False
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe(
            subscription_id=subscription.pk,
            issue_id=issue_id,
            source="One-click unsubscribe" if one_click else "Unsubscribe link",
        )
        done = True
    return render(
        request,
        "newsletters/unsubscribe.html",
        {
            "subscription": subscription,
            "list": subscription.newsletter_list,
            "done": done or subscription.status == "unsubscribed",
            "token": token,
            "preferences_token": _preferences_token(subscription.subscriber_id),
        },
    )


@public_hub_view
def archive(request: HubRequest, hub_slug: str, list_slug: str) -> HttpResponse:
    newsletter_list = selectors.public_list_get(hub=request.hub, slug=list_slug)
    if newsletter_list is None:
        raise Http404("No such newsletter in this hub.")
    return render(
        request,
        "newsletters/archive.html",
        {"list": newsletter_list, "issues": selectors.archive(newsletter_list=newsletter_list)},
    )


@public_hub_view
def archived_issue(request: HubRequest, hub_slug: str, list_slug: str, pk: int) -> HttpResponse:
    newsletter_list = selectors.public_list_get(hub=request.hub, slug=list_slug)
    issue = (
        selectors.archived_issue(newsletter_list=newsletter_list, pk=pk)
        if newsletter_list is not None
        else None
    )
    if newsletter_list is None or issue is None:
        raise Http404("No such issue in this hub.")
    return render(
        request, "newsletters/archived_issue.html", {"list": newsletter_list, "issue": issue}
    )


@public_hub_view
def image(request: HubRequest, hub_slug: str, pk: int) -> FileResponse:
    """An image of an issue, from storage: emails and the archive link here."""
    found = IssueImage.objects.filter(hub=request.hub, pk=pk).select_related("issue").first()
    if found is None or not found.file:
        raise Http404("No such image.")
    # Before its issue goes out, an image is for the people writing it.
    staff = request.membership is not None and request.membership.has_capability(CAPABILITY)
    if found.issue.status == IssueStatus.DRAFT and not staff:
        raise Http404("No such image.")
    response = FileResponse(found.file.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
