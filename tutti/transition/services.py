"""Writes for secondary transition: feeder decisions and passports. Each is atomic and audited;
emails leave through tasks once the change is committed."""

import datetime as dt
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tutti.accounts.models import Invitation, Role
from tutti.accounts.services import invitation_create
from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation
from tutti.transition import selectors
from tutti.transition.models import (
    AT_SCHOOL,
    FeederDecision,
    FeederState,
    FirstContact,
    Passport,
    PassportStatus,
)

# A family may ask for a new passport link this many times a day for one email address.
STARTS_PER_DAY = 3
# A passport nobody sent is deleted after this long without a change (retention.py).
DRAFT_DAYS = 180


class TransitionError(DomainError):
    """A transition change the rules do not allow; the message is for the person."""


class PassportStateError(TransitionError, ConflictError):
    """The passport is not in a state that allows this (already sent, withdrawn...)."""

    status = 409


# Feeders -------------------------------------------------------------------------------------


def _check_pair(*, hub: Hub, secondary: Organisation, primary: Organisation) -> None:
    area = selectors.hub_schools(hub=hub)
    if not area.filter(pk=secondary.pk).exists() or not selectors.is_receiving(secondary):
        raise TransitionError(f"{secondary.name} is not a secondary school in this hub's area.")
    if not area.filter(pk=primary.pk).exists():
        raise TransitionError(
            f"{primary.name} is not in this hub's area: choose a school from the list."
        )
    if not selectors.is_primary(primary):
        phase = primary.phase.lower() or "not a primary"
        raise TransitionError(
            f"{primary.name} is not a primary school (the register says {phase}): only primary "
            "schools can be feeders."
        )
    if not primary.is_open:
        raise TransitionError(f"{primary.name} is closed, so it cannot be a feeder.")


@transaction.atomic
def feeder_set(
    *, hub: Hub, secondary: Organisation, primary: Organisation, state: str, by: Any
) -> FeederDecision:
    """Confirm (or add) a primary as a feeder of a secondary, or remove it."""
    if state not in FeederState.values:
        raise TransitionError("Choose to confirm or to remove the feeder school.")
    _check_pair(hub=hub, secondary=secondary, primary=primary)
    decision, created = FeederDecision.objects.select_for_update().get_or_create(
        hub=hub,
        secondary=secondary,
        primary=primary,
        defaults={"state": state, "decided_by": by if by.is_authenticated else None},
    )
    previous = None if created else decision.state
    if not created and decision.state != state:
        decision.state = state
        decision.decided_by = by if by.is_authenticated else None
        decision.save(update_fields=["state", "decided_by", "updated_at"])
    audit(
        "transition.feeder.set",
        hub=hub,
        actor=by,
        obj=decision,
        secondary=secondary.urn,
        primary=primary.urn,
        previous=previous,
        state=state,
    )
    return decision


# Music leads ---------------------------------------------------------------------------------


def music_lead_invite(
    *, hub: Hub, school: Organisation, email: str, first_name: str, last_name: str, by: Any
) -> Invitation:
    """Invite a teacher to be the school music lead of ``school``: emailed as any invitation."""
    return invitation_create(
        hub=hub,
        email=email,
        role=Role.SCHOOL_MUSIC_LEAD,
        organisations=[school],
        first_name=first_name,
        last_name=last_name,
        by=by,
    )


# Passports -----------------------------------------------------------------------------------


def intake_year_for(day: dt.date) -> int:
    """The September a child in Year 6 on ``day`` starts Year 7."""
    from tutti.core.years import academic_year_for

    return academic_year_for(day) + 1


@transaction.atomic
def passport_start(*, hub: Hub, email: str) -> Passport | None:
    """Start a passport for a family and email them its link. None (and no email) when the
    address has asked too often today, so the form cannot be used to flood someone's inbox."""
    email = email.strip().lower()
    since = timezone.now() - timedelta(days=1)
    recent = Passport.objects.filter(
        hub=hub, family_email__iexact=email, created_at__gte=since
    ).count()
    if recent >= STARTS_PER_DAY:
        return None
    passport = Passport.objects.create(
        hub=hub, family_email=email, intake_year=current_academic_year() + 1
    )
    audit("transition.passport.started", hub=hub, obj=passport)
    _queue("send_passport_link", passport.pk)
    return passport


def _queue(task_name: str, passport_id: int) -> None:
    from tutti.transition import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(passport_id=passport_id))


def _locked(passport: Passport) -> Passport:
    return Passport.objects.select_for_update().get(pk=passport.pk)


PASSPORT_FIELDS = (
    "child_name",
    "primary",
    "secondary",
    "instruments",
    "level",
    "years_learning",
    "teacher",
    "partner",
    "ensembles",
    "loan_instrument",
    "next_steps",
    "access_needs",
    "keep_longer",
)


def _check_passport_schools(passport: Passport) -> None:
    area = selectors.hub_schools(hub=passport.hub)
    if passport.primary is not None and not (
        area.filter(pk=passport.primary.pk).exists() and selectors.is_primary(passport.primary)
    ):
        raise TransitionError("Choose your child's primary school from the list.")
    if passport.secondary is not None and not (
        area.filter(pk=passport.secondary.pk, is_open=True).exists()
        and selectors.is_receiving(passport.secondary)
    ):
        raise TransitionError("Choose the secondary school your child is going to from the list.")
    if (
        passport.partner is not None
        and not selectors.partner_choices(hub=passport.hub).filter(pk=passport.partner.pk).exists()
    ):
        raise TransitionError("Choose the organisation from the list, or leave it empty.")


