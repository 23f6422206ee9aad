"""Young musicians' passports: a family fills one in by a signed link, chooses to send it, the
secondary's music lead acknowledges it and records a first contact; the family sees where it has
got to and can withdraw it."""

import re

import pytest

from tutti.core.models import AuditLog
from tutti.core.years import current_academic_year
from tutti.directory.tests.factories import SchoolFactory
from tutti.transition.models import FirstContact, Passport, PassportStatus
from tutti.transition.tests.factories import (
    PassportFactory,
    link_of,
    music_lead_of,
    secondary_of,
    sent_passport,
)
from tutti.transition.tokens import passport_token


@pytest.fixture
def lead(world):
    return music_lead_of(world.hub, secondary_of(world)).user


def _form(world, **changes):
    data = {
        "child_name": "Ava Example",
        "primary": world.school.pk,
        "secondary": secondary_of(world).pk,
        "instruments": "Cornet",
        "level": "Grade 2",
        "years_learning": "2",
        "teacher": "Mr Example",
        "partner": world.partner.pk,
        "ensembles": "Devizes Area Junior Band",
        "loan_instrument": "Cornet from Wiltshire Music Centre",
        "next_steps": "Join the school band",
        "access_needs": "",
    }
    return data | changes


def test_a_family_asks_for_a_link_and_gets_it_by_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wiltshire/transition/passport/", {"email": "Parent@Example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    passport = Passport.objects.get()
    assert passport.family_email == "parent@example.org"
    assert passport.status == PassportStatus.DRAFT
    assert passport.intake_year == current_academic_year() + 1
    (message,) = mailoutbox
    assert message.to == ["parent@example.org"]
    path = re.search(r"http://[^/]+(/wiltshire/transition/passport/\S+/)", message.body)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]


