"""Reads of participation records, always within one hub."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Count,
    F,
    FilteredRelation,
    Func,
    Q,
    QuerySet,
)
from django.db.models.sql.compiler import SQLCompiler

from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation, OrganisationKind, PartnershipStatus
from tutti.directory.selectors import hub_organisations
from tutti.participation.kinds import KINDS, RecordKind
from tutti.participation.models import (
    Collection,
    ParticipationRecord,
    Submission,
    SubmissionStatus,
    WcetProgramme,
)

# One school's records of one kind, added up: how many ("records"), the sum of each number the
# figures read and, for each flag, how many records have it set (kinds.RecordKind.figure_fields).
Tally = dict[str, int]


def years_with_records(*, hub: Hub) -> list[int]:
    """Every year the hub has records for, newest first, in one query."""
    queries = [
        kind.model.objects.filter(hub=hub).order_by().values_list("year", flat=True)
        for kind in KINDS.values()
    ]
    first, *rest = queries
    return sorted(set(first.union(*rest)), reverse=True)


def default_year(years: list[int]) -> int:
    """The newest year with records; else the last complete year."""
    return years[0] if years else current_academic_year() - 1


def records_for(
    *, hub: Hub, kind: RecordKind, year: int, pks: list[int] | None = None
) -> QuerySet[ParticipationRecord]:
    # Only the kinds that name a school have one to join; the base model cannot say so.
    related = ["partner", "school", "school__local_authority"] if kind.names_school else ["partner"]
    records = kind.model.objects.filter(hub=hub, year=year).select_related(*related)
    if pks is not None:
        records = records.filter(pk__in=pks)
    return records


def delivering_partners(
    *, hub: Hub, organisation_ids: list[int] | None = None
) -> QuerySet[Organisation]:
    """Who may be named as a record's delivering partner: the hub's active partners, or for
    partner staff only their own organisations among them."""
    partners = Organisation.objects.filter(
        partnerships__hub=hub, partnerships__status=PartnershipStatus.ACTIVE
    ).exclude(kind=OrganisationKind.SCHOOL)
    if organisation_ids is not None:
        partners = partners.filter(pk__in=organisation_ids)
    return partners.order_by("name")


def record_partners(
    *, hub: Hub, record: ParticipationRecord, organisation_ids: list[int] | None = None
) -> QuerySet[Organisation]:
    """Who a record's partner may be changed to, and the partner it has now, even one whose
    partnership has since ended."""
    partners = delivering_partners(hub=hub, organisation_ids=organisation_ids)
    return Organisation.objects.filter(
        Q(pk__in=partners.values("pk")) | Q(pk=record.partner_id)
    ).order_by("name")


def area_school(*, hub: Hub, urn: int) -> Organisation | None:
    return hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL, urn=urn).first()


def collection_list(*, hub: Hub) -> list[Collection]:
    """The hub's collections, newest first, each with how many partners have submitted."""
    return list(
        Collection.objects.filter(hub=hub).annotate(
            partners=Count("submissions"),
            submitted=Count(
                "submissions", filter=Q(submissions__status=SubmissionStatus.SUBMITTED)
            ),
        )
    )


def collection_submissions(*, collection: Collection) -> list[Submission]:
    return list(collection.submissions.select_related("partner", "submitted_by"))


def outstanding_returns(*, hub: Hub, year: int) -> tuple[Collection | None, int]:
    """The year's data collection, if there is one, and how many partners have not sent their
    return to it."""
    collection = Collection.objects.filter(hub=hub, year=year).first()
    if collection is None:
        return None, 0
    return collection, collection.submissions.exclude(status=SubmissionStatus.SUBMITTED).count()


def submissions_for(*, hub: Hub, organisation_ids: list[int] | None) -> QuerySet[Submission]:
    """The hub's submissions, or for partner staff only their own organisations'."""
    submissions = Submission.objects.filter(collection__hub=hub).select_related(
        "collection", "partner"
    )
    if organisation_ids is not None:
        submissions = submissions.filter(partner_id__in=organisation_ids)
    return submissions.order_by("-collection__year", "partner__name")


def submission_records(
    *, submission: Submission
) -> list[tuple[RecordKind, list[ParticipationRecord]]]:
    """The records that came in with a partner's return, by kind."""
    hub = submission.collection.hub
    return [
        (
            kind,
            list(
                records_for(hub=hub, kind=kind, year=submission.collection.year).filter(
                    submission=submission
                )
            ),
        )
        for kind in KINDS.values()
    ]


