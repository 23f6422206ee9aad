"""Who may open each page: every URL pattern of ours must be listed here, or the suite fails.

Roles: anonymous; plain (signed in, no role in any hub); partner (partner staff of
Wiltshire Music Centre); coordinator (of Devizes area only); staff; admin; outsider (staff of
the other hub). Expected GET status per role, for Wiltshire's pages.
"""

import importlib
import pkgutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.matrix_roles import (
    ANY_MEMBER,
    NOTHING_YET,
    PUBLIC,
    ROLES,
    SIGN_IN_PAGE,
    SIGN_OUT_PAGE,
    SIGNED_IN,
    STAFF_ONLY,
    only,
)
from tutti.accounts.models import Invitation, Membership, Role
from tutti.accounts.services import token_hash
from tutti.events.models import Booking, CalendarFeed, Event
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.events.tokens import booking_token
from tutti.participation.models import Submission, WcetProgramme
from tutti.participation.tests.factories import SubmissionFactory, WcetFactory
from tutti.participation.tokens import return_link_path
from tutti.provision.tests.factories import audit_path, network_for


def _event(w) -> Event:
    """A published event of the coordinator's cluster, organised by the partner's organisation,
    so both may manage it."""
    event = Event.objects.filter(hub=w.hub, title="Devizes cluster meeting").first()
    return event or EventFactory(
        hub=w.hub, title="Devizes cluster meeting", cluster=w.cluster, organiser=w.partner
    )


def _booking(w) -> Booking:
    event = _event(w)
    return event.bookings.first() or BookingFactory(event=event)


def _submission(w) -> Submission:
    """The partner's return for a data collection of last year."""
    return Submission.objects.filter(partner=w.partner).first() or SubmissionFactory(
        collection__hub=w.hub, partner=w.partner
    )


def _record(w) -> WcetProgramme:
    """A record of the partner's organisation entered by hub staff, so both may change it."""
    return WcetProgramme.objects.filter(hub=w.hub).first() or WcetFactory(
        hub=w.hub, partner=w.partner, school=w.school
    )


def _return_link(w) -> str:
    """The partner's return through its signed link."""
    return return_link_path(hub=w.hub, submission_id=_submission(w).pk)


def _linked_record(w) -> WcetProgramme:
    """A record in the partner's return, which its link may change."""
    submission = _submission(w)
    return WcetProgramme.objects.filter(submission=submission).first() or WcetFactory(
        hub=w.hub,
        partner=w.partner,
        school=w.school,
        year=submission.collection.year,
        submission=submission,
    )


INVITATION_TOKEN = "a-test-invitation-token"


