"""Retention: each programme's pupil-level data is erased ``retention_months`` after it ends
(12 by default), keeping the aggregated figures. Run by privacy's ``apply_retention`` for the
programme's lead hub, which registers this rule."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from tutti.directory.models import Hub
from tutti.programmes.models import Programme
from tutti.programmes.services import pupils_erase


def erase_old_pupils(hub: Hub, now: datetime) -> int:
    """Erase the pupils of the hub's programmes that ended long enough ago; idempotent."""
    erased = 0
    today = now.date()
    for programme in Programme.objects.filter(lead_hub=hub, pupils_erased_at__isnull=True):
        if programme.ends_on + relativedelta(months=programme.retention_months) < today:
            erased += pupils_erase(programme=programme)
    return erased
