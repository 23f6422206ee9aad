"""What erasing a person would do in one app, as each app tells the privacy pages.

An app that holds people found by email offers ``person_data(hub=, email=)`` (its records, as
plain data), ``person_erase_plan(hub=, email=)`` (this) and ``person_erase(hub=, email=, by=)``;
``tutti/privacy/sources.py`` lists them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ErasurePlan:
    """The sentences the erase page shows: what will change, and what the hub must do first
    for the records erasure leaves alone (a live loan, say)."""

    changes: list[str] = field(default_factory=list)
    hub_must: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes or self.hub_must)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def iso(value: date | datetime | None) -> str | None:
    """A date or time in ``person_data``'s plain data: ISO 8601, or None."""
    return value.isoformat() if value is not None else None
