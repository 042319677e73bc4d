"""Answer deadlines count working days across Vietnam's public holidays (the maintained
``holidays`` package), checked against an independent walk."""

from datetime import date, timedelta

import holidays
from hypothesis import given, settings, strategies as st

from smartcommune.disclosure.workdays import add_working_days, is_working_day


def test_tet_2025_is_skipped():
    # Tết Ất Tỵ: the offices closed from Saturday 25/01 to Sunday 02/02/2025.
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert not is_working_day(date(2025, 1, 29))  # the first day of the lunar year


def test_ten_working_days_across_reunification_and_labour_day():
    # 30/4 and 1/5/2025 are holidays and Friday 2/5 a day off worked on Saturday 26/4.
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))
    assert add_working_days(date(2025, 4, 25), 10) == date(2025, 5, 13)


def test_a_plain_fortnight():
    assert add_working_days(date(2024, 10, 4), 10) == date(2024, 10, 18)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 1)), st.integers(min_value=0, max_value=25))
def test_matches_an_independent_walk(start, days):
    official = holidays.Vietnam(years=range(2021, 2028))
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if (day.weekday() < 5 or day in official.weekend_workdays) and day not in official:
            left -= 1
    assert add_working_days(start, days) == day
