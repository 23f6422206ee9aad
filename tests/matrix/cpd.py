"""The CPD networks' pages (tutti/cpd). In the test world, ``plain`` is a member (a teacher at
Devizes Primary, no role in the hub) of Wiltshire's primary network and ``coordinator`` is its
facilitator; hub staff and admins run the networks but are not members of the space."""

from urllib.parse import urlparse

from django.core.files.base import ContentFile

from tests.matrix_roles import PUBLIC, ROLES, STAFF_ONLY
from tutti.cpd.certificates import certificate_code
from tutti.cpd.models import PeerVisit, Question, Reply, Resource, SupplyClaim, Survey, VisitStatus
from tutti.cpd.tests.factories import cpd_world
from tutti.cpd.views.surveys import school_link

BASE = "/wiltshire/networks/primary-music/"

# Members of the network's space: the teacher and the facilitator; anyone else 404.
MEMBERS = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "plain": 200, "coordinator": 200}
# Facilitators and hub staff; a plain member 403.
FACILITATORS = MEMBERS | {"plain": 403, "staff": 200, "admin": 200}
# Members, facilitators and hub staff.
MEMBERS_OR_STAFF = MEMBERS | {"staff": 200, "admin": 200}


def _redirect(expected: dict[str, int]) -> dict[str, int]:
    """A POST-only action: a GET goes back, for those allowed."""
    return {role: 302 if status == 200 else status for role, status in expected.items()}


def _resource(w) -> Resource:
    c = cpd_world(w)
    resource = Resource.objects.filter(network=c.network).first()
    if resource is None:
        resource = Resource(
            network=c.network, title="Warm-ups", description="Five warm-ups", added_by=c.member
        )
        resource.file.save("warm-ups.txt", ContentFile(b"Hum, then sing."), save=False)
        resource.save()
    return resource


def _reply(w) -> Reply:
    c = cpd_world(w)
    return c.thread.replies.first() or Reply.objects.create(
        thread=c.thread, body="Hey Mr Miller!", author=c.facilitator
    )


def _survey(w) -> Survey:
    c = cpd_world(w)
    survey = Survey.objects.filter(network=c.network).first()
    if survey is None:
        survey = Survey.objects.create(network=c.network, title="What do you need?", is_open=True)
        Question.objects.create(survey=survey, kind="scale", text="How confident are you?")
    return survey


def _visit(w) -> PeerVisit:
    c = cpd_world(w)
    return PeerVisit.objects.filter(network=c.network).first() or PeerVisit.objects.create(
        network=c.network, host=c.facilitator, focus="Singing in Year 2", status=VisitStatus.OFFERED
    )


def _claim(w) -> SupplyClaim:
    c = cpd_world(w)
    return SupplyClaim.objects.filter(day=c.past_day).first() or SupplyClaim.objects.create(
        day=c.past_day, member=c.member, school=w.school, amount=110
    )


def _code(w) -> str:
    c = cpd_world(w)
    return certificate_code(member=c.member, day_id=c.past_day.pk, year=c.past_day.year)


def _school_survey(w) -> str:
    return urlparse(school_link(_survey(w))).path


# Pages a token in the link opens: anyone holding it may see them; no cache may keep them.
SIGNED_LINKS = {"cpd:verify", "cpd:survey-school"}

