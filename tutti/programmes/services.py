"""Writes to programmes: each is atomic, audited, and raises ProgrammeError for a rule broken."""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from tutti.accounts.models import User
from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.programmes import selectors
from tutti.programmes.models import (
    Attendance,
    InvitationRole,
    MeasureKind,
    OutcomeMeasure,
    Point,
    Programme,
    ProgrammeInvitation,
    Pupil,
    ReferralReason,
    ReflectionEntry,
    Resource,
    ResourceVisit,
    Score,
    Session,
    Site,
    SitePerson,
    SiteRole,
)

INVITATION_DAYS = 14
# Outcome measures every new programme starts with; the lead may change them.
DEFAULT_MEASURES = [
    ("Belonging", MeasureKind.SCALE, 1, 5),
    ("Confidence", MeasureKind.SCALE, 1, 5),
    ("Wellbeing", MeasureKind.SCALE, 1, 5),
    ("School exclusions", MeasureKind.COUNT, 0, 99),
]
# The SENCo's link works until this long after the programme ends, for the last scores.
LINK_GRACE = timedelta(days=31)


class ProgrammeError(DomainError):
    """A programme's rule broken; the message says what to do."""


class ProgrammeConflict(ConflictError):
    """A clash with what is there: a full group, a site already in the programme."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "programme"
    slug, n = base, 2
    # "new" and "invitations" are pages of their own under /programmes/.
    while slug in {"new", "invitations"} or Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def programme_create(
    *,
    by: Any,
    lead_hub: Hub | None,
    name: str,
    starts_on: date,
    ends_on: date,
    lead_organisation: Organisation | None = None,
    funder: str = "",
    aims: str = "",
    min_group: int = 3,
    max_group: int = 5,
    retention_months: int = 12,
) -> Programme:
    """Start a programme led from ``lead_hub``; its creator is its first lead."""
    if ends_on <= starts_on:
        raise ProgrammeError("Choose an end date after the start date.")
    if not 1 <= min_group <= max_group <= 30:
        raise ProgrammeError("Give a smallest group of at least 1 and a largest of at most 30.")
    programme = Programme(
        name=name.strip(),
        slug=_unique_slug(name),
        lead_hub=lead_hub,
        lead_organisation=lead_organisation,
        funder=funder.strip(),
        aims=aims.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        min_group=min_group,
        max_group=max_group,
        retention_months=retention_months,
    )
    programme.full_clean()
    programme.save()
    if by is not None and by.is_authenticated:
        programme.leads.add(by)
    OutcomeMeasure.objects.bulk_create(
        OutcomeMeasure(programme=programme, name=n, kind=k, low=lo, high=hi, order=i)
        for i, (n, k, lo, hi) in enumerate(DEFAULT_MEASURES)
    )
    audit("programmes.programme.created", hub=lead_hub, actor=by, obj=programme, name=name)
    return programme


EDITABLE = (
    "name",
    "lead_organisation",
    "funder",
    "aims",
    "status",
    "starts_on",
    "ends_on",
    "min_group",
    "max_group",
    "retention_months",
)


@transaction.atomic
def programme_update(*, programme: Programme, by: Any, **changes: Any) -> Programme:
    """Change the programme's details; dates and group limits must still fit what is there."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ProgrammeError(f"{field} cannot be changed here.")
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    if locked.ends_on <= locked.starts_on:
        raise ProgrammeError("Choose an end date after the start date.")
    if not 1 <= locked.min_group <= locked.max_group <= 30:
        raise ProgrammeError("Give a smallest group of at least 1 and a largest of at most 30.")
    outside = Session.objects.filter(site__programme=locked).exclude(
        date__range=(locked.starts_on, locked.ends_on)
    )
    if outside.exists():
        raise ProgrammeConflict(
            "Some sessions fall outside those dates. Choose dates that include every session."
        )
    biggest = max((s.pupils.count() for s in locked.sites.all()), default=0)
    if biggest > locked.max_group:
        raise ProgrammeConflict(
            f"A site already has {biggest} pupils: the largest group cannot be smaller."
        )
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    audit(
        "programmes.programme.changed",
        hub=locked.lead_hub,
        actor=by,
        obj=locked,
        fields=sorted(changes),
    )
    return locked


