"""The demo's newsletters (loads the whole demo: slow)."""

import pytest

from tutti.demo.loader import load_demo
from tutti.newsletters.models import IssueStatus, NewsletterList

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


def test_each_demo_hub_has_a_newsletter_with_a_sent_issue_and_a_draft(client, demo):
    for news in NewsletterList.objects.filter(slug="news"):
        assert news.subscriptions.filter(status="active").count() > 30
        assert all(s.subscriber.email.endswith("@example.org") for s in news.subscriptions.all())
        statuses = sorted(news.issues.values_list("status", flat=True))
        assert statuses == [IssueStatus.DRAFT, IssueStatus.SENT]
    sent = NewsletterList.objects.get(hub__slug="wiltshire", slug="news").issues.get(
        status=IssueStatus.SENT
    )
    assert "What's On" in sent.sent_html
    page = client.get(f"/wiltshire/newsletters/news/{sent.pk}/")
    assert page.status_code == 200
    assert NewsletterList.objects.filter(hub__slug="wiltshire", kind="network").exists()
    assert NewsletterList.objects.filter(hub__slug="wiltshire", kind="cluster").exists()
