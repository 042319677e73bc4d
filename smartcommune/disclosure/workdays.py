"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết, Hùng Kings'
day, 30/4, 1/5, 2/9 and the days off moved next to them), plus the Saturdays worked in
exchange — all from the maintained ``holidays`` package (``holidays.Vietnam``)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The year's days off and its weekend days worked in exchange."""
    official = holidays.Vietnam(years=year)
    return frozenset(official), frozenset(d for d in official.weekend_workdays if d.year == year)


def is_working_day(day: date) -> bool:
    days_off, weekend_workdays = _calendar(day.year)
    return (day.weekday() < 5 or day in weekend_workdays) and day not in days_off


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day