def _school_hub(school: Organisation) -> Hub | None:
    if school.local_authority_id is None:
        return None
    return Hub.objects.filter(local_authorities=school.local_authority_id).order_by("pk").first()


@transaction.atomic
def site_create(
    *,
    programme: Programme,
    organisation: Organisation,
    school: Organisation,
    by: Any,
    senco_name: str = "",
    senco_email: str = "",
) -> Site:
    """Add a participating organisation, delivering in one school from the register."""
    if school.kind != OrganisationKind.SCHOOL:
        raise ProgrammeError("Choose a school from the national register.")
    if programme.sites.filter(organisation=organisation).exists():
        raise ProgrammeConflict(f"{organisation} already has a site in this programme.")
    if programme.sites.filter(school=school).exists():
        raise ProgrammeConflict(f"{school} is already a site of this programme.")
    site = Site(
        programme=programme,
        organisation=organisation,
        school=school,
        hub=_school_hub(school),
        senco_name=senco_name.strip(),
        senco_email=senco_email.strip().lower(),
    )
    site.full_clean()
    site.save()
    audit("programmes.site.created", hub=programme.lead_hub, actor=by, obj=site)
    return site


def _send_invitation(invitation: ProgrammeInvitation, token: str) -> None:
    from tutti.programmes.tasks import send_programme_invitation

    invitation_id = invitation.pk
    transaction.on_commit(
        lambda: send_programme_invitation.enqueue(invitation_id=invitation_id, token=token)
    )


