"""Writes to clusters. Each is atomic and audited."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from tutti.accounts.models import Invitation, Membership, Role, User
from tutti.clusters.models import Cluster, ClusterMember
from tutti.core.audit import audit
from tutti.core.errors import ConflictError
from tutti.core.models import model_update
from tutti.core.uploads import UploadError, csv_records, megabytes, open_csv
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations

CLUSTER_FIELDS = ("name", "area", "description", "contact_email")


class ClusterError(ConflictError):
    """A cluster change that the rules do not allow; the message is for the user.

    Each is a clash with what is there (409): a name in use, a member already in."""


def _unique_slug(hub: Hub, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:150] or "cluster"
    slug, n = base, 2
    taken = Cluster.objects.filter(hub=hub)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def cluster_create(*, hub: Hub, by: Any, coordinator: User | None = None, **fields: Any) -> Cluster:
    """Create a cluster; without a coordinator the post shows as vacant."""
    cluster = Cluster(hub=hub, **{k: v for k, v in fields.items() if k in CLUSTER_FIELDS})
    if Cluster.objects.filter(hub=hub, name__iexact=cluster.name).exists():
        raise ClusterError(f"There is already a cluster called {cluster.name}.")
    cluster.slug = _unique_slug(hub, cluster.name)
    cluster.full_clean()
    cluster.save()
    audit("clusters.cluster.created", hub=hub, actor=by, obj=cluster)
    if coordinator is not None:
        cluster_set_coordinator(cluster=cluster, coordinator=coordinator, by=by)
    return cluster


@transaction.atomic
def cluster_update(*, cluster: Cluster, by: Any, **fields: Any) -> Cluster:
    data = {k: fields[k] for k in CLUSTER_FIELDS if k in fields}
    if "name" in data and data["name"] != cluster.name:
        if (
            Cluster.objects.filter(hub=cluster.hub, name__iexact=data["name"])
            .exclude(pk=cluster.pk)
            .exists()
        ):
            raise ClusterError(f"There is already a cluster called {data['name']}.")
        data["slug"] = _unique_slug(cluster.hub, data["name"], exclude_pk=cluster.pk)
    changed = model_update(cluster, data, validate=True)
    if changed:
        audit("clusters.cluster.updated", hub=cluster.hub, actor=by, obj=cluster, fields=changed)
    return cluster


@transaction.atomic
def coordinator_appoint(
    *, cluster: Cluster, email: str, by: Any, first_name: str = "", last_name: str = ""
) -> Invitation | None:
    """Appoint someone who has a role in the hub at once; anyone else is invited (role
    coordinator, this cluster) and becomes coordinator on accepting. Returns the invitation."""
    from tutti.accounts.models import InvitationStatus
    from tutti.accounts.services import invitation_create, invitation_withdraw

    email = email.strip().lower()
    # A new appointment replaces any invitation still waiting to coordinate this cluster.
    for earlier in Invitation.objects.filter(cluster=cluster, status=InvitationStatus.PENDING):
        invitation_withdraw(invitation=earlier, by=by)
    membership = (
        Membership.objects.select_related("user")
        .filter(hub=cluster.hub, user__email__iexact=email)
        .first()
    )
    if membership is not None:
        cluster_set_coordinator(cluster=cluster, coordinator=membership.user, by=by)
        return None
    return invitation_create(
        hub=cluster.hub,
        email=email,
        role=Role.COORDINATOR,
        cluster=cluster,
        first_name=first_name,
        last_name=last_name,
        by=by,
    )


@transaction.atomic
def cluster_set_coordinator(*, cluster: Cluster, coordinator: User | None, by: Any) -> Cluster:
    """Appoint a coordinator (who gets a coordinator role in the hub if they have none), or
    vacate the post with ``coordinator=None``. Pages and the API reach it through
    ``coordinator_appoint``, so only an accepted invitation gives someone a new role."""
    previous = cluster.coordinator
    cluster.coordinator = coordinator
    cluster.save(update_fields=["coordinator", "updated_at"])
    if coordinator is not None:
        Membership.objects.get_or_create(
            hub=cluster.hub, user=coordinator, defaults={"role": Role.COORDINATOR}
        )
    audit(
        "clusters.coordinator.vacated" if coordinator is None else "clusters.coordinator.set",
        hub=cluster.hub,
        actor=by,
        obj=cluster,
        previous=previous.email if previous else None,
        coordinator=coordinator.email if coordinator else None,
    )
    return cluster


@transaction.atomic
def cluster_add_member(*, cluster: Cluster, organisation: Organisation, by: Any) -> ClusterMember:
    if not hub_organisations(hub=cluster.hub).filter(pk=organisation.pk).exists():
        raise ClusterError(f"{organisation.name} is not in this hub's directory.")
    member, created = ClusterMember.objects.get_or_create(
        cluster=cluster, organisation=organisation
    )
    if not created:
        raise ClusterError(f"{organisation.name} is already a member of {cluster.name}.")
    audit(
        "clusters.member.added",
        hub=cluster.hub,
        actor=by,
        obj=cluster,
        organisation=organisation.pk,
    )
    return member


@transaction.atomic
def cluster_remove_member(*, cluster: Cluster, organisation: Organisation, by: Any) -> None:
    deleted, _ = ClusterMember.objects.filter(cluster=cluster, organisation=organisation).delete()
    if not deleted:
        raise ClusterError(f"{organisation.name} is not a member of {cluster.name}.")
    audit(
        "clusters.member.removed",
        hub=cluster.hub,
        actor=by,
        obj=cluster,
        organisation=organisation.pk,
    )


@dataclass
class AssignmentReport:
    assigned: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


URN_HEADERS = ("urn",)
CLUSTER_HEADERS = ("cluster", "cluster name", "cluster_name")
# More than a hub has schools; the page's form refuses a larger file before it is read.
MAX_ASSIGNMENT_ROWS = 10_000
MAX_ASSIGNMENT_BYTES = 2 * 1024 * 1024


def clusters_assign_from_csv(*, hub: Hub, data: bytes, by: Any) -> AssignmentReport:  # noqa: C901 - every row is checked before any write, to report them all
    """Put schools into clusters from a CSV with the columns URN and Cluster (name).

    All or nothing: every row is checked first, and one bad row writes nothing. A school is in
    one cluster of a hub at a time, so assigning it moves it from any other.
    """
    report = AssignmentReport()
    try:
        if len(data) > MAX_ASSIGNMENT_BYTES:
            raise UploadError(f"The file is larger than {megabytes(MAX_ASSIGNMENT_BYTES)}.")
        records = [
            (line, record)
            for line, record in csv_records(open_csv(data), max_rows=MAX_ASSIGNMENT_ROWS)
            if any(cell.strip() for cell in record)
        ]
    except UploadError as error:
        report.errors.append(str(error))
        return report
    header = records[0][1] if records else []
    headers = {h.strip().lower(): i for i, h in reversed(list(enumerate(header)))}
    urn_col = next((headers[h] for h in URN_HEADERS if h in headers), None)
    cluster_col = next((headers[h] for h in CLUSTER_HEADERS if h in headers), None)
    if urn_col is None or cluster_col is None:
        report.errors.append("The file needs a header row with the columns URN and Cluster.")
        return report

    def cell(record: list[str], index: int) -> str:
        return record[index].strip() if index < len(record) else ""

    clusters = {c.name.lower(): c for c in Cluster.objects.filter(hub=hub)}
    clusters.update({c.slug: c for c in clusters.values()})
    rows = records[1:]
    urns = [cell(record, urn_col) for _, record in rows]
    schools = {
        str(o.urn): o
        for o in hub_organisations(hub=hub).filter(
            kind=OrganisationKind.SCHOOL, urn__in=[u for u in urns if u.isdigit()]
        )
    }
    wanted: dict[int, Cluster] = {}
    seen: dict[str, int] = {}
    for line, record in rows:
        urn = cell(record, urn_col)
        name = cell(record, cluster_col)
        if not urn.isdigit():
            report.errors.append(f"Row {line}, URN: “{urn}” is not a URN (a number).")
            continue
        if urn in seen:
            report.errors.append(f"Row {line}, URN: {urn} is also on row {seen[urn]}.")
            continue
        seen[urn] = line
        school = schools.get(urn)
        if school is None:
            report.errors.append(f"Row {line}, URN: no school with URN {urn} in this hub's area.")
        cluster = clusters.get(name.lower())
        if cluster is None:
            report.errors.append(f"Row {line}, Cluster: there is no cluster called “{name}”.")
        if school is not None and cluster is not None:
            wanted[school.pk] = cluster
    if not rows:
        report.errors.append("The file has no rows under its header.")
    if report.errors:
        return report

    with transaction.atomic():
        current: dict[int, set[int]] = defaultdict(set)
        for m in ClusterMember.objects.filter(cluster__hub=hub, organisation_id__in=wanted):
            current[m.organisation_id].add(m.cluster_id)
        for org_id, cluster in wanted.items():
            if current[org_id] == {cluster.pk}:
                report.unchanged += 1
                continue
            ClusterMember.objects.filter(cluster__hub=hub, organisation_id=org_id).exclude(
                cluster=cluster
            ).delete()
            ClusterMember.objects.get_or_create(cluster=cluster, organisation_id=org_id)
            report.assigned += 1
        audit(
            "clusters.members.assigned_from_csv",
            hub=hub,
            actor=by,
            assigned=report.assigned,
            unchanged=report.unchanged,
        )
    return report
