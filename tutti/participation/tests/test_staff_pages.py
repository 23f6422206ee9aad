"""The data collection's rough edges: the first email, the check before sending a return and
what was sent, the warning before publishing with returns outstanding, the data return file,
and the records page in pages."""

import datetime as dt
import io

from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from tutti.core.years import year_label
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.participation.models import Collection, SubmissionStatus
from tutti.participation.tests.factories import CollectionFactory, SubmissionFactory, WcetFactory
from tutti.participation.tests.test_collections import WCET_FORM, YEAR

BASE = "/wiltshire/manage/participation"


def test_opening_a_collection_emails_every_partner_not_as_a_reminder(
    client_for, world, django_capture_on_commit_callbacks
):
    world.partner.email = "office@wmc.example"
    world.partner.save(update_fields=["email"])
    OrganisationFactory(name="Second Partner", email="second@example.org", hub=world.hub)
    deadline = timezone.localdate() + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(
            f"{BASE}/collections/", {"year": YEAR, "deadline": deadline.isoformat()}
        )
    collection = Collection.objects.get(hub=world.hub, year=YEAR)
    assert len(mail.outbox) == 2
    subjects = {m.subject for m in mail.outbox}
    assert all(not s.startswith("Reminder") for s in subjects)
    assert all(year_label(YEAR) in s and "please send it by" in s for s in subjects)
    mine = next(m for m in mail.outbox if "office@wmc.example" in m.to)
    assert "we have not yet had" not in mine.body
    mine_submission = collection.submissions.get(partner=world.partner)
    assert f"/returns/{mine_submission.pk}/" in mine.body
    # The reminders later still say they are reminders.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(f"{BASE}/collections/{collection.pk}/remind/")
    assert {m.subject[:9] for m in mail.outbox} == {"Reminder:"}


def test_sending_a_return_shows_what_will_be_sent_and_asks_first(client_for, world):
    submission = SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )
    client = client_for("partner")
    client.post(f"{BASE}/returns/{submission.pk}/new/wcet/", WCET_FORM)
    page = client.get(f"{BASE}/returns/{submission.pk}/")
    assert "Check and send my return" in page.content.decode()
    check = client.get(f"{BASE}/returns/{submission.pk}/submit/")
    assert check.status_code == 200
    html = check.content.decode()
    assert "Check and send your return" in html
    assert "Ukulele, Year 4" in html and "Yes, send my return" in html
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_PROGRESS

    sent = client.post(f"{BASE}/returns/{submission.pk}/submit/", follow=True)
    html = sent.content.decode()
    assert "What you sent" in html and "Ukulele, Year 4" in html
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    # Once sent, the check page is no more: it goes back to the return.
    assert client.get(f"{BASE}/returns/{submission.pk}/submit/").status_code == 302


def test_an_empty_return_is_named_before_it_is_sent(client_for, world):
    submission = SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )
    html = client_for("partner").get(f"{BASE}/returns/{submission.pk}/submit/").content.decode()
    assert "Your return has no records" in html


def test_publishing_while_returns_are_outstanding_warns_first(client_for, world):
    WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)
    collection = CollectionFactory(hub=world.hub, year=YEAR)
    SubmissionFactory(collection=collection, partner=world.partner)
    SubmissionFactory(
        collection=collection,
        partner=OrganisationFactory(name="On Time", hub=world.hub),
        status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    html = client_for("staff").get(f"{BASE}/publish/?year={YEAR}").content.decode()
    assert "1 partner has not sent its return yet" in html
    assert f"/collections/{collection.pk}/" in html


def test_publishing_with_every_return_in_gives_no_warning(client_for, world):
    WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)
    html = client_for("staff").get(f"{BASE}/publish/?year={YEAR}").content.decode()
    assert "not sent" not in html


def test_the_data_return_has_the_academic_year_in_its_name_and_readable_columns(client_for, world):
    WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)
    label = year_label(YEAR).replace("/", "-")
    response = client_for("staff").get(f"{BASE}/return.xlsx?year={YEAR}")
    assert f'filename="wiltshire-data-return-{label}.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        for column in range(1, sheet.max_column + 1):
            letter = sheet.cell(row=1, column=column).column_letter
            width = sheet.column_dimensions[letter].width
            header = str(sheet.cell(row=1, column=column).value)
            assert width >= min(len(header), 58), (sheet.title, header, width)
    schools = book["Schools"]
    name_column = next(c for c in schools[1] if c.value == "School").column_letter
    assert schools.column_dimensions[name_column].width >= len(world.school.name)
    csv = client_for("staff").get(f"{BASE}/return.csv?year={YEAR}")
    assert f"wiltshire-data-return-{label}-schools.csv" in csv["Content-Disposition"]


def test_the_records_page_shows_the_first_of_each_kind_and_pages_one_kind(client_for, world):
    for n in range(60):
        school = SchoolFactory(name=f"School {n:02}", local_authority=world.la, urn=200000 + n)
        WcetFactory(hub=world.hub, partner=world.partner, school=school, year=YEAR)
    client = client_for("staff")
    overview = client.get(f"{BASE}/?year={YEAR}").content.decode()
    assert overview.count("Edit<span") == 10
    assert "See all 60 records" in overview
    first = client.get(f"{BASE}/?year={YEAR}&section=wcet").content.decode()
    assert first.count("Edit<span") == 50 and "Page 1 of 2" in first
    second = client.get(f"{BASE}/?year={YEAR}&section=wcet&page=2").content.decode()
    assert second.count("Edit<span") == 10
    # An unknown kind shows the overview rather than failing.
    assert client.get(f"{BASE}/?year={YEAR}&section=nope").status_code == 200
