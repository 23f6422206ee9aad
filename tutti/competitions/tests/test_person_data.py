"""A family's competition entries for privacy's pages: found by their address, erased as at
the end of retention, withdrawn first while judging is still going on."""

from django.utils import timezone

from tutti.competitions import selectors, services
from tutti.competitions.models import Entry
from tutti.competitions.tests.factories import CategoryFactory, CompetitionFactory, EntryFactory

PAT = "pat@example.org"


def test_entries_are_found_and_erased_keeping_their_rows(world):
    done = CompetitionFactory(hub=world.hub, results_published_at=timezone.now())
    running = CompetitionFactory(hub=world.hub, name="Still judging")
    old = EntryFactory(category=CategoryFactory(competition=done), contact_email=PAT)
    live = EntryFactory(category=CategoryFactory(competition=running), contact_email=PAT)
    EntryFactory(category=CategoryFactory(competition=running), contact_email="x@example.org")
    data = selectors.person_data(hub=world.hub, email="PAT@example.org")
    assert [e["entrant"] for e in data] == [old.entrant_name, live.entrant_name]
    assert data[0]["pieces"] == ["Sonata in G (Telemann)"]
    assert selectors.person_data(hub=world.other_hub, email=PAT) == []
    plan = selectors.person_erase_plan(hub=world.hub, email=PAT)
    assert "The results of Still judging are not out yet" in plan.changes[1]

    assert services.person_erase(hub=world.hub, email=PAT, by=None) == 2
    assert Entry.objects.count() == 3
    old.refresh_from_db()
    live.refresh_from_db()
    assert (old.first_name, old.contact_email.endswith(".invalid")) == ("Erased", True)
    assert old.withdrawn_at is None and live.withdrawn_at is not None
    assert selectors.person_data(hub=world.hub, email=PAT) == []
    assert not selectors.person_erase_plan(hub=world.hub, email=PAT)
