"""Secondary transition in the demo: Wiltshire's secondary schools with their feeders, two
invented school music leads and a dozen invented passports.

The schools are the register's. The suggestions are Tutti's own (tutti/transition/selectors.py);
for the first secondary schools in order of name, someone has confirmed the nearest suggested
feeders and removed one, so both states show. EVERY PERSON AND PASSPORT HERE IS INVENTED: the
music leads' addresses are at example.org and each child's name ends "(invented)".
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from tutti.accounts.models import Role
from tutti.core.years import current_academic_year
from tutti.directory.models import Hub, Organisation
from tutti.transition import selectors
from tutti.transition.models import (
    FeederDecision,
    FeederState,
    FirstContact,
    Passport,
    PassportStatus,
)

# How many of Wiltshire's secondary schools have feeders confirmed, and how many of each one's
# nearest suggestions are confirmed.
DECIDED_SECONDARIES = 6
CONFIRMED_EACH = 5

CHILDREN = [
    # (name, instruments, level, years, first contact or status)
    ("Amelia T.", "Cornet", "Grade 2", 3, FirstContact.SCHOOL_ENSEMBLE),
    ("Noah B.", "Violin", "Grade 3", 4, FirstContact.PARTNER_LESSONS),
    ("Isla M.", "Singing", "Beginner", 1, FirstContact.SCHOOL_ENSEMBLE),
    ("Oliver P.", "Drum kit", "Grade 1", 2, FirstContact.HUB_ENSEMBLE),
    ("Freya H.", "Clarinet", "Grade 2", 2, FirstContact.SCHOOL_LESSONS),
    ("Jack W.", "Ukulele", "Beginner", 1, FirstContact.NOT_CONTINUING),
    ("Poppy R.", "Flute", "Grade 1", 2, PassportStatus.ACKNOWLEDGED),
    ("Harry S.", "Trombone", "Grade 1", 2, PassportStatus.ACKNOWLEDGED),
    ("Evie C.", "Cello", "Grade 2", 3, PassportStatus.SENT),
    ("Leo D.", "Guitar", "Beginner", 1, PassportStatus.SENT),
    # Children in Year 6 now: one passport still being written, one withdrawn.
    ("Grace K.", "Piano", "Grade 2", 3, PassportStatus.DRAFT),
    ("", "", "", None, PassportStatus.WITHDRAWN),
]


def load_transition(hubs: dict[str, Hub]) -> None:
    hub = hubs["wiltshire"]
    secondaries = list(
        selectors.receiving_schools(hub=hub)
        .filter(latitude__isnull=False, phase="Secondary")
        .select_related("local_authority")
        .order_by("name")[:DECIDED_SECONDARIES]
    )
    decisions = []
    first_feeders: list[Organisation] = []
    for secondary in secondaries:
        rows = selectors.feeder_rows(hub=hub, secondary=secondary)
        for n, row in enumerate(rows[: CONFIRMED_EACH + 1]):
            state = FeederState.REMOVED if n == CONFIRMED_EACH else FeederState.CONFIRMED
            decisions.append(
                FeederDecision(hub=hub, secondary=secondary, primary=row.primary, state=state)
            )
            if secondary == secondaries[0] and state == FeederState.CONFIRMED:
                first_feeders.append(row.primary)
    FeederDecision.objects.bulk_create(decisions)
    if not secondaries or not first_feeders:
        return
    receiving = secondaries[0]
    _music_leads(hub, receiving, first_feeders[0])
    _passports(hub, receiving, first_feeders)


def _music_leads(hub: Hub, secondary: Organisation, primary: Organisation) -> None:
    from tutti.demo.loader import _member, _user

    for email, first, last, school in (
        ("secondary.lead@example.org", "Sam", "Secondary (invented)", secondary),
        ("primary.lead@example.org", "Pat", "Primary (invented)", primary),
    ):
        membership = _member(hub, _user(email, first, last), Role.SCHOOL_MUSIC_LEAD)
        membership.organisations.add(school)


def _passports(hub: Hub, secondary: Organisation, feeders: list[Organisation]) -> None:
    year = current_academic_year()
    # Those now in Year 7 sent theirs last summer; those in Year 6 are writing theirs.
    last_summer = dt.datetime(year, 7, 1, 10, 0, tzinfo=dt.UTC)
    passports = []
    for n, (name, instruments, level, years, state) in enumerate(CHILDREN):
        fields: dict[str, Any] = {
            "hub": hub,
            "child_name": f"{name} (invented)" if name else "",
            "family_email": f"family{n + 1}@example.org" if name else "",
            "instruments": instruments,
            "level": level,
            "years_learning": years,
            "primary": feeders[n % len(feeders)] if name else None,
            "secondary": secondary if name else None,
            "next_steps": "Join a band and carry on lessons." if name else "",
        }
        if state in FirstContact.values:
            fields |= {
                "status": PassportStatus.CONTACTED,
                "first_contact": state,
                "contacted_at": dt.datetime(year, 9, 20, 12, 0, tzinfo=dt.UTC),
                "acknowledged_at": last_summer + dt.timedelta(days=3),
            }
        else:
            fields["status"] = state
            if state == PassportStatus.ACKNOWLEDGED:
                fields["acknowledged_at"] = last_summer + dt.timedelta(days=3)
            if state == PassportStatus.WITHDRAWN:
                fields["withdrawn_at"] = timezone.now()
        in_year_6 = state in (PassportStatus.DRAFT, PassportStatus.WITHDRAWN)
        fields["intake_year"] = year + 1 if in_year_6 else year
        if not in_year_6:
            fields["sent_at"] = last_summer
        passports.append(Passport(**fields))
    Passport.objects.bulk_create(passports)
