from tutti.competitions.tests.factories import CompetitionFactory, EntryFactory


def test_the_public_list_shows_published_competitions_and_nothing_about_entrants(
    client, comp, world
):
    CompetitionFactory(hub=world.hub, published=False, name="Draft competition")
    EntryFactory(category=comp.strings, first_name="Zephyrine")
    response = client.get("/api/hubs/wiltshire/competitions")
    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body] == ["Wiltshire Young Musician"]
    assert {c["name"] for c in body[0]["categories"]} == {"Strings", "Brass"}
    assert "Zephyrine" not in response.content.decode()


def test_staff_read_judging_progress(client_for, comp, world):
    EntryFactory(category=comp.strings)
    response = client_for("staff").get(
        f"/api/hubs/wiltshire/competitions/{comp.competition.pk}/progress"
    )
    assert response.status_code == 200
    judge = next(a for a in response.json()["adjudicators"] if a["name"] == comp.judge.name)
    assert (judge["to_judge"], judge["judged"]) == (1, 0)


def test_another_hubs_competition_is_not_found(client_for, world):
    other = CompetitionFactory(hub=world.other_hub)
    response = client_for("staff").get(f"/api/hubs/wiltshire/competitions/{other.pk}/progress")
    assert response.status_code == 404
    assert response.json()["detail"]
