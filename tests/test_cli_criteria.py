"""`smartcommune criteria check | diff | export | import | list` (in process, no database)."""

from __future__ import annotations

import tomllib

import pytest

from smartcommune.cli import main
from smartcommune.criteria.registry import ENV_DIR, SETS_DIR

BEN_TRE = (SETS_DIR / "ben-tre-2021-2025.toml").read_text(encoding="utf-8")
THRESHOLD_90_LINE = BEN_TRE.splitlines().index('threshold = "90"') + 1


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_check_a_good_and_a_bad_file(tmp_path, capsys):
    good = tmp_path / "ben-tre-2021-2025.toml"
    good.write_text(BEN_TRE, encoding="utf-8")
    bad = tmp_path / "ban-nhap.toml"
    bad.write_text(BEN_TRE.replace('threshold = "90"', 'threshold = "190"').replace("evidence =", "evidense =", 1), encoding="utf-8")
    status, out, err = run(capsys, "criteria", "check", str(good), str(bad))
    assert status == 1
    assert f"{good}: hợp lệ, 0 cảnh báo" in out
    assert f"dòng {THRESHOLD_90_LINE}, tiêu chí 1.2, điều kiện 1, khóa threshold: 190 nằm ngoài khoảng 0–100" in err
    assert "có phải ý bạn là 'evidence'?" in err
    assert f"{bad}: KHÔNG HỢP LỆ" in err
    assert run(capsys, "criteria", "check", str(good))[0] == 0


def test_check_syntax_error_and_missing_file(tmp_path, capsys):
    bad = tmp_path / "x.toml"
    bad.write_text('format = 1\ncode = "x\n', encoding="utf-8")
    status, _, err = run(capsys, "criteria", "check", str(bad), str(tmp_path / "none.toml"))
    assert status == 1
    assert "lỗi: dòng 2: không đọc được TOML" in err
    assert "none.toml: lỗi: không đọc được tệp" in err


def test_diff_code_against_file(tmp_path, capsys):
    new = tmp_path / "v2.toml"
    new.write_text(BEN_TRE.replace('threshold = "50"', 'threshold = "60"'), encoding="utf-8")
    status, out, _ = run(capsys, "criteria", "diff", "ben-tre-2021-2025", str(new))
    assert status == 0
    assert out.splitlines() == ['~ tiêu chí 9.2: conditions[0].threshold: "50" → "60"', "1 thay đổi (1 change(s))"]
    assert run(capsys, "criteria", "diff", "ben-tre-2021-2025", "khong-co")[0] == 1


def test_an_export_that_cannot_be_written_is_named_without_a_traceback(tmp_path, capsys):
    target = tmp_path / "khong-co" / "bo.xlsx"
    code, out, err = run(capsys, "criteria", "export", "ben-tre-2021-2025", "-o", str(target))
    assert code == 1 and out == ""
    assert f"Không ghi được tệp {target}:" in err and not target.parent.exists()


def test_export_then_import_gives_the_same_set(tmp_path, capsys):
    workbook = tmp_path / "bt.xlsx"
    assert run(capsys, "criteria", "export", "ben-tre-2021-2025", "-o", str(workbook))[0] == 0
    back = tmp_path / "back.toml"
    status, out, _ = run(capsys, "criteria", "import", str(workbook), "-o", str(back))
    assert status == 0 and "hợp lệ" in out
    assert tomllib.loads(back.read_text(encoding="utf-8")) == tomllib.loads(BEN_TRE)
    status, out, _ = run(capsys, "criteria", "import", str(workbook))
    assert tomllib.loads(out) == tomllib.loads(BEN_TRE)


def test_import_refuses_a_workbook_that_makes_an_invalid_set(tmp_path, capsys):
    from smartcommune.criteria.spreadsheet import xlsx_bytes

    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(xlsx_bytes(BEN_TRE.replace('threshold = "90"', 'threshold = "190"')))
    target = tmp_path / "out.toml"
    status, _, err = run(capsys, "criteria", "import", str(workbook), "-o", str(target))
    assert status == 1 and "tiêu chí 1.2" in err and not target.exists()
    (tmp_path / "junk.xlsx").write_bytes(b"junk")
    status, _, err = run(capsys, "criteria", "import", str(tmp_path / "junk.xlsx"))
    assert status == 1 and "không phải bảng tính" in err


def test_list_and_evaluate_with_an_administrator_directory(tmp_path, capsys, monkeypatch):
    (tmp_path / "vinh-long-2026.toml").write_text(BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "vinh-long-2026"'), encoding="utf-8")
    (tmp_path / "hong.toml").write_text("[[groups]\n", encoding="utf-8")
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    status, out, _ = run(capsys, "criteria", "list")
    assert status == 0
    assert "ben-tre-2021-2025 (mặc định)" in out
    # The rule in the pages' words, whatever its kind (not "tổng điểm ít nhất 50,00 lĩnh vực").
    assert "công nhận khi đạt ít nhất 7/10 lĩnh vực\n" in out
    assert "công nhận khi có tổng điểm từ 50,00 trở lên\n" in out
    assert "công nhận khi đạt các lĩnh vực bắt buộc TN, TTM và ít nhất 1/" in out
    assert f"vinh-long-2026 [thư mục {tmp_path}]" in out
    assert "hong [thư mục" in out and "KHÔNG HỢP LỆ" in out and "dòng 1" in out
    assert run(capsys, "criteria", "show", "vinh-long-2026")[0] == 0
    status, _, err = run(capsys, "criteria", "show", "hong")
    assert status == 1 and "dòng 1" in err
    data = tmp_path / "data.csv"
    data.write_text("unit_code,year,criterion,numerator,denominator,met\n28759,2024,1.2,9,10,\n", encoding="utf-8")
    for code in ("vinh-long-2026", "ben-tre-2021-2025"):
        assert run(capsys, "evaluate", str(data), "--criteria-set", code, "--format", "json")[0] == 0


@pytest.mark.parametrize("args", [("criteria", "check"), ("criteria", "diff", "a")])
def test_usage_errors(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    assert exit_.value.code == 2
