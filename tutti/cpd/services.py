"""Writes to a hub's CPD networks. Each is atomic and audited; emails leave after the commit."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.core.models import model_update
from tutti.cpd.models import (
    ClaimStatus,
    DaySession,
    MemberRole,
    MemberStatus,
    NetworkDay,
    NetworkMember,
    PeerVisit,
    Question,
    QuestionKind,
    Reply,
    Resource,
    SupplyClaim,
    Survey,
    SurveyResponse,
    Term,
    Thread,
    VisitStatus,
)
from tutti.cpd.selectors import network_hub, person_places
from tutti.cpd.tasks import send_member_email, send_post_emails
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.events.models import (
    AttendanceStatus,
    Booking,
    BookingStatus,
    Event,
    EventCategory,
)
from tutti.events.services import (
    BookingError,
    SessionSpec,
    attendance_record,
    booking_create,
    categories_seed,
    event_create,
    event_publish,
)
from tutti.provision.models import Network

# What a resource file may be: documents, slides, sheet music, recordings and pictures.
RESOURCE_TYPES = {
    ".pdf",
    ".docx",
    ".doc",
    ".pptx",
    ".xlsx",
    ".odt",
    ".odp",
    ".txt",
    ".mp3",
    ".m4a",
    ".mid",
    ".midi",
    ".musicxml",
    ".mxl",
    ".png",
    ".jpg",
    ".jpeg",
}
RESOURCE_MAX_BYTES = 10 * 1024 * 1024
TRAINING_CATEGORY = "Training and Development for Schools and Providers"


class CpdError(DomainError):
    """A request about a network that breaks one of its rules."""


class CpdConflict(CpdError, ConflictError):
    """The thing asked for exists already or is in the wrong state."""


def _user(by: Any) -> Any:
    return by if by is not None and by.is_authenticated else None


def _email_member(member: NetworkMember, kind: str) -> None:
    member_id = member.pk
    transaction.on_commit(lambda: send_member_email.enqueue(member_id=member_id, kind=kind))


def _hub_school(hub: Hub, school: Organisation | None) -> Organisation | None:
    """The school, refused unless it is in the hub's area (or a partner of the hub)."""
    if school is None:
        return None
    if not hub_organisations(hub=hub).filter(pk=school.pk).exists():
        raise CpdError("Choose a school in this hub's area.")
    return school


# Networks


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "network"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


NETWORK_FIELDS = ("name", "description", "vision", "lead_organisation", "supply_cover_rate")


@transaction.atomic
def network_create(*, hub: Hub, by: Any, **fields: Any) -> Network:
    """A new CPD network of the hub's teachers."""
    fields = {k: v for k, v in fields.items() if k in (*NETWORK_FIELDS, "early_booking_days")}
    _hub_school(hub, fields.get("lead_organisation"))
    network = Network(hub=hub, slug=_unique_slug(fields.get("name", "")), **fields)
    try:
        network.full_clean()
    except ValidationError as error:
        raise CpdError(" ".join(error.messages)) from None
    network.save()
    audit("cpd.network.created", hub=hub, actor=by, obj=network)
    return network


@transaction.atomic
def network_update(*, network: Network, by: Any, **fields: Any) -> list[str]:
    fields = {k: v for k, v in fields.items() if k in (*NETWORK_FIELDS, "early_booking_days")}
    _hub_school(network_hub(network), fields.get("lead_organisation"))
    try:
        changed = model_update(network, fields, validate=True)
    except ValidationError as error:
        raise CpdError(" ".join(error.messages)) from None
    if changed:
        audit("cpd.network.updated", hub=network.hub, actor=by, obj=network, fields=changed)
    return changed


# Members


