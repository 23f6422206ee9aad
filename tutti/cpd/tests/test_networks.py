"""CPD networks end to end through the pages: joining, the members-only space, days, claims,
certificates, peer visits and surveys."""

import csv
import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from openpyxl import load_workbook

from tutti.accounts.tests.factories import UserFactory
from tutti.cpd import services
from tutti.cpd.certificates import certificate_code
from tutti.cpd.models import (
    ClaimStatus,
    MemberStatus,
    NetworkMember,
    PeerVisit,
    Question,
    Resource,
    SupplyClaim,
    Survey,
    SurveyResponse,
    Thread,
)
from tutti.cpd.tests.factories import attend, cpd_world, member_of, network_of
from tutti.events.models import AttendanceStatus, Booking

BASE = "/wiltshire/networks/primary-music/"


@pytest.fixture
def cpd(world):
    return cpd_world(world)


def test_teacher_asks_to_join_and_a_facilitator_approves(
    client_for, world, cpd, django_capture_on_commit_callbacks
):
    teacher = UserFactory(email="ada@example.org")
    client = client_for("anonymous")
    client.force_login(teacher)
    response = client.post(f"{BASE}join/", {"school": world.school.pk, "message": "KS2 lead"})
    assert response.status_code == 302
    request = NetworkMember.objects.get(network=cpd.network, email="ada@example.org")
    assert request.status == MemberStatus.REQUESTED
    assert client.get(f"{BASE}space/").status_code == 404

    facilitator = client_for("coordinator")
    page = facilitator.get(f"{BASE}members/")
    assert "KS2 lead" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(f"{BASE}members/{request.pk}/", {"action": "approve"})
    request.refresh_from_db()
    assert request.status == MemberStatus.ACTIVE
    assert mail.outbox[-1].to == ["ada@example.org"]
    assert "Welcome" in mail.outbox[-1].subject
    client.force_login(teacher)
    assert client.get(f"{BASE}space/").status_code == 200


def test_a_school_of_another_hub_cannot_join(client_for, world, cpd):
    client = client_for("outsider")
    response = client.post(f"{BASE}join/", {"school": world.other_school.pk})
    assert response.status_code == 400
    assert not NetworkMember.objects.filter(user=world.users["outsider"]).exists()


def test_a_plain_member_cannot_manage_members(client_for, cpd):
    assert client_for("plain").get(f"{BASE}members/").status_code == 403
    response = client_for("plain").post(f"{BASE}members/{cpd.member.pk}/", {"action": "remove"})
    assert response.status_code == 403


