"""The family's pages, through the signed link in their email: no account needed."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from tutti.competitions import selectors, services
from tutti.competitions.certificate import certificate_pdf
from tutti.competitions.emails import entry_link
from tutti.competitions.forms import EntryChangeForm, VideoForm, VideoLinkForm, school_label
from tutti.competitions.models import Entry
from tutti.competitions.tokens import LinkProblem, video_token_read
from tutti.competitions.video import LimitedVideoUploadHandler, VideoError, too_large_message
from tutti.competitions.views.common import (
    CompetitionRead,
    audit_read,
    entry_from_link,
    link_problem,
    video_url,
)
from tutti.competitions.views.public import _area_schools
from tutti.tenancy.pages import public_hub_view
from tutti.tenancy.request import HubRequest


@public_hub_view
def entry_detail(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """The family's entry: what they sent, the video's preview, and what they can do."""
    try:
        entry = entry_from_link(request.hub, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    audit_read(request, CompetitionRead.ENTRY, obj=entry, via="family link")
    competition = entry.competition
    results_out = competition.results_published_at is not None
    return render(
        request,
        "competitions/entry_detail.html",
        {
            "entry": entry,
            "competition": competition,
            "pieces": entry.pieces.all(),
            "video_src": video_url(request, entry),
            "can_change": not entry.is_withdrawn and timezone.localdate() <= competition.closes_on,
            "results_out": results_out,
            "feedback": selectors.feedback_for(entry=entry) if results_out else [],
            "entry_public_words": selectors.public_name(entry),
            "token": token,
        },
    )


@public_hub_view
def entry_change(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    try:
        entry = entry_from_link(request.hub, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    competition = entry.competition
    pieces = list(entry.pieces.all())
    initial = {
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "date_of_birth": entry.date_of_birth,
        "category": entry.category_id,
        "school": school_label(entry.school) if entry.school else "",
        "home_educated": entry.home_educated,
        "lives_in_area": entry.lives_in_area,
        "teacher": entry.teacher,
        "accompanist": entry.accompanist,
        "consent_public": entry.consent_public_at is not None,
        "consent_filming": entry.consent_filming_at is not None,
    }
    for n, piece in enumerate(pieces, 1):
        initial |= {
            f"piece_{n}_title": piece.title,
            f"piece_{n}_composer": piece.composer,
            f"piece_{n}_minutes": piece.minutes,
        }
    form = EntryChangeForm(request.POST or None, competition=competition, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.entry_update(
                    entry=entry,
                    details=form.details(),
                    pieces=form.pieces(),
                    teacher=form.cleaned_data["teacher"],
                    accompanist=form.cleaned_data["accompanist"],
                    consent_public=form.cleaned_data["consent_public"],
                    consent_filming=form.cleaned_data["consent_filming"],
                )
            except services.CompetitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Your changes to the entry are saved.")
                return redirect(entry_link(entry))
        status = 400
    else:
        audit_read(request, CompetitionRead.ENTRY, obj=entry, via="family link")
    return render(
        request,
        "competitions/entry_change.html",
        {
            "entry": entry,
            "competition": competition,
            "form": form,
            "schools": _area_schools(competition),
            "token": token,
        },
        status=status,
    )


@public_hub_view
def entry_withdraw(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    try:
        entry = entry_from_link(request.hub, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    if request.method == "POST" and not entry.is_withdrawn:
        services.entry_withdraw(entry=entry)
        messages.success(request, "The entry is withdrawn and its video deleted.")
        return redirect(entry_link(entry))
    return render(
        request,
        "competitions/entry_withdraw.html",
        {"entry": entry, "competition": entry.competition, "token": token},
    )


@public_hub_view
@csrf_exempt
def entry_video(request: HubRequest, hub_slug: str, token: str) -> HttpResponseBase:
    """Upload the video. The upload handler is set before anything reads the request body, so
    the file streams to a temporary file within the competition's size limit; the CSRF check
    then runs as usual."""
    try:
        entry = entry_from_link(request.hub, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    max_bytes = entry.competition.max_video_mb * 1024 * 1024
    handler = LimitedVideoUploadHandler(request, max_bytes=max_bytes)
    request.upload_handlers = [handler]
    view = csrf_protect(_entry_video)
    return view(request, entry=entry, handler=handler, token=token)


def _entry_video(
    request: HubRequest, *, entry: Entry, handler: LimitedVideoUploadHandler, token: str
) -> HttpResponse:
    competition = entry.competition
    form = VideoForm(request.POST or None, request.FILES or None)
    link_form = VideoLinkForm(prefix="link") if competition.allow_links else None
    status = 200
    if request.method == "POST" and "link-link" in request.POST and competition.allow_links:
        link_form = VideoLinkForm(request.POST, prefix="link")
        form = VideoForm()
        if link_form.is_valid():
            try:
                services.entry_video_link_set(entry=entry, link=link_form.cleaned_data["link"])
            except services.CompetitionError as error:
                link_form.add_error(None, error.message)
            else:
                messages.success(request, "The link to the video is saved.")
                return redirect(entry_link(entry))
        status = 400
    elif request.method == "POST":
        if handler.too_large:
            # The handler dropped the file, so the form sees none: say why instead.
            form = VideoForm(request.POST)
            form.is_valid()
            form.errors["video"] = form.error_class([too_large_message(handler.max_bytes)])
        elif form.is_valid():
            try:
                services.entry_video_attach(entry=entry, upload=form.cleaned_data["video"])
            except (VideoError, services.CompetitionError) as error:
                form.add_error("video", error.message)
            else:
                messages.success(
                    request,
                    "Your video is uploaded. Watch it below to check it plays as you expect.",
                )
                return redirect(entry_link(entry))
        status = 400
    return render(
        request,
        "competitions/entry_video.html",
        {
            "entry": entry,
            "competition": competition,
            "form": form,
            "link_form": link_form,
            "token": token,
        },
        status=status,
    )


@public_hub_view
def certificate(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    try:
        entry = entry_from_link(request.hub, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    if entry.competition.results_published_at is None or entry.is_withdrawn:
        raise Http404("The certificate is ready once the results are out.")
    response = HttpResponse(certificate_pdf(entry), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{entry.code}.pdf"'
    return response


@public_hub_view
def video(request: HubRequest, hub_slug: str, token: str) -> HttpResponseBase:
    """A child's video, to the browser session its short-lived address was made for."""
    try:
        entry_id = video_token_read(token, session_key=request.session.session_key)
    except LinkProblem as problem:
        return link_problem(request, problem)
    entry = Entry.objects.filter(pk=entry_id, competition__hub=request.hub).first()
    if entry is None or not entry.video:
        raise Http404("This video is no longer kept.")
    audit_read(request, CompetitionRead.VIDEO, obj=entry)
    name = entry.video.name
    try:
        stream = default_storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404("This video is no longer kept.") from error
    content_type = mimetypes.guess_type(name)[0] or "video/mp4"
    response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{entry.code}{Path(name).suffix}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
