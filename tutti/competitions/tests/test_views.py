import io
import os
import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from tutti.competitions.models import Entry, Result
from tutti.competitions.tests.factories import EntryFactory
from tutti.competitions.tokens import VIDEO_URL_LIFETIME
from tutti.competitions.video import LimitedVideoUploadHandler
from tutti.core.models import AuditLog


def form_data(comp, world, **changes):
    data = {
        "first_name": "Ava",
        "last_name": "Jones",
        "date_of_birth": date(comp.competition.age_on.year - 12, 1, 10).isoformat(),
        "category": comp.strings.pk,
        "school": f"Devizes Primary School (URN {world.school.urn})",
        "piece_1_title": "Meditation",
        "piece_1_composer": "Massenet",
        "piece_1_minutes": "4",
        "contact_name": "Sam Jones",
        "contact_email": "sam@example.org",
        "consent_judged": "on",
    }
    return data | changes


def enter_url(comp):
    return f"/wiltshire/competitions/{comp.competition.slug}/enter/"


def test_a_parent_enters_uploads_a_video_and_sees_the_preview(
    client, comp, world, test_video, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(enter_url(comp), form_data(comp, world))
    assert response.status_code == 302
    video_page = response["Location"]
    assert video_page.endswith("/video/")
    assert mailoutbox[0].to == ["sam@example.org"]
    with test_video.open("rb") as f:
        response = client.post(video_page, {"video": f})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Your video is uploaded" in html
    src = re.search(r'<video[^>]* src="([^"]+)"', html).group(1)
    video = client.get(src)
    assert video.status_code == 200
    assert video["Content-Type"] == "video/mp4"
    assert "no-store" in video["Cache-Control"] and "noindex" in video["X-Robots-Tag"]
    assert b"".join(video.streaming_content)[4:8] == b"ftyp"
    assert AuditLog.objects.filter(action="read.competitions.video").count() == 1
    # Another browser, even with the address: refused.
    assert Client().get(src).status_code == 403


def test_a_video_address_stops_working_after_its_lifetime(
    client, comp, world, test_video, monkeypatch
):
    client.post(enter_url(comp), form_data(comp, world))
    entry = Entry.objects.get()
    from tutti.competitions.emails import entry_link

    with test_video.open("rb") as f:
        client.post(f"{entry_link(entry)}video/", {"video": f})
    html = client.get(entry_link(entry)).content.decode()
    src = re.search(r'<video[^>]* src="([^"]+)"', html).group(1)
    later = timezone.now().timestamp() + VIDEO_URL_LIFETIME.total_seconds() + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(src)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent_judged": ""}, "Tick the consent to enter and be judged"),
        ({"date_of_birth": "2001-01-01"}, "Choose a category for their age"),
        ({"school": "No Such School"}, "cannot find this school"),
        ({"school": "Ely Primary School (URN 110000)"}, "not in Wiltshire Music Connect"),
    ],
)
def test_bad_entries_are_refused_with_a_message_and_nothing_stored(
    client, comp, world, changes, message
):
    response = client.post(enter_url(comp), form_data(comp, world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_a_second_entry_in_a_category_is_refused(client, comp, world):
    client.post(enter_url(comp), form_data(comp, world))
    response = client.post(enter_url(comp), form_data(comp, world))
    assert response.status_code == 400
    assert "already entered in Strings" in response.content.decode()
    assert Entry.objects.count() == 1


def _stored_files():
    root = default_storage.location
    return [f for _, _, files in os.walk(root) for f in files] if os.path.exists(root) else []


def test_uploads_that_are_not_videos_or_too_large_are_refused(client, comp, world, tmp_path):
    client.post(enter_url(comp), form_data(comp, world))
    entry = Entry.objects.get()
    from tutti.competitions.emails import entry_link

    url = f"{entry_link(entry)}video/"
    text = tmp_path / "notes.mp4"
    text.write_text("these are my notes, not a video")
    with text.open("rb") as f:
        response = client.post(url, {"video": f})
    assert response.status_code == 400
    assert "not a video we can play" in response.content.decode()
    comp.competition.max_video_mb = 1
    comp.competition.save()
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(1024 * 1024 + 10))
    with big.open("rb") as f:
        response = client.post(url, {"video": f})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert _stored_files() == []
    entry.refresh_from_db()
    assert not entry.video


def test_an_upload_that_stops_halfway_leaves_nothing_behind():
    handler = LimitedVideoUploadHandler(None, max_bytes=10_000)
    handler.new_file("video", "half.mp4", "video/mp4", 20_000)
    handler.receive_data_chunk(b"x" * 5_000, 0)
    path = handler.file.temporary_file_path()
    assert os.path.exists(path)
    handler.upload_interrupted()
    assert not os.path.exists(path)


def test_a_too_large_upload_is_dropped_as_it_arrives():
    handler = LimitedVideoUploadHandler(None, max_bytes=10_000)
    handler.new_file("video", "big.mp4", "video/mp4", None)
    path = handler.file.temporary_file_path()
    handler.receive_data_chunk(b"x" * 8_000, 0)
    assert handler.receive_data_chunk(b"x" * 8_000, 8_000) is None
    assert handler.too_large and not os.path.exists(path)
    assert handler.file_complete(16_000) is None


def judge_client(world):
    client = Client()
    client.force_login(world.users["plain"])
    return client


def test_judging_is_blind(comp, world):
    entry = EntryFactory(
        category=comp.strings,
        first_name="Zephyrine",
        last_name="Quillfeather",
        home_educated=False,
        school=world.school,
    )
    url = f"/wiltshire/competitions/{comp.competition.slug}/judging/{entry.number}/"
    for page in (url, f"/wiltshire/competitions/{comp.competition.slug}/judging/"):
        html = judge_client(world).get(page).content.decode()
        assert entry.code in html
        for secret in (
            "Zephyrine",
            "Quillfeather",
            "Devizes Primary",
            str(entry.date_of_birth.year),
        ):
            assert secret not in html, (page, secret)


def test_an_adjudicator_scores_and_bad_marks_are_refused(comp, world):
    entry = EntryFactory(category=comp.strings)
    url = f"/wiltshire/competitions/{comp.competition.slug}/judging/{entry.number}/"
    technique, musicality = comp.competition.criteria.all()
    client = judge_client(world)
    response = client.post(url, {f"mark_{technique.pk}": "12", f"mark_{musicality.pk}": "5"})
    assert response.status_code == 400
    assert "Give a mark from 0 to 10" in response.content.decode()
    assert not entry.scores.exists()
    response = client.post(
        url, {f"mark_{technique.pk}": "8", f"mark_{musicality.pk}": "5", "feedback": "Bravo"}
    )
    assert response.status_code == 302
    assert entry.scores.get().feedback == "Bravo"


def test_a_conflicted_adjudicator_cannot_open_the_entry(comp, world):
    entry = EntryFactory(category=comp.strings)
    base = f"/wiltshire/competitions/{comp.competition.slug}/judging/{entry.number}/"
    client = judge_client(world)
    assert client.get(base).status_code == 200
    response = client.post(f"{base}conflict/", {"reason": "teacher"})
    assert response.status_code == 302
    assert client.get(base).status_code == 404
    assert client.post(base, {}).status_code == 404
    # Another category's entry was never theirs.
    other = EntryFactory(category=comp.brass)
    url = f"/wiltshire/competitions/{comp.competition.slug}/judging/{other.number}/"
    assert client.get(url).status_code == 404


def test_staff_shortlist_emails_families_and_results_show_names_only_with_consent(
    client_for, comp, world, mailoutbox, django_capture_on_commit_callbacks
):
    named = EntryFactory(
        category=comp.strings, first_name="Named", consent_public_at=timezone.now()
    )
    hidden = EntryFactory(
        category=comp.strings, first_name="Hidden", home_educated=False, school=world.school
    )
    staff = client_for("staff")
    url = f"/wiltshire/manage/competitions/{comp.competition.pk}/scores/"
    assert staff.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            url, {f"result_{named.pk}": Result.WINNER, f"result_{hidden.pk}": Result.FINALIST}
        )
    assert response.status_code == 302
    assert {m.to[0] for m in mailoutbox} == {named.contact_email, hidden.contact_email}
    publish = f"/wiltshire/manage/competitions/{comp.competition.pk}/publish/"
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(publish)
    html = Client().get(f"/wiltshire/competitions/{comp.competition.slug}/results/").content
    html = html.decode()
    assert "Named Example" in html
    assert "Hidden" not in html
    assert "a young musician from a" in html


