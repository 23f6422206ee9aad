from datetime import timedelta

import pytest
from django.conf import settings

from tutti.clusters.tests.factories import ClusterFactory, ClusterMemberFactory
from tutti.directory.tests.factories import SchoolFactory
from tutti.provision import tokens
from tutti.provision.models import ANSWER_FIELDS, SchoolAudit
from tutti.provision.tests.factories import SchoolAuditFactory, audit_path, this_year

ANSWERS = {
    "music_lead": "Ann Lee",
    "wcet": "yes",
    "wcet_details": "Year 4, ukulele, 30 weeks",
    "singing": "yes",
    "choir": "yes",
    "choir_members": "40",
    "ensembles": "partly",
    "ensemble_members": "",
    "tuition": "no",
    "tuition_pupils": "",
    "send": "partly",
    "send_details": "",
    "mdp": "yes",
    "mdp_url": "https://devizes.example.org/music",
}


# The school's audit form, through its signed link


def test_a_school_fills_in_its_audit_without_an_account(client, world):
    url = audit_path(world.hub, world.school)
    response = client.get(url)
    assert response.status_code == 200
    assert "Music audit" in response.content.decode()
    response = client.post(url, ANSWERS, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "your answers are saved" in response.content.decode()
    record = SchoolAudit.objects.get(school=world.school, year=this_year())
    assert (record.wcet, record.choir_members, record.tuition) == ("yes", 40, "no")
    assert record.hub == world.hub


def test_saving_again_updates_the_same_audit(client, world):
    url = audit_path(world.hub, world.school)
    client.post(url, ANSWERS)
    client.post(url, ANSWERS | {"tuition": "yes", "tuition_pupils": "12"})
    record = SchoolAudit.objects.get(school=world.school)
    assert (record.tuition, record.tuition_pupils, record.wcet) == ("yes", 12, "yes")
    # The form shows the saved answers, so a second save loses nothing.
    html = client.get(url).content.decode()
    assert 'value="Year 4, ukulele, 30 weeks"' in html


def test_last_years_answers_are_filled_in(client, world):
    SchoolAuditFactory(
        hub=world.hub, school=world.school, year=this_year() - 1, wcet_details="Year 3, violin"
    )
    html = client.get(audit_path(world.hub, world.school)).content.decode()
    assert "answers from last year" in html
    assert 'value="Year 3, violin"' in html


DETAILS = {
    "ks1_minutes": "45",
    "ks2_minutes": "60",
    "wcet_year_group": "Year 4",
    "wcet_instrument": "Ukulele",
    "wcet_weeks": "30",
    "send_adaptive_instruments": "on",
    "send_inclusive_ensembles": "on",
    "cpd_wanted": ["singing", "send"],
    "cpd_other": "Composing with Year 6",
    "barriers": ["cost", "transport"],
}


def test_the_detail_questions_are_saved(client, world):
    url = audit_path(world.hub, world.school)
    client.post(url, ANSWERS | DETAILS)
    record = SchoolAudit.objects.get(school=world.school)
    assert (record.ks1_minutes, record.ks2_minutes, record.ks3_minutes) == (45, 60, None)
    assert (record.wcet_year_group, record.wcet_instrument, record.wcet_weeks) == (
        "Year 4",
        "Ukulele",
        30,
    )
    assert record.send_adaptive_instruments and record.send_inclusive_ensembles
    assert not record.send_specialist_partners
    assert (record.cpd_wanted, record.barriers) == (["singing", "send"], ["cost", "transport"])
    # Saving again without a box ticked unticks it; nothing else is lost.
    client.post(url, ANSWERS | DETAILS | {"barriers": ["cost"]})
    record.refresh_from_db()
    assert (record.barriers, record.cpd_other) == (["cost"], "Composing with Year 6")


def test_last_years_ticked_boxes_are_filled_in(client, world):
    SchoolAuditFactory(
        hub=world.hub,
        school=world.school,
        year=this_year() - 1,
        barriers=["space"],
        send_specialist_partners=True,
        ks2_minutes=50,
    )
    html = client.get(audit_path(world.hub, world.school)).content.decode()
    assert 'name="barriers" value="space" id="id_barriers_3" checked>' in html
    assert 'name="barriers" value="cost" id="id_barriers_0">' in html
    assert 'name="send_specialist_partners" id="id_send_specialist_partners" checked' in html
    assert 'name="ks2_minutes" value="50"' in html


def test_an_unknown_barrier_is_refused(client, world):
    response = client.post(audit_path(world.hub, world.school), ANSWERS | {"barriers": ["rain"]})
    assert response.status_code == 400
    assert not SchoolAudit.objects.exists()


def test_weeks_of_wcet_with_no_wcet_is_a_contradiction(client, world):
    response = client.post(
        audit_path(world.hub, world.school), ANSWERS | {"wcet": "no", "wcet_weeks": "30"}
    )
    assert response.status_code == 400
    assert "no whole-class ensemble teaching" in response.content.decode()
    assert not SchoolAudit.objects.exists()


def test_contradictory_answers_are_shown_beside_the_field_and_nothing_is_saved(client, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, choir="yes", choir_members=12)
    url = audit_path(world.hub, world.school)
    response = client.post(url, ANSWERS | {"choir": "no", "choir_members": "40"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_choir_members_error"' in html
    assert "no choir" in html
    record = SchoolAudit.objects.get(school=world.school)
    assert (record.choir, record.choir_members, record.wcet) == ("yes", 12, "")


def test_an_expired_link_says_so(client, world, monkeypatch):
    url = audit_path(world.hub, world.school)
    monkeypatch.setattr(tokens, "MAX_AGE", timedelta(seconds=-1))
    response = client.post(url, ANSWERS)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not SchoolAudit.objects.exists()


def test_a_link_for_another_school_is_refused(client, world):
    other = SchoolFactory(name="Marlborough Primary", local_authority=world.la)
    token = audit_path(world.hub, world.school).rstrip("/").rsplit("/", 1)[1]
    url = f"/wiltshire/provision/audit/{other.pk}/{token}/"
    response = client.post(url, ANSWERS)
    assert response.status_code == 403
    assert "This link is for another school" in response.content.decode()
    assert not SchoolAudit.objects.exists()


def test_a_link_from_another_hub_is_refused(client, world):
    url = audit_path(world.other_hub, world.other_school).replace("/cambridgeshire/", "/wiltshire/")
    assert client.get(url).status_code == 403


def test_an_altered_link_is_refused(client, world):
    url = audit_path(world.hub, world.school)
    response = client.get(url[:-3] + "xx/")
    assert response.status_code == 400
    assert "has been changed" in response.content.decode()


# The public gap map


def test_gap_map_shows_statuses_by_shape_in_a_map_and_a_table(client, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="no")
    SchoolFactory(name="Pewsey Primary", local_authority=world.la, latitude=51.34)
    response = client.get("/wiltshire/provision/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Devizes Primary School: not provided" in html
    assert 'class="gap-point status-none"' in html
    assert 'class="gap-point status-unknown"' in html
    assert 'class="map-cluster"' in html or "Cluster:" not in html
    assert "How this list is ordered" in html
    assert "Ann Lee" not in html
    svg = html.split("<svg", 1)[1]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "").split("</svg>")[0]
    assert "<script" not in html


def test_gap_map_draws_cluster_outlines(client, world):
    for lat, lon in [(51.30, -2.05), (51.40, -1.95), (51.32, -1.90)]:
        ClusterMemberFactory(
            cluster=world.cluster,
            organisation=SchoolFactory(local_authority=world.la, latitude=lat, longitude=lon),
        )
    html = client.get("/wiltshire/provision/").content.decode()
    assert 'class="map-cluster"><title>Cluster: Devizes area</title>' in html


def test_gap_map_filters_by_role_and_phase(client, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="no", singing="yes")
    SchoolFactory(name="Devizes Secondary", local_authority=world.la, phase="Secondary")
    html = client.get("/wiltshire/provision/?role=singing&phase=Primary").content.decode()
    assert "Devizes Primary School: provided" in html
    assert "Devizes Secondary" not in html


def test_gap_map_refuses_an_unknown_filter(client, world):
    response = client.get("/wiltshire/provision/?role=kazoo")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_gap_map_shows_only_this_hubs_schools(client, world):
    SchoolAuditFactory(hub=world.other_hub, school=world.other_school, wcet="no")
    assert "Ely Primary School" not in client.get("/wiltshire/provision/").content.decode()


def test_gap_map_of_an_unknown_hub_is_404(client, world):
    assert client.get("/no-such-hub/provision/").status_code == 404


@pytest.mark.parametrize("schools", [1, 15])
def test_gap_map_queries_do_not_grow_with_schools(
    client, world, django_assert_num_queries, schools
):
    for n in range(schools):
        school = SchoolFactory(local_authority=world.la, pupils=100 + n)
        SchoolAuditFactory(hub=world.hub, school=school, wcet="partly")
        ClusterMemberFactory(cluster=world.other_cluster, organisation=school)
    # The hub, its authorities (for outlines), its schools, this year's audits, cluster members,
    # and the participation records (WCET, tuition, ensembles, singing) that count as provision.
    with django_assert_num_queries(9):
        assert client.get("/wiltshire/provision/?role=wcet").status_code == 200


# The staff page


def test_staff_see_each_schools_audit_and_its_working_link(client_for, world):
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="yes")
    client = client_for("staff")
    response = client.get("/wiltshire/manage/provision/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Devizes Primary School" in html and "Started" in html
    assert "Ely Primary School" not in html
    link = html.split('class="audit-link"><a href="', 1)[1].split('"', 1)[0]
    assert link.startswith("http://testserver/wiltshire/provision/audit/")
    client.logout()
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_staff_page_filters_by_cluster(client_for, world):
    SchoolFactory(name="Chippenham School", local_authority=world.la)
    html = client_for("admin").get("/wiltshire/manage/provision/?cluster=Devizes+area")
    html = html.content.decode()
    assert "Devizes Primary School" in html and "Chippenham School" not in html


def test_partner_staff_and_coordinators_get_403(client_for, world):
    for who in ("partner", "coordinator"):
        assert client_for(who).get("/wiltshire/manage/provision/").status_code == 403


def test_another_hubs_staff_get_404(client_for, world):
    assert client_for("outsider").get("/wiltshire/manage/provision/").status_code == 404


@pytest.mark.parametrize("schools", [1, 10])
def test_staff_page_queries_do_not_grow_with_schools(
    client_for, world, django_assert_num_queries, schools
):
    cluster = ClusterFactory(hub=world.hub)
    for _ in range(schools):
        school = SchoolFactory(local_authority=world.la)
        SchoolAuditFactory(hub=world.hub, school=school, wcet="yes")
        ClusterMemberFactory(cluster=cluster, organisation=school)
    client = client_for("staff")
    # Session, user, hub, membership, schools, audits, cluster members, four record kinds, and
    # the audit row that records the read, and the versions of the links shown.
    with django_assert_num_queries(13):
        assert client.get("/wiltshire/manage/provision/").status_code == 200


# Chasing schools


def test_reminders_email_only_schools_without_a_complete_audit(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    from tutti.core.models import AuditLog

    world.school.email = "office@devizes.example.org"
    world.school.save(update_fields=["email"])
    done = SchoolFactory(name="Done Primary", local_authority=world.la, email="done@example.org")
    SchoolAuditFactory(hub=world.hub, school=done, **dict.fromkeys(ANSWER_FIELDS, "yes"))
    started = SchoolFactory(name="Half Primary", local_authority=world.la, email="half@example.org")
    SchoolAuditFactory(hub=world.hub, school=started, wcet="yes")
    SchoolFactory(name="Quiet Primary", local_authority=world.la, email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post("/wiltshire/manage/provision/remind/", follow=True)
    assert response.status_code == 200
    assert sorted(m.to[0] for m in mailoutbox) == [
        "half@example.org",
        "office@devizes.example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["half@example.org"])
    assert f"/wiltshire/provision/audit/{started.pk}/" in message.body
    # The link in the email opens the school's own audit.
    link = next(w for w in message.body.split() if w.startswith(settings.SITE_URL))
    path = link.removeprefix(settings.SITE_URL)
    assert client_for("anonymous").get(path).status_code == 200
    html = response.content.decode()
    assert "Reminder sent to 2 schools" in html
    assert "contact them yourselves" in html and "Quiet Primary" in html
    log = AuditLog.objects.get(action="provision.audit.reminders_sent")
    assert sorted(log.data["emailed"]) == sorted([world.school.pk, started.pk])
    assert done.pk not in log.data["emailed"] + log.data["to_contact"]


def test_reminders_need_a_post_and_a_staff_role(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    world.school.email = "office@devizes.example.org"
    world.school.save(update_fields=["email"])
    url = "/wiltshire/manage/provision/remind/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("staff").get(url).status_code == 302
        assert client_for("coordinator").post(url).status_code == 403
        assert client_for("outsider").post(url).status_code == 404
    assert mailoutbox == []
