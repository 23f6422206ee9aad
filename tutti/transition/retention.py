"""How long passports are kept: registered by tutti.privacy.retention with the other rules.

A passport's personal data goes at the end of the autumn term of Year 7 (after 31 December of
the year the child starts), or at the end of Year 7 (31 August) when the family chose to keep
it longer. A passport never sent goes after 180 days without a change, and a withdrawn one (whose
data went when it was withdrawn) at the next run.
"""

from datetime import datetime, timedelta

from django.db.models import Q

from tutti.core.years import academic_year_for
from tutti.directory.models import Hub
from tutti.transition.models import AT_SCHOOL, Passport, PassportStatus
from tutti.transition.services import DRAFT_DAYS, passports_delete_personal_data


def delete_expired_passports(hub: Hub, now: datetime) -> int:
    today = now.date()
    due = (
        Q(status__in=AT_SCHOOL, keep_longer=False, intake_year__lt=today.year)
        | Q(status__in=AT_SCHOOL, keep_longer=True, intake_year__lt=academic_year_for(today))
        | Q(status=PassportStatus.DRAFT, updated_at__lt=now - timedelta(days=DRAFT_DAYS))
        | Q(status=PassportStatus.WITHDRAWN)
    )
    return passports_delete_personal_data(Passport.objects.filter(due, hub=hub))