@transaction.atomic
def member_invite(
    *,
    network: Network,
    email: str,
    by: Any,
    name: str = "",
    school: Organisation | None = None,
    role: str = MemberRole.MEMBER,
) -> NetworkMember:
    """Invite a teacher by email; they accept when signed in with that address."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CpdError("Enter a valid email address, like name@example.org.") from None
    if role not in MemberRole.values:
        raise CpdError("Choose member or facilitator.")
    _hub_school(network_hub(network), school)
    existing = NetworkMember.objects.filter(network=network, email__iexact=email).first()
    if existing is not None and existing.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
        raise CpdConflict(f"{email} is already {existing.get_status_display().lower()}.")
    from tutti.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    member = existing or NetworkMember(network=network, email=email)
    member.user = user or member.user
    member.name = name.strip() or member.name or (user.get_full_name() if user else "")
    member.school = school or member.school
    member.role = role
    member.status = MemberStatus.INVITED
    member.decided_by = _user(by)
    member.decided_at = timezone.now()
    member.save()
    audit("cpd.member.invited", hub=network.hub, actor=by, obj=member, role=role)
    _email_member(member, "invited")
    return member


@transaction.atomic
def member_request(
    *, network: Network, user: Any, school: Organisation | None, message: str = ""
) -> NetworkMember:
    """A signed-in teacher asks to join; a facilitator approves or refuses."""
    if school is None:
        raise CpdError("Choose the school you teach at.")
    _hub_school(network_hub(network), school)
    existing = NetworkMember.objects.filter(network=network, email__iexact=user.email).first()
    if existing is not None and existing.status == MemberStatus.ACTIVE:
        raise CpdConflict("You are already a member of this network.")
    if existing is not None and existing.status == MemberStatus.REQUESTED:
        raise CpdConflict("You have already asked to join; a facilitator will answer soon.")
    member = existing or NetworkMember(network=network, email=user.email.lower())
    member.user = user
    member.name = user.get_full_name() or member.name
    member.school = school
    member.message = message.strip()[:500]
    member.status = MemberStatus.REQUESTED
    if existing is None:
        member.role = MemberRole.MEMBER
    member.save()
    audit("cpd.member.requested", hub=network.hub, actor=user, obj=member)
    return member


@transaction.atomic
def member_accept_invitation(*, member: NetworkMember, user: Any) -> NetworkMember:
    if member.status != MemberStatus.INVITED or member.email.lower() != user.email.lower():
        raise CpdConflict("This invitation is not for you, or has been answered already.")
    member.user, member.status = user, MemberStatus.ACTIVE
    member.name = member.name or user.get_full_name()
    member.save(update_fields=["user", "status", "name", "updated_at"])
    audit("cpd.member.joined", hub=member.network.hub, actor=user, obj=member)
    return member


@transaction.atomic
def member_decide(*, member: NetworkMember, approve: bool, by: Any) -> NetworkMember:
    """A facilitator approves or refuses a request to join."""
    locked = NetworkMember.objects.select_for_update().get(pk=member.pk)
    if locked.status != MemberStatus.REQUESTED:
        raise CpdConflict("This request has been answered already.")
    locked.status = MemberStatus.ACTIVE if approve else MemberStatus.REFUSED
    locked.decided_by, locked.decided_at = _user(by), timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit(
        "cpd.member.approved" if approve else "cpd.member.refused",
        hub=member.network.hub,
        actor=by,
        obj=locked,
    )
    _email_member(locked, "approved" if approve else "refused")
    return locked


@transaction.atomic
def member_set_role(*, member: NetworkMember, role: str, by: Any) -> NetworkMember:
    if role not in MemberRole.values:
        raise CpdError("Choose member or facilitator.")
    if not member.is_active:
        raise CpdConflict("Only a member can be made a facilitator.")
    if member.role != role:
        member.role = role
        member.save(update_fields=["role", "updated_at"])
        audit("cpd.member.role_changed", hub=member.network.hub, actor=by, obj=member, role=role)
    return member


@transaction.atomic
def member_leave(*, member: NetworkMember, by: Any) -> NetworkMember:
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status", "updated_at"])
    audit("cpd.member.left", hub=member.network.hub, actor=by, obj=member)
    return member


def member_notifications_set(*, member: NetworkMember, notify: bool) -> None:
    if member.notify_posts != notify:
        member.notify_posts = notify
        member.save(update_fields=["notify_posts", "updated_at"])


# Network days


@dataclass(frozen=True)
class DaySpec:
    term: str
    year: int
    day: date
    starts: time
    ends: time
    venue_name: str
    venue_address: str = ""
    capacity: int | None = None
    public_opens_on: date | None = None
    title: str = ""


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def day_create(*, network: Network, spec: DaySpec, by: Any, publish: bool = True) -> NetworkDay:
    """A network day: a What's On event owned by the network, one a term.

    Members may book ``network.early_booking_days`` before the public; with no public opening
    date the day is for members only (the public cannot book it)."""
    hub = network_hub(network)
    if spec.term not in Term.values:
        raise CpdError("Choose the autumn, spring or summer term.")
    if NetworkDay.objects.filter(network=network, year=spec.year, term=spec.term).exists():
        raise CpdConflict("The network has a day in that term already.")
    if not spec.venue_name.strip():
        raise CpdError("Enter where the day is held.")
    categories_seed(hub=hub)
    category = EventCategory.objects.filter(hub=hub, slug=slugify(TRAINING_CATEGORY)).first()
    starts_at, ends_at = _aware(spec.day, spec.starts), _aware(spec.day, spec.ends)
    # No public opening: the public's booking opens as the day ends, so only members can book.
    public_opens = _aware(spec.public_opens_on, time(9)) if spec.public_opens_on else ends_at
    title = spec.title or f"{network.name}: {Term(spec.term).label.lower()} term day"
    event = event_create(
        hub=hub,
        by=by,
        sessions=[SessionSpec(starts_at=starts_at, ends_at=ends_at, title=title)],
        title=title[:200],
        summary=(network.vision or network.description or "A day of the network's CPD.")[:200],
        description=network.vision,
        category=category,
        for_schools=True,
        venue_name=spec.venue_name.strip(),
        venue_address=spec.venue_address.strip(),
        organiser=network.lead_organisation,
        capacity=spec.capacity,
        booking_opens_at=public_opens if public_opens < starts_at else None,
        booking_closes_at=None,
    )
    if public_opens >= starts_at:
        # Members only: the public's window never opens (opens after the day has started).
        Event.objects.filter(pk=event.pk).update(booking_opens_at=starts_at)
        event.booking_opens_at = starts_at
    if publish:
        event = event_publish(event=event, by=by)
    day = NetworkDay.objects.create(network=network, event=event, year=spec.year, term=spec.term)
    audit("cpd.day.created", hub=hub, actor=by, obj=day, event=event.pk)
    return day


def members_open_at(day: NetworkDay) -> datetime | None:
    """When members may book: the network's early window before the public's opening."""
    return day.members_open_at


@transaction.atomic
def day_session_add(
    *,
    day: NetworkDay,
    starts_at: time,
    ends_at: time,
    title: str,
    presenters: str,
    presenter_member: NetworkMember | None = None,
    by: Any,
) -> DaySession:
    if presenter_member is not None and (
        presenter_member.network_id != day.network_id or not presenter_member.is_active
    ):
        raise CpdError("Choose a member of this network as the presenter.")
    item = DaySession(
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title.strip(),
        presenters=presenters.strip() or (str(presenter_member) if presenter_member else ""),
        presenter_member=presenter_member,
    )
    try:
        item.full_clean()
    except ValidationError as error:
        raise CpdError(" ".join(error.messages)) from None
    item.save()
    audit("cpd.day.session_added", hub=day.network.hub, actor=by, obj=item)
    return item


def day_book(*, day: NetworkDay, member: NetworkMember, by: Any) -> Booking:
    """Book a member's place on a network day, in the members' early window if it is open."""
    if not member.is_active or member.network_id != day.network_id:
        raise CpdError("Only members of the network can book in the members' window.")
    try:
        return booking_create(
            event=day.event,
            name=member.name or member.email,
            email=member.email,
            organisation_name=member.school.name if member.school else "",
            by=by,
            opens_at=members_open_at(day),
        )
    except BookingError as error:
        raise CpdError(str(error)) from None


def day_attendance_record(*, day: NetworkDay, marks: Mapping[int, str], by: Any) -> int:
    """Record who came (booking id to attended or absent), through What's On's register."""
    session = day.event.sessions.first()
    if session is None:
        raise CpdError("This day has no session to take attendance for.")
    return attendance_record(session=session, marks=marks, by=by).changed


# Supply cover


def attended(day: NetworkDay, member: NetworkMember) -> bool:
    """Whether the member's attendance at the day is recorded as attended."""
    return Booking.objects.filter(
        event_id=day.event_id,
        email__iexact=member.email,
        status=BookingStatus.CONFIRMED,
        attendances__status=AttendanceStatus.ATTENDED,
    ).exists()


