"""Reads of participation records, always within one hub."""

from django.db.models import Count, Q, QuerySet

from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation, OrganisationKind, PartnershipStatus
from tutti.directory.selectors import hub_organisations
from tutti.participation.kinds import KINDS, RecordKind
from tutti.participation.models import (
    Collection,
    ParticipationRecord,
    Submission,
    SubmissionStatus,
)


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
