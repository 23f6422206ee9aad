"""The academic year, in one place for every app (participation and provision)."""

import datetime as dt
from unittest import mock

import pytest

from tutti.core import years
from tutti.core.years import academic_year_for, parse_year, year_bounds, year_label


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2025, 9, 1), 2025),
        (dt.date(2026, 8, 31), 2025),
        (dt.date(2025, 8, 31), 2024),
        (dt.date(2025, 12, 31), 2025),
        (dt.date(2026, 1, 1), 2025),
    ],
)
def test_a_day_falls_in_the_year_that_started_on_the_last_first_of_september(day, year):
    assert academic_year_for(day) == year


def test_the_current_year_is_todays():
    with mock.patch.object(years.timezone, "localdate", return_value=dt.date(2027, 3, 4)):
        assert years.current_academic_year() == 2026


def test_label_and_bounds():
    assert year_label(2025) == "2025/26"
    assert year_label(1999) == "1999/00"
    first, last = year_bounds(2025)
    assert (first, last) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert academic_year_for(first) == academic_year_for(last) == 2025
    assert academic_year_for(last + dt.timedelta(days=1)) == 2026


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (None, 2030),
        ("", 2030),
        ("2024", 2024),
        ("2024/25", 2024),
        ("2024/26", None),
        ("1999", None),
        ("nope", None),
    ],
)
def test_parse_year(text, year):
    assert parse_year(text, 2030) == year
