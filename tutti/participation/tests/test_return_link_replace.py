"""Staff replace a partner's return link; the old one stops working at once."""

import re

from django.core import signing

from tutti.core.models import AuditLog
from tutti.participation import tokens
from tutti.participation.emails import reminder_email
from tutti.participation.tests.factories import SubmissionFactory
from tutti.participation.tests.test_collections import YEAR
from tutti.participation.tokens import return_link_path


def _submission(world):
    return SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )


def _link_on_collection_page(client, submission):
    url = f"/wiltshire/manage/participation/collections/{submission.collection_id}/"
    html = client.get(url).content.decode()
    return re.search(rf'id="link-{submission.pk}"[^>]*value="https?://[^/"]+([^"]+)"', html)[1]


def test_staff_replace_a_return_link_and_the_old_one_stops_working(client, client_for, world):
    submission = _submission(world)
    old = return_link_path(hub=world.hub, submission_id=submission.pk)
    staff = client_for("staff")
    assert _link_on_collection_page(staff, submission).split("/")[-2] != ""
    response = staff.post(f"/wiltshire/manage/participation/returns/{submission.pk}/new-link/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#return-{submission.pk}")
    new = _link_on_collection_page(staff, submission)
    assert new != old
    entry = AuditLog.objects.get(action="participation.submission.link_replaced")
    assert (entry.actor, entry.data["version"]) == (world.users["staff"], 1)

    client.logout()
    for page in (old, f"{old}add/wcet/", f"{old}template.xlsx"):
        response = client.get(page)
        assert response.status_code == 410
        assert "This link has been replaced by a new one" in response.content.decode()
    assert client.get(new).status_code == 200
    # The emails carry the new link: the same signed value (signed again, perhaps a second
    # later, so the token's timestamp may differ).
    body = reminder_email(submission=_reload(submission)).body
    assert _signed_values(body) == [_signed_value(new)]
    assert _signed_value(old) not in _signed_values(body)


def _signed_value(path):
    return _signed_values(path)[0]


def _signed_values(text):
    found = re.findall(r"/returns/\d+/([^/\s]+)/", text)
    return [signing.loads(token, salt=tokens.SALT) for token in found]


def _reload(submission):
    submission.refresh_from_db()
    return submission


def test_links_sent_before_links_had_versions_still_work(client, world):
    submission = _submission(world)
    token = signing.dumps([world.hub.pk, submission.pk], salt=tokens.SALT)
    assert client.get(f"/wiltshire/returns/{submission.pk}/{token}/").status_code == 200


def test_only_participation_staff_of_the_hub_replace_links(client_for, world):
    submission = _submission(world)
    url = f"/wiltshire/manage/participation/returns/{submission.pk}/new-link/"
    assert client_for("partner").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    submission.refresh_from_db()
    assert submission.link_version == 0