def _invitation_path(w) -> str:
    """A pending invitation for someone new, whose link shows the form to accept."""
    if not Invitation.objects.filter(token_hash=token_hash(INVITATION_TOKEN)).exists():
        now = timezone.now()
        Invitation.objects.create(
            hub=w.hub,
            email="invited@example.org",
            role=Role.HUB_STAFF,
            token_hash=token_hash(INVITATION_TOKEN),
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
    return f"/accounts/invitations/{INVITATION_TOKEN}/"


def _pending_invitation(w) -> Invitation:
    _invitation_path(w)
    return Invitation.objects.get(token_hash=token_hash(INVITATION_TOKEN))


def _partner_membership(w) -> Membership:
    return Membership.objects.get(hub=w.hub, user=w.users["partner"])


def _calendar_token(w) -> str:
    return CalendarFeed.objects.get_or_create(user=w.users["plain"])[0].token


# url name -> (path built from the world fixture, expected status by role)
MATRIX = {
    "core:home": (lambda w: "/", PUBLIC),
    "core:healthz": (lambda w: "/healthz", PUBLIC),
    # Someone signed in already goes on to their hubs.
    "accounts:login": (lambda w: "/accounts/login/", SIGN_IN_PAGE),
    # A GET asks to confirm; someone not signed in goes home.
    "accounts:logout": (lambda w: "/accounts/logout/", SIGN_OUT_PAGE),
    "accounts:account": (lambda w: "/accounts/", SIGNED_IN),
    "accounts:two-factor-required": (lambda w: "/accounts/two-factor-required/", SIGNED_IN),
    # django-allauth's pages (tutti/accounts/allauth_urls.py), under its own URL names.
    "account_login": (lambda w: "/accounts/login/", SIGN_IN_PAGE),
    "account_logout": (lambda w: "/accounts/logout/", SIGN_OUT_PAGE),
    "account_inactive": (lambda w: "/accounts/inactive/", PUBLIC),
    # Sign-up is closed: the page says accounts are by invitation.
    "account_signup": (lambda w: "/accounts/signup/", SIGN_IN_PAGE),
    "account_reset_password": (lambda w: "/accounts/password/reset/", PUBLIC),
    "account_reset_password_done": (lambda w: "/accounts/password/reset/done/", PUBLIC),
    # A link that does not work says so, for everyone.
    "account_reset_password_from_key": (
        lambda w: "/accounts/password/reset/key/1-no-such-key/",
        PUBLIC,
    ),
    "account_reset_password_from_key_done": (
        lambda w: "/accounts/password/reset/key/done/",
        PUBLIC,
    ),
    "account_confirm_email": (lambda w: "/accounts/confirm-email/no-such-key/", PUBLIC),
    "account_email_verification_sent": (lambda w: "/accounts/confirm-email/", PUBLIC),
    # Signing in by emailed code is off; part-way through signing in is a stage, not a page.
    "account_confirm_login_code": (
        lambda w: "/accounts/login/code/confirm/",
        dict.fromkeys(ROLES, 302),
    ),
    "mfa_authenticate": (lambda w: "/accounts/2fa/authenticate/", dict.fromkeys(ROLES, 302)),
    "account_reauthenticate": (lambda w: "/accounts/reauthenticate/", SIGNED_IN),
    # Codes by email are off, so these go back to the password.
    "account_request_reauthentication_code": (
        lambda w: "/accounts/reauthenticate/code/",
        dict.fromkeys(ROLES, 302),
    ),
    "account_confirm_reauthentication_code": (
        lambda w: "/accounts/reauthenticate/code/confirm/",
        dict.fromkeys(ROLES, 302),
    ),
    "account_email": (lambda w: "/accounts/email/", SIGNED_IN),
    "account_change_password": (lambda w: "/accounts/password/change/", SIGNED_IN),
    # Everyone here has a password already, so they are sent to change it.
    "account_set_password": (lambda w: "/accounts/password/set/", dict.fromkeys(ROLES, 302)),
    "mfa_index": (lambda w: "/accounts/2fa/", SIGNED_IN),
    # Without two-factor on there is no code to confirm with: back to the password.
    "mfa_reauthenticate": (lambda w: "/accounts/2fa/reauthenticate/", dict.fromkeys(ROLES, 302)),
    # Changing how one signs in asks for the password first.
    "mfa_activate_totp": (lambda w: "/accounts/2fa/totp/activate/", dict.fromkeys(ROLES, 302)),
    "mfa_generate_recovery_codes": (
        lambda w: "/accounts/2fa/recovery-codes/generate/",
        dict.fromkeys(ROLES, 302),
    ),
    # Nobody here has two-factor on, so there is nothing to turn off or see.
    "mfa_deactivate_totp": (lambda w: "/accounts/2fa/totp/deactivate/", NOTHING_YET),
    "mfa_view_recovery_codes": (lambda w: "/accounts/2fa/recovery-codes/", NOTHING_YET),
    "mfa_download_recovery_codes": (
        lambda w: "/accounts/2fa/recovery-codes/download/",
        NOTHING_YET,
    ),
    "usersessions_list": (lambda w: "/accounts/sessions/", SIGNED_IN),
    "accounts:my-hubs": (
        lambda w: "/accounts/me/",
        # One role in one hub: straight to that hub's manage page.
        dict.fromkeys(ROLES, 302) | {"plain": 200},
    ),
    # The link stands in for signing in: the invited person has no account yet.
    "accounts:invitation": (_invitation_path, PUBLIC),
    "directory:hub-home": (lambda w: "/wiltshire/", PUBLIC),
    "directory:search": (lambda w: "/wiltshire/directory/?q=Devizes", PUBLIC),
    "directory:organisation": (lambda w: f"/wiltshire/directory/{w.school.pk}/", PUBLIC),
    "clusters:list": (lambda w: "/wiltshire/clusters/", PUBLIC),
    "clusters:detail": (lambda w: "/wiltshire/clusters/devizes-area/", PUBLIC),
    "events:list": (lambda w: "/wiltshire/whats-on/", PUBLIC),
    "events:feed": (lambda w: "/wiltshire/whats-on/feed.ics", PUBLIC),
    "events:detail": (lambda w: f"/wiltshire/whats-on/{_event(w).pk}/", PUBLIC),
    "events:event-ics": (lambda w: f"/wiltshire/whats-on/{_event(w).pk}/event.ics", PUBLIC),
    "events:booking": (
        lambda w: f"/wiltshire/whats-on/bookings/{booking_token(_booking(w))}/",
        PUBLIC,
    ),
    "events:booking-cancel": (
        lambda w: f"/wiltshire/whats-on/bookings/{booking_token(_booking(w))}/cancel/",
        PUBLIC,
    ),
    # Anyone signed in has bookings of their own, with or without a role in the hub.
    "events:my-bookings": (
        lambda w: "/wiltshire/whats-on/my-bookings/",
        dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    ),
    # Making or resetting the address takes a POST; a GET goes back to the bookings page.
    "events:my-feed-reset": (
        lambda w: "/wiltshire/whats-on/my-bookings/calendar/",
        dict.fromkeys(ROLES, 302),
    ),
    # The secret token stands in for signing in.
    "events:my-feed": (
        lambda w: f"/wiltshire/whats-on/my-bookings/{_calendar_token(w)}.ics",
        PUBLIC,
    ),
    "provision:gap-map": (lambda w: "/wiltshire/provision/", PUBLIC),
    # The signed link stands in for signing in: schools have no accounts.
    "provision:audit": (lambda w: audit_path(w.hub, w.school), PUBLIC),
    "provision-manage:list": (lambda w: "/wiltshire/manage/provision/", STAFF_ONLY),
    # Reminding takes a POST; a GET goes back to the provision page.
    "provision-manage:remind": (
        lambda w: "/wiltshire/manage/provision/remind/",
        STAFF_ONLY | {"staff": 302, "admin": 302},
    ),
    # A new link takes a POST; a GET goes back to the provision page.
    "provision-manage:link-replace": (
        lambda w: f"/wiltshire/manage/provision/schools/{w.school.pk}/new-link/",
        STAFF_ONLY | {"staff": 302, "admin": 302},
    ),
    "provision-manage:report": (
        lambda w: "/wiltshire/manage/provision/report.pdf",
        STAFF_ONLY,
    ),
    # A network's page: hub admins and staff of a member hub (Wiltshire here); other roles
    # in a member hub get 403, and everyone else 404, as for another hub's pages.
    "networks:detail": (lambda w: f"/networks/{network_for(w.hub).slug}/", STAFF_ONLY),
    "directory-manage:home": (lambda w: "/wiltshire/manage/", ANY_MEMBER),
    # The team and the hub's settings: hub admins only.
    "team-manage:list": (lambda w: "/wiltshire/manage/team/", only({"admin"})),
    "team-manage:invite": (lambda w: "/wiltshire/manage/team/invite/", only({"admin"})),
    "team-manage:member-edit": (
        lambda w: f"/wiltshire/manage/team/{_partner_membership(w).pk}/",
        only({"admin"}),
    ),
    "team-manage:member-remove": (
        lambda w: f"/wiltshire/manage/team/{_partner_membership(w).pk}/remove/",
        only({"admin"}),
    ),
    # Resending and withdrawing take a POST; a GET goes back to the team page.
    "team-manage:invitation-resend": (
        lambda w: f"/wiltshire/manage/team/invitations/{_pending_invitation(w).pk}/resend/",
        only({"admin"}, ok=302),
    ),
    "team-manage:invitation-withdraw": (
        lambda w: f"/wiltshire/manage/team/invitations/{_pending_invitation(w).pk}/withdraw/",
        only({"admin"}, ok=302),
    ),
    "settings-manage:edit": (lambda w: "/wiltshire/manage/settings/", only({"admin"})),
    # Public, like the hub's pages; the fixture's hub has no logo.
    "settings-manage:logo": (
        lambda w: "/wiltshire/manage/settings/logo/",
        dict.fromkeys(ROLES, 404),
    ),
    "directory-manage:commitments": (lambda w: "/wiltshire/manage/commitments/", ANY_MEMBER),
    "directory-manage:directory": (lambda w: "/wiltshire/manage/directory/", STAFF_ONLY),
    "directory-manage:organisation-create": (
        lambda w: "/wiltshire/manage/directory/new/",
        STAFF_ONLY,
    ),
    "directory-manage:organisation-edit": (
        lambda w: f"/wiltshire/manage/directory/{w.partner.pk}/edit/",
        only({"partner", "staff", "admin"}),
    ),
    "directory-manage:register-import": (
        lambda w: "/wiltshire/manage/directory/import/",
        STAFF_ONLY,
    ),
    "clusters-manage:list": (
        lambda w: "/wiltshire/manage/clusters/",
        only({"coordinator", "staff", "admin"}),
    ),
    "clusters-manage:create": (lambda w: "/wiltshire/manage/clusters/new/", STAFF_ONLY),
    "clusters-manage:assign": (lambda w: "/wiltshire/manage/clusters/assign/", STAFF_ONLY),
    "clusters-manage:members": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/",
        only({"coordinator", "staff", "admin"}),
    ),
    "clusters-manage:edit": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/edit/",
        only({"coordinator", "staff", "admin"}),
    ),
    "clusters-manage:coordinator": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/coordinator/",
        STAFF_ONLY,
    ),
    # Adding and removing take a POST; a GET goes back to the members page.
    "clusters-manage:member-add": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/members/add/",
        only({"coordinator", "staff", "admin"}, ok=302),
    ),
    "clusters-manage:member-remove": (
        lambda w: f"/wiltshire/manage/clusters/{w.cluster.pk}/members/remove/",
        only({"coordinator", "staff", "admin"}, ok=302),
    ),
    # Coordinators and partner staff manage their own cluster's and organisation's events.
    "events-manage:list": (lambda w: "/wiltshire/manage/events/", ANY_MEMBER),
    "events-manage:create": (lambda w: "/wiltshire/manage/events/new/", ANY_MEMBER),
    # Coordinators and partner staff see the attendance of their own events only.
    "events-manage:cpd": (
        lambda w: "/wiltshire/manage/events/cpd/?email=ann@example.org",
        ANY_MEMBER,
    ),
    "events-manage:detail": (lambda w: f"/wiltshire/manage/events/{_event(w).pk}/", ANY_MEMBER),
    "events-manage:edit": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/edit/",
        ANY_MEMBER,
    ),
    "events-manage:cancel": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/cancel/",
        ANY_MEMBER,
    ),
    "events-manage:booking-cancel": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/bookings/{_booking(w).pk}/cancel/",
        ANY_MEMBER,
    ),
    "events-manage:attendance": (
        lambda w: (
            f"/wiltshire/manage/events/{_event(w).pk}/attendance/{_event(w).sessions.first().pk}/"
        ),
        ANY_MEMBER,
    ),
    "events-manage:attendees-csv": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/attendees.csv",
        ANY_MEMBER,
    ),
    "events-manage:attendees-xlsx": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/attendees.xlsx",
        ANY_MEMBER,
    ),
    # These take a POST; a GET goes back to the event's page.
    "events-manage:publish": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/publish/",
        ANY_MEMBER | {role: 302 for role, status in ANY_MEMBER.items() if status == 200},
    ),
    "events-manage:duplicate": (
        lambda w: f"/wiltshire/manage/events/{_event(w).pk}/duplicate/",
        ANY_MEMBER | {role: 302 for role, status in ANY_MEMBER.items() if status == 200},
    ),
    "participation:impact": (lambda w: "/wiltshire/impact/", PUBLIC),
    # The signed link stands in for signing in: partners' staff need no account.
    "participation:return-link": (lambda w: _return_link(w), PUBLIC),
    "participation:return-link-add": (lambda w: f"{_return_link(w)}add/wcet/", PUBLIC),
    # A GET shows what will be sent and asks to confirm; sending takes a POST.
    "participation:return-link-submit": (lambda w: f"{_return_link(w)}submit/", PUBLIC),
    "participation:return-link-template": (
        lambda w: f"{_return_link(w)}template.xlsx",
        PUBLIC,
    ),
    "participation:return-link-edit": (
        lambda w: f"{_return_link(w)}records/wcet/{_linked_record(w).pk}/edit/",
        PUBLIC,
    ),
    "participation:return-link-delete": (
        lambda w: f"{_return_link(w)}records/wcet/{_linked_record(w).pk}/delete/",
        PUBLIC,
    ),
    # Partner staff enter their own organisations' records; every record is for hub staff.
    "participation-manage:home": (
        lambda w: "/wiltshire/manage/participation/",
        only({"partner", "staff", "admin"}),
    ),
    "participation-manage:record-create": (
        lambda w: "/wiltshire/manage/participation/new/wcet/",
        only({"partner", "staff", "admin"}),
    ),
    # Partner staff change their own organisation's records until their return is sent.
    "participation-manage:record-edit": (
        lambda w: f"/wiltshire/manage/participation/records/wcet/{_record(w).pk}/edit/",
        only({"partner", "staff", "admin"}),
    ),
    "participation-manage:record-delete": (
        lambda w: f"/wiltshire/manage/participation/records/wcet/{_record(w).pk}/delete/",
        only({"partner", "staff", "admin"}),
    ),
    "participation-manage:figure-records": (
        lambda w: "/wiltshire/manage/participation/figures/schools-engaged/",
        STAFF_ONLY,
    ),
    "participation-manage:publish": (
        lambda w: "/wiltshire/manage/participation/publish/",
        STAFF_ONLY,
    ),
    "participation-manage:return-xlsx": (
        lambda w: "/wiltshire/manage/participation/return.xlsx",
        STAFF_ONLY,
    ),
    "participation-manage:return-csv": (
        lambda w: "/wiltshire/manage/participation/return.csv",
        STAFF_ONLY,
    ),
    "participation-manage:collections": (
        lambda w: "/wiltshire/manage/participation/collections/",
        STAFF_ONLY,
    ),
    "participation-manage:collection": (
        lambda w: f"/wiltshire/manage/participation/collections/{_submission(w).collection_id}/",
        STAFF_ONLY,
    ),
    # Reminding takes a POST; a GET goes back to the collection's page.
    "participation-manage:collection-remind": (
        lambda w: (
            f"/wiltshire/manage/participation/collections/{_submission(w).collection_id}/remind/"
        ),
        STAFF_ONLY | {"staff": 302, "admin": 302},
    ),
    # Partner staff send their own organisation's return.
    "participation-manage:submission": (
        lambda w: f"/wiltshire/manage/participation/returns/{_submission(w).pk}/",
        only({"partner", "staff", "admin"}),
    ),
    # A new link takes a POST; a GET goes back to the collection's page.
    "participation-manage:submission-link": (
        lambda w: f"/wiltshire/manage/participation/returns/{_submission(w).pk}/new-link/",
        STAFF_ONLY | {"staff": 302, "admin": 302},
    ),
    "participation-manage:submission-record-create": (
        lambda w: f"/wiltshire/manage/participation/returns/{_submission(w).pk}/new/wcet/",
        only({"partner", "staff", "admin"}),
    ),
    # A GET shows what will be sent and asks to confirm; sending takes a POST.
    "participation-manage:submission-submit": (
        lambda w: f"/wiltshire/manage/participation/returns/{_submission(w).pk}/submit/",
        only({"partner", "staff", "admin"}),
    ),
    "participation-manage:submission-template": (
        lambda w: f"/wiltshire/manage/participation/returns/{_submission(w).pk}/template.xlsx",
        only({"partner", "staff", "admin"}),
    ),
    "privacy:notice": (lambda w: "/wiltshire/privacy/", PUBLIC),
    # Anyone signed in downloads their own data, with or without a role in a hub.
    "privacy:my-data": (
        lambda w: "/accounts/my-data/",
        dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    ),
    # Hub admins only: a person's data, its download and erasure, and the audit log.
    "privacy-manage:person": (
        lambda w: "/wiltshire/manage/privacy/?email=ann@example.org",
        only({"admin"}),
    ),
    # Downloading takes a POST; a GET goes back to the person page.
    "privacy-manage:download": (
        lambda w: "/wiltshire/manage/privacy/download/",
        only({"admin"}, ok=302),
    ),
    "privacy-manage:erase": (
        lambda w: "/wiltshire/manage/privacy/erase/?email=ann@example.org",
        only({"admin"}),
    ),
    "privacy-manage:audit-log": (lambda w: "/wiltshire/manage/audit-log/", only({"admin"})),
}

