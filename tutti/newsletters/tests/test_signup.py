"""Sign-up with double opt-in, consent records, the preference centre and unsubscribing."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from tutti.newsletters.forms import FOOTER_WORDING, SIGNUP_WORDING
from tutti.newsletters.models import (
    ConsentAction,
    ConsentRecord,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from tutti.newsletters.tests.factories import NewsletterListFactory, SubscriptionFactory
from tutti.newsletters.tokens import CONFIRM_SALT, preferences_token, unsubscribe_token


@pytest.fixture
def news(world):
    return NewsletterListFactory(hub=world.hub, name="Wiltshire news", slug="news")


@pytest.fixture
def leads(world):
    return NewsletterListFactory(
        hub=world.hub,
        name="Music leads",
        slug="music-leads",
        kind="audience",
        audience="school_music_leads",
    )


def _link(message) -> str:
    return re.search(r"http://\S+/confirm/\S+/", message.body).group(0).split("8000", 1)[-1]


def _sign_up(client, *lists, email="ann@example.org"):
    return client.post(
        "/wiltshire/newsletters/",
        {"email": email, "name": "Ann", "lists": [item.pk for item in lists]},
    )


def test_nobody_is_subscribed_until_they_follow_the_emailed_link(client, news, leads):
    response = _sign_up(client, news, leads)
    assert response.status_code == 302
    assert response["Location"] == "/wiltshire/newsletters/check-your-email/"
    assert Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"]
    link = _link(message)
    # Following the link shows a button: a mail scanner's GET confirms nothing.
    assert client.get(link).status_code == 200
    assert Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == 0
    response = client.post(link)
    assert response.status_code == 200
    assert b"You are subscribed" in response.content
    subscriber = Subscriber.objects.get(email="ann@example.org")
    assert set(
        subscriber.subscriptions.filter(status="active").values_list("newsletter_list", flat=True)
    ) == {news.pk, leads.pk}
    records = ConsentRecord.objects.filter(subscriber=subscriber, newsletter_list=news)
    assert [r.action for r in records] == [ConsentAction.REQUESTED, ConsentAction.CONFIRMED]
    assert all(r.source == "Sign-up page" and r.wording == SIGNUP_WORDING for r in records)
    # Used again: harmless, and it says so.
    again = client.post(link)
    assert again.status_code == 200
    assert b"confirmed this already" in again.content


def test_signing_up_again_is_harmless(client, news):
    _sign_up(client, news)
    client.post(_link(mail.outbox[0]))
    mail.outbox.clear()
    response = _sign_up(client, news, email=" ANN@example.org ")
    assert response.status_code == 302
    assert mail.outbox == []
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_a_second_request_within_minutes_sends_no_second_email(client, news):
    _sign_up(client, news)
    _sign_up(client, news)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "email", ["not-an-address", "ann@", "", "a" * 250 + "@example.org", "ann@exa mple.org"]
)
def test_an_invalid_address_is_refused_and_nothing_is_stored(client, news, email):
    response = client.post("/wiltshire/newsletters/", {"email": email, "lists": [news.pk]})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_a_list_must_be_chosen(client, news, leads):
    response = client.post("/wiltshire/newsletters/", {"email": "ann@example.org"})
    assert response.status_code == 400
    assert b"Choose at least one list" in response.content


def test_another_hubs_or_a_closed_list_cannot_be_joined(client, world, news):
    other = NewsletterListFactory(hub=world.other_hub)
    closed = NewsletterListFactory(hub=world.hub, is_public=False)
    for item in (other, closed):
        response = client.post(
            "/wiltshire/newsletters/", {"email": "ann@example.org", "lists": [item.pk]}
        )
        assert response.status_code == 400
    assert Subscriber.objects.count() == 0


def test_the_footer_form_joins_the_hubs_newsletter(client, news, leads):
    news.in_footer = True
    news.save()
    page = client.get("/wiltshire/")
    assert b'name="source" value="footer"' in page.content
    response = client.post(
        "/wiltshire/newsletters/", {"email": "bob@example.org", "source": "footer"}
    )
    assert response.status_code == 302
    client.post(_link(mail.outbox[0]))
    subscription = Subscription.objects.get(subscriber__email="bob@example.org")
    assert subscription.newsletter_list == news
    record = ConsentRecord.objects.filter(action=ConsentAction.CONFIRMED).get()
    assert (record.source, record.wording) == ("Footer form", FOOTER_WORDING)


def test_the_embeddable_form_may_be_framed_and_needs_no_cookie(world, news):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get("/wiltshire/newsletters/embed/")
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    response = client.post(
        "/wiltshire/newsletters/embed/", {"email": "cat@example.org", "lists": [news.pk]}
    )
    assert response.status_code == 200
    assert b"Check your email" in response.content
    assert ConsentRecord.objects.get().source == "Embedded form"


def test_an_expired_confirmation_link_says_so(client, news):
    _sign_up(client, news)
    link = _link(mail.outbox[0])
    later = timezone.now() + timedelta(days=8)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(link)
    assert response.status_code == 410
    assert b"This link cannot be used" in response.content
    assert b"expired" in response.content
    assert Subscription.objects.filter(status="active").count() == 0


def test_an_altered_confirmation_link_is_refused(client, news):
    _sign_up(client, news)
    link = _link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps({"c": 999}, salt="something else")
    for bad in (token[:-3] + "abc", forged, "nonsense"):
        response = client.post(f"/wiltshire/newsletters/confirm/{bad}/")
        assert response.status_code == 400
    # A well-signed token for a confirmation that does not exist.
    gone = signing.dumps({"c": 999999}, salt=CONFIRM_SALT)
    assert client.post(f"/wiltshire/newsletters/confirm/{gone}/").status_code == 410
    assert Subscription.objects.filter(status="active").count() == 0


def test_a_suppressed_address_is_sent_to_again_only_after_a_fresh_opt_in(client, world, news):
    subscription = SubscriptionFactory(newsletter_list=news, subscriber__email="dan@example.org")
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(
        suppressed_at=timezone.now(), suppressed_reason="hard bounce"
    )
    _sign_up(client, news, email="dan@example.org")
    assert len(mail.outbox) == 1
    assert Subscriber.objects.get().suppressed_at is not None
    client.post(_link(mail.outbox[0]))
    assert Subscriber.objects.get().suppressed_at is None


def test_the_preference_centre_changes_lists_and_leaves_everything(client, world, news, leads):
    subscription = SubscriptionFactory(newsletter_list=news, subscriber__email="eve@example.org")
    url = f"/wiltshire/newsletters/preferences/{preferences_token(subscription.subscriber_id)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"eve@example.org" in page.content
    client.post(url, {"lists": [leads.pk], "action": "save"})
    on = Subscription.objects.filter(status="active").values_list("newsletter_list", flat=True)
    assert list(on) == [leads.pk]
    client.post(url, {"action": "leave"})
    assert not Subscription.objects.filter(status="active").exists()
    assert ConsentRecord.objects.filter(action=ConsentAction.WITHDRAWN).count() == 2


def test_a_preference_link_of_another_hub_finds_nothing(client, world):
    other = SubscriptionFactory(newsletter_list=NewsletterListFactory(hub=world.other_hub))
    url = f"/wiltshire/newsletters/preferences/{preferences_token(other.subscriber_id)}/"
    assert client.get(url).status_code == 410


def test_the_unsubscribe_link_asks_first_then_unsubscribes(client, news):
    subscription = SubscriptionFactory(newsletter_list=news)
    url = f"/wiltshire/newsletters/unsubscribe/{unsubscribe_token(subscription.pk, None)}/"
    assert client.get(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    response = client.post(url)
    assert b"You have left" in response.content
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    # Twice is harmless.
    assert client.post(url).status_code == 200
    assert ConsentRecord.objects.filter(action=ConsentAction.WITHDRAWN).count() == 1


def test_an_altered_unsubscribe_link_is_refused(client, news):
    subscription = SubscriptionFactory(newsletter_list=news)
    token = unsubscribe_token(subscription.pk, None)
    response = client.post(f"/wiltshire/newsletters/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_the_signup_page_without_lists_says_so(client, world):
    response = client.get("/wiltshire/newsletters/")
    assert response.status_code == 200
    assert b"has no newsletter to sign up to yet" in response.content


def test_a_confirmation_link_under_another_hubs_address_confirms_nothing(client, world, news):
    _sign_up(client, news)
    link = _link(mail.outbox[0]).replace("/wiltshire/", "/cambridgeshire/")
    assert client.post(link).status_code == 404
    assert not Subscription.objects.filter(status="active").exists()
