"""Partner data collection: asking the hub's partners for their returns for a year."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tutti.core.urls import absolute_url
from tutti.core.years import current_academic_year
from tutti.participation import selectors, services
from tutti.participation.forms import CollectionForm
from tutti.participation.models import Collection, Submission
from tutti.participation.tokens import return_link_path
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


@hub_permission_required("can_manage_participation")
def collection_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The hub's data collections, and opening a new one for a year."""
    now = current_academic_year()
    form = CollectionForm(request.POST or None, years=[now - 1, now, now - 2])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                collection = services.collection_open(
                    hub=request.hub,
                    year=form.cleaned_data["year"],
                    deadline=form.cleaned_data["deadline"],
                    by=request.user,
                )
            except services.ParticipationError as error:
                form.add_error("year", str(error))
            else:
                messages.success(
                    request,
                    f"Data collection for {collection.year_label} opened: "
                    f"{collection.submissions.count()} partners can now send their return. "
                    "Each is being emailed its own link; copy a link below to send it yourself.",
                )
                return redirect(
                    "participation-manage:collection", hub_slug=hub_slug, pk=collection.pk
                )
        status = 400
    return render(
        request,
        "participation/collection_list.html",
        {"collections": selectors.collection_list(hub=request.hub), "form": form},
        status=status,
    )


@hub_permission_required("can_manage_participation")
def collection_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Who has sent their return, who has not, and who is late."""
    collection = get_object_or_404(Collection, hub=request.hub, pk=pk)
    today = timezone.localdate()
    submissions = selectors.collection_submissions(collection=collection)
    for s in submissions:
        # The partner's signed link, for staff to copy and send themselves.
        s.link = absolute_url(
            return_link_path(hub=request.hub, submission_id=s.pk, version=s.link_version),
            request,
        )
    rows = [(s, s.is_late(today)) for s in submissions]
    return render(
        request,
        "participation/collection_detail.html",
        {
            "collection": collection,
            "rows": rows,
            "submitted": sum(1 for s in submissions if s.is_submitted),
            "late": sum(1 for _, late in rows if late),
            "waiting": sum(1 for s in submissions if not s.is_submitted),
            "past_deadline": today > collection.deadline,
        },
    )


@hub_permission_required("can_manage_participation")
def collection_remind(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, hub=request.hub, pk=pk)
    if request.method == "POST":
        reminded = services.collection_remind(collection=collection, by=request.user)
        if reminded:
            messages.success(
                request,
                f"Reminder sent to {len(reminded)} partner{'s' if len(reminded) != 1 else ''}.",
            )
        else:
            messages.info(request, "Every partner has sent their return: nobody to remind.")
    return redirect("participation-manage:collection", hub_slug=hub_slug, pk=collection.pk)


@hub_permission_required("can_manage_participation")
def submission_link_replace(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Give a partner's return a new link, when the old one went astray: the old one stops
    working. A GET goes back to the collection's page."""
    submission = get_object_or_404(
        Submission.objects.select_related("collection__hub", "partner"),
        collection__hub=request.hub,
        pk=pk,
    )
    if request.method == "POST":
        services.submission_link_replace(submission=submission, by=request.user)
        messages.success(
            request,
            f"{submission.partner.name} has a new link, below. The old link no longer works: "
            "send the new one to the partner.",
        )
    back = reverse(
        "participation-manage:collection",
        kwargs={"hub_slug": hub_slug, "pk": submission.collection_id},
    )
    return redirect(f"{back}#return-{submission.pk}")