# Each newer app lists its own URLs in tests/matrix/<app>.py, a dict called MATRIX of the same
# shape, so that apps built side by side do not all edit this file. A part also names, in a set
# called SIGNED_LINKS, its pages that anyone holding a link's token may open: public to the
# matrix, private to every cache (tutti/core/tests/test_security_headers.py).
PART_SIGNED_LINKS: set[str] = set()
for _part in sorted(pkgutil.iter_modules([str(Path(__file__).parent / "matrix")])):
    _module = importlib.import_module(f"tests.matrix.{_part.name}")
    assert not _module.MATRIX.keys() & MATRIX.keys(), f"tests/matrix/{_part.name}.py repeats a URL"
    MATRIX.update(_module.MATRIX)
    PART_SIGNED_LINKS.update(getattr(_module, "SIGNED_LINKS", set()))


# Signing out when signed out already goes home, not to the sign-in page.
SIGNED_OUT_ALREADY = {"accounts:logout", "account_logout"}


def our_url_patterns():
    """(name, view) of every named URL of ours: Django admin and the JSON API have their own
    access rules and tests."""

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name in {"admin", "api"} or p.namespace in {"admin", "api"}:
                    continue
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield (f"{namespace}:{p.name}" if namespace else p.name), p.callback

    return list(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    names = {name for name, _ in our_url_patterns()}
    assert names - MATRIX.keys() == set(), "Add these URLs to the access matrix"
    assert MATRIX.keys() - names == set(), "These matrix entries have no URL any more"


def test_every_view_declares_who_may_use_it():
    undeclared = [name for name, view in our_url_patterns() if not hasattr(view, "access")]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client_for, world, name, role):
    build, expected = MATRIX[name]
    response = client_for(role).get(build(world))
    assert response.status_code == expected[role], (name, role)
    if expected[role] == 302 and role == "anonymous" and name not in SIGNED_OUT_ALREADY:
        assert response["Location"].startswith("/accounts/login/") or name.endswith(
            ("member-add", "member-remove", "return-link-submit")
        )