@transaction.atomic
def claim_create(
    *, day: NetworkDay, members: Iterable[NetworkMember], school: Organisation, by: Any
) -> list[SupplyClaim]:
    """The school claims the network's contribution for each of its teachers who attended."""
    network = day.network
    members = list(members)
    if not members:
        raise CpdError("Choose at least one teacher who attended.")
    claims = []
    for member in members:
        if member.network_id != network.pk or member.school_id != school.pk:
            raise CpdError(f"{member} is not a member of the network from {school}.")
        if not attended(day, member):
            raise CpdError(
                f"{member} is not recorded as attending this day, so there is nothing to claim."
            )
        if SupplyClaim.objects.filter(day=day, member=member).exists():
            raise CpdConflict(f"{member}'s supply cover for this day has been claimed already.")
        claims.append(
            SupplyClaim(
                day=day,
                member=member,
                school=school,
                amount=network.supply_cover_rate,
                claimed_by=_user(by),
            )
        )
    try:
        with transaction.atomic():
            SupplyClaim.objects.bulk_create(claims)
    except IntegrityError:
        raise CpdConflict("This supply cover has been claimed already.") from None
    for claim in claims:
        audit("cpd.claim.created", hub=network.hub, actor=by, obj=claim, amount=str(claim.amount))
    return claims


