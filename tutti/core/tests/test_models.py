"""model_update: only the fields that changed are written, and nothing when none did."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutti.core.models import AuditLog, model_update
from tutti.directory.models import Organisation
from tutti.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue():
    venue = OrganisationFactory(name="Corn Exchange", town="Devizes", phone="01380 000000")
    # A day old, so a fresh updated_at can be told apart.
    Organisation.objects.filter(pk=venue.pk).update(updated_at=timezone.now() - timedelta(days=1))
    venue.refresh_from_db()
    return venue


def test_only_the_changed_fields_are_saved_and_named(venue):
    with CaptureQueriesContext(connection) as queries:
        changed = model_update(venue, {"town": "Devizes", "phone": "01380 111111"})
    assert changed == ["phone"]
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"phone"' in update
    assert '"updated_at"' in update
    assert '"town"' not in update
    assert '"name"' not in update
    venue.refresh_from_db()
    assert venue.phone == "01380 111111"


def test_other_unsaved_changes_on_the_instance_are_not_written(venue):
    venue.name = "Not saved"
    model_update(venue, {"town": "Marlborough"})
    venue.refresh_from_db()
    assert (venue.name, venue.town) == ("Corn Exchange", "Marlborough")


def test_nothing_changed_writes_nothing(venue, django_assert_num_queries):
    before = venue.updated_at
    with django_assert_num_queries(0):
        assert model_update(venue, {"name": "Corn Exchange", "town": "Devizes"}) == []
    venue.refresh_from_db()
    assert venue.updated_at == before


def test_an_empty_change_writes_nothing(venue, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert model_update(venue, {}) == []


def test_updated_at_moves_on_when_something_changed(venue):
    before = venue.updated_at
    model_update(venue, {"town": "Marlborough"})
    venue.refresh_from_db()
    assert venue.updated_at > before
    assert timezone.now() - venue.updated_at < timedelta(minutes=1)


def test_the_changed_names_come_in_the_order_given(venue):
    changed = model_update(venue, {"phone": "1", "town": "Calne", "name": "Corn Exchange"})
    assert changed == ["phone", "town"]


def test_a_model_without_updated_at_is_saved_too():
    entry = AuditLog.objects.create(action="cluster.created")
    assert model_update(entry, {"action": "cluster.renamed"}) == ["action"]
    entry.refresh_from_db()
    assert entry.action == "cluster.renamed"