@pytest.mark.parametrize(
    "path",
    [
        "/wiltshire/manage/clusters/{other_hub_cluster}/",
        "/wiltshire/manage/clusters/{other_hub_cluster}/edit/",
        "/wiltshire/manage/clusters/{other_hub_cluster}/coordinator/",
        "/wiltshire/manage/directory/{other_school}/edit/",
        "/wiltshire/directory/{other_school}/",
        "/wiltshire/clusters/fenland/",
        "/cambridgeshire/manage/",
        "/cambridgeshire/manage/clusters/{other_hub_cluster}/",
        "/no-such-hub/",
    ],
)
def test_another_hubs_objects_are_not_found(client_for, world, path):
    """Wiltshire staff reach Cambridgeshire's objects neither through Wiltshire's URLs nor
    through Cambridgeshire's."""
    url = path.format(
        other_hub_cluster=world.other_hub_cluster.pk, other_school=world.other_school.pk
    )
    assert client_for("staff").get(url).status_code == 404


def test_cambridgeshire_staff_get_404_for_wiltshire_staff_pages(client_for, world):
    client = client_for("outsider")
    for name, (build, _) in MATRIX.items():
        if "-manage:" in name:
            assert client.get(build(world)).status_code == 404, name


def test_coordinator_cannot_edit_a_cluster_they_do_not_coordinate(client_for, world):
    client = client_for("coordinator")
    url = f"/wiltshire/manage/clusters/{world.other_cluster.pk}/edit/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Renamed", "area": "", "description": ""})
    assert response.status_code == 403
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.name == "Chippenham"


def test_partner_staff_cannot_edit_another_organisation(client_for, world):
    client = client_for("partner")
    url = f"/wiltshire/manage/directory/{world.school.pk}/edit/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "school", "name": "Hacked"}).status_code == 403
    world.school.refresh_from_db()
    assert world.school.name == "Devizes Primary School"