@transaction.atomic
def claim_decide(*, claim: SupplyClaim, approve: bool, reason: str = "", by: Any) -> SupplyClaim:
    """Hub staff approve a claim for payment, or reject it with a reason the school sees."""
    locked = SupplyClaim.objects.select_for_update().get(pk=claim.pk)
    reason = reason.strip()
    if locked.status != ClaimStatus.PENDING:
        raise CpdConflict("This claim has been decided already.")
    if not approve and not reason:
        raise CpdError("Say why the claim is rejected: the school will see the reason.")
    locked.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    locked.reason = reason[:500]
    locked.decided_by, locked.decided_at = _user(by), timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    audit(
        f"cpd.claim.{locked.status}",
        hub=locked.day.network.hub,
        actor=by,
        obj=locked,
        reason=locked.reason,
    )
    return locked


@transaction.atomic
def claims_approve(*, claims: list[SupplyClaim], by: Any) -> int:
    """Approve several waiting claims at once; any decided meanwhile are left as they are."""
    approved = 0
    for claim in claims:
        try:
            claim_decide(claim=claim, approve=True, by=by)
        except CpdConflict:
            continue
        approved += 1
    return approved


# The space


def _check_resource_file(file: UploadedFile) -> None:
    name = (file.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in RESOURCE_TYPES:
        raise CpdError(
            "Share documents, slides, spreadsheets, sheet music, recordings or pictures "
            f"({', '.join(sorted(RESOURCE_TYPES))})."
        )
    if (file.size or 0) > RESOURCE_MAX_BYTES:
        raise CpdError("The file is too large: it can be at most 10 MB.")


@transaction.atomic
def resource_add(
    *,
    network: Network,
    member: NetworkMember,
    title: str,
    description: str,
    tags: str = "",
    file: UploadedFile | None = None,
    link: str = "",
) -> Resource:
    """Share a file (kept through Django's storage) or a link with the network."""
    if not title.strip() or not description.strip():
        raise CpdError("Give the resource a title and a short description.")
    link = link.strip()
    if file is None and not link:
        raise CpdError("Choose a file or enter a link.")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise CpdError("Enter a link that starts with https://.") from None
    if file is not None:
        _check_resource_file(file)
    resource = Resource(
        network=network,
        title=title.strip()[:200],
        description=description.strip()[:500],
        tags=", ".join(t.strip() for t in tags.split(",") if t.strip())[:200],
        link=link,
        added_by=member,
    )
    if file is not None:
        resource.file.save(file.name or "resource", file, save=False)
    resource.save()
    audit("cpd.resource.added", hub=network.hub, actor=member.user, obj=resource)
    return resource


def _notify(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: send_post_emails.enqueue(kind=kind, pk=pk))


@transaction.atomic
def thread_create(*, network: Network, member: NetworkMember, title: str, body: str) -> Thread:
    if not title.strip() or not body.strip():
        raise CpdError("Give the post a title and write something in it.")
    thread = Thread(
        network=network,
        title=title.strip()[:200],
        body=body.strip()[:10_000],
        author=member,
        last_post_at=timezone.now(),
    )
    thread.save()
    audit("cpd.thread.created", hub=network.hub, actor=member.user, obj=thread)
    _notify("thread", thread.pk)
    return thread


@transaction.atomic
def reply_create(*, thread: Thread, member: NetworkMember, body: str) -> Reply:
    if not body.strip():
        raise CpdError("Write your reply first.")
    if thread.hidden:
        raise CpdConflict("This discussion has been hidden, so it takes no more replies.")
    reply = Reply.objects.create(thread=thread, body=body.strip()[:10_000], author=member)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=reply.created_at)
    audit("cpd.reply.created", hub=thread.network.hub, actor=member.user, obj=reply)
    _notify("reply", reply.pk)
    return reply