@transaction.atomic
def passport_save(*, passport: Passport, data: Mapping[str, Any]) -> Passport:
    """Save what the family wrote; only while the passport has not been sent."""
    locked = _locked(passport)
    if not locked.is_draft:
        raise PassportStateError(
            "This passport has been sent, so it can no longer be changed. You can withdraw it."
        )
    for name in PASSPORT_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _check_passport_schools(locked)
    locked.full_clean()
    locked.save()
    audit("transition.passport.saved", hub=locked.hub, obj=locked)
    return locked


def missing_to_send(passport: Passport) -> list[str]:
    """What must be filled in before the passport can be sent, in words."""
    needed = {
        "child_name": "your child's name",
        "primary": "their primary school",
        "secondary": "the secondary school they are going to",
        "instruments": "their instruments or voice",
    }
    return [words for name, words in needed.items() if not getattr(passport, name)]


@transaction.atomic
def passport_send(*, passport: Passport) -> Passport:
    """The family sends the passport: the secondary school's music lead is emailed."""
    locked = _locked(passport)
    if not locked.is_draft:
        raise PassportStateError("This passport has already been sent.")
    missing = missing_to_send(locked)
    if missing:
        raise TransitionError("Before you send it, add " + ", ".join(missing) + ".")
    locked.status = PassportStatus.SENT
    locked.sent_at = timezone.now()
    locked.save(update_fields=["status", "sent_at", "updated_at"])
    audit(
        "transition.passport.sent",
        hub=locked.hub,
        obj=locked,
        secondary=locked.secondary.urn if locked.secondary else None,
    )
    _queue("send_passport_received", locked.pk)
    return locked


PERSONAL_FIELDS: dict[str, Any] = {
    "family_email": "",
    "child_name": "",
    "primary": None,
    "instruments": "",
    "level": "",
    "years_learning": None,
    "teacher": "",
    "partner": None,
    "ensembles": "",
    "loan_instrument": "",
    "next_steps": "",
    "access_needs": "",
    "contact_note": "",
}


@transaction.atomic
def passport_withdraw(*, passport: Passport) -> Passport:
    """The family withdraws the passport: everything it said is deleted at once."""
    locked = _locked(passport)
    if locked.status in (PassportStatus.WITHDRAWN, PassportStatus.DELETED):
        raise PassportStateError("This passport has already been withdrawn.")
    for name, value in PERSONAL_FIELDS.items():
        setattr(locked, name, value)
    locked.secondary = None
    locked.status = PassportStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save()
    audit("transition.passport.withdrawn", hub=locked.hub, obj=locked)
    return locked


@transaction.atomic
def passport_acknowledge(*, passport: Passport, by: Any) -> Passport:
    """The secondary school says it has the passport; the family sees it on their link."""
    locked = _locked(passport)
    if locked.status != PassportStatus.SENT:
        raise PassportStateError("This passport has already been acknowledged.")
    locked.status = PassportStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = by
    locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    audit("transition.passport.acknowledged", hub=locked.hub, actor=by, obj=locked)
    return locked


@transaction.atomic
def passport_record_contact(*, passport: Passport, outcome: str, note: str, by: Any) -> Passport:
    """The secondary school records its first contact with the young musician in Year 7."""
    locked = _locked(passport)
    if locked.status not in AT_SCHOOL:
        raise PassportStateError("This passport is no longer with the school.")
    if outcome not in FirstContact.values:
        raise TransitionError("Choose what happened at the first contact.")
    locked.status = PassportStatus.CONTACTED
    locked.first_contact = outcome
    locked.contact_note = note.strip()[:300]
    locked.contacted_at = timezone.now()
    locked.contacted_by = by
    if locked.acknowledged_at is None:
        locked.acknowledged_at, locked.acknowledged_by = locked.contacted_at, by
    locked.save()
    audit(
        "transition.passport.contact_recorded",
        hub=locked.hub,
        actor=by,
        obj=locked,
        outcome=outcome,
    )
    return locked


def passports_delete_personal_data(passports: QuerySet[Passport]) -> int:
    """Remove the personal data of these passports. Those a school had keep an anonymous row
    (its school, intake year and first contact) for the continuation figure; drafts and
    withdrawn ones go entirely."""
    gone, _ = passports.filter(status__in=[PassportStatus.DRAFT, PassportStatus.WITHDRAWN]).delete()
    changed = passports.filter(status__in=AT_SCHOOL).update(
        **PERSONAL_FIELDS, status=PassportStatus.DELETED, updated_at=timezone.now()
    )
    return gone + changed


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: Any) -> int:
    """Erase a family from the hub's passports as retention would: drafts and withdrawn ones
    go, those a school had keep only an anonymous row for the continuation figure. Returns how
    many passports changed."""
    changed = passports_delete_personal_data(selectors.person_passports(hub=hub, email=email))
    if changed:
        audit("transition.person.erased", hub=hub, actor=by, passports=changed)
    return changed
