import functools
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from tutti.core.audit import ReadAction, audit_read
from tutti.core.links import LinkProblem
from tutti.core.urls import absolute_url
from tutti.core.years import current_academic_year, year_label
from tutti.directory.models import LocalAuthority
from tutti.provision import selectors, services
from tutti.provision.access import area_school, audit_link_school, link_problem, network_member_view
from tutti.provision.forms import (
    AuditForm,
    GapFilterForm,
    NetworkFilterForm,
    ReportFilterForm,
    SchoolListFilterForm,
)
from tutti.provision.models import (
    CoreRole,
    SchoolAudit,
    Status,
)
from tutti.provision.report import report_pdf
from tutti.provision.selectors import SchoolProvision
from tutti.provision.tokens import audit_token
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest

# The report lists the schools most in need; the page lists them all.
REPORT_RANKED = 25
SCHOOLS_PER_PAGE = 50
GAP_LIST_PER_PAGE = 50


@public_hub_view
def audit_form(request: HubRequest, hub_slug: str, school_id: int, token: str) -> HttpResponse:
    """The school's audit, reached through its signed link: no account needed."""
    try:
        school, year = audit_link_school(request, school_id, token)
    except LinkProblem as problem:
        return link_problem(request, problem)
    record = selectors.audit_get(hub=request.hub, school_id=school.pk, year=year)
    last_year = selectors.audit_get(hub=request.hub, school_id=school.pk, year=year - 1)
    initial = {}
    if record is None and last_year is not None:
        # Start from last year's answers, so that a school only changes what changed.
        initial = {name: getattr(last_year, name) for name in services.AUDIT_FIELDS}
    instance = record or SchoolAudit(hub=request.hub, school=school, year=year)
    form = AuditForm(request.POST or None, instance=instance, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.audit_save(
                    hub=request.hub,
                    school=school,
                    year=year,
                    answers=form.cleaned_data,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "Thank you: your answers are saved. You can come back to this page with the "
                    "same link to change them.",
                )
                return redirect(request.path)
        status = 400
    return render(
        request,
        "provision/audit_form.html",
        {
            "form": form,
            "school": school,
            "record": record,
            "last_year": last_year,
            "year_label": year_label(year),
        },
        status=status,
    )


def _needs_analysis(
    *, authorities: Iterable[LocalAuthority], shown: list[SchoolProvision], role: str, where: str
) -> dict[str, Any]:
    """What the gap map page and the needs-analysis report both show of ``role`` in the schools
    ``shown``: the map, the counts by status, coverage and gaps by cluster and authority, and
    the schools most in need first."""
    label = CoreRole(role).label
    by_cluster = selectors.provision_counts(rows=shown, by="cluster")
    return {
        "role": role,
        "role_label": label,
        "roles": CoreRole.choices,
        "map": selectors.gap_map(authorities=authorities, rows=shown, role=role),
        "map_title": f"Map of {label.lower()} in {where}",
        "totals": selectors.status_totals(rows=shown, role=role),
        "coverage": selectors.coverage_by_group(groups=by_cluster, role=role),
        "lacking": [
            ("cluster", "Cluster", by_cluster),
            (
                "authority",
                "Local authority",
                selectors.provision_counts(rows=shown, by="local_authority"),
            ),
        ],
        "ranking": [
            (row, Status(row.statuses[role]).label)
            for row in selectors.gap_ranking(rows=shown, role=role)
        ],
        "ranking_rule": selectors.RANKING_RULE,
        "pupils_source": selectors.pupils_source(rows=shown),
    }


@public_hub_view
def gap_map(request: HubRequest, hub_slug: str) -> HttpResponse:
    """Counts and a map of where music is and is not provided: no personal data.

    The map of a county's schools is most of the page's work: it is drawn once for each data
    version and filter and kept in the shared cache with the tables' counts (``GapMapCache``),
    and the gap list shows a page of schools at a time (the map still shows them all)."""
    year = current_academic_year()
    stored = selectors.GapMapCache.of(hub=request.hub, year=year)
    # Read at most once, and only when something has to be drawn or counted again.
    rows = functools.cache(lambda: selectors.school_provision(hub=request.hub, year=year))

    phases = stored.get_or_make(lambda: sorted({r.phase for r in rows()}), "phases")
    form = GapFilterForm(request.GET or None, phases=phases)
    role, phase, status = CoreRole.WCET.value, "", 200
    if form.is_bound:
        if form.is_valid():
            role = form.cleaned_data["role"] or role
            phase = form.cleaned_data["phase"]
        else:
            status = 400

    def analysis() -> dict[str, Any]:
        shown = [r for r in rows() if not phase or r.phase == phase]
        made = _needs_analysis(
            authorities=list(request.hub.local_authorities.all()),
            shown=shown,
            role=role,
            where="the hub's schools",
        )
        drawn = made.pop("map")
        made["map_svg"] = (
            render_to_string(
                "provision/includes/gap_map_svg.html",
                {"map": drawn, "map_title": made["map_title"]},
            )
            if drawn.height
            else ""
        )
        made["schools"] = len(shown)
        return made

    context, page = stored.analysis_page(
        analysis,
        page_number=request.GET.get("page"),
        per_page=GAP_LIST_PER_PAGE,
        role=role,
        phase=phase,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "provision/gap_map.html",
        {
            **context,
            "map_svg": mark_safe(context["map_svg"]),  # noqa: S308 - drawn by our own template
            "ranking": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "form": form,
            "phase": phase,
            "year_label": year_label(year),
        },
        status=status,
    )


@hub_permission_required("can_manage_provision")
def manage_provision(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Every school's audit this year, its link to send, and completion by cluster."""
    year = current_academic_year()
    rows = selectors.school_provision(hub=request.hub, year=year)
    clusters = sorted({name for r in rows for name in r.clusters})
    form = SchoolListFilterForm(request.GET or None, clusters=clusters)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cluster = chosen.get("cluster", "")
    shown = [r for r in rows if not cluster or cluster in r.clusters]
    progress = selectors.audit_progress(rows=shown)
    # The schools' table is long (every school in the area): it has its own filters and pages;
    # the completion table above counts every school of the cluster.
    listed = [
        p
        for p in progress
        if (not chosen.get("state") or p.state == chosen["state"])
        and (not chosen.get("q") or chosen["q"].casefold() in p.school.name.casefold())
    ]
    page = Paginator(listed, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    versions = selectors.audit_link_versions(
        hub=request.hub, school_ids=[p.school.pk for p in page.object_list]
    )
    links = {
        p.school.pk: absolute_url(
            reverse(
                "provision:audit",
                kwargs={
                    "hub_slug": hub_slug,
                    "school_id": p.school.pk,
                    "token": audit_token(
                        hub_id=request.hub.pk,
                        school_id=p.school.pk,
                        year=year,
                        version=versions.get(p.school.pk, 0),
                    ),
                },
            ),
            request,
        )
        for p in page.object_list
    }
    query = request.GET.copy()
    query.pop("page", None)
    completion = []
    for group in selectors.provision_counts(rows=shown, by="cluster"):
        members = [p for p in progress if (p.school.clusters or ["No cluster"]).count(group.name)]
        done = sum(1 for p in members if p.state == "complete")
        started = sum(1 for p in members if p.state == "started")
        completion.append((group.name, len(members), done, started, len(members) - done - started))
    audit_read(request, ReadAction.PROVISION_AUDITS, year=year)
    return render(
        request,
        "provision/manage_provision.html",
        {
            "form": form,
            "year_label": year_label(year),
            "progress": [(p, links[p.school.pk]) for p in page.object_list],
            "page": page,
            "listed": len(listed),
            "query": query.urlencode(),
            "completion": completion,
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@hub_permission_required("can_manage_provision")
def audit_link_replace(request: MemberRequest, hub_slug: str, school_id: int) -> HttpResponse:
    """Give a school a new audit link, when the old one went astray: the old one stops working.
    A GET goes back to the provision page."""
    back = reverse("provision-manage:list", kwargs={"hub_slug": hub_slug})
    school = area_school(hub=request.hub, school_id=school_id)
    if school is None:
        raise Http404("No such school in the hub's area.")
    if request.method == "POST":
        services.audit_link_replace(hub=request.hub, school=school, by=request.user)
        messages.success(
            request,
            f"{school.name} has a new audit link, below. The old link no longer works: send "
            "the new one to the school.",
        )
        return redirect(f"{back}?{urlencode({'q': school.name})}#school-{school.pk}")
    return redirect(back)


@hub_permission_required("can_manage_provision")
def send_reminders(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Email every school without a complete audit this year its link; list those without an
    email address for staff to contact."""
    back = redirect("provision-manage:list", hub_slug=hub_slug)
    if request.method != "POST":
        return back
    rows = selectors.school_provision(hub=request.hub, year=current_academic_year())
    result = services.audit_reminders_send(
        hub=request.hub,
        year=current_academic_year(),
        school_ids=[r.pk for r in rows],
        by=request.user,
    )
    if result.emailed:
        messages.success(
            request,
            f"Reminder sent to {len(result.emailed)} "
            f"school{pluralize(len(result.emailed))} without a complete audit.",
        )
    elif not result.to_contact:
        messages.info(request, "Every school has completed its audit: nobody to remind.")
    if result.to_contact:
        messages.warning(
            request,
            "The register has no email address for these schools, so contact them yourselves "
            "with their link from the table below: "
            + ", ".join(s.name for s in result.to_contact)
            + ".",
        )
    return back


@network_member_view
def network_detail(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The member hubs' provision added up, with a map of their schools: no personal data."""
    network = request.network  # type: ignore[attr-defined]
    groups = list(network.groups.prefetch_related("organisations", "local_authorities", "clusters"))
    form = NetworkFilterForm(request.GET or None, groups=groups)
    role, group, status = CoreRole.WCET.value, None, 200
    if form.is_bound:
        if form.is_valid():
            role = form.cleaned_data["role"] or role
            group = next((g for g in groups if str(g.pk) == form.cleaned_data["group"]), None)
        else:
            status = 400
    school_ids = selectors.working_group_school_ids(group=group) if group else None
    provision = selectors.network_provision(
        network=network, year=current_academic_year(), school_ids=school_ids
    )
    return render(
        request,
        "provision/network_detail.html",
        {
            "network": network,
            "form": form,
            "role": role,
            "role_label": CoreRole(role).label,
            "group": group,
            "groups": groups,
            "partners": network.partners.order_by("name"),
            "year_label": year_label(current_academic_year()),
            "provision": provision,
            "maps": selectors.network_maps(network=network, rows=provision.rows, role=role),
            "map_title": f"Map of {CoreRole(role).label.lower()} in the member hubs' schools",
            "totals": selectors.status_totals(rows=provision.rows, role=role),
            "roles": CoreRole.choices,
            "statuses": [(s.value, s.label) for s in selectors.STATUS_ORDER],
            "by_hub": [
                (g.name, g.schools, [g.count(role, s) for s in selectors.STATUS_ORDER])
                for g in provision.by_hub
            ],
            "total_row": [provision.total.count(role, s) for s in selectors.STATUS_ORDER],
            "by_role": [
                (label, [provision.total.count(value, s) for s in selectors.STATUS_ORDER])
                for value, label in CoreRole.choices
            ],
        },
        status=status,
    )


@hub_permission_required("can_manage_provision")
def provision_report(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The needs analysis as a PDF for the hub's board and for publishing: the whole hub, or
    one cluster with ?cluster=."""
    year = current_academic_year()
    rows = selectors.school_provision(hub=request.hub, year=year)
    clusters = sorted({name for r in rows for name in r.clusters})
    form = ReportFilterForm(request.GET or None, clusters=clusters)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Choose a cluster and a kind of provision from the lists.",
            status=400,
            content_type="text/plain",
        )
    data = form.cleaned_data if form.is_bound else {}
    cluster = data.get("cluster", "")
    role = data.get("role") or CoreRole.WCET.value
    shown = [r for r in rows if not cluster or cluster in r.clusters]
    totals = {value: selectors.status_totals(rows=shown, role=value) for value in CoreRole.values}
    analysis = _needs_analysis(
        authorities=request.hub.local_authorities.all(), shown=shown, role=role, where="the schools"
    )
    context = {
        **analysis,
        "hub": request.hub,
        "cluster": cluster,
        "year_label": year_label(year),
        "generated": timezone.localdate(),
        "schools": len(shown),
        "print": True,
        "statuses": [(s.value, s.label) for s in selectors.STATUS_ORDER],
        "by_role": [
            (label, [(status, count) for status, _, count in totals[value]])
            for value, label in CoreRole.choices
        ],
        "ranking": analysis["ranking"][:REPORT_RANKED],
        "ranked": REPORT_RANKED,
        "role_totals": analysis["totals"],
    }
    name = f"{hub_slug}-{slugify(cluster) + '-' if cluster else ''}needs-analysis.pdf"
    response = HttpResponse(report_pdf(request=request, context=context), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