@transaction.atomic
def post_moderate(*, post: Thread | Reply | Resource, action: str, by: Any) -> None:
    """A facilitator pins or unpins a thread, or hides or shows a post or resource."""
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "hide": {"hidden": True},
        "show": {"hidden": False},
    }.get(action)
    if changes is None or ("pinned" in changes and not isinstance(post, Thread)):
        raise CpdError("Choose pin, unpin, hide or show.")
    model_update(post, changes)
    audit(f"cpd.post.{action}", actor=by, obj=post)


# Peer visits


@transaction.atomic
def visit_propose(
    *, host: NetworkMember, visitor: NetworkMember | None, focus: str, by_member: NetworkMember
) -> PeerVisit:
    """A host offers a visit (anyone may take it up), or a visitor asks to visit a host."""
    if not focus.strip():
        raise CpdError("Say what the visit is to see.")
    if visitor is not None and visitor.pk == host.pk:
        raise CpdError("Choose another member to visit.")
    if host.network_id != by_member.network_id or not host.is_active:
        raise CpdError("Choose a member of this network.")
    visit = PeerVisit.objects.create(
        network_id=host.network_id,
        host=host,
        visitor=visitor,
        focus=focus.strip()[:300],
        status=VisitStatus.REQUESTED if visitor is not None else VisitStatus.OFFERED,
    )
    audit("cpd.visit.proposed", hub=host.network.hub, actor=by_member.user, obj=visit)
    return visit


@transaction.atomic
def visit_take_up(*, visit: PeerVisit, visitor: NetworkMember) -> PeerVisit:
    if visit.status != VisitStatus.OFFERED or visit.host_id == visitor.pk:
        raise CpdConflict("This visit is no longer on offer.")
    visit.visitor, visit.status = visitor, VisitStatus.REQUESTED
    visit.save(update_fields=["visitor", "status", "updated_at"])
    return visit


@transaction.atomic
def visit_answer(*, visit: PeerVisit, accept: bool, on: date | None, by: Any) -> PeerVisit:
    """The host accepts with the agreed date, or declines."""
    if visit.status != VisitStatus.REQUESTED:
        raise CpdConflict("This visit is not waiting for an answer.")
    if accept and on is None:
        raise CpdError("Enter the date you agreed.")
    visit.status = VisitStatus.ACCEPTED if accept else VisitStatus.DECLINED
    visit.date = on if accept else None
    visit.save(update_fields=["status", "date", "updated_at"])
    audit(f"cpd.visit.{visit.status}", hub=visit.network.hub, actor=by, obj=visit)
    return visit


@transaction.atomic
def visit_reflect(*, visit: PeerVisit, member: NetworkMember, text: str) -> PeerVisit:
    if visit.status != VisitStatus.ACCEPTED or visit.date is None:
        raise CpdConflict("Reflections are for agreed visits.")
    if visit.date > timezone.localdate():
        raise CpdError("You can write your reflection after the visit.")
    field = "host_reflection" if member.pk == visit.host_id else "visitor_reflection"
    if member.pk not in (visit.host_id, visit.visitor_id):
        raise CpdError("Only the host and the visitor write reflections.")
    setattr(visit, field, text.strip()[:2000])
    visit.save(update_fields=[field, "updated_at"])
    return visit


# Needs surveys


