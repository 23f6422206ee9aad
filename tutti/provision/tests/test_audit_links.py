"""Staff replace a school's audit link; the old one stops working at once, the new one works,
and the staff list is paged and filtered."""

import re

from django.core import signing

from tutti.core.models import AuditLog
from tutti.directory.tests.factories import SchoolFactory
from tutti.provision import tokens
from tutti.provision.emails import audit_reminder_email
from tutti.provision.models import SchoolAudit
from tutti.provision.tests.factories import audit_path, this_year
from tutti.provision.tests.test_views import ANSWERS

MANAGE = "/wiltshire/manage/provision/"


def _link_on_staff_page(client, school):
    html = client.get(f"{MANAGE}?q={school.name}").content.decode()
    match = re.search(rf'id="school-{school.pk}">.*?<a href="http://testserver([^"]+)"', html, re.S)
    return match.group(1)


def test_staff_replace_a_link_and_the_old_one_stops_working(client, client_for, world):
    old = audit_path(world.hub, world.school)
    staff = client_for("staff")
    response = staff.post(f"{MANAGE}schools/{world.school.pk}/new-link/")
    assert response.status_code == 302
    assert f"#school-{world.school.pk}" in response["Location"]
    new = _link_on_staff_page(staff, world.school)
    assert new != old
    entry = AuditLog.objects.get(action="provision.audit.link_replaced")
    assert (entry.hub, entry.actor, entry.data["version"]) == (world.hub, world.users["staff"], 1)

    client.logout()
    response = client.post(old, ANSWERS)
    assert response.status_code == 410
    assert "This link has been replaced by a new one" in response.content.decode()
    assert not SchoolAudit.objects.exists()
    assert client.get(new).status_code == 200
    assert client.post(new, ANSWERS).status_code == 302
    assert SchoolAudit.objects.filter(school=world.school).exists()


def test_the_reminder_email_carries_the_new_link(client, client_for, world):
    client_for("staff").post(f"{MANAGE}schools/{world.school.pk}/new-link/")
    client.logout()
    message = audit_reminder_email(hub=world.hub, school=world.school, year=this_year())
    link = re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+", message.body).group(0))
    assert client.get(link).status_code == 200


def test_links_sent_before_links_had_versions_still_work(client, world):
    token = signing.dumps([world.hub.pk, world.school.pk, this_year()], salt=tokens.SALT)
    url = f"/wiltshire/provision/audit/{world.school.pk}/{token}/"
    assert client.get(url).status_code == 200


def test_only_provision_staff_of_the_hub_replace_links(client_for, world):
    url = f"{MANAGE}schools/{world.school.pk}/new-link/"
    assert client_for("coordinator").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    other_hubs_school = f"{MANAGE}schools/{world.other_school.pk}/new-link/"
    assert client_for("staff").post(other_hubs_school).status_code == 404
    assert not AuditLog.objects.filter(action="provision.audit.link_replaced").exists()


def test_the_schools_list_is_paged_and_filtered(client_for, world):
    for n in range(60):
        SchoolFactory(name=f"Village School {n:02}", local_authority=world.la)
    staff = client_for("staff")
    first = staff.get(MANAGE).content.decode()
    assert first.count('class="audit-link"') == 50
    assert "Page 1 of 2" in first
    second = staff.get(f"{MANAGE}?page=2").content.decode()
    assert second.count('class="audit-link"') == 11
    found = staff.get(f"{MANAGE}?q=school+07").content.decode()
    assert found.count('class="audit-link"') == 1 and "Village School 07" in found
    none = staff.get(f"{MANAGE}?state=complete").content.decode()
    assert "No school matches these filters" in none
