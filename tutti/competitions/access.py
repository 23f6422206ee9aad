"""Who may do what in a competition: the same functions for every page.

- Hub admins and staff (``can_manage_competitions``) run competitions and see every entry.
- An adjudicator is someone invited to judge one competition, signed in with their own
  account: they see the entries of their categories and those given to them, never one they
  declared a conflict with (404), and never an entrant's name or school.
- A family holds the signed link to their own entry.
"""

from typing import Any

from django.db.models import Q, QuerySet

from tutti.competitions.models import Adjudicator, Competition, Entry

CAPABILITY = "can_manage_competitions"


def adjudicator_for(user: Any, competition: Competition) -> Adjudicator | None:
    """The signed-in person's place on the competition's panel, if they accepted one."""
    if not user.is_authenticated:
        return None
    return Adjudicator.objects.filter(competition=competition, user=user).first()


def entries_to_judge(adjudicator: Adjudicator) -> QuerySet[Entry]:
    """Entries in the adjudicator's categories and those given to them, less their conflicts
    and withdrawn entries."""
    mine = Q(category__in=adjudicator.categories.all()) | Q(reassignments__adjudicator=adjudicator)
    return (
        Entry.objects.filter(competition=adjudicator.competition_id, withdrawn_at=None)
        .filter(mine)
        .exclude(conflicts__adjudicator=adjudicator)
        .distinct()
    )


def adjudicator_may_judge(adjudicator: Adjudicator, entry: Entry) -> bool:
    return entries_to_judge(adjudicator).filter(pk=entry.pk).exists()


def staff_may_manage(membership: Any) -> bool:
    return membership is not None and membership.has_capability(CAPABILITY)
