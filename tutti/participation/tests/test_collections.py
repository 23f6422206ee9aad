import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from tutti.core.models import AuditLog
from tutti.core.years import current_academic_year
from tutti.directory.models import Partnership, PartnershipStatus
from tutti.directory.tests.factories import OrganisationFactory
from tutti.participation.figures import compute_figures, load_year
from tutti.participation.models import (
    Collection,
    Ensemble,
    SchoolSupport,
    Submission,
    SubmissionStatus,
    TuitionRecord,
    WcetProgramme,
)
from tutti.participation.spreadsheet import SHEETS, template_workbook
from tutti.participation.tests.factories import (
    CollectionFactory,
    EnsembleFactory,
    SubmissionFactory,
    WcetFactory,
)

YEAR = current_academic_year() - 1
BASE = "/wiltshire/manage/participation"


@pytest.fixture
def submission(world):
    return SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )


def _filled(world, submission, rows):
    """The template for ``submission`` with ``rows`` ({sheet title: [row, ...]}) added."""
    wb = load_workbook(
        io.BytesIO(template_workbook(hub=world.hub, partner=world.partner, year=YEAR))
    )
    for title, values in rows.items():
        for row in values:
            wb[title].append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "return.xlsx"
    return out


def _upload(client, submission, file):
    return client.post(f"{BASE}/returns/{submission.pk}/", {"file": file})


GOOD = {
    "WCET": [[126000, "", "Year 4", "Ukulele", 30, 30, 45, 12]],
    "Lessons": [
        [126000, "", "", "Strings", "Small group", 9, 2, 1, 0],
        [None, "", "Devizes Music Centre", "voice", "individual", 4, 0, 0, 0],
    ],
    "Ensembles": [["County Youth Orchestra", "Orchestra", "Advanced", None, "", 40, 5, 2, 0, 30]],
    "Singing": [[126000, "", "Whole-school singing"]],
    "School support": [[126000, "", "Yes", "No", "Yes", "Yes", "", "", "", ""]],
    "Instruments on loan": [[120, 15]],
}


# Opening a collection and reminding ---------------------------------------------------------


def test_staff_open_a_collection_and_every_active_partner_gets_a_return(client_for, world):
    second = OrganisationFactory(name="Second Partner", hub=world.hub)
    ended = OrganisationFactory(name="Former Partner")
    Partnership.objects.create(hub=world.hub, organisation=ended, status=PartnershipStatus.ENDED)
    deadline = timezone.localdate() + dt.timedelta(days=20)
    response = client_for("staff").post(
        f"{BASE}/collections/", {"year": YEAR, "deadline": deadline.isoformat()}
    )
    collection = Collection.objects.get(hub=world.hub, year=YEAR)
    assert response.status_code == 302
    partners = set(collection.submissions.values_list("partner__name", flat=True))
    assert partners == {world.partner.name, second.name}
    assert world.school.name not in partners
    assert AuditLog.objects.filter(action="participation.collection.opened").exists()


def test_a_second_collection_for_the_same_year_is_refused(client_for, world, submission):
    deadline = timezone.localdate() + dt.timedelta(days=20)
    response = client_for("staff").post(
        f"{BASE}/collections/", {"year": YEAR, "deadline": deadline.isoformat()}
    )
    assert response.status_code == 400
    assert "already a data collection" in response.content.decode()
    assert Collection.objects.filter(hub=world.hub).count() == 1


def test_partner_staff_cannot_open_a_collection(client_for, world):
    response = client_for("partner").post(
        f"{BASE}/collections/", {"year": YEAR, "deadline": "2099-01-01"}
    )
    assert response.status_code == 403
    assert not Collection.objects.exists()


