from datetime import timedelta

from django.utils import timezone

from tutti.newsletters.models import ConsentRecord, Delivery, IssueStatus, Subscriber
from tutti.newsletters.retention import delete_old_subscribers
from tutti.newsletters.tests.factories import (
    IssueFactory,
    NewsletterListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tutti.privacy.retention import RETENTION_RULES


def test_the_rule_is_registered_with_privacy():
    assert "newsletter_subscribers" in RETENTION_RULES


def test_unconfirmed_and_long_gone_subscribers_are_deleted_and_the_rest_kept(world):
    news = NewsletterListFactory(hub=world.hub)
    now = timezone.now()
    unconfirmed = SubscriberFactory(hub=world.hub, email="never@example.org")
    Subscriber.objects.filter(pk=unconfirmed.pk).update(created_at=now - timedelta(days=31))
    fresh = SubscriberFactory(hub=world.hub, email="fresh@example.org")
    gone = SubscriptionFactory(newsletter_list=news, subscriber__email="gone@example.org")
    gone.status, gone.unsubscribed_at = "unsubscribed", now - timedelta(days=800)
    gone.save()
    ConsentRecord.objects.create(
        subscriber=gone.subscriber,
        newsletter_list=news,
        action="withdrawn",
        source="x",
        wording="y",
    )
    recent = SubscriptionFactory(newsletter_list=news, subscriber__email="recent@example.org")
    recent.status, recent.unsubscribed_at = "unsubscribed", now - timedelta(days=10)
    recent.save()
    active = SubscriptionFactory(newsletter_list=news, subscriber__email="on@example.org")
    old_issue = IssueFactory(
        newsletter_list=news, status=IssueStatus.SENT, sent_at=now - timedelta(days=800)
    )
    Delivery.objects.create(issue=old_issue, email="on@example.org", subscriber=active.subscriber)

    assert delete_old_subscribers(world.hub, now) == 2
    left = set(Subscriber.objects.values_list("email", flat=True))
    assert left == {"fresh@example.org", "recent@example.org", "on@example.org"}
    assert not ConsentRecord.objects.filter(subscriber__email="gone@example.org").exists()
    assert Delivery.objects.get().email.endswith("@erased.invalid")
    assert fresh.pk
    # Run again with the same clock: nothing more.
    assert delete_old_subscribers(world.hub, now) == 0


def test_a_persons_newsletter_data_can_be_read_and_erased(world):
    from tutti.newsletters.selectors import person_data
    from tutti.newsletters.services import person_erase

    news = NewsletterListFactory(hub=world.hub, name="Wiltshire news")
    subscription = SubscriptionFactory(newsletter_list=news, subscriber__email="ann@example.org")
    ConsentRecord.objects.create(
        subscriber=subscription.subscriber,
        newsletter_list=news,
        action="confirmed",
        source="Sign-up page",
        wording="Words shown",
    )
    issue = IssueFactory(newsletter_list=news, status=IssueStatus.SENT, sent_at=timezone.now())
    Delivery.objects.create(
        issue=issue, email="ann@example.org", subscriber=subscription.subscriber
    )
    (data,) = person_data(hub=world.hub, email="ANN@example.org")
    assert data["lists"][0]["list"] == "Wiltshire news"
    assert data["consent"][0]["wording"] == "Words shown"
    assert person_data(hub=world.other_hub, email="ann@example.org") == []
    assert person_data(hub=None, email="ann@example.org") == [data]
    assert person_erase(hub=world.hub, email="ann@example.org", by=world.users["admin"]) == 1
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert Delivery.objects.get().email.endswith("@erased.invalid")
    assert person_erase(hub=world.hub, email="ann@example.org", by=None) == 0
