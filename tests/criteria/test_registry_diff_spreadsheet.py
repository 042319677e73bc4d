"""Sets from the package and the administrator's directory; diff; the spreadsheet round trip."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from smartcommune.criteria.diff import diff_documents
from smartcommune.criteria.loader import CriteriaFileError
from smartcommune.criteria.registry import (
    SETS_DIR, UnknownCriteriaSet, available_sets, bundled_sets, content_hash, get_criteria_set,
)
from smartcommune.criteria.spreadsheet import (
    DATA_SHEET, SpreadsheetError, toml_from_xlsx, toml_text, workbook_of, xlsx_bytes,
)

BEN_TRE = (SETS_DIR / "ben-tre-2021-2025.toml").read_text(encoding="utf-8")


def same(a, b) -> bool:
    """Equal documents, kinds included (True is not 1)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


# -- registry ------------------------------------------------------------------------------


@pytest.fixture
def directory(tmp_path):
    (tmp_path / "vinh-long-2026.toml").write_text(
        BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "vinh-long-2026"', 1), encoding="utf-8")
    (tmp_path / "broken.toml").write_text("format = 1\ncode = \n", encoding="utf-8")
    (tmp_path / "ben-tre-2021-2025.toml").write_text(BEN_TRE, encoding="utf-8")
    (tmp_path / "wrong-name.toml").write_text(BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "other"', 1), encoding="utf-8")
    return tmp_path


def test_directory_sets_are_listed_and_bad_ones_never_break_the_others(directory):
    entries = {(e.origin, e.code): e for e in available_sets(directory)}
    assert entries[("package", "ben-tre-2021-2025")].valid
    assert entries[("directory", "vinh-long-2026")].valid
    broken = entries[("directory", "broken")]
    assert not broken.valid and broken.errors[0].line == 2
    assert "trùng mã với bộ tiêu chí có sẵn" in entries[("directory", "ben-tre-2021-2025")].errors[0].vi
    assert "khác tên tệp" in entries[("directory", "wrong-name")].errors[0].vi
    # Every valid set still loads, Bến Tre first.
    assert get_criteria_set(directory=directory).code == "ben-tre-2021-2025"
    assert get_criteria_set("vinh-long-2026", directory=directory).code == "vinh-long-2026"
    with pytest.raises(CriteriaFileError) as refused:
        get_criteria_set("broken", directory=directory)
    assert "dòng 2" in str(refused.value)
    with pytest.raises(UnknownCriteriaSet):
        get_criteria_set("vinh-long-2026")  # not without the directory


def test_an_invalid_shipped_file_is_listed_not_raised(monkeypatch, tmp_path):
    import smartcommune.criteria.registry as registry

    (tmp_path / "ben-tre-2021-2025.toml").write_text(BEN_TRE, encoding="utf-8")
    (tmp_path / "aaa-bad.toml").write_text("[[groups]\n", encoding="utf-8")
    monkeypatch.setattr(registry, "SETS_DIR", tmp_path)
    registry._package_entries.cache_clear()
    try:
        assert [s.code for s in bundled_sets()] == ["ben-tre-2021-2025"]
        assert [e.valid for e in available_sets()] == [False, True]
        assert get_criteria_set().code == "ben-tre-2021-2025"
    finally:
        monkeypatch.undo()
        registry._package_entries.cache_clear()


def test_finding_one_set_reads_only_its_file(monkeypatch, tmp_path, directory):
    """``smartcommune evaluate`` checks the set it uses, not every shipped one."""
    import smartcommune.criteria.registry as registry

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "ben-tre-2021-2025.toml").write_text(BEN_TRE, encoding="utf-8")
    (shipped / "aaa-other.toml").write_text(BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "aaa-other"', 1),
                                           encoding="utf-8")
    read, entry = [], registry._entry
    monkeypatch.setattr(registry, "SETS_DIR", shipped)
    monkeypatch.setattr(registry, "_entry", lambda path, origin: read.append(path.name) or entry(path, origin))
    assert get_criteria_set().code == "ben-tre-2021-2025"
    assert get_criteria_set("vinh-long-2026", directory=directory).code == "vinh-long-2026"
    assert read == ["ben-tre-2021-2025.toml", "vinh-long-2026.toml"]
    assert registry.find_entry("../sets/ben-tre-2021-2025") is None


def test_a_changed_directory_file_is_read_again(directory):
    first = next(e for e in available_sets(directory) if e.code == "vinh-long-2026")
    path = directory / "vinh-long-2026.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('threshold = "90"', 'threshold = "80"'), encoding="utf-8")
    second = next(e for e in available_sets(directory) if e.code == "vinh-long-2026")
    assert first.sha256 != second.sha256 == content_hash(path.read_bytes())
    assert second.criteria_set.criterion("1.2").ratio.threshold == 80


# -- diff ----------------------------------------------------------------------------------


def test_diff_names_every_change_criterion_by_criterion():
    old = tomllib.loads(BEN_TRE)
    new = tomllib.loads(BEN_TRE.replace('threshold = "90"', 'threshold = "80"', 1)
                        .replace('lead_agencies = ["SXD"]', 'lead_agencies = ["SXD", "STC"]', 1)
                        .replace("pass_rule = { at_least = 7 }", "pass_rule = { at_least = 8 }", 1))
    new["groups"][9]["criteria"].pop()  # 10.2 removed
    new["groups"][0]["criteria"].append({**new["groups"][0]["criteria"][0], "code": "1.6"})
    lines = [c.describe() for c in diff_documents(old, new)]
    assert lines == [
        "~ bộ tiêu chí: pass_rule.at_least: 7 → 8",
        '~ tiêu chí 1.2: conditions[0].threshold: "90" → "80"',
        '~ tiêu chí 3.2: lead_agencies: ["SXD"] → ["SXD", "STC"]',
        "- tiêu chí 10.2: bị bỏ (removed)",
        "+ tiêu chí 1.6: thêm mới (added)",
    ]
    assert diff_documents(old, old) == []


def test_diff_sees_keys_added_by_later_formats():
    old = tomllib.loads(BEN_TRE)
    new = tomllib.loads(BEN_TRE)
    new["groups"][0]["criteria"][0]["points"] = 10
    new["levels"] = [{"code": "muc-1", "points_at_least": 50}]
    lines = [c.describe() for c in diff_documents(old, new)]
    assert lines == ["+ mức muc-1: thêm mới (added)", "~ tiêu chí 1.1: points thêm 10 (added)"]


# -- spreadsheet ---------------------------------------------------------------------------


def test_shipped_sets_round_trip_exactly_through_xlsx():
    for path in sorted(SETS_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        back = toml_from_xlsx(xlsx_bytes(text))
        assert same(tomllib.loads(back), tomllib.loads(text)), path.name
        assert back.startswith("# ")  # the source comment travels too
        assert get_criteria_set(str(path)) == get_criteria_set(path.stem)


def test_formula_like_text_is_stored_as_text():
    text = BEN_TRE.replace('name = "Sở Y tế"', 'name = "=HYPERLINK(\\"http://x\\")"', 1).replace(
        'name = "Sở Tài chính"', 'name = "+1-2@"', 1)
    data = xlsx_bytes(text)
    sheet = load_workbook(io.BytesIO(data))[DATA_SHEET]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(("=", "+"))]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    assert same(tomllib.loads(toml_from_xlsx(data)), tomllib.loads(text))


def test_edited_workbook_problems_name_sheet_and_row():
    workbook = workbook_of(BEN_TRE)
    sheet = workbook[DATA_SHEET]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "period.start")
    sheet.cell(row, 3).value = "hai nghìn"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SpreadsheetError) as refused:
        toml_from_xlsx(out.getvalue())
    assert refused.value.problems[0][0].startswith(f"trang “{DATA_SHEET}”, dòng {row}: giá trị 'hai nghìn'")