def test_staff_see_who_has_submitted_and_who_is_late(client_for, world):
    collection = CollectionFactory(hub=world.hub, deadline=timezone.localdate() - dt.timedelta(1))
    SubmissionFactory(
        collection=collection,
        partner=OrganisationFactory(name="On Time Partner", hub=world.hub),
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    SubmissionFactory(collection=collection, partner=world.partner)
    response = client_for("staff").get(f"{BASE}/collections/{collection.pk}/")
    rows = {s.partner.name: late for s, late in response.context["rows"]}
    assert rows == {"On Time Partner": False, world.partner.name: True}
    assert "1 of 2 delivery partners has sent their return; 1 is late" in response.content.decode()


def test_reminders_go_only_to_late_partners(client_for, world, django_capture_on_commit_callbacks):
    world.partner.email = "office@wmc.example"
    world.partner.save(update_fields=["email"])
    collection = CollectionFactory(hub=world.hub, deadline=timezone.localdate() - dt.timedelta(1))
    on_time = OrganisationFactory(name="On Time", email="ontime@example.org", hub=world.hub)
    SubmissionFactory(
        collection=collection,
        partner=on_time,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    late = SubmissionFactory(collection=collection, partner=world.partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(f"{BASE}/collections/{collection.pk}/remind/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"office@wmc.example", world.users["partner"].email.lower()}
    assert "ontime@example.org" not in message.to
    assert "late" in message.body
    assert f"/returns/{late.pk}/" in message.body
    late.refresh_from_db()
    assert late.reminded_at is not None
    log = AuditLog.objects.get(action="participation.collection.reminded")
    assert log.data["partners"] == [world.partner.pk]


def test_partner_staff_cannot_send_reminders(client_for, world, submission):
    response = client_for("partner").post(f"{BASE}/collections/{submission.collection_id}/remind/")
    assert response.status_code == 403
    assert mail.outbox == []


def test_another_hubs_collection_is_not_found(client_for, world):
    other = CollectionFactory(hub=world.other_hub)
    client = client_for("staff")
    assert client.get(f"{BASE}/collections/{other.pk}/").status_code == 404
    assert client.post(f"{BASE}/collections/{other.pk}/remind/").status_code == 404
    theirs = SubmissionFactory(collection=other)
    assert client.get(f"{BASE}/returns/{theirs.pk}/").status_code == 404


def test_partner_staff_cannot_see_another_partners_return(client_for, world):
    collection = CollectionFactory(hub=world.hub)
    theirs = SubmissionFactory(
        collection=collection, partner=OrganisationFactory(name="Other", hub=world.hub)
    )
    client = client_for("partner")
    assert client.get(f"{BASE}/returns/{theirs.pk}/").status_code == 404
    assert client.get(f"{BASE}/returns/{theirs.pk}/template.xlsx").status_code == 404


def test_partner_staff_see_their_returns_to_send(client_for, world, submission):
    html = client_for("partner").get(f"{BASE}/").content.decode()
    assert f"{BASE}/returns/{submission.pk}/" in html


# The template ---------------------------------------------------------------------------------


def test_template_has_a_sheet_per_section_with_drop_downs(client_for, world, submission):
    response = client_for("partner").get(f"{BASE}/returns/{submission.pk}/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Read me", *(s.title for s in SHEETS)]
    lessons = wb["Lessons"]
    assert [c.value for c in lessons[1]][:5] == [
        "URN",
        "School name",
        "Centre (if not at a school)",
        "Instrument family",
        "Lesson type",
    ]
    lists = {
        str(v.sqref): v.formula1
        for v in lessons.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists["D2:D5001"].startswith('"Strings,Woodwind,Brass')
    assert lists["E2:E5001"] == '"Individual,Small group,Large group"'
    support = wb["School support"].data_validations.dataValidation
    assert any(v.formula1 == '"Yes,No"' for v in support)


def test_template_is_prefilled_with_last_years_ensembles_and_schools(client_for, world, submission):
    EnsembleFactory(hub=world.hub, year=YEAR - 1, partner=world.partner, name="Jazz Band")
    WcetFactory(hub=world.hub, year=YEAR - 1, partner=world.partner, school=world.school)
    EnsembleFactory(hub=world.hub, year=YEAR - 1, name="Someone Else's Choir")
    response = client_for("partner").get(f"{BASE}/returns/{submission.pk}/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ensembles = [r[0] for r in wb["Ensembles"].iter_rows(min_row=2, values_only=True)]
    assert ensembles == ["Jazz Band"]
    schools = [r[:2] for r in wb["School support"].iter_rows(min_row=2, values_only=True)]
    assert schools == [(126000, "Devizes Primary School")]


# Uploading ------------------------------------------------------------------------------------


def test_upload_creates_the_records_and_the_figures_change(client_for, world, submission):
    before = {f.figure.key: f.value for f in compute_figures(load_year(hub=world.hub, year=YEAR))}
    client = client_for("partner")
    response = _upload(client, submission, _filled(world, submission, GOOD))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == world.users["partner"]
    assert WcetProgramme.objects.get(hub=world.hub, year=YEAR).continued == 12
    assert TuitionRecord.objects.filter(hub=world.hub, year=YEAR).count() == 2
    assert Ensemble.objects.get(year=YEAR).members == 40
    assert SchoolSupport.objects.get(year=YEAR).progression is True
    after = {f.figure.key: f.value for f in compute_figures(load_year(hub=world.hub, year=YEAR))}
    assert before["wcet-pupils"] == 0
    assert after["wcet-pupils"] == 30
    assert after["pupils-taught"] == 13
    assert after["ensemble-members"] == 40
    assert after["instruments-on-loan"] == 135
    assert AuditLog.objects.filter(action="participation.submission.submitted").exists()
    # A second submission for the same year is refused, and nothing more is stored.
    again = _upload(client, submission, _filled(world, submission, GOOD))
    assert again.status_code == 400
    assert "already been sent" in again.content.decode()
    assert WcetProgramme.objects.filter(hub=world.hub, year=YEAR).count() == 1


BAD_ROWS = [
    ("WCET", [999999, "", "Year 4", "Ukulele", 30, 30, 45, 5], "column A (URN)", "no school"),
    ("WCET", [110000, "", "Year 4", "Ukulele", 30, 30, 45, 5], "column A (URN)", "not in this"),
    ("WCET", [126000, "", "Year 4", "Ukulele", -3, 30, 45, 0], "column E (Pupils)", "negative"),
    ("WCET", [126000, "", "Year 4", "Ukulele", "lots", 30, 45, 0], "column E", "whole number"),
    ("WCET", [126000, "", "", "Ukulele", 30, 30, 45, 0], "column C (Year groups)", "is empty"),
    (
        "Lessons",
        [126000, "", "", "Strings", "Small group", 9, 12, 0, 0],
        "column G (Of whom free school meals or pupil premium)",
        "12 is more than Pupils (9)",
    ),
    ("Lessons", [None, "", "", "Strings", "Individual", 9, 0, 0, 0], "row 2", "centre"),
    ("Lessons", [126000, "", "", "Kazoo", "Individual", 9, 0, 0, 0], "column D", "not one of"),
    ("School support", [126000, "", "Maybe", "", "", "", "", "", "", ""], "column C", "Yes or No"),
]


@pytest.mark.parametrize(("sheet", "row", "column", "problem"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_stored(
    client_for, world, submission, sheet, row, column, problem
):
    # Every other sheet is good, so only the bad row stops the whole submission.
    rows = {**GOOD, sheet: [row]}
    response = _upload(client_for("partner"), submission, _filled(world, submission, rows))
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{sheet}, row 2")
    assert column in problems[0]
    assert problem in problems[0]
    assert WcetProgramme.objects.count() == TuitionRecord.objects.count() == 0
    assert Ensemble.objects.count() == 0
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_PROGRESS


def test_duplicate_rows_are_named(client_for, world, submission):
    row = ["County Youth Orchestra", "Orchestra", "Advanced", None, "", 40, 5, 2, 0, 30]
    response = _upload(
        client_for("partner"), submission, _filled(world, submission, {"Ensembles": [row, row]})
    )
    assert response.context["problems"] == ["Ensembles, row 3: this row repeats row 2"]


def test_a_renamed_sheet_or_merged_cells_are_reported(client_for, world, submission):
    file = _filled(world, submission, GOOD)
    wb = load_workbook(file)
    wb["Singing"].title = "Singing 2025"
    wb["WCET"].merge_cells("A2:B2")
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "return.xlsx"
    response = _upload(client_for("partner"), submission, out)
    assert response.status_code == 400
    assert "no sheet called “Singing”" in response.context["problems"][0]
    assert not Submission.objects.filter(status=SubmissionStatus.SUBMITTED).exists()


def test_a_file_that_is_not_a_workbook_is_rejected(client_for, world, submission):
    file = io.BytesIO(b"name,pupils\nx,1\n")
    file.name = "return.xlsx"
    response = _upload(client_for("partner"), submission, file)
    assert response.status_code == 400
    assert "not an Excel workbook" in response.context["problems"][0]


def test_coordinator_cannot_upload(client_for, world, submission):
    response = _upload(client_for("coordinator"), submission, _filled(world, submission, GOOD))
    assert response.status_code == 403
    assert WcetProgramme.objects.count() == 0


def test_late_returns_are_still_accepted(client_for, world, submission):
    collection = submission.collection
    collection.deadline = timezone.localdate() - dt.timedelta(days=3)
    collection.save(update_fields=["deadline"])
    response = _upload(client_for("partner"), submission, _filled(world, submission, GOOD))
    assert response.status_code == 302
    assert AuditLog.objects.get(action="participation.submission.submitted").data["late"] is True


# Filling in the return on the web -----------------------------------------------------------

WCET_FORM = {
    "urn": 126000,
    "year_groups": "Year 4",
    "instruments": "Ukulele",
    "pupils": 28,
    "weeks": 30,
    "lesson_minutes": 45,
    "continued": 9,
}


def test_partner_adds_records_on_the_web_and_they_count_once_sent(client_for, world, submission):
    client = client_for("partner")
    page = client.get(f"{BASE}/returns/{submission.pk}/new/wcet/")
    assert page.status_code == 200
    # The return fixes the year and the partner: neither is asked.
    assert "id_partner" not in page.content.decode()
    assert 'id="id_year"' not in page.content.decode()
    response = client.post(f"{BASE}/returns/{submission.pk}/new/wcet/", WCET_FORM)
    assert response.status_code == 302
    record = WcetProgramme.objects.get(hub=world.hub, year=YEAR)
    assert (record.partner, record.submission, record.school) == (
        world.partner,
        submission,
        world.school,
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_PROGRESS
    assert "Ukulele, Year 4" in client.get(f"{BASE}/returns/{submission.pk}/").content.decode()

    def wcet_pupils():
        figures = compute_figures(load_year(hub=world.hub, year=YEAR))
        return {f.figure.key: f.value for f in figures}["wcet-pupils"]

    assert wcet_pupils() == 0
    assert client.post(f"{BASE}/returns/{submission.pk}/submit/").status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == world.users["partner"]
    assert wcet_pupils() == 28
    # Once sent, nothing more can be added, and sending again is refused.
    again = client.post(f"{BASE}/returns/{submission.pk}/new/wcet/", WCET_FORM)
    assert again.status_code == 302
    assert WcetProgramme.objects.filter(hub=world.hub, year=YEAR).count() == 1
    resent = client.post(f"{BASE}/returns/{submission.pk}/submit/", follow=True)
    assert "already submitted" in resent.content.decode()


def test_a_bad_web_record_is_shown_and_not_stored(client_for, world, submission):
    client = client_for("partner")
    bad = WCET_FORM | {"continued": 40, "urn": 999999}
    response = client.post(f"{BASE}/returns/{submission.pk}/new/wcet/", bad)
    assert response.status_code == 400
    assert "no school with URN 999999" in response.content.decode()
    response = client.post(
        f"{BASE}/returns/{submission.pk}/new/wcet/", WCET_FORM | {"continued": 40}
    )
    assert response.status_code == 400
    assert not WcetProgramme.objects.exists()


def test_partner_staff_cannot_add_to_another_partners_return(client_for, world):
    other = SubmissionFactory(collection__hub=world.hub, collection__year=YEAR)
    client = client_for("partner")
    assert client.post(f"{BASE}/returns/{other.pk}/new/wcet/", WCET_FORM).status_code == 404
    assert client.post(f"{BASE}/returns/{other.pk}/submit/").status_code == 404
    other.refresh_from_db()
    assert other.status == SubmissionStatus.NOT_STARTED
