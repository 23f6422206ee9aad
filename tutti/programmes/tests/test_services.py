"""The programme's rules: group limits, consent, scales, dates, links; nothing stored on a
refusal."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tutti.accounts.tests.factories import UserFactory
from tutti.core.links import LinkProblem
from tutti.core.models import AuditLog
from tutti.programmes import services
from tutti.programmes.models import Attendance, Pupil, Score, Session, SitePerson
from tutti.programmes.services import ProgrammeError
from tutti.programmes.tests.factories import add_pupils, make_programme, make_site
from tutti.programmes.tokens import senco_link_check, senco_link_read, senco_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(world):
    programme = make_programme(hub=world.hub, lead=world.users["admin"])
    return make_site(programme, school=world.school, organisation=world.partner)


def _add(site, **kwargs):
    data = {
        "name": "Sam",
        "year_group": 3,
        "reasons": ["semh", "exclusion"],
        "consent_on": date(2026, 1, 10),
    } | kwargs
    return services.pupil_add(site=site, **data)


def test_a_new_programme_has_the_default_measures_and_its_creator_as_lead(world):
    programme = make_programme(hub=world.hub, lead=world.users["admin"])
    assert [m.name for m in programme.measures.all()] == [
        "Belonging",
        "Confidence",
        "Wellbeing",
        "School exclusions",
    ]
    assert list(programme.leads.all()) == [world.users["admin"]]


def test_a_programme_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ProgrammeError, match="end date after"):
        make_programme(hub=world.hub, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))


def test_a_site_takes_the_hub_of_its_schools_area(site, world):
    assert site.hub == world.hub


def test_a_site_must_be_a_school(world):
    programme = make_programme(hub=world.hub)
    with pytest.raises(ProgrammeError, match="school"):
        services.site_create(
            programme=programme, organisation=world.partner, school=world.partner, by=None
        )


def test_a_sixth_pupil_is_refused_where_the_limit_is_five(site):
    add_pupils(site, 5)
    with pytest.raises(services.ProgrammeConflict, match="at most 5"):
        _add(site, name="Kit")
    assert site.pupils.count() == 5


def test_a_pupil_without_consent_is_refused(site):
    with pytest.raises(ProgrammeError, match="consented"):
        _add(site, consent_on=None)
    assert not Pupil.objects.exists()


def test_consent_in_the_future_is_refused(site):
    with pytest.raises(ProgrammeError, match="future"):
        _add(site, consent_on=timezone.localdate() + timedelta(days=1))


@pytest.mark.parametrize("name", ["Sam Brown", "Samuel Jones-Smith"])
def test_a_surname_is_refused(site, name):
    with pytest.raises(ProgrammeError, match="never a surname"):
        _add(site, name=name)


@pytest.mark.parametrize("name", ["Sam", "S.B.", "S B"])
def test_a_first_name_or_initials_are_kept(site, name):
    assert _add(site, name=name).name == name


def test_reasons_must_come_from_the_list(site):
    with pytest.raises(ProgrammeError, match="from the list"):
        _add(site, reasons=["naughty"])
    with pytest.raises(ProgrammeError, match="at least one"):
        _add(site, reasons=[])


def test_a_year_group_outside_primary_is_refused(site):
    with pytest.raises(ProgrammeError, match="Reception to Year 6"):
        _add(site, year_group=9)


def test_a_score_outside_the_scale_is_refused_and_nothing_is_stored(site):
    pupil = _add(site)
    belonging, confidence = list(site.programme.measures.all())[:2]
    with pytest.raises(ProgrammeError, match="1 to 5"):
        services.scores_record(
            pupil=pupil, point="start", values={confidence.pk: 3, belonging.pk: 6}
        )
    assert not Score.objects.exists()


def test_scores_are_saved_and_changed(site):
    pupil = _add(site)
    belonging = site.programme.measures.first()
    services.scores_record(pupil=pupil, point="start", values={belonging.pk: 2})
    services.scores_record(pupil=pupil, point="start", values={belonging.pk: 3})
    assert Score.objects.get().value == 3


def test_sessions_are_planned_weekly_within_the_programme(site):
    programme = site.programme
    new = services.sessions_plan(
        site=site, first_on=programme.starts_on, weeks=4, minutes=45, by=None
    )
    assert [s.date for s in new] == [programme.starts_on + timedelta(weeks=n) for n in range(4)]
    # Planning again keeps what is there.
    assert services.sessions_plan(
        site=site, first_on=programme.starts_on, weeks=5, minutes=45, by=None
    )[0].date == programme.starts_on + timedelta(weeks=4)


def test_sessions_past_the_end_are_refused(site):
    programme = site.programme
    with pytest.raises(ProgrammeError, match="after the programme ends"):
        services.sessions_plan(
            site=site, first_on=programme.ends_on - timedelta(days=7), weeks=3, minutes=45, by=None
        )
    with pytest.raises(ProgrammeError, match="within the programme"):
        services.sessions_plan(
            site=site,
            first_on=programme.starts_on - timedelta(days=7),
            weeks=1,
            minutes=45,
            by=None,
        )
    assert not Session.objects.exists()


def test_attendance_for_a_session_outside_the_programme_is_refused(site):
    pupil = _add(site)
    session = Session.objects.create(site=site, date=site.programme.starts_on - timedelta(days=3))
    with pytest.raises(ProgrammeError, match="within the programme"):
        services.attendance_record(session=session, present={pupil.pk: True}, note="", by=None)
    assert not Attendance.objects.exists()


def test_attendance_is_taken_for_every_pupil(site):
    a, b = add_pupils(site, 2)
    session = Session.objects.create(site=site, date=timezone.localdate())
    services.attendance_record(session=session, present={a.pk: True}, note="Calm.", by=None)
    assert dict(session.attendance.values_list("pupil_id", "present")) == {a.pk: True, b.pk: False}
    session.refresh_from_db()
    assert session.attendance_taken_at is not None
    assert session.note == "Calm."


def test_a_stopped_or_replaced_senco_link_no_longer_works(site):
    token = senco_token(site_id=site.pk, version=site.senco_link_version)
    site_id, version = senco_link_read(token)
    assert site_id == site.pk
    site = services.senco_link_renew(site=site, by=None)
    with pytest.raises(LinkProblem) as problem:
        senco_link_check(version, current=site.senco_link_version, active=site.senco_link_active)
    assert problem.value.status == 410
    site = services.senco_link_stop(site=site, by=None)
    with pytest.raises(LinkProblem):
        senco_link_check(
            site.senco_link_version, current=site.senco_link_version, active=site.senco_link_active
        )


def test_an_altered_senco_link_is_refused():
    with pytest.raises(LinkProblem) as problem:
        senco_link_read("not-a-token")
    assert problem.value.status == 400


def test_an_invited_tutor_gets_an_email_and_joins_the_site(
    site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            programme=site.programme, site=site, role="tutor", email="Tutor@Example.org", by=None
        )
    assert mail.outbox[0].to == ["tutor@example.org"]
    assert "/programmes/invitations/" in mail.outbox[0].body
    user = services.invitation_accept(
        invitation=invitation, password="violas-and-cellos-42", first_name="Tia", last_name="Lee"
    )
    assert SitePerson.objects.filter(site=site, user=user, role="tutor").exists()
    with pytest.raises(services.ProgrammeConflict):
        services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")


def test_an_invitation_for_someone_else_is_refused(site):
    invitation = services.invitation_create(
        programme=site.programme, site=site, role="tutor", email="tia@example.org", by=None
    )
    with pytest.raises(services.ProgrammeConflict, match=r"for tia@example\.org"):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_adding_a_pupil_is_audited_without_their_name(site):
    pupil = _add(site, name="Zed")
    entry = AuditLog.objects.get(action="programmes.pupil.added")
    assert entry.object_id == str(pupil.pk)
    assert "Zed" not in str(entry.data)


def test_erasing_pupils_keeps_the_figures(site, world):
    programme = site.programme
    other = make_site(programme)
    pupils = add_pupils(site, 5) + add_pupils(other, 5, prefix="Q")
    belonging = programme.measures.first()
    for p in pupils:
        services.scores_record(pupil=p, point="start", values={belonging.pk: 2})
        services.scores_record(pupil=p, point="end", values={belonging.pk: 4})
    assert services.pupils_erase(programme=programme) == 10
    assert not Pupil.objects.exists()
    programme.refresh_from_db()
    from tutti.programmes.selectors import programme_figures

    figures = {f.key: f for f in programme_figures(programme=programme)}
    assert figures["pupils"].value == "10"
    assert "2.0 at the start, 4.0 at the end (+2.0)" in figures[f"measure-{belonging.pk}"].value


def test_the_senco_is_emailed_their_current_link(site, django_capture_on_commit_callbacks):
    site.senco_email = "senco@example.org"
    site.save(update_fields=["senco_email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.senco_link_send(site=site, by=None)
    message = mail.outbox[0]
    assert message.to == ["senco@example.org"]
    match = re.search(rf"/programmes/{site.programme.slug}/senco/([^/\s]+)/", message.body)
    assert senco_link_read(match[1]) == (site.pk, site.senco_link_version)


def test_a_site_without_a_senco_email_says_to_copy_the_link(site):
    with pytest.raises(ProgrammeError, match="copy the link"):
        services.senco_link_send(site=site, by=None)


def test_changing_the_dates_must_keep_every_session_inside(site):
    programme = site.programme
    services.sessions_plan(site=site, first_on=programme.starts_on, weeks=2, minutes=45, by=None)
    with pytest.raises(services.ProgrammeConflict, match="outside those dates"):
        services.programme_update(
            programme=programme, by=None, starts_on=programme.starts_on + timedelta(days=1)
        )
    changed = services.programme_update(programme=programme, by=None, funder="Arts Council")
    assert changed.funder == "Arts Council"


def test_the_largest_group_cannot_shrink_below_a_sites_group(site):
    add_pupils(site, 4)
    with pytest.raises(services.ProgrammeConflict, match="already has 4 pupils"):
        services.programme_update(programme=site.programme, by=None, max_group=3, min_group=2)
