"""Emails leave the request as tasks. In production they wait in the database for a worker
(`manage.py db_worker`); this is that path, end to end."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tutti.events import services
from tutti.events.tests.factories import EventFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_booking_email_queued_in_the_database(world, mailoutbox, settings):
    settings.TASKS = DATABASE_QUEUE
    event = EventFactory(hub=world.hub, title="Devizes cluster meeting")
    services.booking_create(event=event, name="Pat Jones", email="pat@example.org")

    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "tutti.events.tasks.send_booking_email"
    assert queued.status == TaskResultStatus.READY
    assert mailoutbox == []  # nothing is sent in the request

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    (message,) = mailoutbox
    assert message.subject == "Your place: Devizes cluster meeting"
    assert message.attachments


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_when_the_booking_is_refused(world, settings):
    settings.TASKS = DATABASE_QUEUE
    event = EventFactory(hub=world.hub)
    services.booking_create(event=event, name="Pat", email="pat@example.org")
    with pytest.raises(services.BookingError):
        services.booking_create(event=event, name="Pat", email="pat@example.org")
    assert DBTaskResult.objects.count() == 1