@transaction.atomic
def survey_create(
    *,
    network: Network,
    title: str,
    intro: str,
    questions: list[tuple[str, str, list[str]]],
    by: Any,
) -> Survey:
    """A survey of (kind, text, choices) questions; choices are for choose-one and several."""
    if not title.strip():
        raise CpdError("Give the survey a title.")
    if not questions:
        raise CpdError("Add at least one question.")
    survey = Survey.objects.create(network=network, title=title.strip()[:200], intro=intro[:500])
    rows = []
    for position, (kind, text, choices) in enumerate(questions):
        if kind not in QuestionKind.values:
            raise CpdError("Each question is choose one, choose several, a scale or text.")
        choices = [c.strip()[:100] for c in choices if c.strip()]
        if kind in (QuestionKind.ONE, QuestionKind.SEVERAL) and len(choices) < 2:
            raise CpdError(f"Give at least two choices for “{text}”.")
        if not text.strip():
            raise CpdError("Write the text of each question.")
        rows.append(
            Question(
                survey=survey,
                position=position,
                kind=kind,
                text=text.strip()[:300],
                choices=choices if kind in (QuestionKind.ONE, QuestionKind.SEVERAL) else [],
            )
        )
    Question.objects.bulk_create(rows)
    audit("cpd.survey.created", hub=network.hub, actor=by, obj=survey)
    return survey


def survey_set_open(*, survey: Survey, is_open: bool, by: Any) -> None:
    if survey.is_open != is_open:
        survey.is_open = is_open
        survey.save(update_fields=["is_open", "updated_at"])
        audit("cpd.survey.opened" if is_open else "cpd.survey.closed", actor=by, obj=survey)


def _clean_answer(question: Question, value: Any) -> Any:
    if value in (None, "", []):
        return None
    if question.kind == QuestionKind.ONE:
        if value not in question.choices:
            raise CpdError(f"Choose one of the answers given for “{question.text}”.")
        return value
    if question.kind == QuestionKind.SEVERAL:
        values = value if isinstance(value, list) else [value]
        if any(v not in question.choices for v in values):
            raise CpdError(f"Choose only the answers given for “{question.text}”.")
        return values
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            raise CpdError(f"Choose 1 to 5 for “{question.text}”.")
        return number
    return str(value).strip()[:1000]


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: Mapping[str, Any],
    member: NetworkMember | None = None,
    school: Organisation | None = None,
) -> SurveyResponse:
    """One person's answers; an answer outside a question's choices stores nothing."""
    if not survey.is_open:
        raise CpdConflict("This survey is closed.")
    if member is not None and SurveyResponse.objects.filter(survey=survey, member=member).exists():
        raise CpdConflict("You have answered this survey already. Thank you.")
    network = survey.network
    if school is not None:
        if school.kind != OrganisationKind.SCHOOL:
            raise CpdError("Choose a school.")
        _hub_school(network_hub(network), school)
    cleaned = {}
    for question in survey.questions.all():
        answer = _clean_answer(question, answers.get(str(question.pk)))
        if answer is not None:
            cleaned[str(question.pk)] = answer
    if not cleaned:
        raise CpdError("Answer at least one question.")
    response = SurveyResponse.objects.create(
        survey=survey,
        member=member,
        school=school or (member.school if member else None),
        answers=cleaned,
    )
    audit("cpd.survey.answered", hub=network.hub, obj=response)
    return response


def money(value: Decimal) -> str:
    return f"£{value:,.2f}"


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: Any) -> int:
    """Erase a person from the hub's CPD networks. Each place keeps its row, as a former
    member's with no name, address, account or message, so the peer visits of the other
    member, the supply-cover claims (a record of payment) and the counts stay; their posts stay,
    signed "a former member"; their survey answers stay with no name; their reflections on
    visits go. Returns how many places changed."""
    ids = list(person_places(hub=hub, email=email).values_list("pk", flat=True))
    if not ids:
        return 0
    Thread.objects.filter(author__in=ids).update(author=None)
    Reply.objects.filter(author__in=ids).update(author=None)
    Resource.objects.filter(added_by__in=ids).update(added_by=None)
    SurveyResponse.objects.filter(member__in=ids).update(member=None)
    DaySession.objects.filter(presenter_member__in=ids).update(presenter_member=None)
    PeerVisit.objects.filter(host__in=ids).update(host_reflection="")
    PeerVisit.objects.filter(visitor__in=ids).update(visitor_reflection="")
    for place in NetworkMember.objects.filter(pk__in=ids):
        place.email = f"member-{place.pk}@anonymised.invalid"
        place.name = ""
        place.user = None
        place.message = ""
        place.notify_posts = False
        if place.status != MemberStatus.REFUSED:
            place.status = MemberStatus.LEFT
        place.save(update_fields=["email", "name", "user", "message", "notify_posts", "status"])
    audit("cpd.person.erased", hub=hub, actor=by, places=len(ids))
    return len(ids)
