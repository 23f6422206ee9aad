"""The staff side: lists, their members, writing, previewing and sending issues, figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.audit import audit
from tutti.core.urls import absolute_url
from tutti.newsletters import selectors, services
from tutti.newsletters.access import (
    CAPABILITY,
    check_may_create_list,
    issue_for_edit,
    list_for_edit,
    lists_to_run,
    runs_every_list,
)
from tutti.newsletters.charts import growth_chart
from tutti.newsletters.forms import ImageForm, IssueForm, ListForm, MembersAddForm, SendForm
from tutti.newsletters.models import Issue, IssueStatus
from tutti.newsletters.rendering import (
    Content,
    digest_events,
    email_content,
    image_markdown,
    issue_content,
)
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest

READ_MEMBERS = "read.newsletters.members"


@hub_permission_required(CAPABILITY)
def list_index(request: MemberRequest, hub_slug: str) -> HttpResponse:
    lists = lists_to_run(request, selectors.hub_lists(hub=request.hub))
    return render(
        request,
        "newsletters/manage_lists.html",
        {"lists": lists, "may_create": runs_every_list(request)},
    )


@hub_permission_required(CAPABILITY)
def list_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    check_may_create_list(request)
    form = ListForm(request.POST or None, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.list_create(hub=request.hub, by=request.user, **form.cleaned_data)
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"List {created.name} created.")
            return redirect("newsletters-manage:list", hub_slug=hub_slug, pk=created.pk)
    status = 400 if form.errors else 200
    return render(request, "newsletters/list_form.html", {"form": form}, status=status)


@hub_permission_required(CAPABILITY)
def list_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    newsletter_list = list_for_edit(request, pk)
    check_may_create_list(request)
    form = ListForm(request.POST or None, instance=newsletter_list, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        newsletter_list.refresh_from_db()
        try:
            services.list_update(
                newsletter_list=newsletter_list, by=request.user, **form.cleaned_data
            )
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Saved.")
            return redirect("newsletters-manage:list", hub_slug=hub_slug, pk=pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletters/list_form.html",
        {"form": form, "list": newsletter_list},
        status=status,
    )


@hub_permission_required(CAPABILITY)
def list_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    newsletter_list = list_for_edit(request, pk)
    growth = selectors.list_growth(newsletter_list=newsletter_list)
    return render(
        request,
        "newsletters/manage_list.html",
        {
            "list": newsletter_list,
            "issues": selectors.list_issues(newsletter_list=newsletter_list),
            "growth": growth,
            "chart": growth_chart(growth),
            "active": growth[-1].subscribers if growth else 0,
            "may_edit": runs_every_list(request),
            "embed_url": absolute_url(
                reverse("newsletters:embed", kwargs={"hub_slug": hub_slug}), request
            ),
        },
    )


@hub_permission_required(CAPABILITY)
def list_members(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Who is on the list: personal data, so each look is in the audit log."""
    newsletter_list = list_for_edit(request, pk)
    members = selectors.list_members(newsletter_list=newsletter_list)
    audit(
        READ_MEMBERS,
        hub=request.hub,
        actor=request.user,
        obj=newsletter_list,
        path=request.get_full_path()[:500],
    )
    return render(
        request, "newsletters/manage_members.html", {"list": newsletter_list, "members": members}
    )


