"""How long the library keeps a pupil's name and a family's contact details. The rule is
registered in tutti/privacy/retention.py, which lists every app's rule."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Max, OuterRef, Q

from tutti.directory.models import Hub
from tutti.loans.models import Charge, InstrumentRequest, Loan, RequestStatus
from tutti.loans.services import REMOVED, REQUEST_ERASED_FIELDS

# Two years after the last instrument came back (or the request was withdrawn): long enough
# for a late charge or a damage claim, and no longer.
KEEP_MONTHS = 24


def anonymise_old_requests(hub: Hub, now: datetime) -> int:
    """Blank the pupil's and family's details of finished requests; loans, charges and
    instruments stay, for the store's history and the figures, naming nobody."""
    cutoff = (now - relativedelta(months=KEEP_MONTHS)).date()
    open_loans = Loan.objects.filter(request=OuterRef("pk"), returned_on__isnull=True)
    unpaid = Charge.objects.filter(loan__request=OuterRef("pk"), paid_on__isnull=True, amount__gt=0)
    finished = (
        InstrumentRequest.objects.filter(hub=hub)
        .exclude(first_name=REMOVED)
        .annotate(last_back=Max("loans__returned_on"))
        .filter(
            Q(status=RequestStatus.WITHDRAWN, updated_at__date__lt=cutoff)
            | Q(status=RequestStatus.ISSUED, last_back__lt=cutoff)
        )
        .exclude(Exists(open_loans))
        .exclude(Exists(unpaid))
    )
    ids = list(finished.values_list("pk", flat=True))
    return InstrumentRequest.objects.filter(pk__in=ids).update(**REQUEST_ERASED_FIELDS)