MATRIX = {
    "cpd:list": (lambda w: "/wiltshire/networks/", PUBLIC),
    # A certificate's verification address is for anyone who is shown the certificate.
    "cpd:verify": (lambda w: f"/wiltshire/networks/certificates/{_code(w)}/", PUBLIC),
    # The signed link stands in for signing in: schools have no accounts.
    "cpd:survey-school": (_school_survey, PUBLIC),
    "cpd:detail": (lambda w: (cpd_world(w), BASE)[1], PUBLIC),
    # Anyone signed in may ask to join; a member is sent back to the network's page.
    "cpd:join": (
        lambda w: (cpd_world(w), f"{BASE}join/")[1],
        dict.fromkeys(ROLES, 200) | {"anonymous": 302, "plain": 302, "coordinator": 302},
    ),
    # Accepting takes a POST; a GET goes back to the network's page.
    "cpd:accept": (lambda w: (cpd_world(w), f"{BASE}accept/")[1], dict.fromkeys(ROLES, 302)),
    "cpd:members": (lambda w: (cpd_world(w), f"{BASE}members/")[1], FACILITATORS),
    "cpd:member-action": (
        lambda w: f"{BASE}members/{cpd_world(w).member.pk}/",
        _redirect(FACILITATORS),
    ),
    "cpd:space": (lambda w: (cpd_world(w), f"{BASE}space/")[1], MEMBERS),
    "cpd:thread-new": (lambda w: (cpd_world(w), f"{BASE}space/new/")[1], MEMBERS),
    "cpd:thread": (lambda w: f"{BASE}space/{cpd_world(w).thread.pk}/", MEMBERS),
    "cpd:thread-moderate": (
        lambda w: f"{BASE}space/{cpd_world(w).thread.pk}/moderate/",
        _redirect(MEMBERS),
    ),
    "cpd:reply-moderate": (
        lambda w: f"{BASE}space/replies/{_reply(w).pk}/moderate/",
        _redirect(MEMBERS),
    ),
    "cpd:resources": (lambda w: (cpd_world(w), f"{BASE}resources/")[1], MEMBERS),
    "cpd:resource-new": (lambda w: (cpd_world(w), f"{BASE}resources/new/")[1], MEMBERS),
    "cpd:resource-file": (lambda w: f"{BASE}resources/{_resource(w).pk}/file/", MEMBERS),
    "cpd:resource-moderate": (
        lambda w: f"{BASE}resources/{_resource(w).pk}/moderate/",
        _redirect(MEMBERS),
    ),
    "cpd:my-settings": (lambda w: (cpd_world(w), f"{BASE}my-settings/")[1], MEMBERS),
    "cpd:day-new": (lambda w: (cpd_world(w), f"{BASE}days/new/")[1], FACILITATORS),
    "cpd:day": (lambda w: f"{BASE}days/{cpd_world(w).next_day.pk}/", MEMBERS_OR_STAFF),
    "cpd:day-book": (
        lambda w: f"{BASE}days/{cpd_world(w).next_day.pk}/book/",
        _redirect(MEMBERS),
    ),
    "cpd:day-programme": (
        lambda w: f"{BASE}days/{cpd_world(w).next_day.pk}/programme/",
        FACILITATORS,
    ),
    "cpd:day-attendance": (
        lambda w: f"{BASE}days/{cpd_world(w).past_day.pk}/attendance/",
        FACILITATORS,
    ),
    "cpd:claims": (lambda w: (cpd_world(w), f"{BASE}claims/")[1], MEMBERS),
    "cpd:claim-new": (lambda w: f"{BASE}claims/days/{cpd_world(w).past_day.pk}/", MEMBERS),
    "cpd:my-record": (lambda w: (cpd_world(w), f"{BASE}my-record/")[1], MEMBERS),
    # Only the teacher attended the day, so the facilitator has no certificate for it.
    "cpd:certificate-day": (
        lambda w: f"{BASE}certificates/day-{cpd_world(w).past_day.pk}.pdf",
        MEMBERS | {"coordinator": 404},
    ),
    "cpd:certificate-year": (
        lambda w: (cpd_world(w), f"{BASE}certificates/2025.pdf")[1],
        MEMBERS | {"coordinator": 404},
    ),
    "cpd:visits": (lambda w: (cpd_world(w), f"{BASE}visits/")[1], MEMBERS),
    "cpd:visit": (lambda w: f"{BASE}visits/{_visit(w).pk}/", MEMBERS),
    "cpd:surveys": (lambda w: (cpd_world(w), f"{BASE}surveys/")[1], MEMBERS_OR_STAFF),
    "cpd:survey-new": (lambda w: (cpd_world(w), f"{BASE}surveys/new/")[1], FACILITATORS),
    "cpd:survey": (lambda w: f"{BASE}surveys/{_survey(w).pk}/", FACILITATORS),
    "cpd:survey-answer": (lambda w: f"{BASE}surveys/{_survey(w).pk}/answer/", MEMBERS),
    "cpd:planning": (lambda w: (cpd_world(w), f"{BASE}planning/")[1], FACILITATORS),
    "cpd-manage:list": (lambda w: "/wiltshire/manage/networks/", STAFF_ONLY),
    "cpd-manage:new": (lambda w: "/wiltshire/manage/networks/new/", STAFF_ONLY),
    "cpd-manage:edit": (
        lambda w: (cpd_world(w), "/wiltshire/manage/networks/primary-music/edit/")[1],
        STAFF_ONLY,
    ),
    "cpd-manage:claims": (lambda w: "/wiltshire/manage/networks/claims/", STAFF_ONLY),
    "cpd-manage:claim-decide": (
        lambda w: f"/wiltshire/manage/networks/claims/{_claim(w).pk}/",
        STAFF_ONLY,
    ),
    "cpd-manage:claims-csv": (lambda w: "/wiltshire/manage/networks/claims.csv", STAFF_ONLY),
    "cpd-manage:claims-xlsx": (lambda w: "/wiltshire/manage/networks/claims.xlsx", STAFF_ONLY),
}
