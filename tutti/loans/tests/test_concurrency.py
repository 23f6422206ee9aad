"""Twenty staff issuing the same instrument at once give exactly one loan.

The test commits for real (``transaction=True``): each thread has its own connection and
transaction, as separate web requests would.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tutti.loans import services
from tutti.loans.models import InstrumentRequest, Loan, Status
from tutti.loans.tests.factories import InstrumentFactory, RequestFactory

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Needs PostgreSQL: SQLite lets only one writer in at a time, so it cannot show that the "
        "row lock works. Run with scripts/with_postgres.sh (CI does)."
    ),
)
def test_twenty_simultaneous_issues_of_one_instrument_give_one_loan(world):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="RACE-1")
    requests = [RequestFactory(hub=world.hub, school=world.school) for _ in range(ATTEMPTS)]
    staff = world.users["staff"]
    start = threading.Barrier(ATTEMPTS)
    refused: list[BaseException] = []
    unexpected: list[BaseException] = []
    today = timezone.localdate()

    def issue(found: InstrumentRequest) -> None:
        try:
            start.wait()
            services.loan_issue(
                hub=world.hub,
                found=found,
                asset_tag="RACE-1",
                starts_on=today,
                due_on=today,
                by=staff,
            )
        except services.LoanConflict as error:
            refused.append(error)
        except BaseException as error:
            unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert Loan.objects.filter(instrument=instrument).count() == 1
    assert len(refused) == ATTEMPTS - 1
    instrument.refresh_from_db()
    assert instrument.status == Status.ON_LOAN
    assert InstrumentRequest.objects.filter(status="issued").count() == 1