@transaction.atomic
def invitation_create(
    *,
    programme: Programme,
    role: str,
    email: str,
    by: Any,
    site: Site | None = None,
    first_name: str = "",
    last_name: str = "",
) -> ProgrammeInvitation:
    """Invite someone by email to lead the programme, or to tutor or manage at a site."""
    email = email.strip().lower()
    if role not in InvitationRole.values:
        raise ProgrammeError("Choose a role: tutor, inclusion manager or lead.")
    if role != InvitationRole.LEAD and site is None:
        raise ProgrammeError("Choose the site a tutor or inclusion manager works at.")
    pending = ProgrammeInvitation.objects.filter(
        programme=programme,
        email__iexact=email,
        site=site,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ProgrammeConflict(f"{email} has already been invited; the link lasts 14 days.")
    token = secrets.token_urlsafe(32)
    invitation = ProgrammeInvitation(
        programme=programme,
        site=site if role != InvitationRole.LEAD else None,
        role=role,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        token_hash=token_hash(token),
        invited_by=by if by is not None and by.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit(
        "programmes.invitation.created",
        hub=programme.lead_hub,
        actor=by,
        obj=invitation,
        email=email,
        role=role,
    )
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: ProgrammeInvitation, by: Any) -> None:
    """Withdraw an invitation not yet accepted: its link stops working at once."""
    locked = ProgrammeInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ProgrammeConflict(f"{locked.email} has already accepted.")
    locked.expires_at = timezone.now()
    locked.save(update_fields=["expires_at", "updated_at"])
    audit("programmes.invitation.withdrawn", hub=locked.programme.lead_hub, actor=by, obj=locked)


def invitation_for_token(token: str) -> ProgrammeInvitation:
    invitation = (
        ProgrammeInvitation.objects.select_related("programme", "site__school")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise ProgrammeError("This invitation link is not right. Check you copied all of it.")
    if invitation.accepted_at is not None:
        raise ProgrammeConflict("This invitation has already been accepted. Sign in instead.")
    if invitation.expires_at <= timezone.now():
        raise ProgrammeConflict("This invitation has expired. Ask the programme's lead again.")
    return invitation


def _grant(invitation: ProgrammeInvitation, user: User) -> None:
    if invitation.role == InvitationRole.LEAD:
        invitation.programme.leads.add(user)
    elif invitation.site is not None:
        SitePerson.objects.get_or_create(site=invitation.site, user=user, role=invitation.role)


@transaction.atomic
def invitation_accept(
    *,
    invitation: ProgrammeInvitation,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Accept as the signed-in ``user`` (with the invited address) or as a new account."""
    locked = ProgrammeInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ProgrammeConflict("This invitation has already been accepted. Sign in instead.")
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ProgrammeConflict(
                "There is already an account with this email address. Sign in to accept."
            )
        user = User(
            email=locked.email,
            username=locked.email[:150],
            first_name=(first_name or locked.first_name).strip(),
            last_name=(last_name or locked.last_name).strip(),
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        _mark_email_verified(user)
        audit("accounts.user.created", hub=locked.programme.lead_hub, actor=user, obj=user)
    elif user.email.lower() != locked.email.lower():
        raise ProgrammeConflict(
            f"This invitation is for {locked.email}; you are signed in as {user.email}."
        )
    _grant(locked, user)
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit(
        "programmes.invitation.accepted",
        hub=locked.programme.lead_hub,
        actor=user,
        obj=locked,
        role=locked.role,
    )
    return user


def _mark_email_verified(user: User) -> None:
    # The link reached the address, which proves it.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def senco_link_renew(*, site: Site, by: Any) -> Site:
    """A new SENCo link: the old one stops working at once."""
    locked = Site.objects.select_for_update().get(pk=site.pk)
    locked.senco_link_version += 1
    locked.senco_link_active = True
    locked.save(update_fields=["senco_link_version", "senco_link_active", "updated_at"])
    audit("programmes.senco_link.renewed", hub=site.programme.lead_hub, actor=by, obj=locked)
    return locked


@transaction.atomic
def senco_link_send(*, site: Site, by: Any) -> None:
    """Email the SENCo their current link."""
    from tutti.programmes.tasks import send_senco_link

    if not site.senco_email:
        raise ProgrammeError(
            "This site has no email address for its SENCo: copy the link and send it yourself."
        )
    if not site.senco_link_active:
        raise ProgrammeError("The link is stopped. Give a new link first.")
    site_id, version = site.pk, site.senco_link_version
    audit("programmes.senco_link.sent", hub=site.programme.lead_hub, actor=by, obj=site)
    transaction.on_commit(lambda: send_senco_link.enqueue(site_id=site_id, version=version))


@transaction.atomic
def senco_link_stop(*, site: Site, by: Any) -> Site:
    """Stop the SENCo's link without giving a new one."""
    locked = Site.objects.select_for_update().get(pk=site.pk)
    locked.senco_link_active = False
    locked.save(update_fields=["senco_link_active", "updated_at"])
    audit("programmes.senco_link.stopped", hub=site.programme.lead_hub, actor=by, obj=locked)
    return locked


def senco_link_in_time(programme: Programme, today: date) -> bool:
    return today <= programme.ends_on + LINK_GRACE


def _check_pupil_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ProgrammeError("Give the pupil's first name or initials.")
    words = name.replace(".", " ").split()
    if len(words) > 1 and any(len(w) > 1 for w in words):
        raise ProgrammeError(
            "Give a first name or initials only, such as “Sam” or “S.B.”: never a surname."
        )
    if len(name) > 30:
        raise ProgrammeError("Give a first name or initials of at most 30 characters.")
    return name


def _check_reasons(reasons: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(reasons))
    if not chosen:
        raise ProgrammeError("Choose at least one reason for referral.")
    unknown = [r for r in chosen if r not in ReferralReason.values]
    if unknown:
        raise ProgrammeError("Choose the reasons for referral from the list.")
    return [r for r in ReferralReason.values if r in chosen]


@transaction.atomic
def pupil_add(
    *,
    site: Site,
    name: str,
    year_group: int,
    reasons: Iterable[str],
    consent_on: date | None,
    by: Any = None,
    by_senco: bool = False,
) -> Pupil:
    """Add a pupil to a site's group, with a parent's or carer's consent, up to the limit."""
    locked = Site.objects.select_for_update().select_related("programme").get(pk=site.pk)
    programme = locked.programme
    if consent_on is None:
        raise ProgrammeError(
            "Give the date a parent or carer consented: a pupil cannot join without it."
        )
    if consent_on > timezone.localdate():
        raise ProgrammeError("The date of consent cannot be in the future.")
    if not 0 <= year_group <= 6:
        raise ProgrammeError("Choose a primary year group, from Reception to Year 6.")
    if locked.pupils.count() >= programme.max_group:
        raise ProgrammeConflict(
            f"The group is full: this programme has at most {programme.max_group} pupils a site."
        )
    pupil = Pupil(
        site=locked,
        name=_check_pupil_name(name),
        year_group=year_group,
        reasons=_check_reasons(reasons),
        consent_on=consent_on,
        added_by_senco=by_senco,
    )
    pupil.full_clean()
    pupil.save()
    # No name in the audit log: it outlives the pupil's record.
    audit("programmes.pupil.added", hub=programme.lead_hub, actor=by, obj=pupil, senco=by_senco)
    return pupil


@transaction.atomic
def pupil_remove(*, pupil: Pupil, by: Any = None, by_senco: bool = False) -> None:
    hub = pupil.site.programme.lead_hub
    audit("programmes.pupil.removed", hub=hub, actor=by, obj=pupil, senco=by_senco)
    pupil.delete()


def _check_in_span(programme: Programme, day: date) -> None:
    if not programme.starts_on <= day <= programme.ends_on:
        raise ProgrammeError(
            f"Choose a date within the programme, {programme.starts_on:%-d %B %Y} to "
            f"{programme.ends_on:%-d %B %Y}."
        )


@transaction.atomic
def sessions_plan(
    *, site: Site, first_on: date, weeks: int, minutes: int, by: Any
) -> list[Session]:
    """Plan weekly sessions from ``first_on``; weeks past the programme's end are refused."""
    programme = site.programme
    if not 1 <= weeks <= 60:
        raise ProgrammeError("Plan between 1 and 60 weekly sessions.")
    if not 5 <= minutes <= 480:
        raise ProgrammeError("Give a length between 5 and 480 minutes.")
    days = [first_on + timedelta(weeks=n) for n in range(weeks)]
    _check_in_span(programme, days[0])
    if days[-1] > programme.ends_on:
        raise ProgrammeError(
            f"The last of those sessions would be after the programme ends on "
            f"{programme.ends_on:%-d %B %Y}: plan fewer weeks."
        )
    taken = set(site.sessions.filter(date__in=days).values_list("date", flat=True))
    new = [Session(site=site, date=d, minutes=minutes) for d in days if d not in taken]
    Session.objects.bulk_create(new)
    audit(
        "programmes.sessions.planned",
        hub=programme.lead_hub,
        actor=by,
        obj=site,
        dates=[d.isoformat() for d in days if d not in taken],
    )
    return new


@transaction.atomic
def attendance_record(
    *, session: Session, present: Mapping[int, bool], note: str, by: Any
) -> Session:
    """Take the register of a session (every pupil of the group) and keep its note."""
    site = session.site
    programme = site.programme
    _check_in_span(programme, session.date)
    if session.date > timezone.localdate():
        raise ProgrammeError("Take the register on the day of the session or after it.")
    pupil_ids = set(site.pupils.values_list("pk", flat=True))
    if set(present) - pupil_ids:
        raise ProgrammeError("Those pupils are not in this site's group.")
    for pupil_id in pupil_ids:
        Attendance.objects.update_or_create(
            session=session, pupil_id=pupil_id, defaults={"present": present.get(pupil_id, False)}
        )
    session.note = note.strip()
    session.attendance_taken_at = timezone.now()
    session.save(update_fields=["note", "attendance_taken_at", "updated_at"])
    audit("programmes.attendance.recorded", hub=programme.lead_hub, actor=by, obj=session)
    return session


@transaction.atomic
def scores_record(
    *,
    pupil: Pupil,
    point: str,
    values: Mapping[int, int | None],
    by: Any = None,
    by_senco: bool = False,
) -> int:
    """Record a pupil's scores at one point; every value must be on its measure's scale.
    Returns how many scores were saved."""
    if point not in Point.values:
        raise ProgrammeError("Choose the start, middle or end.")
    programme = pupil.site.programme
    measures = {m.pk: m for m in programme.measures.all()}
    for measure_id, value in values.items():
        measure = measures.get(measure_id)
        if measure is None:
            raise ProgrammeError("That measure is not one of this programme's.")
        if value is not None and not measure.low <= value <= measure.high:
            raise ProgrammeError(
                f"{measure.name} is scored from {measure.low} to {measure.high}; "
                f"{value} is outside that."
            )
    saved = 0
    for measure_id, value in values.items():
        if value is None:
            Score.objects.filter(pupil=pupil, measure_id=measure_id, point=point).delete()
            continue
        Score.objects.update_or_create(
            pupil=pupil,
            measure_id=measure_id,
            point=point,
            defaults={"value": value, "by_senco": by_senco},
        )
        saved += 1
    audit(
        "programmes.scores.recorded",
        hub=programme.lead_hub,
        actor=by,
        obj=pupil,
        point=point,
        senco=by_senco,
    )
    return saved


@transaction.atomic
def measure_add(
    *, programme: Programme, name: str, kind: str, low: int, high: int, by: Any
) -> OutcomeMeasure:
    """Add an outcome measure, scored per pupil at the start, middle and end."""
    name = name.strip()
    if kind not in MeasureKind.values:
        raise ProgrammeError("Choose a scale or a count.")
    if not 0 <= low < high <= 99:
        raise ProgrammeError("Give a lowest value below the highest, from 0 to 99.")
    if programme.measures.filter(name__iexact=name).exists():
        raise ProgrammeConflict(f"The programme already has a measure called {name}.")
    order = programme.measures.count()
    measure = OutcomeMeasure(
        programme=programme, name=name, kind=kind, low=low, high=high, order=order
    )
    measure.full_clean()
    measure.save()
    audit("programmes.measure.added", hub=programme.lead_hub, actor=by, obj=measure, name=name)
    return measure


@transaction.atomic
def reflection_add(*, programme: Programme, author: Any, day: date, text: str) -> ReflectionEntry:
    text = text.strip()
    if not text:
        raise ProgrammeError("Write your reflection before saving it.")
    if day > timezone.localdate():
        raise ProgrammeError("The date of a reflection cannot be in the future.")
    entry = ReflectionEntry.objects.create(programme=programme, author=author, date=day, text=text)
    audit("programmes.reflection.added", hub=programme.lead_hub, actor=author, obj=entry)
    return entry


@transaction.atomic
def resource_add(
    *,
    programme: Programme,
    title: str,
    by: Any,
    description: str = "",
    link: str = "",
    file: Any = None,
) -> Resource:
    if not link and not file:
        raise ProgrammeError("Give a link or choose a file to share.")
    resource = Resource(
        programme=programme,
        title=title.strip(),
        description=description.strip(),
        link=link.strip(),
        added_by=by if by is not None and by.is_authenticated else None,
    )
    if file:
        resource.file = file
    resource.full_clean()
    resource.save()
    audit("programmes.resource.added", hub=programme.lead_hub, actor=by, obj=resource)
    return resource


def resources_seen(*, programme: Programme, user: Any, at: datetime) -> None:
    """Note that the person has looked at the resources now."""
    ResourceVisit.objects.update_or_create(programme=programme, user=user, defaults={"seen_at": at})


@transaction.atomic
def outcomes_publish(*, programme: Programme, narrative: str, by: Any) -> Programme:
    """Publish the aggregated figures as they are now, with the lead's narrative."""
    figures = selectors.programme_figures(programme=programme)
    programme.outcomes_figures = selectors.figures_as_json(figures)
    programme.outcomes_narrative = narrative.strip()
    programme.outcomes_published_at = timezone.now()
    programme.save(
        update_fields=[
            "outcomes_figures",
            "outcomes_narrative",
            "outcomes_published_at",
            "updated_at",
        ]
    )
    audit("programmes.outcomes.published", hub=programme.lead_hub, actor=by, obj=programme)
    return programme


@transaction.atomic
def pupils_erase(*, programme: Programme, by: Any = None) -> int:
    """Erase every pupil's record (and their attendance and scores), keeping the aggregated
    figures as they were. Returns how many pupils were erased."""
    kept = selectors.figures_as_json(selectors.programme_figures(programme=programme))
    pupils = Pupil.objects.filter(site__programme=programme)
    count = pupils.count()
    pupils.delete()
    programme.kept_figures = kept
    programme.pupils_erased_at = timezone.now()
    programme.save(update_fields=["kept_figures", "pupils_erased_at", "updated_at"])
    audit("programmes.pupils.erased", hub=programme.lead_hub, actor=by, obj=programme, count=count)
    return count


def site_people_add(*, site: Site, user: User, role: str, by: Any) -> SitePerson:
    """Give someone with an account a part at a site (the demo, and the admin)."""
    if role not in SiteRole.values:
        raise ProgrammeError("Choose tutor or inclusion manager.")
    person, _ = SitePerson.objects.get_or_create(site=site, user=user, role=role)
    audit("programmes.site_person.added", hub=site.programme.lead_hub, actor=by, obj=person)
    return person


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: Any) -> int:
    """Erase the person from the hub's programmes (``selectors.held_programmes``): their
    places in the team, the invitations sent to them, their reflections and when they last
    looked at the resources go; as a site's SENCo their name and email are removed and the
    link stops; as a lead they are removed, but never a programme's only lead (the erase page
    tells the hub to add another first). Pupils are not the person's, and stay under the
    programme's own retention. Returns how many records changed; one audit entry of counts."""
    found = selectors.person_in_programmes(hub=hub, email=email)

    def delete(model: type[Model], rows: list[Any]) -> int:
        return model._default_manager.filter(pk__in=[r.pk for r in rows]).delete()[0]

    places = delete(SitePerson, found.places)
    invitations = delete(ProgrammeInvitation, found.invitations)
    reflections = delete(ReflectionEntry, found.reflections)
    held = selectors.held_programmes(hub=hub).values("pk")
    ResourceVisit.objects.filter(programme__in=held, user__email__iexact=email).delete()
    for site in found.senco_sites:
        site.senco_name = site.senco_email = ""
        site.senco_link_active = False
        site.save(update_fields=["senco_name", "senco_email", "senco_link_active", "updated_at"])
    accounts = list(User.objects.filter(email__iexact=email))
    leads = 0
    for programme in found.led:
        if programme.lead_count > 1:  # type: ignore[attr-defined]
            programme.leads.remove(*accounts)
            leads += 1
    changed = places + invitations + reflections + len(found.senco_sites) + leads
    if changed:
        audit(
            "programmes.person.erased",
            hub=hub,
            actor=by,
            places=places,
            invitations=invitations,
            reflections=reflections,
            senco_sites=len(found.senco_sites),
            leads=leads,
        )
    return changed