def test_the_certificate_is_a_tagged_pdf(client, comp, world):
    entry = EntryFactory(category=comp.strings)
    comp.competition.results_published_at = timezone.now()
    comp.competition.save()
    from tutti.competitions.emails import entry_link

    response = client.get(f"{entry_link(entry)}certificate.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_staff_see_an_entry_and_each_view_is_audited(client_for, comp, world):
    entry = EntryFactory(category=comp.strings)
    staff = client_for("staff")
    base = f"/wiltshire/manage/competitions/{comp.competition.pk}/"
    assert entry.first_name in staff.get(f"{base}entries/").content.decode()
    assert staff.get(f"{base}entries/{entry.pk}/").status_code == 200
    assert AuditLog.objects.filter(action="read.competitions.entries").exists()
    assert AuditLog.objects.filter(action="read.competitions.entry", object_id=str(entry.pk))
    assert staff.get(base).status_code == 200


def test_a_replaced_family_link_answers_410(client_for, comp, world):
    entry = EntryFactory(category=comp.strings)
    from tutti.competitions.emails import entry_link

    old = entry_link(entry)
    client_for("staff").post(
        f"/wiltshire/manage/competitions/{comp.competition.pk}/entries/{entry.pk}/",
        {"new_link": "1"},
    )
    assert Client().get(old).status_code == 410
    entry.refresh_from_db()
    assert Client().get(entry_link(entry)).status_code == 200


def test_an_adjudicator_accepts_by_making_an_account(comp, world):
    from tutti.competitions.services import adjudicator_invite

    adjudicator, token = adjudicator_invite(
        competition=comp.competition,
        by=None,
        name="Nia Evans",
        email="nia@example.org",
        categories=[comp.brass],
    )
    client = Client()
    url = f"/wiltshire/competitions/adjudicators/{token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": "a long enough passphrase"})
    assert response.status_code == 302
    adjudicator.refresh_from_db()
    assert adjudicator.user.email == "nia@example.org"
    assert client.get(response["Location"]).status_code == 200


def test_the_video_upload_still_checks_the_csrf_token(comp, world, test_video):
    entry = EntryFactory(category=comp.strings)
    from tutti.competitions.emails import entry_link

    client = Client(enforce_csrf_checks=True)
    with test_video.open("rb") as f:
        response = client.post(f"{entry_link(entry)}video/", {"video": f})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert not entry.video
    assert _stored_files() == []
