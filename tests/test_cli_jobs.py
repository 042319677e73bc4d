"""``smartcommune evaluate --jobs``: several processes give byte for byte what one gives,
the same messages and exit status for a refused file, and leave nothing behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartcommune.exchange.parallel import AUTOMATIC_FROM, AUTOMATIC_MAX
from tests.exchange.test_parallel import HEADER, UNITS, by_year, rows
from tests.test_cli import BAD_CSV, SMALL_CSV, smartcommune

pytestmark = pytest.mark.slow  # a subprocess per run

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path, tmp_path: Path, fmt: str, jobs: int, output: bool) -> tuple[int, str, str, bytes | None]:
    """(exit status, stdout, stderr, the output file's bytes or None) of one evaluate;
    temporary files go to a directory of the test's, which must stay empty."""
    spill = tmp_path / f"spill-{jobs}"
    spill.mkdir(exist_ok=True)
    target = tmp_path / f"result-{jobs}.{fmt}"
    args = ["evaluate", str(path), "--format", fmt, "--jobs", str(jobs)] + (["--output", str(target)] if output else [])
    env = {**os.environ, "TMPDIR": str(spill)}
    result = subprocess.run([sys.executable, "-m", "smartcommune.cli", *args], cwd=ROOT, env=env,
                            capture_output=True, timeout=120)
    assert list(spill.iterdir()) == []
    written = target.read_bytes() if target.exists() else None
    assert not target.with_name(target.name + ".partial").exists()
    return result.returncode, result.stdout.decode(), result.stderr.decode(), written


def file_of(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "xa.csv"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = HEADER + "\n" + "\n".join(by_year(rows(UNITS, random.Random(1)))) + "\n"


def with_bad_row(unit: str) -> str:
    lines = by_year(rows(sorted(UNITS), random.Random(2)))
    return HEADER + "\n" + "\n".join(lines + [f"{unit},2024,1.2,9,5,", f"{unit},2024,nope,1,1,"]) + "\n"


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("output", [True, False], ids=["output", "stdout"])
@pytest.mark.parametrize("content", [
    GOOD,
    with_bad_row(sorted(UNITS)[0]),  # in the parent's part
    with_bad_row(sorted(UNITS)[-1]),  # in the child's part
    SMALL_CSV,  # a quoted cell and a blank line: the careful reader
    BAD_CSV,
], ids=["good", "bad row first", "bad row last", "quoted", "bad"])
def test_two_jobs_give_what_one_gives(tmp_path, fmt, output, content):
    path = file_of(tmp_path, content)
    one = run(path, tmp_path, fmt, 1, output)
    two = run(path, tmp_path, fmt, 2, output)
    assert two == one
    assert one[0] == (0 if content in (GOOD, SMALL_CSV) else 1)


def test_a_refused_file_leaves_an_existing_output_alone(tmp_path):
    target = tmp_path / "ket-qua.json"
    target.write_text("cũ", encoding="utf-8")
    path = file_of(tmp_path, with_bad_row(sorted(UNITS)[-1]))
    smartcommune("evaluate", str(path), "--format", "json", "--jobs", "2", "--output", str(target), cwd=tmp_path, check_exit=1)
    assert target.read_text(encoding="utf-8") == "cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.json", "xa.csv"]


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5", "65", "9" * 10_000, "1\x01", "=1", "٣"])
def test_jobs_must_be_a_whole_number_from_1_to_64(tmp_path, jobs):
    # 65 and beyond are refused: --jobs 100000000 once sampled pivots without end.
    result = smartcommune("evaluate", "xa.csv", "--jobs", jobs, cwd=tmp_path, check_exit=2)
    assert "--jobs" in result.stderr and "from 1 to 64" in result.stderr
    assert len(result.stderr) < 2_000  # never the whole of what was given


def test_help_explains_jobs_with_the_automatic_choice(tmp_path):
    out = " ".join(smartcommune("evaluate", "--help", cwd=tmp_path).stdout.split())
    assert "--jobs" in out and "song song" in out and "parallel" in out
    size = f"{AUTOMATIC_FROM // 2**20} MB"
    assert f"tối đa {AUTOMATIC_MAX}) với tệp từ {size}" in out
    assert f"at most {AUTOMATIC_MAX}, for a file of {size}" in out


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, nor a zombie waiting for init to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc (Linux)")
def test_killing_the_command_leaves_no_worker_running(tmp_path):
    path = file_of(tmp_path, HEADER + "\n" + "\n".join(rows([str(n) for n in range(3000)], random.Random(3))) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = subprocess.Popen([sys.executable, "-m", "smartcommune.cli", "evaluate", str(path), "--format", "json",
                                "--jobs", "2", "--output", str(tmp_path / "r.json")], env=env)
    children_file = Path(f"/proc/{command.pid}/task/{command.pid}/children")
    deadline = time.monotonic() + 60
    children: list[int] = []
    while not children and command.poll() is None and time.monotonic() < deadline:
        children = [int(pid) for pid in children_file.read_text().split()]
        time.sleep(0.01)
    assert children, "the command finished before it forked: make the file larger"
    try:
        for pid in children:
            os.kill(pid, signal.SIGSTOP)  # a stopped worker would never get to finish on its own
        command.send_signal(signal.SIGTERM)
        command.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(map(running, children)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(running, children))
    finally:
        for pid in filter(running, children):
            os.kill(pid, signal.SIGKILL)
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "r.json.partial").exists()
