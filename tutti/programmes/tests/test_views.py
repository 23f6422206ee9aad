"""The pages: who sees pupils, what is audited, and the SENCo's link refusing bad input."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.programmes import services
from tutti.programmes.models import Pupil, Score, Session
from tutti.programmes.retention import erase_old_pupils
from tutti.programmes.tests.factories import (
    add_pupils,
    make_programme,
    make_site,
    matrix_programme,
    senco_path,
    site_a,
)

pytestmark = pytest.mark.django_db


def _pupil_form(**kwargs):
    return {
        "name": "Kit",
        "year_group": "4",
        "reasons": ["semh", "attendance"],
        "consent_on": "2026-01-10",
    } | kwargs


def test_the_senco_adds_a_pupil_through_their_link_without_an_account(client, world):
    site = site_a(world)
    response = client.post(senco_path(site), _pupil_form(), follow=True)
    assert "Kit has joined the group." in response.content.decode()
    assert site.pupils.filter(name="Kit", added_by_senco=True).exists()


def test_a_pupil_without_consent_is_refused_on_the_page(client, world):
    site = site_a(world)
    response = client.post(senco_path(site), _pupil_form(consent_on=""))
    assert response.status_code == 200
    assert "a pupil cannot join without it" in response.content.decode()
    assert not site.pupils.filter(name="Kit").exists()


def test_a_sixth_pupil_is_refused_on_the_page(client, world):
    site = site_a(world)
    add_pupils(site, 2, prefix="X")
    response = client.post(senco_path(site), _pupil_form())
    assert "The group is full" in response.content.decode()
    assert site.pupils.count() == 5


def test_a_replaced_senco_link_answers_410_and_stores_nothing(client, world):
    site = site_a(world)
    old = senco_path(site)
    services.senco_link_renew(site=site, by=None)
    response = client.post(old, _pupil_form())
    assert response.status_code == 410
    assert not site.pupils.filter(name="Kit").exists()


def test_a_senco_link_of_another_programme_is_refused(client, world):
    other = make_programme(hub=world.hub, name="Another")
    other_site = make_site(other)
    path = senco_path(other_site).replace(other.slug, matrix_programme(world).slug)
    assert client.get(path).status_code == 404


def test_a_senco_link_cannot_reach_another_sites_pupil(client, world):
    programme = matrix_programme(world)
    site_b = programme.sites.exclude(pk=site_a(world).pk).get()
    pupil = add_pupils(site_b, 1, prefix="B")[0]
    assert client.get(f"{senco_path(site_a(world))}pupils/{pupil.pk}/scores/").status_code == 404


def test_a_broken_senco_link_answers_400(client, world):
    slug = matrix_programme(world).slug
    assert client.get(f"/programmes/{slug}/senco/not-a-token/").status_code == 400


def test_a_tutor_of_another_site_gets_404_for_this_sites_pupils(client_for, world):
    site = site_a(world)
    pupil = site.pupils.first()
    client = client_for("coordinator")
    base = f"/programmes/{site.programme.slug}/sites/{site.pk}"
    assert client.get(f"{base}/pupils/").status_code == 404
    assert client.get(f"{base}/pupils/{pupil.pk}/scores/").status_code == 404
    response = client.post(f"{base}/pupils/{pupil.pk}/scores/", {"point": "start"})
    assert response.status_code == 404


def test_hub_staff_of_the_sites_hub_see_its_summary_but_no_names(client_for, world):
    site = site_a(world)
    client = client_for("staff")
    html = client.get(f"/programmes/{site.programme.slug}/sites/{site.pk}/").content.decode()
    assert "Devizes Primary School" in html
    for pupil in site.pupils.all():
        assert f">{pupil.name}<" not in html
    assert (
        client.get(f"/programmes/{site.programme.slug}/sites/{site.pk}/pupils/").status_code == 403
    )


def test_every_read_of_pupils_is_audited(client_for, client, world):
    site = site_a(world)
    client_for("partner").get(f"/programmes/{site.programme.slug}/sites/{site.pk}/pupils/")
    entry = AuditLog.objects.filter(action="read.programmes.pupils").latest("pk")
    assert entry.actor == world.users["partner"]
    assert entry.object_id == str(site.pk)
    client.logout()
    client.get(senco_path(site))
    entry = AuditLog.objects.filter(action="read.programmes.pupils").latest("pk")
    assert entry.actor is None
    assert entry.data["senco"] is True


def test_the_tutor_records_scores_and_a_score_off_the_scale_is_refused(client_for, world):
    site = site_a(world)
    pupil = site.pupils.first()
    belonging = site.programme.measures.first()
    url = f"/programmes/{site.programme.slug}/sites/{site.pk}/pupils/{pupil.pk}/scores/"
    client = client_for("partner")
    response = client.post(url, {"point": "start", f"measure_{belonging.pk}": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Score.objects.exists()
    client.post(url, {"point": "start", f"measure_{belonging.pk}": "3"})
    assert Score.objects.get().value == 3


def test_the_tutor_takes_the_register(client_for, world):
    site = site_a(world)
    session = site.sessions.first()
    first, *others = list(site.pupils.all())
    url = f"/programmes/{site.programme.slug}/sites/{site.pk}/sessions/{session.pk}/"
    client_for("partner").post(url, {f"present_{first.pk}": "on", "note": "Drums."})
    assert dict(session.attendance.values_list("pupil_id", "present")) == {
        first.pk: True,
        **{p.pk: False for p in others},
    }


def test_a_week_without_a_register_shows_as_missed(client_for, world):
    site = site_a(world)
    Session.objects.create(site=site, date=timezone.localdate() - timedelta(days=14))
    html = (
        client_for("partner")
        .get(f"/programmes/{site.programme.slug}/sites/{site.pk}/")
        .content.decode()
    )
    assert "Missed" in html


def test_reflections_are_private_to_their_author_and_the_leads(client_for, world):
    programme = matrix_programme(world)
    services.reflection_add(
        programme=programme, author=world.users["partner"], day=date(2026, 1, 5), text="Hard week."
    )
    assert (
        "Hard week."
        in client_for("partner").get(f"/programmes/{programme.slug}/reflection/").content.decode()
    )
    assert (
        "Hard week."
        not in client_for("coordinator")
        .get(f"/programmes/{programme.slug}/reflection/")
        .content.decode()
    )
    assert (
        "Hard week."
        in client_for("admin").get(f"/programmes/{programme.slug}/reflection/").content.decode()
    )


def test_resources_show_what_is_new_since_a_person_last_looked(client_for, world):
    programme = matrix_programme(world)
    services.resource_add(
        programme=programme, title="Setting up a group", link="https://example.org/a", by=None
    )
    client = client_for("partner")
    url = f"/programmes/{programme.slug}/resources/"
    assert "1 new since you last looked" in client.get(url).content.decode()
    assert "new since you last looked" not in client.get(url).content.decode()
    services.resource_add(
        programme=programme, title="Trauma training", link="https://example.org/b", by=None
    )
    assert "1 new since you last looked" in client.get(url).content.decode()


def test_the_lead_creates_a_programme_and_adds_a_site(client_for, world):
    client = client_for("staff")
    response = client.post(
        "/programmes/new/",
        {
            "name": "Nurture pilot",
            "lead_hub": world.hub.pk,
            "funder": "Youth Music",
            "starts_on": "2026-09-01",
            "ends_on": "2027-02-28",
            "min_group": "3",
            "max_group": "5",
            "retention_months": "12",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/programmes/nurture-pilot/manage/"
    response = client.post(
        "/programmes/nurture-pilot/manage/sites/new/",
        {"organisation": world.partner.pk, "school_urn": world.school.urn},
    )
    assert response.status_code == 302
    response = client.post(
        "/programmes/nurture-pilot/manage/sites/new/",
        {"organisation": world.partner.pk, "school_urn": "999999"},
    )
    assert "There is no school with that URN" in response.content.decode()


def test_retention_erases_pupils_a_year_after_the_end_and_keeps_the_figures(world):
    programme = make_programme(hub=world.hub, starts_on=date(2024, 1, 8), ends_on=date(2024, 7, 19))
    add_pupils(make_site(programme), 3)
    before = timezone.make_aware(timezone.datetime(2025, 7, 1))
    assert erase_old_pupils(world.hub, before) == 0
    after = timezone.make_aware(timezone.datetime(2025, 8, 1))
    assert erase_old_pupils(world.hub, after) == 3
    assert not Pupil.objects.filter(site__programme=programme).exists()
    assert erase_old_pupils(world.hub, after) == 0
    programme.refresh_from_db()
    assert programme.kept_figures["figures"]


def test_the_lead_adds_an_outcome_measure_and_a_bad_range_is_refused(client_for, world):
    programme = matrix_programme(world)
    url = f"/programmes/{programme.slug}/manage/measures/"
    client = client_for("admin")
    client.post(url, {"name": "Self-esteem", "kind": "scale", "low": "1", "high": "5"})
    assert programme.measures.filter(name="Self-esteem").exists()
    response = client.post(url, {"name": "Calm", "kind": "scale", "low": "5", "high": "5"})
    assert "must be above the lowest" in response.content.decode()
    response = client.post(url, {"name": "self-esteem", "kind": "scale", "low": "1", "high": "5"})
    assert "already has a measure" in response.content.decode()
    assert programme.measures.count() == 5


def test_the_public_page_says_where_the_programme_is(client, world):
    programme = matrix_programme(world)
    assert "running" in client.get(f"/programmes/{programme.slug}/").content.decode()


def test_the_senco_removes_a_pupil_whose_consent_was_withdrawn(client, world):
    site = site_a(world)
    pupil = site.pupils.first()
    services.scores_record(
        pupil=pupil, point="start", values={site.programme.measures.first().pk: 2}
    )
    url = f"{senco_path(site)}pupils/{pupil.pk}/remove/"
    assert f"Remove {pupil.name} from the group?" in client.get(url).content.decode()
    assert site.pupils.filter(pk=pupil.pk).exists()
    client.post(url)
    assert not Pupil.objects.filter(pk=pupil.pk).exists()
    assert not Score.objects.filter(pupil_id=pupil.pk).exists()


def test_a_tutor_of_another_site_cannot_remove_this_sites_pupil(client_for, world):
    site = site_a(world)
    pupil = site.pupils.first()
    url = f"/programmes/{site.programme.slug}/sites/{site.pk}/pupils/{pupil.pk}/remove/"
    assert client_for("coordinator").post(url).status_code == 404
    assert client_for("staff").post(url).status_code == 403
    assert Pupil.objects.filter(pk=pupil.pk).exists()


def test_the_lead_changes_the_programmes_details(client_for, world):
    programme = matrix_programme(world)
    data = {
        "name": "Renamed pilot",
        "funder": "Youth Music",
        "aims": "",
        "status": "running",
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "min_group": "3",
        "max_group": "5",
        "retention_months": "18",
    }
    response = client_for("admin").post(f"/programmes/{programme.slug}/manage/edit/", data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.retention_months) == ("Renamed pilot", 18)
    data |= {"min_group": "2", "max_group": "2"}
    response = client_for("admin").post(f"/programmes/{programme.slug}/manage/edit/", data)
    assert "already has 3 pupils" in response.content.decode()


def test_the_lead_withdraws_an_invitation_and_its_link_stops_working(client_for, client, world):
    site = site_a(world)
    invitation = services.invitation_create(
        programme=site.programme, site=site, role="tutor", email="late@example.org", by=None
    )
    invitation.token_hash = services.token_hash("withdrawn-token")
    invitation.save(update_fields=["token_hash"])
    url = f"/programmes/{site.programme.slug}/sites/{site.pk}/invitations/{invitation.pk}/withdraw/"
    assert client_for("partner").post(url).status_code == 403
    client_for("admin").post(url)
    client.logout()
    response = client.get("/programmes/invitations/withdrawn-token/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
