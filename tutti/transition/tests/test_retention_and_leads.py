"""Passports are deleted at the end of the autumn term of Year 7 (or of Year 7 when the family
asked); school music leads are invited by email and see only their own school."""

import datetime as dt
import re

from django.utils import timezone

from tutti.accounts.models import Membership, Role
from tutti.accounts.services import invitation_accept
from tutti.privacy.retention import RETENTION_RULES, retention_apply
from tutti.transition.models import FirstContact, Passport, PassportStatus
from tutti.transition.retention import delete_expired_passports
from tutti.transition.selectors import continuation
from tutti.transition.tests.factories import PassportFactory, secondary_of, sent_passport


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(3, 15)))


def test_passports_are_deleted_after_the_autumn_term_of_year_7(world):
    passport = sent_passport(world, intake_year=2027, first_contact=FirstContact.HUB_ENSEMBLE)
    longer = sent_passport(world, intake_year=2027, keep_longer=True)
    assert delete_expired_passports(world.hub, _at(dt.date(2027, 12, 31))) == 0
    assert delete_expired_passports(world.hub, _at(dt.date(2028, 1, 1))) == 1
    passport.refresh_from_db()
    assert passport.status == PassportStatus.DELETED
    assert (passport.child_name, passport.family_email, passport.primary) == ("", "", None)
    # The anonymous row still counts towards the continuation figure.
    assert continuation(hub=world.hub)[0].carried_on == 1
    # Idempotent.
    assert delete_expired_passports(world.hub, _at(dt.date(2028, 1, 1))) == 0
    # Kept until the end of Year 7 when the family asked.
    assert delete_expired_passports(world.hub, _at(dt.date(2028, 8, 31))) == 0
    assert delete_expired_passports(world.hub, _at(dt.date(2028, 9, 1))) == 1
    longer.refresh_from_db()
    assert longer.child_name == ""


def test_unsent_and_withdrawn_passports_go_entirely(world):
    old = PassportFactory(hub=world.hub)
    Passport.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=181))
    PassportFactory(hub=world.hub)  # recent: kept
    PassportFactory(hub=world.hub, status=PassportStatus.WITHDRAWN)
    assert delete_expired_passports(world.hub, timezone.now()) == 2
    assert Passport.objects.count() == 1


def test_the_rule_is_registered_with_privacy(world):
    assert "passports" in RETENTION_RULES
    (report,) = retention_apply(now=timezone.now(), hubs=[world.hub])
    assert report.counts["passports"] == 0


def test_staff_invite_a_secondary_music_lead_by_email(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    school = secondary_of(world)
    url = f"/wiltshire/manage/transition/{school.urn}/music-lead/"
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "lead@example.org", "first_name": "Lea", "last_name": "Dear"}
        )
    assert response.status_code == 302
    (message,) = mailoutbox
    token = re.search(r"/accounts/invitations/([\w-]+)/", message.body)[1]
    from tutti.accounts.models import Invitation
    from tutti.accounts.services import token_hash
    from tutti.accounts.tests.factories import UserFactory

    invitation = Invitation.objects.get(token_hash=token_hash(token))
    assert invitation.role == Role.SCHOOL_MUSIC_LEAD
    user = UserFactory(email="lead@example.org")
    membership = invitation_accept(invitation=invitation, user=user)
    assert membership.role == Role.SCHOOL_MUSIC_LEAD
    assert list(membership.organisations.all()) == [school]
    # Twice is refused with a message, nothing stored.
    response = client.post(url, {"email": "lead@example.org"})
    assert response.status_code == 400
    assert Membership.objects.filter(role=Role.SCHOOL_MUSIC_LEAD).count() == 1


def test_a_music_lead_sees_only_their_schools_pages_and_no_other_hub_page(client, world):
    from tutti.transition.tests.factories import music_lead_of

    school = secondary_of(world)
    client.force_login(music_lead_of(world.hub, school).user)
    assert client.get(f"/wiltshire/manage/transition/{school.urn}/").status_code == 200
    assert client.get(f"/wiltshire/manage/transition/{world.school.urn}/").status_code == 404
    assert client.get(f"/wiltshire/manage/transition/{school.urn}/music-lead/").status_code == 403
    for url in (
        "/wiltshire/manage/events/",
        "/wiltshire/manage/participation/",
        f"/wiltshire/manage/directory/{school.pk}/edit/",
        "/wiltshire/manage/provision/",
    ):
        assert client.get(url).status_code == 403, url
    home = client.get("/wiltshire/manage/").content.decode()
    assert "Secondary transition" in home
    assert "Participation records" not in home and "Events</a>" not in home