@pytest.mark.parametrize("data, needle", [
    (b"not a zip", "không phải bảng tính"),
    (b"x" * (6 * 1024 * 1024), "quá lớn"),
])
def test_unreadable_workbooks_are_refused(data, needle):
    with pytest.raises(SpreadsheetError) as refused:
        toml_from_xlsx(data)
    assert needle in refused.value.problems[0][0]


def test_a_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(SpreadsheetError) as refused:
        toml_from_xlsx(out.getvalue())
    assert "bom zip" in refused.value.problems[0][0]


# An independent model of what a TOML document can hold (tomllib's own output is the oracle).
_keys = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)
_scalars = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=20),
    st.integers(-(2**63), 2**63 - 1), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=3)),
    max_leaves=6,
)
_documents = st.recursive(
    st.dictionaries(_keys, _values, max_size=4),
    lambda inner: st.dictionaries(_keys, st.one_of(_values, st.lists(inner, min_size=1, max_size=3)), max_size=4),
    max_leaves=8,
)


@settings(max_examples=25, deadline=None)
@given(document=_documents, comments=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=10), max_size=2))
def test_any_document_round_trips_through_toml_text_and_xlsx(document, comments):
    text = toml_text(document, [c.strip() for c in comments])
    assert same(tomllib.loads(text), document)
    assert same(tomllib.loads(toml_from_xlsx(xlsx_bytes(text))), document)


def test_control_characters_are_refused_on_export():
    with pytest.raises(SpreadsheetError) as refused:
        xlsx_bytes('a = "x\\u0001y"\n')
    assert "ký tự điều khiển" in refused.value.problems[0][0]