def test_a_bad_email_address_is_refused_and_nothing_is_stored(client, world, mailoutbox):
    response = client.post("/wiltshire/transition/passport/", {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Passport.objects.exists()


def test_one_address_gets_at_most_three_links_a_day(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            response = client.post("/wiltshire/transition/passport/", {"email": "a@example.org"})
            assert response.status_code == 200
    assert Passport.objects.count() == 3
    assert len(mailoutbox) == 3


def test_the_family_fills_in_sends_and_the_music_lead_is_emailed(
    client, world, lead, mailoutbox, django_capture_on_commit_callbacks
):
    passport = PassportFactory(hub=world.hub, child_name="", instruments="")
    link = link_of(passport)
    response = client.post(link, _form(world))
    assert response.status_code == 302
    passport.refresh_from_db()
    assert passport.child_name == "Ava Example"
    assert passport.status == PassportStatus.DRAFT

    confirm = client.get(f"{link}send/")
    assert "Send to Devizes School" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{link}send/").status_code == 302
    passport.refresh_from_db()
    assert passport.status == PassportStatus.SENT
    (message,) = mailoutbox
    assert message.to == [lead.email]
    assert "Ava" not in message.body  # the email names no child
    assert f"/wiltshire/manage/transition/{secondary_of(world).urn}/passports/" in message.body

    status = client.get(link).content.decode()
    assert "Sent to Devizes School" in status
    assert "Waiting for the school" in status


def test_a_passport_without_a_music_lead_goes_to_the_hub(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    world.hub.contact_email = "hub@example.org"
    world.hub.save(update_fields=["contact_email"])
    passport = PassportFactory(hub=world.hub, primary=world.school, secondary=secondary_of(world))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{link_of(passport)}send/")
    (message,) = mailoutbox
    assert message.to == ["hub@example.org"]
    assert "has no school music lead" in message.body


def test_a_passport_cannot_be_sent_without_the_essentials(client, world):
    passport = PassportFactory(hub=world.hub, child_name="", secondary=None)
    response = client.post(f"{link_of(passport)}send/")
    assert response.status_code == 400
    assert "your child&#x27;s name" in response.content.decode()
    passport.refresh_from_db()
    assert passport.status == PassportStatus.DRAFT


@pytest.mark.parametrize("field", ["primary", "secondary"])
def test_a_school_outside_the_hub_or_of_the_wrong_phase_is_refused(client, world, field):
    passport = PassportFactory(hub=world.hub, child_name="")
    link = link_of(passport)
    wrong = {"primary": secondary_of(world).pk, "secondary": world.school.pk}[field]
    for school in (world.other_school.pk, wrong, 999999):
        response = client.post(link, _form(world, **{field: school}))
        assert response.status_code == 400
        assert "from the list" in response.content.decode()
    passport.refresh_from_db()
    assert passport.child_name == ""


def test_a_sent_passport_cannot_be_changed_or_sent_again(client, world, mailoutbox):
    passport = sent_passport(world)
    link = link_of(passport)
    response = client.post(link, _form(world, child_name="Changed"))
    assert response.status_code == 200  # the status page, not the form
    assert client.post(f"{link}send/").status_code == 302
    passport.refresh_from_db()
    assert passport.child_name != "Changed"
    assert mailoutbox == []


def test_an_altered_link_is_refused(client, world):
    passport = PassportFactory(hub=world.hub)
    link = link_of(passport)
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "has been changed" in response.content.decode()


def test_another_hubs_link_is_not_this_hubs_passport(client, world):
    passport = PassportFactory(hub=world.other_hub)
    token = passport_token(hub_id=world.other_hub.pk, passport_id=passport.pk, version=0)
    assert client.get(f"/wiltshire/transition/passport/{token}/").status_code == 410


def test_an_expired_link_is_refused(client, world, monkeypatch):
    from datetime import timedelta

    from tutti.transition import tokens

    passport = PassportFactory(hub=world.hub)
    link = link_of(passport)
    monkeypatch.setattr(tokens, "MAX_AGE", timedelta(seconds=-1))
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_the_family_withdraws_and_everything_is_deleted(client, world, lead):
    passport = sent_passport(world, access_needs="Needs a quiet room")
    link = link_of(passport)
    assert "Withdraw" in client.get(f"{link}withdraw/").content.decode()
    assert client.post(f"{link}withdraw/").status_code == 302
    passport.refresh_from_db()
    assert passport.status == PassportStatus.WITHDRAWN
    assert (passport.child_name, passport.access_needs, passport.family_email) == ("", "", "")
    assert "You withdrew this passport" in client.get(link).content.decode()
    # The school no longer sees it.
    client.force_login(lead)
    url = f"/wiltshire/manage/transition/{secondary_of(world).urn}/passports/{passport.pk}/"
    assert client.get(url).status_code == 404


def test_the_music_lead_acknowledges_and_records_a_first_contact(client, world, lead):
    passport = sent_passport(world, child_name="Ava Example")
    school = secondary_of(world)
    client.force_login(lead)
    listing = client.get(f"/wiltshire/manage/transition/{school.urn}/passports/")
    assert "Ava Example" in listing.content.decode()
    url = f"/wiltshire/manage/transition/{school.urn}/passports/{passport.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"acknowledge": "1"}).status_code == 302
    passport.refresh_from_db()
    assert passport.status == PassportStatus.ACKNOWLEDGED
    assert passport.acknowledged_by == lead

    response = client.post(url, {"contact": "1", "first_contact": "bogus"})
    assert response.status_code == 400
    response = client.post(
        url,
        {"contact": "1", "first_contact": FirstContact.SCHOOL_ENSEMBLE, "note": "Year 7 band"},
    )
    assert response.status_code == 302
    passport.refresh_from_db()
    assert passport.status == PassportStatus.CONTACTED
    assert passport.first_contact == FirstContact.SCHOOL_ENSEMBLE
    # The family sees it.
    client.logout()
    status = client.get(link_of(passport)).content.decode()
    assert "joined a school band, orchestra or choir" in status
    # Each page that showed the passport is recorded: the first look, and the refused form.
    reads = AuditLog.objects.filter(action="read.transition.passport", actor=lead)
    assert reads.count() == 2


def test_a_music_lead_gets_404_for_another_schools_passports(client, world):
    mine = SchoolFactory(name="Other Secondary", phase="Secondary", local_authority=world.la)
    client.force_login(music_lead_of(world.hub, mine).user)
    passport = sent_passport(world)
    school = secondary_of(world)
    for path in ("", "feeders/", "passports/", f"passports/{passport.pk}/"):
        url = f"/wiltshire/manage/transition/{school.urn}/{path}"
        assert client.get(url).status_code == 404, url
    url = f"/wiltshire/manage/transition/{school.urn}/passports/{passport.pk}/"
    assert client.post(url, {"acknowledge": "1"}).status_code == 404
    passport.refresh_from_db()
    assert passport.status == PassportStatus.SENT
    # Their own school's page opens; the list sends them straight there.
    response = client.get("/wiltshire/manage/transition/")
    assert response["Location"] == f"/wiltshire/manage/transition/{mine.urn}/"


def test_a_coordinator_sees_the_picture_but_not_the_passports(client_for, world):
    passport = sent_passport(world)
    school = secondary_of(world)
    client = client_for("coordinator")
    assert client.get(f"/wiltshire/manage/transition/{school.urn}/").status_code == 200
    url = f"/wiltshire/manage/transition/{school.urn}/passports/{passport.pk}/"
    assert client.get(url).status_code == 403


def test_the_primary_music_lead_sees_what_was_sent_from_their_school(client, world):
    sent_passport(world, child_name="Ava Example")
    client.force_login(music_lead_of(world.hub, world.school).user)
    response = client.get(f"/wiltshire/manage/transition/{world.school.urn}/")
    text = response.content.decode()
    assert "Ava Example" in text and "Devizes School" in text
    assert AuditLog.objects.filter(action="read.transition.passports").exists()
