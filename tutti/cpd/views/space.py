"""The network's space, for its members only: discussion and resources.
/<hub>/networks/<network>/space/ and /resources/."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect

from tutti.core.markdown import render_markdown
from tutti.cpd import selectors, services
from tutti.cpd.access import can_moderate, member_place
from tutti.cpd.forms import NotifyForm, ReplyForm, ResourceForm, ThreadForm
from tutti.cpd.models import Reply, Resource, Thread
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import signed_in_hub_view
from tutti.tenancy.request import SignedInHubRequest


@signed_in_hub_view
def space(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = member_place(request, network_slug)
    moderator = can_moderate(place)
    threads = selectors.threads(network=place.network, show_hidden=moderator)
    resources = place.network.resources.filter(hidden=False)[:5]
    return render_place(
        request,
        "cpd/space.html",
        place,
        {"threads": threads, "resources": resources, "moderator": moderator},
    )


@signed_in_hub_view
def thread_new(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = member_place(request, network_slug)
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                thread = services.thread_create(
                    network=place.network, member=place.me, **form.cleaned_data
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your post is in the network's space.")
                return redirect(
                    "cpd:thread", hub_slug=hub_slug, network_slug=network_slug, pk=thread.pk
                )
        status = 400
    return render_place(request, "cpd/thread_form.html", place, {"form": form}, status)


@signed_in_hub_view
def thread_detail(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """A discussion with its replies, and the reply form."""
    place = member_place(request, network_slug)
    moderator = can_moderate(place)
    thread = selectors.thread_get(network=place.network, pk=pk, show_hidden=moderator)
    if thread is None:
        raise Http404("No such discussion.")
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reply_create(thread=thread, member=place.me, **form.cleaned_data)
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your reply is posted.")
                return redirect("cpd:thread", hub_slug=hub_slug, network_slug=network_slug, pk=pk)
        status = 400
    replies = [
        (reply, render_markdown(reply.body))
        for reply in selectors.thread_replies(thread=thread, show_hidden=moderator)
    ]
    return render_place(
        request,
        "cpd/thread_detail.html",
        place,
        {
            "thread": thread,
            "body": render_markdown(thread.body),
            "replies": replies,
            "form": form,
            "moderator": moderator,
        },
        status,
    )


def _moderate(request: SignedInHubRequest, network_slug: str, model: type, pk: int) -> object:
    place = member_place(request, network_slug)
    if not can_moderate(place):
        raise Http404("Only the network's facilitators can do this.")
    post: Reply | Resource | Thread | None
    if model is Reply:
        post = Reply.objects.filter(thread__network=place.network, pk=pk).first()
    elif model is Resource:
        post = Resource.objects.filter(network=place.network, pk=pk).first()
    else:
        post = selectors.thread_get(network=place.network, pk=pk, show_hidden=True)
    if post is None:
        raise Http404("No such post.")
    try:
        services.post_moderate(post=post, action=request.POST.get("action", ""), by=request.user)
    except services.CpdError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Done.")
    return post


@signed_in_hub_view
def thread_moderate(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """A facilitator pins, unpins, hides or shows a discussion."""
    if request.method == "POST":
        _moderate(request, network_slug, object, pk)
    else:
        member_place(request, network_slug)
    return redirect("cpd:thread", hub_slug=hub_slug, network_slug=network_slug, pk=pk)


@signed_in_hub_view
def reply_moderate(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    if request.method != "POST":
        member_place(request, network_slug)
        return redirect("cpd:space", hub_slug=hub_slug, network_slug=network_slug)
    reply = _moderate(request, network_slug, Reply, pk)
    if not isinstance(reply, Reply):
        raise Http404("No such reply.")
    return redirect("cpd:thread", hub_slug=hub_slug, network_slug=network_slug, pk=reply.thread_id)


@signed_in_hub_view
def resource_list(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = member_place(request, network_slug)
    moderator = can_moderate(place)
    resources = place.network.resources.select_related("added_by")
    if not moderator:
        resources = resources.filter(hidden=False)
    tag = request.GET.get("tag", "").strip()[:50]
    if tag:
        resources = resources.filter(tags__icontains=tag)
    return render_place(
        request,
        "cpd/resource_list.html",
        place,
        {"resources": resources, "tag": tag, "moderator": moderator},
    )


@signed_in_hub_view
def resource_new(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = member_place(request, network_slug)
    form = ResourceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.resource_add(network=place.network, member=place.me, **form.cleaned_data)
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you: the resource is shared with the network.")
                return redirect("cpd:resources", hub_slug=hub_slug, network_slug=network_slug)
        status = 400
    return render_place(request, "cpd/resource_form.html", place, {"form": form}, status)


@signed_in_hub_view
def resource_file(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> FileResponse:
    """A shared file, for members only, through the storage it was saved in."""
    place = member_place(request, network_slug)
    resource = place.network.resources.filter(pk=pk, hidden=False).exclude(file="").first()
    if resource is None:
        raise Http404("No such file.")
    name = resource.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        default_storage.open(resource.file.name), as_attachment=True, filename=name
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@signed_in_hub_view
def resource_moderate(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    if request.method == "POST":
        _moderate(request, network_slug, Resource, pk)
    else:
        member_place(request, network_slug)
    return redirect("cpd:resources", hub_slug=hub_slug, network_slug=network_slug)


@signed_in_hub_view
def my_settings(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """A member turns the emails about new posts on or off."""
    place = member_place(request, network_slug)
    # An unticked box sends nothing, so a POST with no fields is still an answer.
    form = NotifyForm(
        request.POST if request.method == "POST" else None,
        initial={"notify_posts": place.me.notify_posts},
    )
    if request.method == "POST" and request.POST.get("leave"):
        services.member_leave(member=place.me, by=request.user)
        messages.success(request, f"You have left {place.network.name}.")
        return redirect("cpd:detail", hub_slug=hub_slug, network_slug=network_slug)
    if request.method == "POST" and form.is_valid():
        services.member_notifications_set(member=place.me, notify=form.cleaned_data["notify_posts"])
        messages.success(
            request,
            "You will get an email about new posts."
            if form.cleaned_data["notify_posts"]
            else "You will not get emails about new posts.",
        )
        return redirect("cpd:space", hub_slug=hub_slug, network_slug=network_slug)
    return render_place(request, "cpd/my_settings.html", place, {"form": form})