@hub_permission_required(CAPABILITY)
def members_add(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    newsletter_list = list_for_edit(request, pk)
    form = MembersAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.members_add(
                newsletter_list=newsletter_list,
                emails=form.cleaned_data["addresses"],
                by=request.user,
                basis_confirmed=form.cleaned_data["basis"],
            )
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            text = f"Added {result.added}; {result.already} were on the list already."
            if result.suppressed:
                text += (
                    f" Not added, as they left or their address bounced: "
                    f"{', '.join(result.suppressed[:10])}. They can sign up again themselves."
                )
            messages.success(request, text)
            return redirect("newsletters-manage:list", hub_slug=hub_slug, pk=pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletters/members_add.html",
        {"form": form, "list": newsletter_list},
        status=status,
    )


@hub_permission_required(CAPABILITY)
def issue_create(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    newsletter_list = list_for_edit(request, pk)
    form = IssueForm(request.POST or None, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(
                newsletter_list=newsletter_list, by=request.user, **form.cleaned_data
            )
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Draft saved. Check the preview, then send it.")
            return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=issue.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletters/issue_form.html",
        {"form": form, "list": newsletter_list},
        status=status,
    )


@hub_permission_required(CAPABILITY)
def issue_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    issue = issue_for_edit(request, pk)
    if issue.status != IssueStatus.DRAFT:
        messages.info(request, "This issue has been sent or scheduled, so it cannot be changed.")
        return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    form = IssueForm(request.POST or None, instance=issue, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(issue=issue, by=request.user, **form.cleaned_data)
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Draft saved.")
            return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletters/issue_form.html",
        {"form": form, "list": issue.newsletter_list, "issue": issue},
        status=status,
    )


def _preview(issue: Issue) -> Content:
    if issue.sent_html:
        return email_content(issue, Content(html=issue.sent_html, text=issue.sent_text))
    return email_content(issue, issue_content(issue, digest_events(issue)))


@hub_permission_required(CAPABILITY)
def issue_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    issue = issue_for_edit(request, pk)
    content = (
        Content(html=issue.sent_html, text=issue.sent_text)
        if issue.sent_html
        else issue_content(issue, digest_events(issue))
    )
    preview = _preview(issue)
    return render(
        request,
        "newsletters/manage_issue.html",
        {
            "issue": issue,
            "list": issue.newsletter_list,
            "preview_html": content.html,
            "preview_text": preview.text.replace(
                "@@unsubscribe_url@@", "(your unsubscribe link)"
            ).replace("@@preferences_url@@", "(your preferences link)"),
            "send_form": SendForm(),
            "images": [(image, image_markdown(image)) for image in issue.images.all()],
            "figures": selectors.issue_figures(issue=issue)
            if issue.status != IssueStatus.DRAFT
            else None,
            "active": issue.newsletter_list.subscriptions.filter(status="active").count(),
        },
    )


@hub_permission_required(CAPABILITY)
def issue_test(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    issue = issue_for_edit(request, pk)
    if request.method != "POST":
        return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    services.issue_test_send(issue=issue, by=request.user)
    messages.success(request, f"A test has been sent to {request.user.email}.")
    return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)


@hub_permission_required(CAPABILITY)
def issue_send(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    issue = issue_for_edit(request, pk)
    if request.method != "POST":
        return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    if request.POST.get("action") == "unschedule":
        services.issue_unschedule(issue=issue, by=request.user)
        messages.success(request, "The issue is a draft again: it will not be sent.")
        return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        send_at = form.cleaned_data["send_at"] if form.cleaned_data["when"] == "later" else None
        try:
            services.issue_send(issue=issue, by=request.user, send_at=send_at)
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            if send_at is None:
                messages.success(
                    request, "Sending has started. The figures below fill in as it goes."
                )
            else:
                messages.success(request, "Scheduled. You can take it back until then.")
            return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    return render(
        request,
        "newsletters/issue_send_problem.html",
        {"form": form, "issue": issue, "list": issue.newsletter_list},
        status=400,
    )


@hub_permission_required(CAPABILITY)
def image_upload(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    issue = issue_for_edit(request, pk)
    if issue.status != IssueStatus.DRAFT:
        raise PermissionDenied("This issue has been sent, so it cannot be changed.")
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        image = services.image_add(
            issue=issue,
            by=request.user,
            file=form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
        )
        messages.success(
            request,
            "Image uploaded. Copy its line from the list below into the text where it should go.",
        )
        del image
        return redirect("newsletters-manage:issue", hub_slug=hub_slug, pk=pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletters/image_upload.html",
        {"form": form, "issue": issue, "list": issue.newsletter_list},
        status=status,
    )
