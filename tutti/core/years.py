"""Academic years, the reporting period everywhere: 1 September to 31 August.

A year is stored as the calendar year it starts in, so 2025 is "2025/26".
"""

import datetime as dt

from django.utils import timezone

FIRST_MONTH = 9


def academic_year_for(day: dt.date) -> int:
    """The start year of the academic year that ``day`` falls in."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def current_academic_year() -> int:
    return academic_year_for(timezone.localdate())


def year_label(year: int) -> str:
    """2025 → "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the academic year."""
    return dt.date(year, FIRST_MONTH, 1), dt.date(year + 1, FIRST_MONTH - 1, 31)


def parse_year(value: str | None, default: int) -> int | None:
    """A year from a query string, as "2025" or "2025/26"; None if it is not one."""
    if not value:
        return default
    start = value.split("/", 1)[0].strip()
    if not start.isdigit() or not 2000 <= int(start) <= 2100:
        return None
    if "/" in value and value.strip() != year_label(int(start)):
        return None
    return int(start)
