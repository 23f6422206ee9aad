import factory
from django.utils import timezone

from tutti.directory.tests.factories import HubFactory
from tutti.newsletters.models import (
    Issue,
    IssueStatus,
    ListKind,
    NewsletterList,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)


class NewsletterListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterList

    hub = factory.SubFactory(HubFactory)
    kind = ListKind.HUB
    name = factory.Sequence(lambda n: f"Newsletter {n}")
    slug = factory.Sequence(lambda n: f"newsletter-{n}")
    description = "News of music in the county, once a month."
    is_public = True


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    hub = factory.SubFactory(HubFactory)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """An active, confirmed subscription."""

    class Meta:
        model = Subscription

    newsletter_list = factory.SubFactory(NewsletterListFactory)
    subscriber = factory.SubFactory(
        SubscriberFactory, hub=factory.SelfAttribute("..newsletter_list.hub")
    )
    status = SubscriptionStatus.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    newsletter_list = factory.SubFactory(NewsletterListFactory)
    hub = factory.SelfAttribute("newsletter_list.hub")
    subject = factory.Sequence(lambda n: f"Spring news {n}")
    body = "# Hello\n\nThe **spring** term's news."
    status = IssueStatus.DRAFT


def subscribe(newsletter_list: NewsletterList, count: int, prefix: str = "reader") -> list:
    return [
        SubscriptionFactory(
            newsletter_list=newsletter_list,
            subscriber__email=f"{prefix}{n}@example.org",
        )
        for n in range(count)
    ]
