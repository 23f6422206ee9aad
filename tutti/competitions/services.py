"""Writes to competitions: each atomic and audited, raising ``CompetitionError`` for a rule."""

import contextlib
import hashlib
import secrets
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from tutti.accounts.models import User
from tutti.competitions.models import (
    Adjudicator,
    AreaRule,
    Category,
    Competition,
    Conflict,
    Criterion,
    Entry,
    Mark,
    Piece,
    Reassignment,
    Result,
    Score,
)
from tutti.competitions.video import temporary_path, video_check
from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.core.models import model_update
from tutti.directory.models import Hub, Organisation, OrganisationKind


class CompetitionError(DomainError):
    """A competition change the rules do not allow; the message is for the person (400)."""


class CompetitionConflict(CompetitionError, ConflictError):
    """It clashes with what is there (409): a second entry, a closed competition."""


COMPETITION_FIELDS = (
    "name",
    "slug",
    "summary",
    "rules",
    "age_on",
    "area_rule",
    "opens_on",
    "closes_on",
    "entry_fee",
    "fee_remission",
    "max_video_minutes",
    "max_video_mb",
    "allow_links",
    "rubric_max",
    "spread_flag",
    "video_retention_days",
    "keep_public_videos",
    "published",
)


def _full_clean(instance: Any, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise CompetitionError(" ".join(messages)) from error


# Competitions, categories, rubric ---------------------------------------------------------


@transaction.atomic
def competition_create(*, hub: Hub, by: Any, **fields: Any) -> Competition:
    """Create a competition (not yet shown on the hub's pages unless ``published``)."""
    data = {k: v for k, v in fields.items() if k in COMPETITION_FIELDS}
    competition = Competition(hub=hub, created_by=by if by and by.is_authenticated else None)
    for name, value in data.items():
        setattr(competition, name, value)
    _check_dates(competition)
    _full_clean(competition, exclude=["hub", "created_by", "final_event"])
    if Competition.objects.filter(hub=hub, slug=competition.slug).exists():
        raise CompetitionConflict("Another competition of the hub has this web address.")
    competition.save()
    audit("competitions.competition.created", hub=hub, actor=by, obj=competition)
    return competition


def _check_dates(competition: Competition) -> None:
    if (
        competition.opens_on
        and competition.closes_on
        and competition.closes_on < competition.opens_on
    ):
        raise CompetitionError("Choose a closing date on or after the opening date.")


@transaction.atomic
def competition_update(*, competition: Competition, by: Any, **fields: Any) -> Competition:
    data = {k: v for k, v in fields.items() if k in COMPETITION_FIELDS}
    for name, value in data.items():
        setattr(competition, name, value)
    _check_dates(competition)
    _full_clean(competition, exclude=["hub", "created_by", "final_event"])
    clash = Competition.objects.filter(hub=competition.hub, slug=competition.slug)
    if clash.exclude(pk=competition.pk).exists():
        raise CompetitionConflict("Another competition of the hub has this web address.")
    competition.save()
    audit("competitions.competition.changed", hub=competition.hub, actor=by, obj=competition)
    return competition


@transaction.atomic
def category_create(
    *, competition: Competition, by: Any, name: str, min_age: int, max_age: int
) -> Category:
    if max_age < min_age:
        raise CompetitionError("The oldest age must be the same as the youngest or older.")
    if Category.objects.filter(competition=competition, name=name, min_age=min_age).exists():
        raise CompetitionConflict("This category already has this age band.")
    position = competition.categories.count()
    category = Category(
        competition=competition, name=name, min_age=min_age, max_age=max_age, position=position
    )
    _full_clean(category)
    category.save()
    audit("competitions.category.created", hub=competition.hub, actor=by, obj=category)
    return category


@transaction.atomic
def criterion_create(
    *, competition: Competition, by: Any, name: str, weight: int, descriptor: str = ""
) -> Criterion:
    if not 1 <= weight <= 10:
        raise CompetitionError("Give the criterion a weight from 1 to 10.")
    if Criterion.objects.filter(competition=competition, name=name).exists():
        raise CompetitionConflict("The rubric already has a criterion with this name.")
    if Score.objects.filter(entry__competition=competition).exists():
        raise CompetitionConflict("Judging has started, so the rubric can no longer change.")
    criterion = Criterion.objects.create(
        competition=competition,
        name=name,
        weight=weight,
        descriptor=descriptor,
        position=competition.criteria.count(),
    )
    audit("competitions.criterion.created", hub=competition.hub, actor=by, obj=criterion)
    return criterion


# Entering ----------------------------------------------------------------------------------


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on ``day`` (someone born on 29 February turns a year older on
    1 March in other years)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def entrant_key(first_name: str, last_name: str, date_of_birth: date) -> str:
    def plain(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).casefold()
        return "".join(c for c in text if c.isalnum())

    return f"{plain(first_name)}|{plain(last_name)}|{date_of_birth.isoformat()}"[:220]


def school_in_area(hub: Hub, school: Organisation) -> bool:
    return (
        school.kind == OrganisationKind.SCHOOL
        and school.local_authority_id is not None
        and hub.local_authorities.filter(pk=school.local_authority_id).exists()
    )


@dataclass(frozen=True)
class EntrantDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    category: Category
    school: Organisation | None
    home_educated: bool
    lives_in_area: bool
    entered_by_self: bool = False


def entry_check_eligible(*, competition: Competition, details: EntrantDetails) -> None:
    """CompetitionError saying why the entrant cannot enter this category, if they cannot."""
    category = details.category
    if category.competition_id != competition.pk:
        raise CompetitionError("Choose one of this competition's categories.")
    age = age_on(details.date_of_birth, competition.age_on)
    when = f"{competition.age_on:%-d %B %Y}"
    if age < category.min_age:
        raise CompetitionError(
            f"On {when} the entrant will be {age}; {category.name} is for ages "
            f"{category.min_age} to {category.max_age}. Choose a category for their age."
        )
    if age > category.max_age:
        raise CompetitionError(
            f"On {when} the entrant will be {age}; {category.name} is for ages "
            f"{category.min_age} to {category.max_age}. Choose a category for their age."
        )
    if details.entered_by_self and age_on(details.date_of_birth, timezone.localdate()) < 18:
        raise CompetitionError(
            "Entrants under 18 are entered by a parent or carer: ask yours to fill in this form."
        )
    if details.school is None and not details.home_educated:
        raise CompetitionError("Choose the entrant's school, or say they are home-educated.")
    if competition.area_rule == AreaRule.AREA and not details.lives_in_area:
        hub = competition.hub
        if details.school is None or not school_in_area(hub, details.school):
            where = details.school.name if details.school else "A home-educated entrant"
            raise CompetitionError(
                f"{where} is not in {hub.name}'s area. This competition is for young people "
                "who live or go to school in the area: tick “lives in the area” if they do."
            )


def _check_open(competition: Competition, *, today: date, changing: bool = False) -> None:
    if not competition.published or today < competition.opens_on:
        raise CompetitionConflict(f"Entries open on {competition.opens_on:%-d %B %Y}.")
    if today > competition.closes_on:
        what = "Entries can no longer be changed" if changing else "Entries closed"
        raise CompetitionConflict(
            f"{what}: the closing date was {competition.closes_on:%-d %B %Y}."
        )


@dataclass(frozen=True)
class PieceSpec:
    title: str
    composer: str = ""
    minutes: int | None = None


def _set_pieces(entry: Entry, pieces: Sequence[PieceSpec]) -> None:
    if not pieces:
        raise CompetitionError("Give at least one piece: its title and composer.")
    entry.pieces.all().delete()
    Piece.objects.bulk_create(
        Piece(entry=entry, title=p.title, composer=p.composer, minutes=p.minutes, position=n)
        for n, p in enumerate(pieces)
    )


@transaction.atomic
def entry_create(
    *,
    competition: Competition,
    details: EntrantDetails,
    pieces: Sequence[PieceSpec],
    contact_name: str,
    contact_email: str,
    consent_judged: bool,
    consent_public: bool = False,
    consent_filming: bool = False,
    teacher: str = "",
    accompanist: str = "",
    today: date | None = None,
) -> Entry:
    """Enter a young person in one category; CompetitionError when they cannot."""
    today = today or timezone.localdate()
    locked = Competition.objects.select_for_update().get(pk=competition.pk)
    _check_open(locked, today=today)
    if not consent_judged:
        raise CompetitionError(
            "Tick the consent to enter and be judged: without it we cannot accept the entry."
        )
    entry_check_eligible(competition=locked, details=details)
    key = entrant_key(details.first_name, details.last_name, details.date_of_birth)
    if Entry.objects.filter(category=details.category, entrant_key=key, withdrawn_at=None).exists():
        raise CompetitionConflict(
            f"{details.first_name} is already entered in {details.category}. Use the link in "
            "the confirmation email to change that entry."
        )
    now = timezone.now()
    number = (locked.entries.aggregate(n=Max("number"))["n"] or 0) + 1
    entry = Entry(
        competition=locked,
        category=details.category,
        number=number,
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        entrant_key=key,
        school=None if details.home_educated else details.school,
        home_educated=details.home_educated,
        lives_in_area=details.lives_in_area,
        entered_by_self=details.entered_by_self,
        teacher=teacher,
        accompanist=accompanist,
        contact_name=contact_name,
        contact_email=contact_email,
        consent_judged_at=now,
        consent_public_at=now if consent_public else None,
        consent_filming_at=now if consent_filming else None,
    )
    _full_clean(entry, exclude=["competition", "category", "school", "video"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise CompetitionConflict(
            f"{details.first_name} is already entered in {details.category}."
        ) from error
    _set_pieces(entry, pieces)
    audit(
        "competitions.entry.created",
        hub=locked.hub,
        obj=entry,
        consent_public=consent_public,
        consent_filming=consent_filming,
    )
    from tutti.competitions.tasks import send_entry_confirmation

    transaction.on_commit(lambda: send_entry_confirmation.enqueue(entry_id=entry.pk))
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    details: EntrantDetails,
    pieces: Sequence[PieceSpec],
    teacher: str = "",
    accompanist: str = "",
    consent_public: bool = False,
    consent_filming: bool = False,
    today: date | None = None,
) -> Entry:
    """Change an entry, until the closing date; the consent to be judged stays."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.is_withdrawn:
        raise CompetitionConflict("This entry has been withdrawn.")
    _check_open(locked.competition, today=today or timezone.localdate(), changing=True)
    entry_check_eligible(competition=locked.competition, details=details)
    key = entrant_key(details.first_name, details.last_name, details.date_of_birth)
    others = Entry.objects.filter(category=details.category, entrant_key=key, withdrawn_at=None)
    if others.exclude(pk=locked.pk).exists():
        raise CompetitionConflict(f"{details.first_name} is already entered in {details.category}.")
    now = timezone.now()
    model_update(
        locked,
        {
            "first_name": details.first_name,
            "last_name": details.last_name,
            "date_of_birth": details.date_of_birth,
            "entrant_key": key,
            "category": details.category,
            "school": None if details.home_educated else details.school,
            "home_educated": details.home_educated,
            "lives_in_area": details.lives_in_area,
            "teacher": teacher,
            "accompanist": accompanist,
            "consent_public_at": (locked.consent_public_at or now) if consent_public else None,
            "consent_filming_at": (locked.consent_filming_at or now) if consent_filming else None,
        },
    )
    _set_pieces(locked, pieces)
    audit(
        "competitions.entry.changed",
        hub=locked.competition.hub,
        obj=locked,
        consent_public=consent_public,
        consent_filming=consent_filming,
    )
    return locked


def _delete_video_file(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


@transaction.atomic
def entry_withdraw(*, entry: Entry) -> Entry:
    """Withdraw an entry: it leaves judging, and its video is deleted at once."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.is_withdrawn:
        return locked
    name = locked.video.name
    locked.withdrawn_at = timezone.now()
    locked.video = ""
    locked.video_deleted_at = locked.withdrawn_at if name else None
    locked.result = Result.NONE
    locked.save(update_fields=["withdrawn_at", "video", "video_deleted_at", "result", "updated_at"])
    audit("competitions.entry.withdrawn", hub=locked.competition.hub, obj=locked)
    transaction.on_commit(lambda: _delete_video_file(name))
    return locked


def entry_video_attach(*, entry: Entry, upload: UploadedFile, today: date | None = None) -> Entry:
    """Check the uploaded video with ffprobe and keep it in storage, replacing any earlier one.

    The file is copied to storage in chunks; if anything after that fails, the copy is deleted,
    so a refused or broken upload leaves nothing behind.
    """
    competition = entry.competition
    if entry.is_withdrawn:
        raise CompetitionConflict("This entry has been withdrawn.")
    _check_open(competition, today=today or timezone.localdate(), changing=True)
    max_bytes = competition.max_video_mb * 1024 * 1024
    if upload.size is not None and upload.size > max_bytes:
        from tutti.competitions.video import too_large_message

        raise CompetitionError(too_large_message(max_bytes))
    facts = video_check(temporary_path(upload), max_seconds=competition.max_video_minutes * 60)
    suffix = Path(upload.name or "").suffix.lower()
    suffix = suffix if suffix in {".mp4", ".mov", ".webm", ".mkv", ".m4v", ".avi"} else ".mp4"
    # A random name: nothing about the child in it, and no way to guess another's.
    name = default_storage.save(
        f"competitions/videos/{competition.pk}/{uuid.uuid4().hex}{suffix}", upload
    )
    # Storage may have moved the temporary file rather than copied it.
    with contextlib.suppress(FileNotFoundError):
        upload.close()
    try:
        with transaction.atomic():
            locked = Entry.objects.select_for_update().get(pk=entry.pk)
            old = locked.video.name
            locked.video = name
            locked.video_seconds = facts.seconds
            locked.video_bytes = upload.size
            locked.video_link = ""
            locked.save(
                update_fields=["video", "video_seconds", "video_bytes", "video_link", "updated_at"]
            )
            audit(
                "competitions.entry.video_uploaded",
                hub=competition.hub,
                obj=locked,
                seconds=round(facts.seconds, 1),
                bytes=upload.size,
            )
            transaction.on_commit(lambda: _delete_video_file(old))
    except BaseException:
        _delete_video_file(name)
        raise
    return locked


@transaction.atomic
def entry_video_link_set(*, entry: Entry, link: str, today: date | None = None) -> Entry:
    competition = entry.competition
    if not competition.allow_links:
        raise CompetitionError("This competition takes uploaded videos only.")
    _check_open(competition, today=today or timezone.localdate(), changing=True)
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    locked.video_link = link
    locked.save(update_fields=["video_link", "updated_at"])
    audit("competitions.entry.video_link_given", hub=competition.hub, obj=locked)
    return locked


@transaction.atomic
def entry_link_renew(*, entry: Entry, by: Any) -> Entry:
    """A new family link for the entry; the old one stops working."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    locked.link_version += 1
    locked.save(update_fields=["link_version", "updated_at"])
    audit("competitions.entry.link_renewed", hub=locked.competition.hub, actor=by, obj=locked)
    from tutti.competitions.tasks import send_entry_confirmation

    transaction.on_commit(lambda: send_entry_confirmation.enqueue(entry_id=locked.pk))
    return locked


# Adjudicators ------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def adjudicator_invite(
    *, competition: Competition, by: Any, name: str, email: str, categories: Sequence[Category]
) -> tuple[Adjudicator, str]:
    """Invite someone to judge the given categories; they are emailed a link to accept."""
    email = email.strip()
    if Adjudicator.objects.filter(competition=competition, email__iexact=email).exists():
        raise CompetitionConflict(f"{email} is already an adjudicator of this competition.")
    if any(c.competition_id != competition.pk for c in categories):
        raise CompetitionError("Choose categories of this competition.")
    token = secrets.token_urlsafe(32)
    adjudicator = Adjudicator(
        competition=competition, name=name, email=email, token_hash=token_hash(token)
    )
    _full_clean(adjudicator, exclude=["competition", "user"])
    adjudicator.save()
    adjudicator.categories.set(categories)
    audit("competitions.adjudicator.invited", hub=competition.hub, actor=by, obj=adjudicator)
    from tutti.competitions.tasks import send_adjudicator_invitation

    transaction.on_commit(
        lambda: send_adjudicator_invitation.enqueue(adjudicator_id=adjudicator.pk, token=token)
    )
    return adjudicator, token


@transaction.atomic
def adjudicator_set_categories(
    *, adjudicator: Adjudicator, by: Any, categories: Sequence[Category]
) -> Adjudicator:
    if any(c.competition_id != adjudicator.competition_id for c in categories):
        raise CompetitionError("Choose categories of this competition.")
    adjudicator.categories.set(categories)
    audit(
        "competitions.adjudicator.categories_set",
        hub=adjudicator.competition.hub,
        actor=by,
        obj=adjudicator,
        categories=[c.pk for c in categories],
    )
    return adjudicator


@transaction.atomic
def adjudicator_accept(
    *, adjudicator: Adjudicator, user: User | None = None, password: str = ""
) -> User:
    """Accept an invitation to judge: as the signed-in ``user`` (with the invited address), or
    as a new account with ``password``."""
    locked = Adjudicator.objects.select_for_update().get(pk=adjudicator.pk)
    if locked.user_id is not None:
        raise CompetitionConflict("This invitation has been accepted already: sign in to judge.")
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise CompetitionConflict(
                "There is already an account with this email address. Sign in to accept."
            )
        user = User(email=locked.email, username=locked.email[:150], first_name=locked.name[:150])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CompetitionError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        audit("accounts.user.created", hub=locked.competition.hub, actor=user, obj=user)
    elif user.email.lower() != locked.email.lower():
        raise CompetitionError(
            f"This invitation is for {locked.email}; you are signed in as {user.email}."
        )
    locked.user = user
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["user", "accepted_at", "updated_at"])
    audit("competitions.adjudicator.accepted", hub=locked.competition.hub, actor=user, obj=locked)
    return user


def _replacement(entry: Entry, *, instead_of: Adjudicator) -> Adjudicator | None:
    """Another adjudicator of the competition, free of conflict with the entry and not already
    judging it, with the fewest entries given to them so far."""
    judging = set(entry.category.adjudicators.values_list("pk", flat=True))
    judging |= set(entry.reassignments.values_list("adjudicator_id", flat=True))
    conflicted = set(entry.conflicts.values_list("adjudicator_id", flat=True))
    candidates = [
        a
        for a in entry.competition.adjudicators.prefetch_related("reassignments")
        if a.pk not in judging | conflicted and a.pk != instead_of.pk
    ]
    candidates.sort(key=lambda a: (len(a.reassignments.all()), a.name))
    return candidates[0] if candidates else None


@transaction.atomic
def conflict_declare(*, adjudicator: Adjudicator, entry: Entry, reason: str, by: Any) -> Conflict:
    """Declare a conflict of interest: the entry leaves this adjudicator's list and goes to
    another adjudicator where there is one (staff see the entries left without)."""
    if entry.competition_id != adjudicator.competition_id:
        raise CompetitionError("This entry is not in your competition.")
    conflict, created = Conflict.objects.get_or_create(
        adjudicator=adjudicator, entry=entry, defaults={"reason": reason}
    )
    if not created:
        return conflict
    Score.objects.filter(adjudicator=adjudicator, entry=entry).delete()
    Reassignment.objects.filter(adjudicator=adjudicator, entry=entry).delete()
    replacement = _replacement(entry, instead_of=adjudicator)
    if replacement is not None:
        Reassignment.objects.create(adjudicator=replacement, entry=entry)
    audit(
        "competitions.conflict.declared",
        hub=entry.competition.hub,
        actor=by,
        obj=entry,
        adjudicator=adjudicator.pk,
        reason=reason,
        given_to=replacement.pk if replacement else None,
    )
    return conflict


# Judging -----------------------------------------------------------------------------------


def score_percent(marks: Mapping[Criterion, int], top: int) -> Decimal:
    most = sum(c.weight * top for c in marks)
    got = sum(c.weight * v for c, v in marks.items())
    return (Decimal(100 * got) / Decimal(most)).quantize(Decimal("0.1")) if most else Decimal(0)


@transaction.atomic
def score_save(
    *, adjudicator: Adjudicator, entry: Entry, marks: Mapping[int, Any], feedback: str, by: Any
) -> Score:
    """Save an adjudicator's marks (one per criterion, 0 to the top mark) and feedback."""
    from tutti.competitions.access import adjudicator_may_judge

    if not adjudicator_may_judge(adjudicator, entry):
        raise CompetitionError("This entry is not one of yours to judge.")
    competition = entry.competition
    if competition.results_published_at is not None:
        raise CompetitionConflict("The results are out, so scores can no longer change.")
    criteria = list(competition.criteria.all())
    if not criteria:
        raise CompetitionError("The competition has no rubric yet: ask the hub's staff.")
    values: dict[Criterion, int] = {}
    for criterion in criteria:
        raw = marks.get(criterion.pk)
        try:
            value = int(raw if raw is not None else "")
        except (TypeError, ValueError):
            raise CompetitionError(
                f"Give {criterion.name} a whole mark from 0 to {competition.rubric_max}."
            ) from None
        if not 0 <= value <= competition.rubric_max:
            raise CompetitionError(
                f"{criterion.name}: {value} is outside the rubric; give a mark from 0 to "
                f"{competition.rubric_max}."
            )
        values[criterion] = value
    percent = score_percent(values, competition.rubric_max)
    score, _ = Score.objects.update_or_create(
        entry=entry,
        adjudicator=adjudicator,
        defaults={"percent": percent, "feedback": feedback, "moderated_percent": None},
    )
    score.marks.all().delete()
    Mark.objects.bulk_create(Mark(score=score, criterion=c, value=v) for c, v in values.items())
    audit(
        "competitions.score.saved",
        hub=competition.hub,
        actor=by,
        obj=score,
        entry=entry.pk,
        percent=str(percent),
    )
    return score


@transaction.atomic
def score_moderate(*, score: Score, percent: Decimal | None, by: Any) -> Score:
    if percent is not None and not Decimal(0) <= percent <= Decimal(100):
        raise CompetitionError("Give a moderated score from 0 to 100.")
    old = score.moderated_percent
    score.moderated_percent = percent
    score.save(update_fields=["moderated_percent", "updated_at"])
    audit(
        "competitions.score.moderated",
        hub=score.entry.competition.hub,
        actor=by,
        obj=score,
        old=str(old) if old is not None else None,
        new=str(percent) if percent is not None else None,
    )
    return score


# Shortlist, final, results -----------------------------------------------------------------


@transaction.atomic
def shortlist_set(*, competition: Competition, by: Any, results: Mapping[int, str]) -> list[Entry]:
    """Mark entries as category winners or finalists (or neither); each family whose entry's
    result changed to one of those is emailed the next step."""
    if competition.results_published_at is not None:
        raise CompetitionConflict("The results are published, so the shortlist is fixed.")
    if any(value not in Result.values for value in results.values()):
        raise CompetitionError("Choose winner, finalist or neither for each entry.")
    entries = {
        e.pk: e
        for e in Entry.objects.select_for_update().filter(
            competition=competition, pk__in=list(results), withdrawn_at=None
        )
    }
    if len(entries) != len(results):
        raise CompetitionError("Some of those entries are not in this competition.")
    changed = []
    for pk, value in results.items():
        entry = entries[pk]
        if entry.result != value:
            entry.result = value
            entry.results_emailed_at = None
            entry.save(update_fields=["result", "results_emailed_at", "updated_at"])
            changed.append(entry)
    order = Entry.objects.filter(competition=competition, withdrawn_at=None).exclude(result="")
    for n, entry in enumerate(order.order_by("category__position", "category__min_age", "number")):
        if entry.running_order != n + 1:
            entry.running_order = n + 1
            entry.save(update_fields=["running_order"])
    Entry.objects.filter(competition=competition, result="").update(running_order=None)
    audit(
        "competitions.shortlist.set",
        hub=competition.hub,
        actor=by,
        obj=competition,
        changed={e.pk: e.result for e in changed},
    )
    from tutti.competitions.tasks import send_result_email

    for entry in changed:
        if entry.result:
            transaction.on_commit(partial(send_result_email.enqueue, entry_id=entry.pk))
    return changed


@transaction.atomic
def final_create(
    *,
    competition: Competition,
    by: Any,
    starts_at: datetime,
    ends_at: datetime,
    venue_name: str,
    venue_address: str,
    capacity: int | None = None,
) -> Any:
    """Put the live final on What's On as a published event, with the running order."""
    from tutti.competitions.selectors import finalists, public_name
    from tutti.events.models import EventCategory
    from tutti.events.services import SessionSpec, event_create, event_publish

    if competition.final_event_id is not None:
        raise CompetitionConflict("The final is already on What's On.")
    running = finalists(competition=competition)
    if not running:
        raise CompetitionError("Choose the finalists before putting the final on What's On.")
    category = EventCategory.objects.filter(hub=competition.hub).order_by("position").first()
    if category is None:
        raise CompetitionError("The hub's What's On has no categories yet: add one first.")
    lines = "\n".join(
        f"{n}. {public_name(entry)} ({entry.category.name})" for n, entry in enumerate(running, 1)
    )
    event = event_create(
        hub=competition.hub,
        by=by,
        sessions=[SessionSpec(starts_at=starts_at, ends_at=ends_at)],
        title=f"{competition.name}: the final"[:200],
        summary=f"The live final of {competition.name}: come and hear the finalists."[:200],
        description=f"Running order\n\n{lines}",
        category=category,
        for_families=True,
        for_young_people=True,
        venue_name=venue_name,
        venue_address=venue_address,
        capacity=capacity,
    )
    event = event_publish(event=event, by=by)
    competition.final_event = event
    competition.save(update_fields=["final_event", "updated_at"])
    audit(
        "competitions.final.created", hub=competition.hub, actor=by, obj=competition, event=event.pk
    )
    return event


@transaction.atomic
def results_publish(*, competition: Competition, by: Any) -> Competition:
    """Publish the results page; every family is emailed their feedback and certificate link."""
    locked = Competition.objects.select_for_update().get(pk=competition.pk)
    if locked.results_published_at is not None:
        raise CompetitionConflict("The results are published already.")
    if not locked.entries.filter(withdrawn_at=None).exclude(result="").exists():
        raise CompetitionError("Choose the winners and finalists before publishing the results.")
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at", "updated_at"])
    audit("competitions.results.published", hub=locked.hub, actor=by, obj=locked)
    from tutti.competitions.tasks import send_feedback_emails

    transaction.on_commit(lambda: send_feedback_emails.enqueue(competition_id=locked.pk))
    return locked


# Retention ---------------------------------------------------------------------------------

# Entrants' and families' details are kept this long after the results, for queries about the
# results and certificates; then erased, leaving the scores and figures without a name.
ENTRY_RETENTION_DAYS = 730


def _entry_erase(entry: Entry, now: datetime) -> None:
    """The entrant's and family's details go: names, contact, the day and month of birth,
    consents and the video. The row, its number, category and result stay, for the counts."""
    name = entry.video.name
    entry.first_name = "Erased"
    entry.last_name = "entrant"
    entry.date_of_birth = entry.date_of_birth.replace(month=1, day=1)
    entry.entrant_key = f"erased-{entry.pk}"
    entry.teacher = entry.accompanist = entry.contact_name = ""
    entry.contact_email = f"erased-{entry.pk}@example.invalid"
    entry.consent_public_at = None
    entry.consent_filming_at = None
    entry.video = ""
    entry.video_link = ""
    entry.video_deleted_at = entry.video_deleted_at or (now if name else None)
    entry.erased_at = now
    entry.save()
    _delete_video_file(name)


def entries_erase_after_results(*, hub: Hub, now: datetime) -> int:
    """Erase the names, contact details and exact dates of birth of entries whose results
    are older than ENTRY_RETENTION_DAYS; their videos go too. Idempotent."""
    from datetime import timedelta

    cutoff = now - timedelta(days=ENTRY_RETENTION_DAYS)
    entries = Entry.objects.filter(
        competition__hub=hub,
        competition__results_published_at__lt=cutoff,
        erased_at__isnull=True,
    )
    count = 0
    for entry in entries:
        _entry_erase(entry, now)
        count += 1
    if count:
        audit("competitions.entries.erased", hub=hub, obj=None, count=count)
    return count


def videos_delete_after_results(*, hub: Hub, now: datetime) -> int:
    """Delete the videos of competitions whose results are older than their retention time,
    except, where the hub keeps them for its archive, those the family let be shown publicly."""
    from datetime import timedelta

    count = 0
    competitions = Competition.objects.filter(hub=hub, results_published_at__isnull=False)
    for competition in competitions:
        if competition.results_published_at is None:
            continue
        if (
            competition.results_published_at + timedelta(days=competition.video_retention_days)
            > now
        ):
            continue
        entries = competition.entries.exclude(video="")
        if competition.keep_public_videos:
            entries = entries.filter(consent_public_at__isnull=True)
        deleted = 0
        for entry in entries:
            name = entry.video.name
            entry.video = ""
            entry.video_deleted_at = now
            entry.save(update_fields=["video", "video_deleted_at"])
            # At once, not on commit: the point of the rule is that the file is gone.
            _delete_video_file(name)
            deleted += 1
        if deleted:
            audit("competitions.videos.deleted", hub=hub, obj=competition, count=deleted)
        count += deleted
    return count


def person_entries(*, hub: Hub | None, email: str) -> QuerySet[Entry]:
    """The entries a family made with this address, not yet erased."""
    entries = Entry.objects.filter(contact_email__iexact=email, erased_at__isnull=True)
    return entries.filter(competition__hub=hub) if hub is not None else entries


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: Any) -> int:
    """Erase a family from the hub's competitions: each entry they made is erased as at the
    end of its retention (the entrant's and their details, consents and video), keeping its
    row and result for the counts; an entry in a competition whose results are not out is
    withdrawn first, so it leaves judging. Returns how many entries were erased."""
    now = timezone.now()
    entries = list(
        person_entries(hub=hub, email=email)
        .select_for_update(of=("self",))
        .select_related("competition")
    )
    for entry in entries:
        if entry.withdrawn_at is None and entry.competition.results_published_at is None:
            entry.withdrawn_at = now
            entry.result = Result.NONE
        _entry_erase(entry, now)
    if entries:
        audit("competitions.person.erased", hub=hub, actor=by, entries=len(entries))
    return len(entries)
