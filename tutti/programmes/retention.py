"""Retention: each programme's pupil-level data is erased ``retention_months`` after it ends
(12 by default), keeping the aggregated figures. Run by privacy's ``apply_retention`` for the
programme's lead hub (or, for a programme with none, any hub holding one of its sites), which
registers this rule."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from tutti.directory.models import Hub
from tutti.programmes.models import Programme
from tutti.programmes.services import pupils_erase


def erase_old_pupils(hub: Hub, now: datetime) -> int:
    """Erase the pupils of the hub's programmes that ended long enough ago; idempotent."""
    erased = 0
    today = now.date()
    led_here = Q(lead_hub=hub) | Q(lead_hub__isnull=True, sites__hub=hub)
    for programme in Programme.objects.filter(led_here, pupils_erased_at__isnull=True).distinct():
        if programme.ends_on + relativedelta(months=programme.retention_months) < today:
            erased += pupils_erase(programme=programme)
    return erased