# The impact figures and the data return, read in SQL: per kind, per year and per school, then
# added up in Python over the schools (a few hundred rows, not every record).


def counted_records(
    *, hub: Hub, kind: RecordKind, years: Iterable[int]
) -> QuerySet[ParticipationRecord]:
    """The kind's records the figures count in those years."""
    sent = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).values("pk")
    return kind.model.objects.filter(hub=hub, year__in=list(years)).filter(
        # A partner's return counts once it is sent, not while they are filling it in. A
        # subquery, not a join to the submissions, which would be made for every record and
        # take as long as reading it (the subquery is read once, into a hash).
        Q(submission__isnull=True) | Q(submission__in=sent)
    )


@dataclass
class FigureTallies:
    # Per kind, per year, per school (None: at no school), the ``Tally`` of counted records.
    tallies: dict[str, dict[int, dict[int | None, Tally]]]
    # Per year, the partners with a counted record of any kind.
    partner_ids: dict[int, set[int]]


def _tally_sql(
    kind: RecordKind, number: int, width: int, hub: Hub, years: list[int]
) -> tuple[str, list[Any]]:
    """One kind's counted records (the rule of ``counted_records``) grouped per year and
    school, and per year and partner: one row per group, kind ``number``, then year, school,
    partner (None but in the partners' rows) and ``width`` numbers, padded with 0s."""
    meta = kind.model._meta
    quote = connection.ops.quote_name
    fields = {field.name: field for field in meta.concrete_fields}
    numbers = ["COUNT(*)"]
    for name in kind.figure_fields:
        field = fields[name]
        column = quote(field.column)
        if isinstance(field, BooleanField):
            numbers.append(f"COUNT(CASE WHEN {column} THEN 1 END)")
        else:
            # Whole numbers, whatever the column: PostgreSQL sums a bigint as a decimal.
            numbers.append(f"CAST(COALESCE(SUM({column}), 0) AS BIGINT)")
    numbers += ["0"] * (width - len(numbers))
    school = "school_id" if kind.names_school else "NULL"
    by_school = "year, school_id" if kind.names_school else "year"
    table = quote(meta.db_table)
    submissions = quote(Submission._meta.db_table)
    # A partner's return counts once it is sent, not while they are filling it in. A
    # subquery, not a join to the submissions: the join is made for every record and takes as
    # long as reading it, where the subquery is read once, into a hash.
    where = (
        f"hub_id = %s AND year IN ({', '.join(['%s'] * len(years))}) AND (submission_id IS "  # noqa: S608
        f"NULL OR submission_id IN (SELECT id FROM {submissions} WHERE status = %s))"
    )
    params = [hub.pk, *years, SubmissionStatus.SUBMITTED.value]
    # Names from the models, numbers from the kinds, values as parameters: nothing from outside.
    if connection.vendor == "postgresql":
        # Both groupings in one pass over the records.
        return (
            f"SELECT {number}, year, {school}, partner_id, {', '.join(numbers)} "  # noqa: S608
            f"FROM {table} WHERE {where} "
            f"GROUP BY GROUPING SETS (({by_school}), (year, partner_id))"
        ), params
    zeros = ", ".join(["COUNT(*)"] + ["0"] * (width - 1))
    return (
        f"SELECT {number}, year, {school}, NULL, {', '.join(numbers)} "  # noqa: S608
        f"FROM {table} WHERE {where} GROUP BY {by_school} UNION ALL "
        f"SELECT {number}, year, NULL, partner_id, {zeros} "
        f"FROM {table} WHERE {where} GROUP BY year, partner_id"
    ), params * 2


def figure_tallies(*, hub: Hub, years: Iterable[int]) -> FigureTallies:
    """Every kind's counted records added up per year and school, and per year the partners
    who have any, in one query returning a few hundred rows, not every record. Written in SQL:
    PostgreSQL groups both ways in one pass (GROUPING SETS), which Django cannot say."""
    years = list(years)
    keys = list(KINDS)
    if not years:
        return FigureTallies(tallies={key: {} for key in keys}, partner_ids={})
    width = 1 + max(len(kind.figure_fields) for kind in KINDS.values())
    parts: list[str] = []
    params: list[Any] = []
    for number, kind in enumerate(KINDS.values()):
        sql, more = _tally_sql(kind, number, width, hub, years)
        parts.append(sql)
        params += more
    tallies: dict[str, dict[int, dict[int | None, Tally]]] = {
        key: {year: {} for year in years} for key in keys
    }
    partners: dict[int, set[int]] = {year: set() for year in years}
    # By the kind's number in the rows: where its tallies go, and the names of its numbers.
    into = [tallies[key] for key in keys]
    names = [("records", *kind.figure_fields) for kind in KINDS.values()]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    # Indexed rather than unpacked: this runs for every school of every kind.
    for row in rows:
        if row[3] is not None:
            partners[row[1]].add(row[3])
        else:
            # zip() stops at the kind's own numbers, before the padding.
            into[row[0]][row[1]][row[2]] = dict(zip(names[row[0]], row[4:]))  # noqa: B905
    return FigureTallies(tallies=tallies, partner_ids=partners)


