"""The staff pages: lists, members, writing, previewing, testing and sending issues."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tutti.core.models import AuditLog
from tutti.newsletters.models import (
    ConsentAction,
    ConsentRecord,
    Issue,
    IssueImage,
    IssueStatus,
    ListKind,
    NewsletterList,
    Subscription,
)
from tutti.newsletters.rendering import issue_content
from tutti.newsletters.selectors import list_growth
from tutti.newsletters.tests.factories import (
    IssueFactory,
    NewsletterListFactory,
    SubscriptionFactory,
    subscribe,
)

BASE = "/wiltshire/manage/newsletters"


@pytest.fixture
def news(world):
    return NewsletterListFactory(hub=world.hub, name="Wiltshire news", slug="news")


@pytest.fixture
def devizes(world):
    return NewsletterListFactory(
        hub=world.hub, kind=ListKind.CLUSTER, cluster=world.cluster, name="Devizes cluster"
    )


@pytest.fixture
def chippenham(world):
    return NewsletterListFactory(
        hub=world.hub, kind=ListKind.CLUSTER, cluster=world.other_cluster, name="Chippenham"
    )


def _png(size=(4, 4)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "blue").save(data, "PNG")
    return data.getvalue()


def test_staff_create_a_cluster_list_and_a_coordinator_sees_only_their_own(
    client_for, world, news, devizes, chippenham
):
    client = client_for("staff")
    response = client.post(
        f"{BASE}/lists/new/",
        {"name": "Music leads", "description": "CPD news", "kind": "audience", "audience": ""},
    )
    assert response.status_code == 400
    assert b"Choose who this audience list is for" in response.content
    response = client.post(
        f"{BASE}/lists/new/",
        {
            "name": "Music leads",
            "description": "CPD news",
            "kind": "audience",
            "audience": "school_music_leads",
        },
    )
    assert response.status_code == 302
    assert NewsletterList.objects.get(name="Music leads").slug == "music-leads"

    page = client_for("coordinator").get(f"{BASE}/")
    assert b"Devizes cluster" in page.content
    assert b"Chippenham" not in page.content
    assert b"Wiltshire news" not in page.content


def test_a_coordinator_cannot_run_another_clusters_list(client_for, world, chippenham):
    client = client_for("coordinator")
    assert client.get(f"{BASE}/lists/{chippenham.pk}/").status_code == 403
    response = client.post(
        f"{BASE}/lists/{chippenham.pk}/members/add/",
        {"addresses": "x@example.org", "basis": "on"},
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_another_hubs_list_is_not_found(client_for, world):
    other = NewsletterListFactory(hub=world.other_hub)
    issue = IssueFactory(newsletter_list=other)
    client = client_for("staff")
    assert client.get(f"{BASE}/lists/{other.pk}/").status_code == 404
    assert client.get(f"{BASE}/issues/{issue.pk}/").status_code == 404
    assert client.post(f"{BASE}/issues/{issue.pk}/send/", {"when": "now"}).status_code == 404


def test_adding_people_needs_the_basis_and_real_addresses(client_for, world, devizes):
    client = client_for("coordinator")
    url = f"{BASE}/lists/{devizes.pk}/members/add/"
    response = client.post(url, {"addresses": "a@example.org"})
    assert response.status_code == 400
    assert b"Confirm that you have a basis" in response.content
    response = client.post(url, {"addresses": "a@example.org, not-an-address", "basis": "on"})
    assert response.status_code == 400
    assert b"not-an-address" in response.content
    assert not Subscription.objects.exists()
    response = client.post(url, {"addresses": "a@example.org\nB@Example.org", "basis": "on"})
    assert response.status_code == 302
    assert Subscription.objects.filter(status="active").count() == 2
    record = ConsentRecord.objects.filter(action=ConsentAction.ADDED_BY_STAFF).first()
    assert record.by == world.users["coordinator"]
    assert "basis" in record.wording


def test_someone_who_left_is_not_added_back_by_staff(client_for, world, news):
    subscription = SubscriptionFactory(newsletter_list=news, subscriber__email="gone@example.org")
    subscription.status = "unsubscribed"
    subscription.save()
    client = client_for("staff")
    response = client.post(
        f"{BASE}/lists/{news.pk}/members/add/",
        {"addresses": "gone@example.org", "basis": "on"},
        follow=True,
    )
    assert b"Not added" in response.content
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


def test_seeing_who_is_on_a_list_is_audited(client_for, world, news):
    subscribe(news, 2)
    response = client_for("staff").get(f"{BASE}/lists/{news.pk}/members/")
    assert b"reader1@example.org" in response.content
    assert AuditLog.objects.filter(action="read.newsletters.members").count() == 1


def test_an_issue_needs_a_subject(client_for, world, news):
    response = client_for("staff").post(
        f"{BASE}/lists/{news.pk}/issues/new/", {"subject": "", "body": "Hi", "digest_days": 30}
    )
    assert response.status_code == 400
    assert b"Give the issue a subject" in response.content
    assert not Issue.objects.exists()


def test_html_and_script_typed_into_markdown_come_out_inert(world, news):
    issue = IssueFactory(
        newsletter_list=news,
        body=(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1)) and [ok](https://example.org)"
        ),
    )
    html = issue_content(issue, []).html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org"' in html


def test_preview_test_and_send_now(client_for, world, news):
    subscribe(news, 2)
    client = client_for("staff")
    response = client.post(
        f"{BASE}/lists/{news.pk}/issues/new/",
        {"subject": "Spring news", "body": "# Hello\n\n**Bold** news", "digest_days": 30},
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"{BASE}/issues/{issue.pk}/"
    page = client.get(response["Location"])
    assert b"<h2>Hello</h2>" in page.content
    assert b"**Bold** news" in page.content  # the plain-text preview
    client.post(f"{BASE}/issues/{issue.pk}/test/")
    assert [m.to for m in mail.outbox] == [[world.users["staff"].email]]
    assert mail.outbox[0].subject == "[Test] Spring news"
    mail.outbox.clear()
    client.post(f"{BASE}/issues/{issue.pk}/send/", {"when": "now"})
    assert len(mail.outbox) == 2
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    # Sent: it cannot be changed or sent again.
    assert client.get(f"{BASE}/issues/{issue.pk}/edit/").status_code == 302
    response = client.post(f"{BASE}/issues/{issue.pk}/send/", {"when": "now"})
    assert response.status_code == 409
    assert len(mail.outbox) == 2
    archive = client.get(f"/wiltshire/newsletters/{news.slug}/{issue.pk}/")
    assert b"<h2>Hello</h2>" in archive.content


def test_an_empty_issue_is_not_sent(client_for, world, news):
    issue = IssueFactory(newsletter_list=news, body="")
    response = client_for("staff").post(f"{BASE}/issues/{issue.pk}/send/", {"when": "now"})
    assert response.status_code == 400
    assert b"Write something in the issue" in response.content
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_sending_later_needs_a_future_time_and_can_be_taken_back(client_for, world, news):
    issue = IssueFactory(newsletter_list=news)
    client = client_for("staff")
    url = f"{BASE}/issues/{issue.pk}/send/"
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"when": "later", "send_at": past}).status_code == 400
    assert client.post(url, {"when": "later", "send_at": ""}).status_code == 400
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"when": "later", "send_at": future}).status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    client.post(url, {"action": "unschedule"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_an_image_is_stored_and_served(client_for, world, news, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    issue = IssueFactory(newsletter_list=news)
    client = client_for("staff")
    response = client.post(
        f"{BASE}/issues/{issue.pk}/images/",
        {"image": SimpleUploadedFile("band.png", _png(), "image/png"), "alt": "The band"},
    )
    assert response.status_code == 302
    image = IssueImage.objects.get()
    page = client.get(f"{BASE}/issues/{issue.pk}/")
    assert (
        f"![The band](http://127.0.0.1:8000/wiltshire/newsletters/images/{image.pk}/)".encode()
        in page.content
    )
    served = client.get(f"/wiltshire/newsletters/images/{image.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == _png()
    # Until the issue is sent, only the people writing it see its images.
    assert (
        client_for("anonymous").get(f"/wiltshire/newsletters/images/{image.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.png", b"this is not an image", b"not an image we can use"),
        ("huge.png", b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 10), b"not an image we can use"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(
    client_for, world, news, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    issue = IssueFactory(newsletter_list=news)
    response = client_for("staff").post(
        f"{BASE}/issues/{issue.pk}/images/",
        {"image": SimpleUploadedFile(name, content, "image/png"), "alt": "x"},
    )
    assert response.status_code == 400
    assert message in response.content
    assert not IssueImage.objects.exists()


def test_an_image_over_the_size_limit_is_refused(client_for, world, news, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from tutti.newsletters import forms

    issue = IssueFactory(newsletter_list=news)
    settings_limit = forms.IMAGE_MAX_BYTES
    forms.IMAGE_MAX_BYTES = 50
    try:
        response = client_for("staff").post(
            f"{BASE}/issues/{issue.pk}/images/",
            {"image": SimpleUploadedFile("a.png", _png((40, 40)), "image/png"), "alt": "x"},
        )
    finally:
        forms.IMAGE_MAX_BYTES = settings_limit
    assert response.status_code == 400
    assert b"it must be at most 2 MB" in response.content
    assert not IssueImage.objects.exists()


def test_growth_counts_people_on_the_list_at_each_months_end(world, news):
    subs = subscribe(news, 3)
    Subscription.objects.filter(pk=subs[0].pk).update(
        confirmed_at=timezone.now() - timedelta(days=70)
    )
    Subscription.objects.filter(pk=subs[2].pk).update(
        status="unsubscribed", unsubscribed_at=timezone.now()
    )
    points = list_growth(newsletter_list=news)
    assert len(points) == 12
    assert points[-1].subscribers == 2
    assert points[0].subscribers == 0
    assert any(p.subscribers == 1 for p in points)


def test_the_list_page_shows_the_growth_chart(client_for, world, news):
    subscribe(news, 2)
    response = client_for("staff").get(f"{BASE}/lists/{news.pk}/")
    assert b'<svg class="growth-chart"' in response.content
    assert b"2 subscribers now" in response.content


def test_one_list_at_a_time_is_joined_from_the_footer(client_for, world, news):
    other = NewsletterListFactory(hub=world.hub, name="Families", in_footer=True)
    response = client_for("staff").post(
        f"{BASE}/lists/{news.pk}/edit/",
        {
            "name": news.name,
            "description": news.description,
            "kind": "hub",
            "is_public": "on",
            "in_footer": "on",
        },
    )
    assert response.status_code == 302
    news.refresh_from_db()
    other.refresh_from_db()
    assert (news.in_footer, other.in_footer) == (True, False)


def test_the_footer_form_is_on_public_pages_only(client_for, world, news):
    client = client_for("staff")
    assert b"footer-signup" in client.get("/wiltshire/clusters/").content
    assert b"footer-signup" not in client.get(f"{BASE}/").content
