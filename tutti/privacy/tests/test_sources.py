"""The newer apps in a person's data: newsletters, CPD networks, instrument requests and loans,
competition entries and passports, on the person page, in the ZIP, on the erase page, in the
erasure and in a person's own download."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutti.competitions.models import Entry
from tutti.competitions.tests.factories import CategoryFactory, CompetitionFactory, EntryFactory
from tutti.core.models import AuditLog
from tutti.cpd.models import MemberStatus, NetworkMember, SurveyResponse, Thread
from tutti.cpd.tests.factories import network_of
from tutti.loans.models import InstrumentRequest, Loan, RequestStatus
from tutti.loans.tests.factories import InstrumentFactory, LoanFactory, RequestFactory
from tutti.newsletters.models import Delivery, IssueStatus, Subscriber
from tutti.newsletters.tests.factories import (
    IssueFactory,
    NewsletterListFactory,
    SubscriptionFactory,
)
from tutti.privacy.tests.helpers import read_zip
from tutti.transition.models import Passport, PassportStatus
from tutti.transition.tests.factories import PassportFactory, sent_passport

ANN = "ann@example.org"
PERSON = "/wiltshire/manage/privacy/"
DOWNLOAD = "/wiltshire/manage/privacy/download/"
ERASE = "/wiltshire/manage/privacy/erase/"
LABELS = [
    "Newsletter subscriptions",
    "CPD network places",
    "Instrument requests and loans",
    "Competition entries",
    "Transition passports",
]
KEYS = ["newsletters", "cpd_networks", "instrument_requests", "competition_entries", "passports"]


def ann_everywhere(world, *, copies: int = 1, email: str = ANN):
    """Ann Parent in every newer app of Wiltshire: ``copies`` records of each kind."""
    news = NewsletterListFactory(hub=world.hub, name="Wiltshire news")
    subscription = SubscriptionFactory(
        newsletter_list=news, subscriber__email=email, subscriber__name="Ann Parent"
    )
    network = network_of(world.hub)
    place = NetworkMember.objects.create(
        network=network, email=email, name="Ann Parent", status=MemberStatus.ACTIVE
    )
    competition = CompetitionFactory(hub=world.hub, name="Young Musician")
    for n in range(copies):
        issue = IssueFactory(newsletter_list=news, status=IssueStatus.SENT, sent_at=timezone.now())
        Delivery.objects.create(issue=issue, email=email, subscriber=subscription.subscriber)
        Thread.objects.create(
            network=network,
            title=f"Warm-ups {n}",
            body="My warm-up",
            author=place,
            last_post_at=timezone.now(),
        )
        request = RequestFactory(
            hub=world.hub,
            school=world.school,
            contact_email=email,
            contact_name="Ann Parent",
            first_name="Bea",
            status=RequestStatus.ISSUED,
        )
        LoanFactory(
            hub=world.hub,
            instrument=InstrumentFactory(hub=world.hub, owner=world.partner),
            request=request,
            borrower_email=email,
            returned_on=timezone.localdate(),
            accepted_by="Ann Parent",
            accepted_at=timezone.now(),
        )
        EntryFactory(
            category=CategoryFactory(competition=competition),
            contact_email=email,
            contact_name="Ann Parent",
            first_name="Bea",
        )
        sent_passport(world, family_email=email, child_name="Bea Parent")
    survey = network.surveys.create(title="Needs", is_open=True)
    SurveyResponse.objects.create(survey=survey, member=place, answers={})
    return place


def test_each_app_is_found_on_the_person_page(client_for, world):
    ann_everywhere(world)
    html = client_for("admin").get(PERSON, {"email": "ANN@example.org"}).content.decode()
    for label in LABELS:
        assert f"<dt>{label}</dt><dd>1</dd>" in html
    assert "Download their data (ZIP)" in html
    assert AuditLog.objects.filter(action="privacy.person.looked_up").count() == 1


def test_each_apps_records_are_in_both_files_of_the_zip(client_for, world):
    ann_everywhere(world)
    data, summary = read_zip(client_for("admin").post(DOWNLOAD, {"email": ANN}).content)
    assert data["newsletters"][0]["lists"][0]["list"] == "Wiltshire news"
    assert data["newsletters"][0]["issues_sent"] == 1
    assert data["cpd_networks"][0]["posts"][0]["text"] == "My warm-up"
    request = data["instrument_requests"][0]
    assert request["pupil"].startswith("Bea ")
    assert request["loans"][0]["agreement_accepted_by"] == "Ann Parent"
    assert data["competition_entries"][0]["entrant"] == "Bea Example"
    assert data["passports"][0]["child"] == "Bea Parent"
    for label in LABELS:
        assert f"<h2>{label}</h2>" in summary
    assert "My warm-up" in summary and "Bea Parent" in summary


def test_a_person_with_nothing_in_the_apps_gets_no_empty_sections(client_for, world):
    ann_everywhere(world, email="someone.else@example.org")
    Subscriber.objects.create(hub=world.hub, email=ANN)
    client = client_for("admin")
    html = client.get(PERSON, {"email": ANN}).content.decode()
    assert "<dt>Newsletter subscriptions</dt><dd>1</dd>" in html
    for label in LABELS[1:]:
        assert label not in html
    data, summary = read_zip(client.post(DOWNLOAD, {"email": ANN}).content)
    assert [key for key in KEYS if key in data] == ["newsletters"]
    for label in LABELS[1:]:
        assert label not in summary
    erase_page = client.get(ERASE, {"email": ANN}).content.decode()
    assert "CPD network places:" not in erase_page
    assert "Kept until" not in erase_page


def test_another_hubs_admin_sees_none_of_it(client_for, client, world):
    from tutti.accounts.models import Role
    from tutti.accounts.tests.factories import MembershipFactory

    ann_everywhere(world)
    client.force_login(MembershipFactory(hub=world.other_hub, role=Role.HUB_ADMIN).user)
    assert client.get(PERSON, {"email": ANN}).status_code == 404
    html = client.get("/cambridgeshire/manage/privacy/", {"email": ANN}).content.decode()
    assert "holds nothing about ann@example.org" in html
    data, _ = read_zip(
        client.post("/cambridgeshire/manage/privacy/download/", {"email": ANN}).content
    )
    assert not [key for key in KEYS if key in data]
    client.post("/cambridgeshire/manage/privacy/erase/", {"email": ANN, "confirm": "on"})
    assert InstrumentRequest.objects.filter(contact_email=ANN).count() == 1
    assert Passport.objects.filter(family_email=ANN).count() == 1


def test_the_erase_page_lists_each_app(client_for, world):
    ann_everywhere(world)
    html = client_for("admin").get(ERASE, {"email": ANN}).content.decode()
    assert "Newsletter subscriptions: Their newsletter subscription (1 list)" in html
    assert "CPD network places: Their 1 place in Primary music CPD network" in html
    assert "Instrument requests and loans: 1 instrument request lose" in html
    assert "Competition entries: Their 1 competition entry lose" in html
    assert "The results of Young Musician are not out yet" in html
    assert "Transition passports: 1 passport a secondary school has loses" in html
    assert "Kept until" not in html


def test_erasure_clears_them_from_each_app_and_keeps_the_counts(client_for, world):
    place = ann_everywhere(world)
    client = client_for("admin")
    response = client.post(ERASE, {"email": ANN, "confirm": "on"}, follow=True)
    assert "competition entries: 1 erased" in response.content.decode()
    # Newsletters: the subscriber goes, the issue keeps its delivery with no address.
    assert not Subscriber.objects.filter(email=ANN).exists()
    assert Delivery.objects.get().email.endswith("@erased.invalid")
    # CPD: the place stays as a former member's, the post stays with no author.
    place.refresh_from_db()
    assert (place.name, place.user, place.status) == ("", None, MemberStatus.LEFT)
    assert place.email.endswith("@anonymised.invalid")
    assert Thread.objects.get().author is None
    assert SurveyResponse.objects.get().member is None
    # Loans: the request and its loan stay, naming no one.
    request = InstrumentRequest.objects.get()
    assert (request.first_name, request.contact_name) == ("Removed", "")
    assert "example.org" not in request.contact_email
    loan = Loan.objects.get()
    assert (loan.borrower_email, loan.accepted_by) == ("", "")
    assert loan.accepted_at is not None
    # Competitions: the entry's row stays (withdrawn: the results were not out), with no names.
    entry = Entry.objects.get()
    assert (entry.first_name, entry.contact_name, entry.erased_at is not None) == (
        "Erased",
        "",
        True,
    )
    assert entry.withdrawn_at is not None
    # Transition: the anonymous row stays for the continuation figure.
    passport = Passport.objects.get()
    assert (passport.status, passport.family_email, passport.child_name) == (
        PassportStatus.DELETED,
        "",
        "",
    )
    data, summary = read_zip(client.post(DOWNLOAD, {"email": ANN}).content)
    assert not [key for key in KEYS if key in data]
    assert "Ann Parent" not in summary and "Bea" not in summary
    # The audit log's one entry counts, and never says whom.
    erased = AuditLog.objects.get(action="privacy.person.erased")
    assert erased.data["newsletters_erased"] == 1
    assert erased.data["cpd_networks_erased"] == 1
    assert erased.data["instrument_requests_erased"] == 1
    assert erased.data["competition_entries_erased"] == 1
    assert erased.data["passports_erased"] == 1
    assert not AuditLog.objects.filter(data__icontains="Ann Parent").exists()
    assert (
        not AuditLog.objects.filter(data__icontains=ANN)
        .exclude(action__in=["privacy.person.looked_up", "privacy.access_request.downloaded"])
        .exists()
    )


def test_an_instrument_still_on_loan_keeps_its_request_and_the_page_says_what_to_do(
    client_for, world
):
    request = RequestFactory(
        hub=world.hub,
        school=world.school,
        contact_email=ANN,
        contact_name="Ann Parent",
        status=RequestStatus.ISSUED,
    )
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-00777")
    LoanFactory(hub=world.hub, instrument=instrument, request=request, borrower_email=ANN)
    client = client_for("admin")
    html = client.get(ERASE, {"email": ANN}).content.decode()
    assert "Kept until Wiltshire Music Connect acts" in html
    assert "WMC-00777 is still on loan" in html
    assert "Record the instrument&#x27;s return" in html
    client.post(ERASE, {"email": ANN, "confirm": "on"})
    request.refresh_from_db()
    assert request.contact_email == ANN
    assert Loan.objects.get().borrower_email == ANN


def test_my_data_has_my_records_in_the_apps_of_every_hub(client_for, world):
    plain = world.users["plain"]
    ann_everywhere(world, email=plain.email)
    PassportFactory(hub=world.other_hub, family_email=plain.email)
    client = client_for("plain")
    html = client.get("/accounts/my-data/").content.decode()
    assert "<dt>Transition passports</dt><dd>2</dd>" in html
    data, summary = read_zip(client.post("/accounts/my-data/").content)
    assert sorted(p["hub"] for p in data["passports"]) == [world.other_hub.name, world.hub.name]
    assert all(key in data for key in KEYS)
    assert "My warm-up" in summary


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [PERSON, ERASE])
def test_the_pages_queries_do_not_grow_with_the_records(client_for, world, url):
    ann_everywhere(world, copies=1)
    client = client_for("admin")
    one = _queries(client, url, {"email": ANN})
    ann_everywhere(world, copies=3, email="bob@example.org")
    assert _queries(client, url, {"email": "bob@example.org"}) == one


def test_the_downloads_queries_do_not_grow_with_the_records(client_for, world):
    ann_everywhere(world, copies=1)
    client = client_for("admin")
    with CaptureQueriesContext(connection) as one:
        client.post(DOWNLOAD, {"email": ANN})
    ann_everywhere(world, copies=3, email="bob@example.org")
    with CaptureQueriesContext(connection) as three:
        client.post(DOWNLOAD, {"email": "bob@example.org"})
    assert len(three.captured_queries) == len(one.captured_queries)


def test_erasing_twice_changes_nothing_more(world):
    from tutti.privacy.services import person_erase

    ann_everywhere(world)
    person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    second = person_erase(hub=world.hub, email=ANN, by=world.users["admin"])
    assert not any(second.in_apps.values())


def test_a_programme_tutor_is_found_downloaded_and_erased_through_the_privacy_pages(
    client_for, world
):
    from tutti.programmes.models import SitePerson
    from tutti.programmes.tests.test_person_data import TIM, tim_in_programmes

    tim, _ = tim_in_programmes(world)
    client = client_for("admin")
    html = client.get(PERSON, {"email": TIM}).content.decode()
    assert "<dt>Programmes with schools</dt><dd>5</dd>" in html
    data, summary = read_zip(client.post(DOWNLOAD, {"email": TIM}).content)
    assert {row["role"] for row in data["programmes"]} >= {"Tutor", "SENCo", "Reflection"}
    assert "<h2>Programmes with schools</h2>" in summary
    erase_page = client.get(ERASE, {"email": TIM}).content.decode()
    assert "1 place in a programme&#x27;s team removed." in erase_page
    assert "only lead" in erase_page
    client.post(ERASE, {"email": TIM, "confirm": "on"})
    assert not SitePerson.objects.filter(user=tim).exists()