class _OneOf(Func):
    """``pk IN (ids)``, with the ids as one array on PostgreSQL (``= ANY(%s)``): hundreds of
    placeholders would make the query too long for psycopg to cache, so it would parse it
    afresh each time, slower than running it."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, ids: Iterable[int]) -> None:
        super().__init__(F("pk"))
        self.ids = sorted(ids)

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        # The column's own type, so PostgreSQL can hash the array rather than search it.
        db_type = self.source_expressions[0].output_field.db_type(connection)
        return f"{column} = ANY(%s::{db_type}[])", [*params, self.ids]


# A school's row for the figures: pk, URN, name, phase, open, local authority, cluster.
SchoolRow = tuple[int, int | None, str, str, bool, str | None, str | None]


def figure_schools(*, hub: Hub, with_records: Iterable[int]) -> list[SchoolRow]:
    """The register's open schools in the hub's local authorities and the schools in
    ``with_records`` (one that has since closed, or is elsewhere), by URN, each with its local
    authority and its cluster in the hub, in one query."""
    rows = (
        Organisation.objects.annotate(
            # Joins, not a subquery per school, which PostgreSQL would plan as costly enough to
            # compile (JIT) at every page view.
            hub_cluster=FilteredRelation(
                "cluster_memberships__cluster",
                condition=Q(cluster_memberships__cluster__hub=hub),
            )
        )
        .order_by()
        .values_list(
            "pk",
            "urn",
            "name",
            "phase",
            "is_open",
            "local_authority__name",
            "hub_cluster__name",
            "cluster_memberships__pk",
        )
    )
    area = Q(
        kind=OrganisationKind.SCHOOL,
        is_open=True,
        local_authority_id__in=hub.local_authorities.values("pk"),
    )
    # A union, not an OR: each half can use its index, where the OR reads every organisation.
    # The second half only the schools the first has not, so neither the database nor Python
    # reads the hub's schools twice.
    found = (
        rows.filter(area)
        .union(rows.filter(_OneOf(with_records)).exclude(area), all=True)
        .order_by("urn", "pk", "cluster_memberships__pk")
    )
    # One row per cluster a school is in, anywhere; it shows in the hub's cluster it joined
    # last.
    schools: dict[int, SchoolRow] = {}
    for pk, urn, name, phase, is_open, la, cluster, _ in found:
        if pk not in schools or cluster is not None:
            schools[pk] = (pk, urn, name, phase, is_open, la, cluster)
    return list(schools.values())


def figure_open_schools(*, hub: Hub, with_records: Iterable[int]) -> int:
    """How many of ``figure_schools`` are open, counted without reading them."""
    area = Q(
        kind=OrganisationKind.SCHOOL,
        is_open=True,
        local_authority_id__in_once=hub.local_authorities.values("pk"),
    )
    # in_once (core.models): each side of the OR keeps its index.
    return Organisation.objects.filter(area | (Q(is_open=True) & _OneOf(with_records))).count()


def figure_records(
    *, hub: Hub, year: int, parts: dict[str, Q], names: dict[str, list[str]]
) -> dict[str, list[dict[str, Any]]]:
    """The counted records behind a figure, by kind: those of each kind in ``parts`` that
    match its condition, as rows of ``names``; one query per kind."""
    return {
        key: list(
            counted_records(hub=hub, kind=KINDS[key], years=[year])
            .filter(where)
            .values(*names[key])
        )
        for key, where in parts.items()
    }


def wcet_programme_rows(*, hub: Hub, year: int) -> list[tuple[Any, ...]]:
    """The data return's WCET sheet: every programme of the year, by school URN."""
    return list(
        WcetProgramme.objects.filter(hub=hub, year=year)
        .order_by("school__urn", "pk")
        .values_list(
            "school__urn",
            "school__name",
            "partner__name",
            "year_groups",
            "instruments",
            "pupils",
            "weeks",
            "lesson_minutes",
            "continued",
        )
    )
