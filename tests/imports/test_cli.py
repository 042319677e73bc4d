"""``smartcommune import`` and ``smartcommune template`` end to end, in a subprocess, on the
test database (SQLite or PostgreSQL); and an import killed inside its transaction."""

import io
import os
import signal
import subprocess
import sys
import time

import pytest
from openpyxl import load_workbook

from smartcommune.imports import layout
from tests.imports.helpers import fill_cells, row_of, template
from tests.imports.subprocess_db import ROOT, SubprocessDatabase
from tests.rounds.fixtures import assessment_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def shared(world, round_bt, tmp_path):
    db = SubprocessDatabase(tmp_path)
    a = assessment_of(round_bt, world.a)
    r = row_of(0, "1.2")
    path = tmp_path / "xa.xlsx"
    path.write_bytes(fill_cells(template(round_bt, [a]), {f"H{r}": 4, f"J{r}": 5, f"L{row_of(0, '1.3')}": "Đạt"}))
    db.share()
    db.file = path
    return db


def test_import_dry_run_then_for_real(shared):
    before = shared.snapshot()
    result = shared.run("import", str(shared.file), "--user", "officer_a", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "1.2: numerator — → 4; denominator — → 5 [Thiếu dữ liệu → Chưa đạt]" in result.stdout
    assert "--dry-run" in result.stdout
    assert shared.snapshot() == before
    result = shared.run("import", str(shared.file), "--user", "officer_a")
    assert result.returncode == 0, result.stderr
    assert "Đã nhập 3 giá trị của 1 hồ sơ" in result.stdout
    values, versions, audit, _batches = shared.snapshot()
    assert audit == before[2] + 3
    assert any(v[1] == "1.2" and v[2:4] == (4, 5) for v in values)
    # Again: nothing changes.
    result = shared.run("import", str(shared.file), "--user", "officer_a")
    assert result.returncode == 0 and "Không có thay đổi nào" in result.stdout
    assert shared.snapshot()[2] == audit


def test_import_refusals(shared, tmp_path):
    before = shared.snapshot()
    result = shared.run("import", str(shared.file), "--user", "district1")
    assert result.returncode == 1
    assert "Chỉ cán bộ của Phường Phú Khương" in result.stderr
    result = shared.run("import", str(shared.file), "--user", "khong-co-ai")
    assert result.returncode == 1 and "no active user" in result.stderr
    result = shared.run("import", str(shared.file))
    assert result.returncode == 2 and "--user" in result.stderr
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(fill_cells(shared.file.read_bytes(), {f"J{row_of(0, '1.1')}": "x"}))
    result = shared.run("import", str(bad), "--user", "officer_a")
    assert result.returncode == 1
    assert f"trang “Số liệu”, dòng {row_of(0, '1.1')}, cột J:" in result.stderr
    assert f"sheet 'Số liệu', row {row_of(0, '1.1')}, column J:" in result.stderr
    csv = tmp_path / "loi.csv"
    csv.write_text("unit_code,year,criterion,numerator,denominator,met\n28756,2024,1.2,9,3,\n", encoding="utf-8")
    result = shared.run("import", str(csv), "--user", "officer_a")
    assert result.returncode == 1 and "dòng 2, cột numerator" in result.stderr
    assert shared.snapshot() == before


def test_template_command(shared, round_bt, tmp_path):
    out = tmp_path / "mau.xlsx"
    result = shared.run("template", "--round", str(round_bt.pk), "--user", "officer_a", "--output", str(out))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(io.BytesIO(out.read_bytes()))[layout.DATA_SHEET]
    assert {sheet[f"A{r}"].value for r in range(layout.FIRST_DATA_ROW, sheet.max_row + 1)} == {"28756"}
    out_csv = tmp_path / "xa.csv"
    result = shared.run("template", "--round", str(round_bt.pk), "--user", "district1", "--format", "csv",
                        "--output", str(out_csv))
    assert result.returncode == 0, result.stderr
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "unit_code,year,criterion,numerator,denominator,met,ten_don_vi"
    assert {line.split(",")[0] for line in lines[1:]} == {"28756", "28759"}
    result = shared.run("template", "--round", str(round_bt.pk), "--user", "nobody", "--output", str(out))
    assert result.returncode == 1
    # The exported CSV imports back without a change.
    result = shared.run("import", str(out_csv), "--user", "officer_a", "--dry-run", "--round", str(round_bt.pk))
    assert result.returncode == 1  # commune 28759 is not the officer's
    result = shared.run("import", str(out_csv), "--user", "district1", "--round", str(round_bt.pk))
    assert result.returncode == 0 and "0 giá trị thay đổi" in result.stdout


def test_import_killed_inside_its_transaction_leaves_nothing(shared, tmp_path):
    """SIGKILL at the last moment of the transaction (every row written, not committed):
    the database must be exactly as before.  The real command runs through
    ``tests/imports/paused_cli.py``, which makes the connection's commit, inside
    ``do_import``, wait to be killed."""
    before = shared.snapshot()
    marker = tmp_path / "inside-transaction"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.imports.paused_cli", str(marker), "import", str(shared.file),
         "--user", "officer_a"], cwd=ROOT,
        env=shared.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.05)
        assert int(marker.read_text()) == process.pid
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert shared.snapshot() == before
    # The same import, not killed, does change the data: the pause was after the writes.
    result = shared.run("import", str(shared.file), "--user", "officer_a")
    assert result.returncode == 0, result.stderr
    assert shared.snapshot()[2] == before[2] + 3
