"""Newsletters' URLs in the access matrix (tests/test_access_matrix.py)."""

import io

from anymail import urls as anymail_urls
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from tests.matrix_roles import PUBLIC, ROLES, only
from tutti.newsletters.models import (
    Confirmation,
    Issue,
    IssueImage,
    IssueStatus,
    ListKind,
    NewsletterList,
)
from tutti.newsletters.tests.factories import (
    IssueFactory,
    NewsletterListFactory,
    SubscriptionFactory,
)
from tutti.newsletters.tokens import confirmation_token, preferences_token, unsubscribe_token

RUNS_CLUSTER_LIST = only({"coordinator", "staff", "admin"})
HUB_STAFF = only({"staff", "admin"})


def _hub_list(w) -> NewsletterList:
    return NewsletterList.objects.filter(hub=w.hub, slug="news").first() or NewsletterListFactory(
        hub=w.hub, slug="news", name="Wiltshire news"
    )


def _cluster_list(w) -> NewsletterList:
    """The list of the coordinator's cluster, which they run."""
    return NewsletterList.objects.filter(
        hub=w.hub, slug="devizes"
    ).first() or NewsletterListFactory(
        hub=w.hub, slug="devizes", kind=ListKind.CLUSTER, cluster=w.cluster, is_public=False
    )


def _draft(w) -> Issue:
    newsletter_list = _cluster_list(w)
    return newsletter_list.issues.filter(status=IssueStatus.DRAFT).first() or IssueFactory(
        newsletter_list=newsletter_list
    )


def _sent(w) -> Issue:
    newsletter_list = _hub_list(w)
    return newsletter_list.issues.filter(status=IssueStatus.SENT).first() or IssueFactory(
        newsletter_list=newsletter_list,
        status=IssueStatus.SENT,
        sent_at=timezone.now(),
        sent_html="<p>Spring news</p>",
        sent_text="Spring news",
    )


def _subscription(w):
    newsletter_list = _hub_list(w)
    return newsletter_list.subscriptions.first() or SubscriptionFactory(
        newsletter_list=newsletter_list, subscriber__email="ann@example.org"
    )


def _confirm_path(w) -> str:
    subscription = _subscription(w)
    confirmation = Confirmation.objects.create(
        subscriber=subscription.subscriber, source="Sign-up page", wording="Words"
    )
    return f"/wiltshire/newsletters/confirm/{confirmation_token(confirmation.pk)}/"


def _image_path(w) -> str:
    """An image of a sent issue: public, as the emails show it."""
    issue = _sent(w)
    image = issue.images.first()
    if image is None:
        data = io.BytesIO()
        Image.new("RGB", (2, 2), "red").save(data, "PNG")
        image = IssueImage(hub=w.hub, issue=issue, alt="Red")
        image.file.save("red.png", ContentFile(data.getvalue()), save=True)
    return f"/wiltshire/newsletters/images/{image.pk}/"


MATRIX = {
    "newsletters:signup": (lambda w: "/wiltshire/newsletters/", PUBLIC),
    "newsletters:check-email": (lambda w: "/wiltshire/newsletters/check-your-email/", PUBLIC),
    "newsletters:embed": (lambda w: "/wiltshire/newsletters/embed/", PUBLIC),
    # Signed links stand in for an account: the same for everyone.
    "newsletters:confirm": (_confirm_path, PUBLIC),
    "newsletters:preferences": (
        lambda w: (
            "/wiltshire/newsletters/preferences/"
            f"{preferences_token(_subscription(w).subscriber_id)}/"
        ),
        PUBLIC,
    ),
    "newsletters:unsubscribe": (
        lambda w: (
            f"/wiltshire/newsletters/unsubscribe/{unsubscribe_token(_subscription(w).pk, None)}/"
        ),
        PUBLIC,
    ),
    "newsletters:image": (_image_path, PUBLIC),
    "newsletters:archive": (lambda w: f"/wiltshire/newsletters/{_hub_list(w).slug}/", PUBLIC),
    "newsletters:issue": (
        lambda w: f"/wiltshire/newsletters/{_hub_list(w).slug}/{_sent(w).pk}/",
        PUBLIC,
    ),
    "newsletters-manage:lists": (lambda w: "/wiltshire/manage/newsletters/", RUNS_CLUSTER_LIST),
    "newsletters-manage:list-create": (
        lambda w: "/wiltshire/manage/newsletters/lists/new/",
        HUB_STAFF,
    ),
    "newsletters-manage:list": (
        lambda w: f"/wiltshire/manage/newsletters/lists/{_cluster_list(w).pk}/",
        RUNS_CLUSTER_LIST,
    ),
    # Only hub staff change what a list is; a coordinator runs their cluster's.
    "newsletters-manage:list-edit": (
        lambda w: f"/wiltshire/manage/newsletters/lists/{_cluster_list(w).pk}/edit/",
        HUB_STAFF,
    ),
    "newsletters-manage:members": (
        lambda w: f"/wiltshire/manage/newsletters/lists/{_cluster_list(w).pk}/members/",
        RUNS_CLUSTER_LIST,
    ),
    "newsletters-manage:members-add": (
        lambda w: f"/wiltshire/manage/newsletters/lists/{_cluster_list(w).pk}/members/add/",
        RUNS_CLUSTER_LIST,
    ),
    "newsletters-manage:issue-create": (
        lambda w: f"/wiltshire/manage/newsletters/lists/{_cluster_list(w).pk}/issues/new/",
        RUNS_CLUSTER_LIST,
    ),
    "newsletters-manage:issue": (
        lambda w: f"/wiltshire/manage/newsletters/issues/{_draft(w).pk}/",
        RUNS_CLUSTER_LIST,
    ),
    "newsletters-manage:issue-edit": (
        lambda w: f"/wiltshire/manage/newsletters/issues/{_draft(w).pk}/edit/",
        RUNS_CLUSTER_LIST,
    ),
    # Testing and sending take a POST; a GET goes back to the issue.
    "newsletters-manage:issue-test": (
        lambda w: f"/wiltshire/manage/newsletters/issues/{_draft(w).pk}/test/",
        only({"coordinator", "staff", "admin"}, ok=302),
    ),
    "newsletters-manage:issue-send": (
        lambda w: f"/wiltshire/manage/newsletters/issues/{_draft(w).pk}/send/",
        only({"coordinator", "staff", "admin"}, ok=302),
    ),
    "newsletters-manage:image-upload": (
        lambda w: f"/wiltshire/manage/newsletters/issues/{_draft(w).pk}/images/",
        RUNS_CLUSTER_LIST,
    ),
}


def _set_up(view_class) -> bool:
    try:
        view_class()
    except Exception:
        return False
    return True


# Mail providers' tracking and inbound webhooks: each takes only a POST signed by its
# provider; one that is not set up (no signing key in the settings) is not found.
for _pattern in anymail_urls.urlpatterns:
    if "tracking" in (_pattern.name or "") or "inbound" in (_pattern.name or ""):
        _path = "/anymail/" + str(_pattern.pattern).strip("^$").replace("(_mime)?", "")
        _status = 405 if _set_up(_pattern.callback.view_class) else 404
        MATRIX[f"anymail:{_pattern.name}"] = (
            lambda w, path=_path: path,
            dict.fromkeys(ROLES, _status),
        )

# Pages a link's token opens: anyone with the link may, but no cache may keep them.
SIGNED_LINKS = {"newsletters:confirm", "newsletters:preferences", "newsletters:unsubscribe"}