def test_invitation_is_accepted_by_the_person_signed_in_with_that_address(
    client_for, world, cpd, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(
            f"{BASE}members/", {"email": "Bea@Example.org", "name": "Bea", "role": "member"}
        )
    invited = NetworkMember.objects.get(network=cpd.network, email="bea@example.org")
    assert invited.status == MemberStatus.INVITED
    assert mail.outbox[-1].to == ["bea@example.org"]
    bea = UserFactory(email="bea@example.org")
    client = client_for("anonymous")
    client.force_login(bea)
    assert client.get(f"{BASE}space/").status_code == 404
    client.post(f"{BASE}accept/")
    assert client.get(f"{BASE}space/").status_code == 200


def test_the_space_is_404_for_another_networks_member_and_another_hub(client_for, world, cpd):
    other_teacher = UserFactory()
    member_of(cpd.other_network, other_teacher, school=world.school)
    client = client_for("anonymous")
    client.force_login(other_teacher)
    assert client.get(f"{BASE}space/").status_code == 404
    assert client.get(f"{BASE}space/{cpd.thread.pk}/").status_code == 404
    assert client.get("/wiltshire/networks/secondary-music/space/").status_code == 200
    # The same network slug through another hub's address is no network at all.
    assert (
        client_for("plain").get("/cambridgeshire/networks/primary-music/space/").status_code == 404
    )


def test_members_book_early_and_the_public_waits(world, cpd):
    network = cpd.network
    day = services.day_create(
        network=network,
        spec=services.DaySpec(
            term="summer",
            year=2025,
            day=(timezone.localdate() + timedelta(days=40)),
            starts=time(9),
            ends=time(15, 30),
            venue_name="The Minster School, Southwell",
            public_opens_on=timezone.localdate() + timedelta(days=7),
        ),
        by=world.users["staff"],
    )
    assert day.event.is_published
    booking = services.day_book(day=day, member=cpd.member, by=world.users["plain"])
    assert booking.status == "confirmed"
    from tutti.events.services import BookingError, booking_create

    with pytest.raises(BookingError, match="Booking opens on"):
        booking_create(event=day.event, name="Public", email="public@example.org")


def test_a_members_only_day_never_opens_to_the_public(world, cpd):
    day = services.day_create(
        network=cpd.network,
        spec=services.DaySpec(
            term="summer",
            year=2026,
            day=timezone.localdate() + timedelta(days=10),
            starts=time(9),
            ends=time(15),
            venue_name="Online",
        ),
        by=world.users["staff"],
    )
    from tutti.events.services import booking_refusal

    assert booking_refusal(day.event)
    assert services.day_book(day=day, member=cpd.member, by=None).status == "confirmed"


def test_facilitator_takes_the_register(client_for, cpd):
    booking = Booking.objects.get(event=cpd.past_day.event, email=cpd.member.email)
    response = client_for("coordinator").post(
        f"{BASE}days/{cpd.past_day.pk}/attendance/", {f"booking-{booking.pk}": "absent"}
    )
    assert response.status_code == 302
    assert booking.attendances.get().status == AttendanceStatus.ABSENT


def test_a_school_claims_for_a_teacher_who_attended_once_only(client_for, world, cpd):
    client = client_for("plain")
    url = f"{BASE}claims/days/{cpd.past_day.pk}/"
    assert client.post(url, {"members": [cpd.member.pk]}).status_code == 302
    claim = SupplyClaim.objects.get()
    assert (claim.amount, claim.school, claim.status) == (
        Decimal("110.00"),
        world.school,
        "pending",
    )
    # Twice: the teacher is no longer a choice, and the service and the database refuse.
    assert client.post(url, {"members": [cpd.member.pk]}).status_code == 400
    with pytest.raises(services.CpdConflict):
        services.claim_create(day=cpd.past_day, members=[cpd.member], school=world.school, by=None)
    with pytest.raises(IntegrityError):
        SupplyClaim.objects.create(
            day=cpd.past_day, member=cpd.member, school=world.school, amount=1
        )


def test_no_claim_for_a_day_not_attended(world, cpd):
    with pytest.raises(services.CpdError, match="not recorded as attending"):
        services.claim_create(day=cpd.next_day, members=[cpd.member], school=world.school, by=None)
    attend(cpd.past_day, cpd.facilitator, status=AttendanceStatus.ABSENT)
    with pytest.raises(services.CpdError, match="not recorded as attending"):
        services.claim_create(
            day=cpd.past_day, members=[cpd.facilitator], school=world.school, by=None
        )
    assert not SupplyClaim.objects.exists()


def test_staff_reject_with_a_reason_and_approve_and_export(client_for, world, cpd):
    world.school.name = "=HYPERLINK(1)"
    world.school.save(update_fields=["name"])
    claim = services.claim_create(
        day=cpd.past_day, members=[cpd.member], school=world.school, by=None
    )[0]
    staff = client_for("staff")
    url = f"/wiltshire/manage/networks/claims/{claim.pk}/"
    assert staff.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    assert staff.post(url, {"decision": "approve"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    text = staff.get("/wiltshire/manage/networks/claims.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["'=HYPERLINK(1)", "126000"]
    assert ["'=HYPERLINK(1)", "126000", "1", "110.0"] in rows
    book = load_workbook(io.BytesIO(staff.get("/wiltshire/manage/networks/claims.xlsx").content))
    totals = list(book["Totals per school"].values)
    assert totals[1] == ("'=HYPERLINK(1)", 126000, 1, 110)
    # The school sees the answer.
    assert "Approved" in client_for("plain").get(f"{BASE}claims/").content.decode()


def test_certificate_downloads_and_its_code_verifies(client_for, cpd):
    response = client_for("plain").get(f"{BASE}certificates/day-{cpd.past_day.pk}.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    code = certificate_code(member=cpd.member, day_id=cpd.past_day.pk, year=2025)
    page = client_for("anonymous").get(f"/wiltshire/networks/certificates/{code}/")
    assert page.status_code == 200
    assert "This certificate is genuine" in page.content.decode()
    altered = code[:-2] + ("AA" if not code.endswith("AA") else "BB")
    page = client_for("anonymous").get(f"/wiltshire/networks/certificates/{altered}/")
    assert page.status_code == 400
    assert "not a genuine certificate" in page.content.decode()
    # Another hub's address does not confirm it either.
    assert (
        client_for("anonymous").get(f"/cambridgeshire/networks/certificates/{code}/").status_code
        == 404
    )


def test_posts_are_sanitised_and_emailed_to_members_who_want_them(
    client_for, world, cpd, django_capture_on_commit_callbacks
):
    other = member_of(cpd.network, UserFactory(email="cy@example.org"), school=world.school)
    quiet = member_of(cpd.network, UserFactory(email="di@example.org"), school=world.school)
    quiet.notify_posts = False
    quiet.save()
    mail.outbox.clear()
    client = client_for("plain")
    body = "**Hello** <script>alert(1)</script> [x](javascript:alert(1))"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}space/new/", {"title": "Warm-ups", "body": body})
    assert response.status_code == 302
    thread = Thread.objects.get(title="Warm-ups")
    html = client.get(f"{BASE}space/{thread.pk}/").content.decode()
    assert "<strong>Hello</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert other.email in recipients and cpd.facilitator.email in recipients
    assert quiet.email not in recipients and cpd.member.email not in recipients


def test_facilitator_pins_and_hides(client_for, cpd):
    url = f"{BASE}space/{cpd.thread.pk}/moderate/"
    assert client_for("plain").post(url, {"action": "hide"}).status_code == 404
    client_for("coordinator").post(url, {"action": "pin"})
    client_for("coordinator").post(url, {"action": "hide"})
    cpd.thread.refresh_from_db()
    assert cpd.thread.pinned and cpd.thread.hidden
    assert client_for("plain").get(f"{BASE}space/{cpd.thread.pk}/").status_code == 404


def test_resources_refuse_large_files_and_refused_types(client_for, cpd, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("plain")
    url = f"{BASE}resources/new/"
    exe = SimpleUploadedFile("tool.exe", b"MZ")
    assert client.post(url, {"title": "T", "description": "D", "file": exe}).status_code == 400
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    assert client.post(url, {"title": "T", "description": "D", "file": big}).status_code == 400
    assert not Resource.objects.exists()
    ok = SimpleUploadedFile("songs.pdf", b"%PDF-1.4 songs")
    response = client.post(
        url, {"title": "Songs", "description": "KS1", "tags": "singing", "file": ok}
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    download = client.get(f"{BASE}resources/{resource.pk}/file/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 songs"
    assert client_for("staff").get(f"{BASE}resources/{resource.pk}/file/").status_code == 404


def test_survey_answer_outside_its_choices_is_refused(client_for, cpd):
    survey = Survey.objects.create(network=cpd.network, title="Needs", is_open=True)
    q = Question.objects.create(survey=survey, kind="one", text="Key stage", choices=["KS1", "KS2"])
    url = f"{BASE}surveys/{survey.pk}/answer/"
    assert client_for("plain").post(url, {f"q{q.pk}": "KS9"}).status_code == 400
    assert not SurveyResponse.objects.exists()
    with pytest.raises(services.CpdError):
        services.response_submit(survey=survey, answers={str(q.pk): "KS9"}, member=cpd.member)
    assert client_for("plain").post(url, {f"q{q.pk}": "KS2"}).status_code == 200
    assert client_for("plain").post(url, {f"q{q.pk}": "KS1"}).status_code == 400
    assert SurveyResponse.objects.count() == 1
    results = client_for("coordinator").get(f"{BASE}surveys/{survey.pk}/").content.decode()
    assert "1 of 1" in results


def test_peer_visit_offered_taken_up_accepted_and_reflected(world, cpd):
    visit = services.visit_propose(
        host=cpd.facilitator, visitor=None, focus="Singing assembly", by_member=cpd.facilitator
    )
    services.visit_take_up(visit=visit, visitor=cpd.member)
    with pytest.raises(services.CpdError):
        services.visit_answer(visit=visit, accept=True, on=None, by=None)
    services.visit_answer(visit=visit, accept=True, on=date.today(), by=None)  # noqa: DTZ011
    services.visit_reflect(visit=visit, member=cpd.member, text="Lots of call and response.")
    visit = PeerVisit.objects.get()
    assert visit.visitor_reflection
    from tutti.cpd.selectors import member_record

    assert member_record(member=cpd.member).visits == [visit]


def test_a_network_of_another_hub_is_not_listed(client_for, world):
    network_of(world.other_hub, slug="fen-cpd", name="Fenland CPD")
    assert "Fenland CPD" not in client_for("anonymous").get("/wiltshire/networks/").content.decode()
    assert client_for("anonymous").get("/wiltshire/networks/fen-cpd/").status_code == 404


def test_cpd_figures_come_from_attendance(world, cpd):
    from tutti.cpd.selectors import cpd_figures

    attend(cpd.past_day, cpd.facilitator, status=AttendanceStatus.ABSENT)
    figures = cpd_figures(hub=world.hub, year=2025)
    assert (figures.teachers, figures.schools, figures.hours) == (1, 1, 6.0)
    assert cpd_figures(hub=world.other_hub, year=2025).teachers == 0


def test_retention_deletes_old_refused_places_but_keeps_members_and_claims(world, cpd):
    from tutti.cpd.retention import delete_old_network_places

    refused = member_of(cpd.network, UserFactory(), status=MemberStatus.REFUSED)
    NetworkMember.objects.filter(pk=refused.pk).update(
        updated_at=timezone.now() - timedelta(days=800)
    )
    assert delete_old_network_places(world.hub, timezone.now()) == 1
    assert delete_old_network_places(world.hub, timezone.now()) == 0
    assert NetworkMember.objects.filter(pk=cpd.member.pk).exists()


def test_a_school_answers_by_link_and_an_altered_link_is_refused(client_for, world, cpd):
    from urllib.parse import urlparse

    from tutti.cpd.views.surveys import school_link

    survey = Survey.objects.create(network=cpd.network, title="Needs", is_open=True)
    q = Question.objects.create(survey=survey, kind="several", text="Topics", choices=["A", "B"])
    path = urlparse(school_link(survey)).path
    client = client_for("anonymous")
    response = client.post(path, {"school": world.school.pk, f"q{q.pk}": ["A", "B"]})
    assert response.status_code == 200
    answer = SurveyResponse.objects.get()
    assert answer.school == world.school and answer.answers == {str(q.pk): ["A", "B"]}
    # A school of another hub is not a choice.
    response = client.post(path, {"school": world.other_school.pk, f"q{q.pk}": ["A"]})
    assert response.status_code == 400
    assert client.get(path[:-4] + "abc/").status_code == 400
    assert SurveyResponse.objects.count() == 1


def test_planning_page_shows_the_audits_cpd_wanted_beside_the_surveys(client_for, world, cpd):
    from tutti.provision.tests.factories import SchoolAuditFactory

    SchoolAuditFactory(hub=world.hub, school=world.school, year=2025, cpd_wanted=["singing"])
    page = client_for("coordinator").get(f"{BASE}planning/").content.decode()
    assert "1 school answered the audit for 2025/26" in page
    assert "Leading singing" in page and "1 of 1 school" in page


def test_a_member_turns_off_emails_and_leaves(client_for, cpd):
    client = client_for("plain")
    client.post(f"{BASE}my-settings/", {})
    cpd.member.refresh_from_db()
    assert cpd.member.notify_posts is False
    client.post(f"{BASE}my-settings/", {"leave": "1"})
    assert client.get(f"{BASE}space/").status_code == 404
    code = certificate_code(member=cpd.member, day_id=cpd.past_day.pk, year=2025)
    assert client.get(f"/wiltshire/networks/certificates/{code}/").status_code == 200


def test_staff_approve_several_claims_at_once(client_for, world, cpd):
    claim = services.claim_create(
        day=cpd.past_day, members=[cpd.member], school=world.school, by=None
    )[0]
    staff = client_for("staff")
    assert staff.post("/wiltshire/manage/networks/claims/", {"claim": ["x"]}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    staff.post("/wiltshire/manage/networks/claims/", {"claim": [str(claim.pk)]})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_peer_visit_through_the_pages(client_for, cpd):
    facilitator = client_for("coordinator")
    response = facilitator.post(f"{BASE}visits/", {"kind": "offer", "focus": "Year 2 singing"})
    assert response.status_code == 302
    visit = PeerVisit.objects.get()
    teacher = client_for("plain")
    teacher.post(f"{BASE}visits/{visit.pk}/", {"take-up": "1"})
    visit.refresh_from_db()
    assert visit.visitor == cpd.member and visit.status == "requested"
    # Only the host answers; the date is needed to accept.
    teacher.post(f"{BASE}visits/{visit.pk}/", {"answer": "accept", "date": "2025-01-10"})
    visit.refresh_from_db()
    assert visit.status == "requested"
    facilitator = client_for("coordinator")
    facilitator.post(f"{BASE}visits/{visit.pk}/", {"answer": "accept", "date": ""})
    visit.refresh_from_db()
    assert visit.status == "requested"
    facilitator.post(f"{BASE}visits/{visit.pk}/", {"answer": "accept", "date": "2025-01-10"})
    visit.refresh_from_db()
    assert visit.status == "accepted"
    client_for("plain").post(f"{BASE}visits/{visit.pk}/", {"text": "Great warm-ups."})
    visit.refresh_from_db()
    assert visit.visitor_reflection == "Great warm-ups."
    page = client_for("plain").get(f"{BASE}my-record/").content.decode()
    assert "you visited" in page
    # Asking to visit someone needs the member chosen.
    response = client_for("plain").post(f"{BASE}visits/", {"kind": "request", "focus": "KS2"})
    assert response.status_code == 400
