"""Changing and deleting participation records: hub staff any of their hub's, partner staff
their own organisation's until their return is sent."""

import pytest
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.core.years import current_academic_year
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.participation.models import SubmissionStatus, TuitionRecord, WcetProgramme
from tutti.participation.services import (
    RETURN_SENT,
    ParticipationError,
    record_delete,
    record_update,
)
from tutti.participation.tests.factories import (
    LoansFactory,
    SubmissionFactory,
    TuitionFactory,
    WcetFactory,
)

YEAR = current_academic_year() - 1
BASE = "/wiltshire/manage/participation"


@pytest.fixture
def wcet(world):
    """A record of the partner's organisation, entered by hub staff."""
    return WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)


@pytest.fixture
def submission(world):
    return SubmissionFactory(
        collection__hub=world.hub,
        collection__year=YEAR,
        partner=world.partner,
        status=SubmissionStatus.IN_PROGRESS,
    )


@pytest.fixture
def sent(world):
    return SubmissionFactory(
        collection__hub=world.hub,
        collection__year=YEAR,
        partner=world.partner,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def _post(world, record, **change):
    """The edit form as sent back unchanged, with ``change`` applied."""
    return {
        "year": record.year,
        "partner": world.partner.pk,
        "urn": record.school.urn,
        "year_groups": record.year_groups,
        "instruments": record.instruments,
        "pupils": record.pupils,
        "weeks": record.weeks,
        "lesson_minutes": record.lesson_minutes,
        "continued": record.continued,
    } | change


def _edit(record, section="wcet"):
    return f"{BASE}/records/{section}/{record.pk}/edit/"


def _delete(record, section="wcet"):
    return f"{BASE}/records/{section}/{record.pk}/delete/"


def _wcet_pupils(client):
    """The WCET pupils figure on the impact page, as hub staff see it."""
    context = client.get(f"/wiltshire/impact/?year={YEAR}").context
    # The impact page is being reworked to show a trend: its figures move into ``page``.
    if "figures" in context:
        figures = context["figures"]
    else:
        figures = [row.figure_value for row in context["page"].rows]
    return {f.figure.key: f.value for f in figures}["wcet-pupils"]


def test_edit_form_is_filled_in_with_the_record(client_for, world, wcet):
    response = client_for("staff").get(_edit(wcet))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Edit: whole-class ensemble teaching" in html
    assert 'value="126000"' in html
    assert 'value="Ukulele"' in html
    assert "Save changes" in html
    assert response.context["form"]["pupils"].value() == 30
    assert response.context["form"]["year"].value() == YEAR


def test_staff_edit_a_record_and_the_figure_changes(client_for, world, wcet):
    client = client_for("staff")
    assert _wcet_pupils(client) == 30
    response = client.post(_edit(wcet), _post(world, wcet, pupils=25, continued=5))
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/?year={YEAR}"
    assert _wcet_pupils(client) == 25
    entry = AuditLog.objects.get(action="participation.wcet.updated")
    assert entry.actor == world.users["staff"]
    assert entry.object_id == str(wcet.pk)
    assert entry.data["changes"] == {"pupils": [30, 25], "continued": [10, 5]}
    assert "sent_return" not in entry.data


def test_staff_move_a_record_to_another_school(client_for, world, wcet):
    other = SchoolFactory(local_authority=world.la, urn=126001)
    response = client_for("staff").post(_edit(wcet), _post(world, wcet, urn=126001))
    assert response.status_code == 302
    wcet.refresh_from_db()
    assert wcet.school == other
    entry = AuditLog.objects.get(action="participation.wcet.updated")
    assert entry.data["changes"] == {"school": [world.school.pk, other.pk]}


def test_saving_without_changes_writes_no_audit_entry(client_for, world, wcet):
    assert client_for("staff").post(_edit(wcet), _post(world, wcet)).status_code == 302
    assert not AuditLog.objects.filter(action="participation.wcet.updated").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"continued": 31}, "continued"),
        ({"urn": 999999}, "There is no school with URN 999999 in this hub"),
        ({"urn": 110000}, "There is no school with URN 110000 in this hub"),
        ({"pupils": -3}, "greater than or equal to 0"),
        ({"year": 1999}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_again_and_nothing_changes(client_for, world, wcet, change, message):
    response = client_for("staff").post(_edit(wcet), _post(world, wcet, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors
    wcet.refresh_from_db()
    assert (wcet.pupils, wcet.continued, wcet.school, wcet.year) == (30, 10, world.school, YEAR)
    assert not AuditLog.objects.filter(action="participation.wcet.updated").exists()


def test_more_fsm_pupils_than_pupils_is_refused(client_for, world):
    record = TuitionFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)
    post = {
        "year": YEAR,
        "partner": world.partner.pk,
        "urn": 126000,
        "family": "strings",
        "lesson_type": "small_group",
        "pupils": 12,
        "fsm": 13,
        "send": 1,
        "looked_after": 0,
    }
    response = client_for("staff").post(_edit(record, "tuition"), post)
    assert response.status_code == 400
    assert "fsm" in response.content.decode()
    record.refresh_from_db()
    assert record.fsm == 3


def test_staff_delete_a_record_after_confirming(client_for, world, wcet):
    client = client_for("staff")
    page = client.get(_delete(wcet))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Delete this record?" in html
    assert "Ukulele, Year 4: 30 pupils" in html and "Devizes Primary School" in html
    assert WcetProgramme.objects.exists()
    response = client.post(_delete(wcet))
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/?year={YEAR}"
    assert not WcetProgramme.objects.exists()
    assert _wcet_pupils(client) == 0
    entry = AuditLog.objects.get(action="participation.wcet.deleted")
    assert entry.object_id == str(wcet.pk)
    assert entry.actor == world.users["staff"]
    assert entry.data["record"]["pupils"] == 30
    assert entry.data["record"]["school"] == world.school.pk


def test_staff_may_correct_a_sent_return_and_it_is_audited(client_for, world, wcet, sent):
    WcetProgramme.objects.filter(pk=wcet.pk).update(submission=sent)
    client = client_for("staff")
    page = client.get(_edit(wcet))
    assert page.status_code == 200
    # A record in a return keeps the return's year and partner.
    assert 'id="id_year"' not in page.content.decode()
    assert "id_partner" not in page.content.decode()
    post = _post(world, wcet, pupils=20)
    del post["year"], post["partner"]
    assert client.post(_edit(wcet), post).status_code == 302
    entry = AuditLog.objects.get(action="participation.wcet.updated")
    assert entry.data["sent_return"] is True
    assert entry.data["submission"] == sent.pk
    assert client.post(_delete(wcet)).status_code == 302
    assert AuditLog.objects.get(action="participation.wcet.deleted").data["sent_return"] is True
    assert not WcetProgramme.objects.exists()


def test_partner_edits_their_unsent_return_and_goes_back_to_it(client_for, world, wcet, submission):
    WcetProgramme.objects.filter(pk=wcet.pk).update(submission=submission)
    client = client_for("partner")
    html = client.get(f"{BASE}/returns/{submission.pk}/").content.decode()
    assert f"{_edit(wcet)}?next=" in html and f"{_delete(wcet)}?next=" in html
    post = _post(world, wcet, instruments="Violin")
    del post["year"], post["partner"]
    response = client.post(_edit(wcet), post)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/returns/{submission.pk}/"
    wcet.refresh_from_db()
    assert wcet.instruments == "Violin"
    response = client.post(f"{_delete(wcet)}?next={BASE}/returns/{submission.pk}/")
    assert response["Location"] == f"{BASE}/returns/{submission.pk}/"
    assert not WcetProgramme.objects.exists()


def test_partner_edits_their_own_record_entered_by_the_hub(client_for, world, wcet):
    response = client_for("partner").post(_edit(wcet), _post(world, wcet, weeks=12))
    assert response.status_code == 302
    wcet.refresh_from_db()
    assert wcet.weeks == 12


def test_partner_cannot_change_a_sent_return(client_for, world, wcet, sent):
    WcetProgramme.objects.filter(pk=wcet.pk).update(submission=sent)
    client = client_for("partner")
    html = client.get(f"{BASE}/?year={YEAR}").content.decode()
    assert "Ukulele, Year 4" in html
    assert _edit(wcet) not in html and _delete(wcet) not in html
    for url in (_edit(wcet), _delete(wcet)):
        response = client.post(url, _post(world, wcet, pupils=1), follow=True)
        assert response.redirect_chain[0][1] == 302
        assert RETURN_SENT in response.content.decode()
    wcet.refresh_from_db()
    assert wcet.pupils == 30
    assert not AuditLog.objects.filter(action__startswith="participation.wcet.").exists()


def test_partner_cannot_reach_another_organisations_record(client_for, world):
    other = OrganisationFactory(name="Not Theirs", hub=world.hub)
    record = WcetFactory(hub=world.hub, partner=other, school=world.school, year=YEAR)
    client = client_for("partner")
    assert client.get(_edit(record)).status_code == 404
    assert client.post(_edit(record), _post(world, record, pupils=1)).status_code == 404
    assert client.post(_delete(record)).status_code == 404
    assert WcetProgramme.objects.get().pupils == 30


def test_partner_cannot_move_their_record_to_another_partner(client_for, world, wcet):
    other = OrganisationFactory(name="Not Theirs", hub=world.hub)
    response = client_for("partner").post(_edit(wcet), _post(world, wcet, partner=other.pk))
    assert response.status_code == 400
    wcet.refresh_from_db()
    assert wcet.partner == world.partner


def test_another_hubs_record_is_not_found(client_for, world):
    record = WcetFactory(hub=world.other_hub, school=world.other_school, year=YEAR)
    client = client_for("staff")
    assert client.get(_edit(record)).status_code == 404
    assert client.post(_delete(record)).status_code == 404
    assert WcetProgramme.objects.filter(pk=record.pk).exists()


def test_unknown_or_wrong_kind_of_record_is_404(client_for, world, wcet):
    client = client_for("staff")
    assert client.get(f"{BASE}/records/nope/{wcet.pk}/edit/").status_code == 404
    assert client.get(_edit(wcet, "tuition")).status_code == 404
    assert client.get(f"{BASE}/records/wcet/{wcet.pk + 1000}/delete/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("plain", 404), ("outsider", 404)])
def test_people_outside_the_hub_cannot_change_records(client_for, world, wcet, who, status):
    client = client_for(who)
    assert client.post(_edit(wcet), _post(world, wcet, pupils=1)).status_code == status
    assert client.post(_delete(wcet)).status_code == status
    wcet.refresh_from_db()
    assert wcet.pupils == 30


def test_coordinator_cannot_change_records(client_for, world, wcet):
    client = client_for("coordinator")
    assert client.post(_edit(wcet), _post(world, wcet, pupils=1)).status_code == 403
    assert client.post(_delete(wcet)).status_code == 403
    assert WcetProgramme.objects.get().pupils == 30


def test_next_must_be_on_this_site(client_for, world, wcet):
    url = f"{_edit(wcet)}?next=https://evil.example/"
    response = client_for("staff").post(url, _post(world, wcet, pupils=20))
    assert response["Location"] == f"{BASE}/?year={YEAR}"


def test_manage_page_links_each_record_for_screen_readers(client_for, world, wcet):
    html = client_for("staff").get(f"{BASE}/?year={YEAR}").content.decode()
    assert f"{_edit(wcet)}?next=" in html
    assert (
        'Edit<span class="visually-hidden"> the record: Wiltshire Music Centre, '
        "Devizes Primary School: Ukulele, Year 4" in html
    )


def test_loans_have_no_school_to_ask_for(client_for, world):
    loans = LoansFactory(hub=world.hub, partner=world.partner, year=YEAR)
    client = client_for("staff")
    assert "id_urn" not in client.get(_edit(loans, "loans")).content.decode()
    post = {"year": YEAR, "partner": world.partner.pk, "to_pupils": 90, "to_schools": 20}
    assert client.post(_edit(loans, "loans"), post).status_code == 302
    loans.refresh_from_db()
    assert loans.to_pupils == 90


# The services on their own ------------------------------------------------------------------


def test_record_update_refuses_a_school_outside_the_area(world, wcet):
    with pytest.raises(ParticipationError, match="not a school in this hub's area"):
        record_update(record=wcet, by=world.users["staff"], school=world.other_school)


def test_record_update_keeps_a_returns_year(world, wcet, submission):
    WcetProgramme.objects.filter(pk=wcet.pk).update(submission=submission)
    wcet.refresh_from_db()
    with pytest.raises(ParticipationError, match="keeps the return's year"):
        record_update(record=wcet, by=world.users["staff"], year=YEAR - 1)


def test_record_update_lets_partner_staff_change_only_their_own(world):
    other = OrganisationFactory(hub=world.hub)
    record = TuitionFactory(hub=world.hub, partner=other, school=world.school)
    with pytest.raises(ParticipationError, match="your own organisation"):
        record_update(
            record=record, by=world.users["partner"], own_organisations=[world.partner.pk], fsm=0
        )
    with pytest.raises(ParticipationError, match="your own organisation"):
        record_delete(record=record, by=world.users["partner"], own_organisations=[])
    assert TuitionRecord.objects.get().fsm == 3


def test_record_delete_refuses_partner_staff_once_the_return_is_sent(world, wcet, sent):
    WcetProgramme.objects.filter(pk=wcet.pk).update(submission=sent)
    with pytest.raises(ParticipationError, match="already been sent"):
        record_delete(record=wcet, by=world.users["partner"], own_organisations=[world.partner.pk])
    assert WcetProgramme.objects.exists()


# The JSON API --------------------------------------------------------------------------------


def test_staff_delete_a_record_through_the_api(client_for, world, wcet):
    response = client_for("staff").delete(f"/api/hubs/wiltshire/participation/wcet/{wcet.pk}")
    assert response.status_code == 204
    assert not WcetProgramme.objects.exists()
    assert AuditLog.objects.filter(action="participation.wcet.deleted").exists()


def test_api_another_hubs_record_is_json_404(client_for, world):
    record = WcetFactory(hub=world.other_hub, school=world.other_school)
    client = client_for("staff")
    for url in (
        f"/api/hubs/wiltshire/participation/wcet/{record.pk}",
        f"/api/hubs/cambridgeshire/participation/wcet/{record.pk}",
    ):
        response = client.delete(url)
        assert response.status_code == 404
        assert response.json()["detail"]
    assert WcetProgramme.objects.filter(pk=record.pk).exists()
