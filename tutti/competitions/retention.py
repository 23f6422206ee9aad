"""Retention for competitions: children's videos go a set time after the results.

Registered by tutti.privacy.retention; run by the ``apply_retention`` command.
"""

from datetime import datetime

from tutti.competitions.services import entries_erase_after_results, videos_delete_after_results
from tutti.directory.models import Hub


def delete_old_videos(hub: Hub, now: datetime) -> int:
    """Each competition's videos, its ``video_retention_days`` after the results were
    published; videos whose family consented to public showing stay where the hub keeps them
    for its archive. Idempotent: a deleted video is not counted again."""
    return videos_delete_after_results(hub=hub, now=now)


def erase_old_entries(hub: Hub, now: datetime) -> int:
    """Entrants' and families' details, two years after the results (ENTRY_RETENTION_DAYS):
    names, contact details, the day and month of birth, consents and any video kept."""
    return entries_erase_after_results(hub=hub, now=now)
