"""A partner's return through its signed link: no account, the same rules as partner staff."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail, signing
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.participation import tokens
from tutti.participation.emails import reminder_email
from tutti.participation.figures import compute_figures, load_year
from tutti.participation.models import SubmissionStatus, WcetProgramme
from tutti.participation.services import RETURN_SENT
from tutti.participation.tests.factories import CollectionFactory, SubmissionFactory, WcetFactory
from tutti.participation.tests.test_collections import GOOD, WCET_FORM, YEAR, _filled
from tutti.participation.tokens import return_link_path


@pytest.fixture
def submission(world):
    return SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )


@pytest.fixture
def link(world, submission):
    return return_link_path(hub=world.hub, submission_id=submission.pk)


def _figure(world, key):
    return {f.figure.key: f.value for f in compute_figures(load_year(hub=world.hub, year=YEAR))}[
        key
    ]


def test_anyone_with_the_link_adds_a_record_and_sends_the_return(
    client, client_for, world, submission, link
):
    page = client.get(link)
    assert page.status_code == 200
    assert f"Data return {submission.collection.year_label}: {world.partner.name}" in (
        page.content.decode()
    )
    form = client.get(f"{link}add/wcet/")
    assert form.status_code == 200
    assert "id_partner" not in form.content.decode()
    response = client.post(f"{link}add/wcet/", WCET_FORM)
    assert response.status_code == 302
    assert response["Location"] == link
    record = WcetProgramme.objects.get(hub=world.hub, year=YEAR)
    assert (record.partner, record.submission) == (world.partner, submission)
    assert "Ukulele, Year 4" in client.get(link).content.decode()
    assert _figure(world, "wcet-pupils") == 0

    assert client.post(f"{link}submit/").status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by is None
    assert _figure(world, "wcet-pupils") == 28
    # Staff see it on the collection's page.
    staff_page = client_for("staff").get(
        f"/wiltshire/manage/participation/collections/{submission.collection_id}/"
    )
    assert "1 of 1 delivery partner has sent their return" in staff_page.content.decode()

    done = client.get(link).content.decode()
    assert "Submitted" in done and "Thank you" in done
    # The audit log says who: nobody signed in, through the link.
    for action in ("participation.wcet.created", "participation.submission.submitted"):
        entry = AuditLog.objects.get(action=action)
        assert entry.actor is None
        assert entry.data["via"] == "link"


def test_link_pages_are_kept_out_of_search_engines_and_referrers(client, link):
    for path in (link, f"{link}add/wcet/", f"{link}template.xlsx", f"{link[:-5]}xx/"):
        response = client.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow", path
        assert response["Referrer-Policy"] == "same-origin", path


def test_the_spreadsheet_through_the_link(client, world, submission, link):
    response = client.get(f"{link}template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = client.post(link, {"file": _filled(world, submission, GOOD)})
    assert upload.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert _figure(world, "wcet-pupils") == 30
    entry = AuditLog.objects.get(action="participation.submission.submitted")
    assert (entry.actor, entry.data["via"], entry.data["records"]) == (None, "link", 7)


def test_a_bad_upload_through_the_link_stores_nothing(client, world, submission, link):
    bad = {"WCET": [[999999, "", "Year 4", "Ukulele", 30, 30, 45, 5]]}
    response = client.post(link, {"file": _filled(world, submission, bad)})
    assert response.status_code == 400
    assert "no school" in response.content.decode()
    assert not WcetProgramme.objects.exists()


def test_the_link_edits_and_deletes_its_returns_records(client, world, submission, link):
    record = WcetFactory(
        hub=world.hub, partner=world.partner, school=world.school, year=YEAR, submission=submission
    )
    page = client.get(link).content.decode()
    assert f"{link}records/wcet/{record.pk}/edit/" in page
    assert f"{link}records/wcet/{record.pk}/delete/" in page
    edit = f"{link}records/wcet/{record.pk}/edit/"
    assert client.get(edit).status_code == 200
    response = client.post(edit, WCET_FORM | {"pupils": 31})
    assert response.status_code == 302
    assert response["Location"] == link
    record.refresh_from_db()
    assert record.pupils == 31
    entry = AuditLog.objects.get(action="participation.wcet.updated")
    assert (entry.actor, entry.data["via"]) == (None, "link")

    delete = f"{link}records/wcet/{record.pk}/delete/"
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not WcetProgramme.objects.exists()
    assert AuditLog.objects.get(action="participation.wcet.deleted").data["via"] == "link"


def test_once_sent_the_link_changes_nothing(client, world, submission, link):
    record = WcetFactory(
        hub=world.hub, partner=world.partner, school=world.school, year=YEAR, submission=submission
    )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at"])

    upload = client.post(link, {"file": _filled(world, submission, GOOD)})
    assert upload.status_code == 400
    assert RETURN_SENT in upload.content.decode()
    added = client.post(f"{link}add/wcet/", WCET_FORM, follow=True)
    assert "already been sent" in added.content.decode()
    edited = client.post(f"{link}records/wcet/{record.pk}/edit/", WCET_FORM, follow=True)
    assert RETURN_SENT in edited.content.decode()
    deleted = client.post(f"{link}records/wcet/{record.pk}/delete/", follow=True)
    assert RETURN_SENT in deleted.content.decode()
    resent = client.post(f"{link}submit/", follow=True)
    assert "already submitted" in resent.content.decode()
    assert WcetProgramme.objects.get().pupils == 30
    assert not AuditLog.objects.filter(data__via="link").exists()


def test_a_changed_token_is_400(client, submission, link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.get(link.replace(token, token[:-2] + "xx"))
    assert response.status_code == 400
    assert "not complete, or has been changed" in response.content.decode()
    assert client.get(link.replace(token, "nonsense")).status_code == 400


def test_an_expired_link_is_410(client, monkeypatch, link):
    monkeypatch.setattr(tokens, "MAX_AGE", dt.timedelta(seconds=-1))
    response = client.get(link)
    assert response.status_code == 410
    assert "Ask the music hub for a new link" in response.content.decode()


def test_a_link_for_another_return_is_not_found(client, world, submission):
    other = SubmissionFactory(collection=submission.collection)
    token = tokens.return_token(hub_id=world.hub.pk, submission_id=other.pk)
    assert client.get(f"/wiltshire/returns/{submission.pk}/{token}/").status_code == 404
    # A well-signed token naming a return that does not exist.
    token = tokens.return_token(hub_id=world.hub.pk, submission_id=999999)
    assert client.get(f"/wiltshire/returns/999999/{token}/").status_code == 404


def test_a_link_is_for_its_own_hub_only(client, world, submission, link):
    assert client.get(link.replace("/wiltshire/", "/cambridgeshire/")).status_code == 404
    theirs = SubmissionFactory(collection=CollectionFactory(hub=world.other_hub, year=YEAR))
    token = tokens.return_token(hub_id=world.other_hub.pk, submission_id=theirs.pk)
    assert client.get(f"/wiltshire/returns/{theirs.pk}/{token}/").status_code == 404
    assert client.get(f"/cambridgeshire/returns/{theirs.pk}/{token}/").status_code == 200


def test_the_link_reaches_only_its_own_returns_records(client, world, submission, link):
    other = SubmissionFactory(collection=submission.collection)
    theirs = WcetFactory(
        hub=world.hub, partner=other.partner, school=world.school, year=YEAR, submission=other
    )
    # The partner's own record entered by the hub is not part of this return either.
    hubs = WcetFactory(hub=world.hub, partner=world.partner, school=world.school, year=YEAR)
    for record in (theirs, hubs):
        for action in ("edit", "delete"):
            url = f"{link}records/wcet/{record.pk}/{action}/"
            assert client.get(url).status_code == 404
            assert client.post(url, WCET_FORM).status_code == 404
    assert WcetProgramme.objects.count() == 2
    assert client.get(f"{link}add/nonsense/").status_code == 404


def test_staff_see_each_partners_link_to_copy(client_for, world, submission):
    response = client_for("staff").get(
        f"/wiltshire/manage/participation/collections/{submission.collection_id}/"
    )
    html = response.content.decode()
    # From the page's own host, like every link built during a request. The token is signed
    # with the time, so it is read back rather than compared with one made here.
    shown = re.search(r'value="http://testserver(/wiltshire/returns/(\d+)/([^/"]+)/)"', html)
    assert shown, html
    assert int(shown[2]) == submission.pk
    read = tokens.return_link_read(shown[3])
    assert (read.hub_id, read.submission_id) == (world.hub.pk, submission.pk)
    assert f"Copy the link for {world.partner.name}" in html


def test_the_reminder_email_carries_the_link_and_it_works(client, world, submission):
    world.partner.email = "office@wmc.example"
    world.partner.save(update_fields=["email"])
    message = reminder_email(submission)
    assert "Open this link to fill in the return; no account needed" in message.body
    assert f"/manage/participation/returns/{submission.pk}/" in message.body
    url = next(line for line in message.body.splitlines() if "/wiltshire/returns/" in line)
    assert url.startswith(settings.SITE_URL)
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert world.partner.name in response.content.decode()
    assert mail.outbox == []


def test_signing_is_specific_to_return_links(world, submission):
    # A token signed for something else (another salt) is not a return link.
    token = signing.dumps([world.hub.pk, submission.pk], salt="tutti.provision.audit-link")
    with pytest.raises(tokens.LinkProblem) as problem:
        tokens.return_link_read(token)
    assert problem.value.status == 400
