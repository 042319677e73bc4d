"""The ``smartcommune`` command, end to end in a subprocess (no database for evaluate/criteria)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a subprocess per test

ROOT = Path(__file__).resolve().parents[1]
VI_LETTERS = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)


def python(*argv: str, cwd: Path, check_exit: int | None = 0) -> subprocess.CompletedProcess:
    """``python *argv`` with this checkout importable and no Django settings (the command
    line's ``evaluate`` needs none), its exit status checked unless ``check_exit`` is None."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, *argv],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    if check_exit is not None:
        assert result.returncode == check_exit, (result.returncode, result.stdout, result.stderr)
    return result


def smartcommune(*args: str, cwd: Path, check_exit: int | None = 0) -> subprocess.CompletedProcess:
    return python("-m", "smartcommune.cli", *args, cwd=cwd, check_exit=check_exit)


# -- a small file and its expected result, written by hand from the contract ------

SMALL_CSV = """\
unit_code,year,criterion,numerator,denominator,met,ten_xa
28759,2024,1.2,863,1000,,Xã Bình Phú
28759,2024,1.1,2,3,,"Xã Bình Phú, TP Bến Tre"
28759,2024,9.2,1,3,,Xã Bình Phú
28759,2024,6.1,,,,Xã Bình Phú
28759,2024,3.1,40,40,,Xã Bình Phú
28756,2024,1.1,12,12,,Phường Phú Khương
28756,2024,1.2,9,10,,
28756,2024,1.3,,,true,
28756,2024,1.4,,,yes,
28756,2024,1.5,,,x,

28756,2024,2.1,,,Đạt,
28756,2024,2.2,20,20,,
28756,2024,3.1,40,40,TRUE,
28756,2024,3.2,0,0,đạt,
28756,2024,3.3,5,5,Không đạt,
28756,2024,3.4,,,1,
28756,2024,4,300,400,,
28756,2024,5.1,0,0,,
28756,2024,5.2,0,0,,
28756,2024,6.1,,,X,
28756,2024,6.2,,,no,
28756,2024,7,150,150,,
28756,2024,8.1,30,30,,
28756,2024,8.2,30,30,,
28756,2024,9.1,0,0,,
28756,2024,9.2,1,2,,
28756,2024,10.1,,,ĐẠT,
28756,2024,10.2,,,x,
28756,2023,10.1,,,x,
"""

GROUPS = {
    "1": ["1.1", "1.2", "1.3", "1.4", "1.5"],
    "2": ["2.1", "2.2"],
    "3": ["3.1", "3.2", "3.3", "3.4"],
    "4": ["4"],
    "5": ["5.1", "5.2"],
    "6": ["6.1", "6.2"],
    "7": ["7"],
    "8": ["8.1", "8.2"],
    "9": ["9.1", "9.2"],
    "10": ["10.1", "10.2"],
}
THRESHOLD = {"1.1": "100", "1.2": "90", "2.2": "100", "3.1": "100", "3.2": "100", "3.3": "100", "4": "100",
             "5.1": "100", "5.2": "100", "7": "100", "8.1": "100", "8.2": "100", "9.1": "100", "9.2": "50"}


def commune(unit_code, year, fields_met, smart, complete, field_status, criteria):
    """The expected object; criteria not listed in ``criteria`` are missing."""
    fields = []
    for code, codes in GROUPS.items():
        items = []
        for c in codes:
            status, ratio, gap = criteria.get(c, ("missing", None, None))
            items.append({"code": c, "status": status, "ratio": ratio, "threshold": THRESHOLD.get(c), "gap": gap,
                          "points": None})
        fields.append({"code": code, "status": field_status.get(code, "missing"), "criteria": items,
                       "points": "0.00", "points_max": "0.00"})
    # Issue 10 added the keys after "fields"; Bến Tre scores no points, has no levels and no
    # preconditions, and its outcome is certain once recognised or out of reach.
    return {"unit_code": unit_code, "year": year, "fields_met": fields_met, "fields_required": 7,
            "smart_commune": smart, "complete": complete, "fields": fields,
            "points": "0.00", "points_max": "0.00", "level": None, "next_level": None, "eligible": True,
            "preconditions": [], "outcome_certain": smart}


MET_BOOL = ("met", None, None)
EXPECTED = [
    commune("28756", 2023, 0, False, False, {}, {"10.1": MET_BOOL}),
    commune("28756", 2024, 7, True, True,
            {"1": "met", "2": "met", "3": "not_met", "4": "not_met", "5": "met",
             "6": "not_met", "7": "met", "8": "met", "9": "met", "10": "met"},
            {
                "1.1": ("met", "100.00", 0), "1.2": ("met", "90.00", 0),
                "1.3": MET_BOOL, "1.4": MET_BOOL, "1.5": MET_BOOL,
                "2.1": MET_BOOL, "2.2": ("met", "100.00", 0),
                "3.1": ("met", "100.00", 0), "3.2": ("met", None, None), "3.3": ("not_met", "100.00", 0),
                "3.4": MET_BOOL,
                "4": ("not_met", "75.00", 100),
                "5.1": ("not_applicable", None, None), "5.2": ("not_applicable", None, None),
                "6.1": MET_BOOL, "6.2": ("not_met", None, None),
                "7": ("met", "100.00", 0),
                "8.1": ("met", "100.00", 0), "8.2": ("met", "100.00", 0),
                "9.1": ("not_applicable", None, None), "9.2": ("met", "50.00", 0),
                "10.1": MET_BOOL, "10.2": MET_BOOL,
            }),
    commune("28759", 2024, 0, False, False, {"1": "not_met", "9": "not_met"},
            {
                "1.1": ("not_met", "66.67", 1), "1.2": ("not_met", "86.30", 37),
                "3.1": ("missing", "100.00", 0),
                "9.2": ("not_met", "33.33", 1),
            }),
]


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "xa.csv"
    path.write_text(SMALL_CSV, encoding="utf-8")
    return path


# -- help and criteria ---------------------------------------------------------


def test_help_lists_the_commands(tmp_path):
    out = smartcommune("--help", cwd=tmp_path).stdout
    for command in ("evaluate", "criteria", "units"):
        assert re.search(rf"\b{command}\b", out), command


def test_evaluate_help_lists_its_options(tmp_path):
    out = smartcommune("evaluate", "--help", cwd=tmp_path).stdout
    for option in ("--criteria-set", "--format", "--output", "table", "json", "csv"):
        assert option in out


def test_criteria_list(tmp_path):
    out = smartcommune("criteria", "list", cwd=tmp_path).stdout
    assert "ben-tre-2021-2025" in out
    assert "Mô hình xã thông minh tỉnh Bến Tre" in out


def test_criteria_show_prints_the_set_in_vietnamese(tmp_path):
    out = smartcommune("criteria", "show", "ben-tre-2021-2025", cwd=tmp_path).stdout
    for name in ("Hạ tầng thông tin", "Chính sách, nguồn nhân lực", "Y tế", "An toàn vệ sinh thực phẩm",
                 "Giáo dục", "Lao động", "Đảm bảo an ninh, trật tự xã hội"):
        assert name in out, name
    assert "Tỷ lệ hộ gia đình có thiết bị thông minh" in out
    assert "Sở Y tế" in out and "Công an tỉnh" in out
    for code in ("1.1", "3.1", "9.2", "10.2"):
        assert re.search(rf"(^|\s){re.escape(code)}\b", out, re.MULTILINE), code


def test_criteria_show_unknown_set(tmp_path):
    result = smartcommune("criteria", "show", "khong-co-bo-nay", cwd=tmp_path, check_exit=None)
    assert result.returncode != 0
    assert "khong-co-bo-nay" in result.stderr


# -- evaluate ----------------------------------------------------------------------


def test_evaluate_json_equals_the_expected_object(small, tmp_path):
    result = smartcommune("evaluate", str(small), "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout) == EXPECTED


def test_evaluate_json_with_the_default_set_named(small, tmp_path):
    result = smartcommune("evaluate", str(small), "--criteria-set", "ben-tre-2021-2025", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout) == EXPECTED


def test_evaluate_csv(small, tmp_path):
    out = smartcommune("evaluate", str(small), "--format", "csv", cwd=tmp_path).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 * 23
    assert [(r["unit_code"], r["year"]) for r in rows[::23]] == [("28756", "2023"), ("28756", "2024"), ("28759", "2024")]
    by_key = {(r["unit_code"], r["year"], r["criterion"]): r for r in rows}
    r = by_key[("28759", "2024", "1.2")]
    assert (r["status"], r["ratio"], r["threshold"], r["gap"]) == ("not_met", "86.30", "90", "37")
    r = by_key[("28756", "2024", "4")]
    assert (r["status"], r["ratio"], r["threshold"], r["gap"]) == ("not_met", "75.00", "100", "100")
    for obj in EXPECTED:
        for f in obj["fields"]:
            for c in f["criteria"]:
                assert by_key[(obj["unit_code"], str(obj["year"]), c["code"])]["status"] == c["status"]


def test_evaluate_table_is_the_default_and_mentions_gaps(small, tmp_path):
    out = smartcommune("evaluate", str(small), cwd=tmp_path).stdout
    assert out == smartcommune("evaluate", str(small), "--format", "table", cwd=tmp_path).stdout
    lines = out.splitlines()
    line = next(line for line in lines if "28759" in line)
    assert "1.2" in line and "37" in line
    assert any("28756" in line and "2023" in line for line in lines)
    assert any("28756" in line and "2024" in line for line in lines)


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_output_writes_the_file(small, tmp_path, fmt):
    target = tmp_path / f"ket-qua.{fmt}"
    result = smartcommune("evaluate", str(small), "--format", fmt, "--output", str(target), cwd=tmp_path)
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == smartcommune("evaluate", str(small), "--format", fmt, cwd=tmp_path).stdout
    if fmt == "json":
        assert json.loads(target.read_text(encoding="utf-8")) == EXPECTED
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["xa.csv", target.name])


BAD_CSV = """\
unit_code,year,criterion,numerator,denominator,met
28756,2024,1.1,12,12,
28756,2024,1.2,-5,10,
28756,2024,9.9,1,1,
28756,20x4,1.3,,,x
28756,2024,6.1,,,có thể
28756,2024,2.2,21,20,
28756,2024,1.1,1,1,
28756,2024,8.1,1.5,2,
"""
# (line, column, an English word that explains it)
BAD_PROBLEMS = [
    (3, "numerator", r"negative|whole number|non-negative|integer"),
    (4, "criterion", r"criterion|not in|unknown"),
    (5, "year", r"year"),
    (6, "met", r"pass/fail|true|boolean|yes"),
    (7, "numerator|denominator", r"greater|above|exceed|more than"),
    (8, "criterion", r"duplicat|same|repeat"),
    (9, "numerator", r"whole number|integer|number"),
]


def assert_every_problem_reported(stderr: str, file_name: str) -> None:
    lines = stderr.splitlines()
    for line_no, column, english in BAD_PROBLEMS:
        matching = [x for x in lines if re.search(rf"(:|line |dòng ){line_no}\b", x) and re.search(column, x)]
        assert matching, (line_no, column, stderr)
        text = " ".join(matching)
        assert re.search(english, text, re.IGNORECASE), (line_no, english, text)
        assert VI_LETTERS.search(text), (line_no, "no Vietnamese", text)
    assert file_name in stderr
    # line 2 is valid: no problem is reported on it
    assert not re.search(rf"{re.escape(file_name)}:2\b", stderr), stderr


def test_bad_input_exits_1_lists_every_problem_and_prints_nothing(tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        result = smartcommune("evaluate", str(path), "--format", fmt, cwd=tmp_path, check_exit=1)
        assert result.stdout == ""
        assert_every_problem_reported(result.stderr, "sai.csv")


def test_bad_input_with_output_creates_no_file(tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    target = tmp_path / "ket-qua.json"
    result = smartcommune("evaluate", str(path), "--format", "json", "--output", str(target), cwd=tmp_path, check_exit=1)
    assert result.stdout == ""
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sai.csv"]
    assert_every_problem_reported(result.stderr, "sai.csv")


def test_bad_input_does_not_overwrite_an_existing_output(tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    target = tmp_path / "ket-qua.json"
    target.write_text("cũ", encoding="utf-8")
    smartcommune("evaluate", str(path), "--format", "json", "--output", str(target), cwd=tmp_path, check_exit=1)
    assert target.read_text(encoding="utf-8") == "cũ"


@pytest.mark.parametrize("name", ["khong-co/ket-qua.json", "9" * 10_000], ids=["no directory", "10,000 digits"])
def test_an_output_that_cannot_be_written_is_named_without_a_traceback(small, tmp_path, name):
    target = tmp_path / name
    result = smartcommune("evaluate", str(small), "--format", "json", "--output", str(target), cwd=tmp_path, check_exit=1)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert f"Không ghi được tệp {target}:" in result.stderr


PLAIN_CSV = "unit_code,year,criterion,numerator,denominator,met\n" + "".join(
    f"{unit},2024,1.1,{unit % 11},10,\n{unit},2024,6.1,,,Đạt\n" for unit in range(28700, 28760))
"""A file the quick reader takes, so that --jobs 2 writes it in two processes."""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_named_without_a_traceback(tmp_path, jobs):
    """/dev/full refuses every write with ENOSPC, as a full disk does: the result cannot be
    written, whether into a file named by --output or into a redirected standard output."""
    path = tmp_path / "tep.csv"
    path.write_text(PLAIN_CSV, encoding="utf-8")
    result = smartcommune("evaluate", str(path), "--format", "json", "--jobs", jobs, "--output", "/dev/full",
                          cwd=tmp_path, check_exit=1)
    assert "Traceback" not in result.stderr
    assert "Không ghi được tệp /dev/full:" in result.stderr and "cannot write the file" in result.stderr
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open("/dev/full", "w") as full:
        redirected = subprocess.run(
            [sys.executable, "-m", "smartcommune.cli", "evaluate", str(path), "--format", "json", "--jobs", jobs],
            cwd=tmp_path, env=env, stdout=full, stderr=subprocess.PIPE, text=True, encoding="utf-8", timeout=60)
    assert redirected.returncode == 1
    assert "Traceback" not in redirected.stderr
    assert "Không ghi được kết quả:" in redirected.stderr and "cannot write the result" in redirected.stderr


def test_no_room_for_a_result_in_parts_is_named_without_evaluating_again(tmp_path):
    """The processes make room for the output before they write into it: a full disk met
    there is named at once, not after the one-process path has evaluated the file again."""
    path = tmp_path / "tep.csv"
    path.write_text(PLAIN_CSV, encoding="utf-8")
    target = tmp_path / "ket-qua.json"
    code = (
        "import errno, os, sys\n"
        "def full(fd, offset, length):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.posix_fallocate = full\n"
        "from smartcommune import cli\n"
        "def again(*args):\n"
        "    raise AssertionError('the one-process path ran')\n"
        "cli._write_evaluations = again\n"
        f"sys.exit(cli.main(['evaluate', {str(path)!r}, '--format', 'json', '--jobs', '2', '--output', {str(target)!r}]))\n"
    )
    result = python("-c", code, cwd=tmp_path, check_exit=1)
    assert "Traceback" not in result.stderr
    assert result.stderr == f"Không ghi được tệp {target}: {os.strerror(errno.ENOSPC)} (cannot write the file).\n"
    assert list(tmp_path.iterdir()) == [path]


def test_an_input_that_cannot_be_read_is_named_without_a_traceback(tmp_path):
    result = smartcommune("evaluate", str(tmp_path), "--format", "json", cwd=tmp_path, check_exit=1)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert f"Không đọc được tệp {tmp_path}:" in result.stderr and "cannot read the file" in result.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", r"empty|rỗng"),
        ("unit_code,year,criterion,numerator,denominator\n28756,2024,1.1,1,1\n".encode(), r"\bmet\b"),
        ("unit_code,year,criterion,numerator,denominator,met\n28756,2024,6.1,,,Đạt\n".encode("cp1258", "replace")
         + b"28756,2024,6.2,,,\xd0\xe1t\n", r"UTF-8"),
    ],
)
def test_unusable_files_are_refused(tmp_path, content, needle):
    path = tmp_path / "tep.csv"
    path.write_bytes(content)
    result = smartcommune("evaluate", str(path), "--format", "json", cwd=tmp_path, check_exit=1)
    assert result.stdout == ""
    assert re.search(needle, result.stderr, re.IGNORECASE), result.stderr


def test_missing_file(tmp_path):
    result = smartcommune("evaluate", str(tmp_path / "khong-co.csv"), cwd=tmp_path, check_exit=None)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "khong-co.csv" in result.stderr


def test_unknown_criteria_set(small, tmp_path):
    result = smartcommune("evaluate", str(small), "--criteria-set", "ha-noi-2030", cwd=tmp_path, check_exit=None)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "ha-noi-2030" in result.stderr
    assert "Traceback" not in result.stderr


CUSTOM_SET = """\
format = 1
code = "thu-nghiem-2026"
name = "Bộ tiêu chí thử nghiệm"
document = "Quyết định số 9/QĐ-UBND"
period = { start = 2026, end = 2030 }
pass_rule = { at_least = 1 }

[[agencies]]
code = "STTTT"
name = "Sở Thông tin và Truyền thông"

[[groups]]
code = "A"
name = "Hạ tầng số"
pass_rule = { at_least = 1 }

[[groups.criteria]]
code = "A.1"
text = "Tỷ lệ thôn có wifi công cộng"
target = "≥62,5%"
lead_agencies = ["STTTT"]
evidence = "Báo cáo"

[[groups.criteria.conditions]]
kind = "ratio"
numerator = "Số thôn có wifi"
denominator = "Tổng số thôn"
comparator = ">="
threshold = "62.5"

[[groups.criteria]]
code = "A.2"
text = "Có trang thông tin điện tử"
target = "Đạt"
lead_agencies = ["STTTT"]
evidence = "Địa chỉ trang"

[[groups.criteria.conditions]]
kind = "boolean"
label = "Có trang thông tin điện tử"

[[groups]]
code = "B"
name = "Dịch vụ số"

[[groups.criteria]]
code = "B.1"
text = "Có ứng dụng phản ánh"
target = "Đạt"
lead_agencies = ["STTTT"]
evidence = "Tên ứng dụng"

[[groups.criteria.conditions]]
kind = "boolean"
label = "Có ứng dụng phản ánh"
"""


def test_custom_set_from_a_toml_path(tmp_path):
    set_path = tmp_path / "bo-thu-nghiem.toml"
    set_path.write_text(CUSTOM_SET, encoding="utf-8")
    data = tmp_path / "du-lieu.csv"
    data.write_text(
        "unit_code,year,criterion,numerator,denominator,met\n"
        "28756,2026,A.1,5,8,\n28756,2026,A.2,,,không đạt\n28756,2026,B.1,,,Không Đạt\n", encoding="utf-8")
    result = smartcommune("evaluate", str(data), "--criteria-set", str(set_path), "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout) == [{
        "unit_code": "28756", "year": 2026, "fields_met": 1, "fields_required": 1,
        "smart_commune": True, "complete": True,
        "fields": [
            {"code": "A", "status": "met", "criteria": [
                {"code": "A.1", "status": "met", "ratio": "62.50", "threshold": "62.5", "gap": 0, "points": None},
                {"code": "A.2", "status": "not_met", "ratio": None, "threshold": None, "gap": None, "points": None},
            ], "points": "0.00", "points_max": "0.00"},
            {"code": "B", "status": "not_met", "criteria": [
                {"code": "B.1", "status": "not_met", "ratio": None, "threshold": None, "gap": None, "points": None},
            ], "points": "0.00", "points_max": "0.00"},
        ],
        "points": "0.00", "points_max": "0.00", "level": None, "next_level": None, "eligible": True,
        "preconditions": [], "outcome_certain": True,
    }]
    shown = smartcommune("criteria", "show", str(set_path), cwd=tmp_path).stdout
    assert "Hạ tầng số" in shown and "Có ứng dụng phản ánh" in shown


def test_custom_set_refuses_ben_tre_codes_and_years(tmp_path, small):
    set_path = tmp_path / "bo-thu-nghiem.toml"
    set_path.write_text(CUSTOM_SET, encoding="utf-8")
    result = smartcommune("evaluate", str(small), "--criteria-set", str(set_path), "--format", "json",
                          cwd=tmp_path, check_exit=1)
    assert result.stdout == ""
    assert "1.2" in result.stderr and "2024" in result.stderr


def test_invalid_custom_set_is_reported_with_its_path(tmp_path, small):
    set_path = tmp_path / "hong.toml"
    set_path.write_text(CUSTOM_SET.replace('threshold = "62.5"', "threshold = 62.5"), encoding="utf-8")
    result = smartcommune("evaluate", str(small), "--criteria-set", str(set_path), cwd=tmp_path, check_exit=None)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "hong.toml" in result.stderr
    assert "groups[0].criteria[0].conditions[0].threshold" in result.stderr


def test_evaluate_does_not_import_django(small, tmp_path):
    code = (
        "import sys\n"
        "from smartcommune.cli import main\n"
        f"rc = main(['evaluate', {str(small)!r}, '--format', 'json'])\n"
        "assert rc == 0, rc\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    result = python("-c", code, cwd=tmp_path)
    assert json.loads(result.stdout) == EXPECTED


def test_evaluate_called_in_a_process_gives_it_its_garbage_collector_back(small, tmp_path):
    """``evaluate`` turns the cyclic collector off while it runs (a national file makes
    millions of objects and no cycles); a caller in the same process finds it as it was."""
    code = (
        "import gc, io, sys\n"
        "from smartcommune.cli import main\n"
        "out = sys.stdout\n"
        "for before in (True, False):\n"
        "    (gc.enable if before else gc.disable)()\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['evaluate', {str(small)!r}, '--format', 'json']) == 0\n"
        "    sys.stdout = out\n"
        "    print(before, gc.isenabled())\n"
    )
    result = python("-c", code, cwd=tmp_path)
    assert result.stdout.split("\n") == ["True True", "False False", ""]


def test_console_script_runs_if_installed(tmp_path, small):
    script = Path(sys.executable).with_name("smartcommune")
    if not script.exists():
        pytest.skip("the smartcommune console script is not installed beside this interpreter")
    result = subprocess.run([str(script), "evaluate", str(small), "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED


def test_output_to_a_pipe_writes_through_it_and_leaves_it_a_pipe(tmp_path):
    # A device or pipe (e.g. /dev/null) must never be replaced by a renamed regular file.
    import os
    import stat
    import threading

    from smartcommune.cli import main

    data = tmp_path / "in.csv"
    data.write_text("unit_code,year,criterion,numerator,denominator,met\n28756,2024,1.2,9,10,\n", encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    assert main(["evaluate", str(data), "--format", "json", "--output", str(fifo)]) == 0
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert '"unit_code":"28756"' in received[0]


def test_a_refused_file_does_not_wait_for_a_reader_of_its_output_pipe(tmp_path):
    """Opening a pipe for writing waits for a reader: a refused file opens no output."""
    import os

    data = tmp_path / "sai.csv"
    data.write_text(BAD_CSV, encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = smartcommune("evaluate", str(data), "--format", "json", "--output", str(fifo), cwd=tmp_path, check_exit=1)
    assert "Không đánh giá" in result.stderr


def test_hostile_counts_are_listed_not_a_traceback(tmp_path):
    """Issue 16.1: a count of thousands of digits raised ValueError (a traceback); an
    exponent or non-ASCII digits are listed problems like any other, and evaluate exits 1."""
    path = tmp_path / "lon.csv"
    path.write_text("unit_code,year,criterion,numerator,denominator,met\n"
                    f"28756,2024,1.2,{'9' * 5000},10,\n"
                    "28756,2024,2.2,1e1000000,10,\n"
                    "28756,2024,4,٣,10,\n", encoding="utf-8")
    result = smartcommune("evaluate", str(path), cwd=tmp_path, check_exit=1)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "lon.csv:2, cột 4 (numerator)" in result.stderr and "quá lớn" in result.stderr
    assert "lon.csv:3, cột 4 (numerator)" in result.stderr and "lon.csv:4, cột 4 (numerator)" in result.stderr
