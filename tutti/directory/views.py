from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tutti.core.pagination import CountedPaginator
from tutti.core.permissions import public_view
from tutti.directory import selectors, services
from tutti.directory.access import can_edit_organisation, organisation_for_edit
from tutti.directory.forms import DirectorySearchForm, OrganisationForm
from tutti.directory.models import Hub, Partnership, PartnershipStatus
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest

PAGE_SIZE = 25


def _on_form(error: ValidationError, form: OrganisationForm) -> ValidationError:
    """A service's errors, each on its field when the form has it."""
    placed: dict[str, list[str]] = {}
    for key, texts in error.message_dict.items():
        placed.setdefault(key if key in form.fields else NON_FIELD_ERRORS, []).extend(texts)
    return ValidationError(placed)


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """The site's home page (``core:home``): every hub on Tutti."""
    hubs = Hub.objects.order_by("name")
    return render(request, "directory/home.html", {"hubs": hubs})


@public_hub_view
def hub_home(request: HubRequest, hub_slug: str) -> HttpResponse:
    hub = request.hub
    return render(
        request,
        "directory/hub_home.html",
        {"counts": selectors.hub_counts(hub=hub), "search_form": DirectorySearchForm(hub=hub)},
    )


def _search_page(request: HubRequest, *, public: bool) -> dict:
    hub = request.hub
    form = DirectorySearchForm(request.GET or None, hub=hub)
    results = selectors.directory_search(hub=hub, filters=form.filters(), public=public)
    listed = selectors.with_hub_clusters(
        results.organisations.only(*selectors.LISTED_FIELDS), hub=hub
    )
    page = CountedPaginator(listed, PAGE_SIZE, count=results.count).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@public_hub_view
def directory_search(request: HubRequest, hub_slug: str) -> HttpResponse:
    return render(request, "directory/directory_search.html", _search_page(request, public=True))


@public_hub_view
def organisation_detail(request: HubRequest, hub_slug: str, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(hub=request.hub, pk=pk)
    if organisation is None:
        raise Http404("No such organisation in this hub's directory.")
    clusters = selectors.organisation_clusters(hub=request.hub, organisation=organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "clusters": clusters,
            "can_edit": can_edit_organisation(request, organisation.pk),
        },
    )


@hub_permission_required("can_view_manage")
def manage_home(request: MemberRequest, hub_slug: str) -> HttpResponse:
    membership = request.membership
    hub = request.hub
    context = {
        "counts": selectors.hub_counts(hub=hub),
        "my_clusters": hub.clusters.filter(coordinator=request.user),
        "my_organisations": membership.own_organisations(),
    }
    return render(request, "directory/manage_home.html", context)


@hub_permission_required("can_manage_directory")
def manage_directory(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return render(request, "directory/manage_directory.html", _search_page(request, public=False))


@hub_permission_required("can_manage_directory")
def organisation_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    form = OrganisationForm(request.POST or None, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expertise = data.pop("expertise")
        try:
            organisation = services.organisation_create(
                hub=request.hub, by=request.user, expertise=expertise, **data
            )
        except services.DirectoryError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, _on_form(error, form))
        else:
            messages.success(request, f"{organisation.name} is now in the directory.")
            return redirect("directory:organisation", hub_slug=hub_slug, pk=organisation.pk)
    return render(request, "directory/organisation_form.html", {"form": form})


@hub_permission_required("can_edit_organisation")
def organisation_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    organisation = organisation_for_edit(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expertise = data.pop("expertise")
        organisation.refresh_from_db()  # the form wrote its values onto the instance
        try:
            services.organisation_update(
                hub=request.hub,
                organisation=organisation,
                by=request.user,
                expertise=expertise,
                **data,
            )
        except services.DirectoryError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, _on_form(error, form))
        else:
            messages.success(request, "Saved.")
            return redirect("directory:organisation", hub_slug=hub_slug, pk=organisation.pk)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@hub_permission_required("can_view_manage")
def partner_commitments(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The hub's partner commitments: partner staff accept them; staff see who has."""
    hub = request.hub
    membership = request.membership
    current = hub.commitments.order_by("-version").first()
    own = Partnership.objects.filter(
        hub=hub, organisation__in=membership.own_organisations()
    ).select_related("organisation", "commitments_accepted")
    if request.method == "POST":
        partnership = own.filter(pk=request.POST.get("partnership") or 0).first()
        if partnership is None:
            raise Http404("No such partnership of yours.")
        try:
            services.partnership_accept_commitments(partnership=partnership, by=request.user)
        except services.DirectoryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{partnership.organisation.name} accepts the partner commitments."
            )
        return redirect("directory-manage:commitments", hub_slug=hub_slug)
    everyone = None
    if membership.has_capability("can_manage_directory"):
        everyone = (
            Partnership.objects.filter(hub=hub, status=PartnershipStatus.ACTIVE)
            .select_related("organisation", "commitments_accepted")
            .order_by("organisation__name")
        )
    return render(
        request,
        "directory/partner_commitments.html",
        {"current": current, "own": own, "everyone": everyone},
    )
