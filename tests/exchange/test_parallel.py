"""Evaluating a long CSV in parts on several processes gives the one-process output, or nothing."""

from __future__ import annotations

import errno
import io
import os
import random
import tempfile
import threading
from array import array
from pathlib import Path

import pytest

from smartcommune.criteria.engine import evaluate_valid
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.exchange import parallel
from smartcommune.exchange.long_csv import LongCsvError, read_long_csv
from smartcommune.exchange.results import CSV, JSON

S = get_criteria_set()
HEADER = "unit_code,year,criterion,numerator,denominator,met"
YEARS = range(S.period_start, S.period_end + 1)


def row_cells(slot, rng: random.Random) -> str:
    numerator = denominator = met = ""
    if slot.ratio is not None and rng.random() > 0.05:
        denominator = rng.randint(0, 40)
        numerator = rng.randint(0, denominator) if slot.ratio.share else rng.randint(0, 60)
    if slot.boolean is not None and rng.random() > 0.05:
        met = rng.choice(["true", "false", "Đạt", "x", "0", "Không đạt", " yes "])
    return f"{numerator},{denominator},{met}"


def rows(units, rng: random.Random) -> list[str]:
    """Every row of every commune and year, grouped by commune-year."""
    return [f"{unit},{year},{slot.code},{row_cells(slot, rng)}"
            for unit in units for year in YEARS for slot in S.slots]


def by_year(lines: list[str]) -> list[str]:
    """The rows year by year, as a province appending its yearly files writes them."""
    return sorted(lines, key=lambda line: line.split(",")[1])


def shuffled(lines: list[str]) -> list[str]:
    lines = list(lines)
    random.Random(7).shuffle(lines)
    return lines


UNITS = [f"{n:05d}" for n in random.Random(3).sample(range(1, 99999), 40)]
ORDERS = {
    "sorted": lambda rng: rows(sorted(UNITS), rng),
    "unsorted": lambda rng: rows(UNITS, rng),
    "year by year": lambda rng: by_year(rows(UNITS, rng)),
    # Codes that are prefixes of each other: "7" < "70" < "700" < "71" as text, and a line
    # "7,…" sorts before "70,…" only because "," sorts before the digits.
    "prefix codes": lambda rng: rows(["7", "70", "700", "71", "8", "69", "0", "00", "9999999"], rng),
    # Nearly every row is one commune's: the ranges hold very different numbers of lines.
    "unbalanced": lambda rng: rows(["5"], rng) * 1 + rows(["10", "90"], rng),
    # A single commune: every part but one is empty.
    "one commune": lambda rng: rows(["28756"], rng),
}


def write_file(tmp_path: Path, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "xa.csv"
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_process(path: Path, listing) -> str:
    out = io.StringIO()
    units = read_long_csv(path, S)
    listing.write((evaluate_valid(S, u.inputs, unit_code=u.unit_code, year=u.year) for u in units), out)
    return out.getvalue()


PRIOR = "đã có\n"
"""What an output already holds before the listing, where it is kept ("after", "append")."""

INTO = ("file", "after", "write-only", "append", "pipe")
"""The outputs :func:`in_parts` writes to: a new file open for reading and writing (as the
CLI opens its output) and one written after its content (the processes write straight
into them), a new file open only for writing (a shell's ``>``), one opened for appending
and a pipe (through the assembly)."""


def in_parts(path: Path, listing, jobs: int, tmp_path: Path, into: str = "file") -> str | None:
    """What :func:`parallel.write_in_parts` writes into an output of the kind ``into``, or
    None when it writes nothing; an output it wrote is left at its end (a text written next
    follows the listing), and one it did not write is left as it was."""
    if into == "pipe":
        return _into_pipe(path, listing, jobs)
    target = tmp_path / "out.txt"
    prior = "" if into in ("file", "write-only") else PRIOR
    target.write_text(prior, encoding="utf-8")
    mode = {"file": "w+", "after": "r+", "write-only": "w", "append": "a"}[into]
    with open(target, mode, encoding="utf-8", newline="") as out:
        out.seek(0, os.SEEK_END)
        done = parallel.write_in_parts(path, S, listing, jobs, out)
        if done:
            out.write("•")
    text = target.read_text(encoding="utf-8")
    if not done:
        assert text == prior
        return None
    assert text.startswith(prior) and text.endswith("•")
    return text[len(prior):-1]


def _into_pipe(path: Path, listing, jobs: int) -> str | None:
    read, write = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.extend(iter(lambda: os.read(read, 65536), b"")))
    reader.start()
    try:
        with open(write, "w", encoding="utf-8", newline="") as out:
            done = parallel.write_in_parts(path, S, listing, jobs, out)
    finally:
        reader.join()
        os.close(read)
    text = b"".join(got).decode("utf-8")
    if not done:
        assert text == ""
        return None
    return text


@pytest.fixture(params=["one chunk a process", "small chunks"])
def chunks(request, monkeypatch):
    """Chunks of the size a national file has (here: fewer than the processes), or so small
    that each process takes many, in the order the queue gives them."""
    if request.param == "small chunks":
        monkeypatch.setattr(parallel, "CHUNK_BYTES", 311)


def open_files() -> set[str]:
    """This process's open file descriptors (Linux), or an empty set elsewhere."""
    fds = Path("/proc/self/fd")
    return set(os.listdir(fds)) if fds.is_dir() else set()


@pytest.fixture(autouse=True)
def own_tmpdir(tmp_path, monkeypatch):
    """Temporary files go to a directory of the test's, which must be empty afterwards; no
    child process is left, not even a zombie; and no file or pipe is left open."""
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    before = open_files()
    yield
    assert list(spill.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    assert open_files() <= before


@pytest.mark.parametrize("listing", [JSON, CSV], ids=["json", "csv"])
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("jobs", [2, 3, 7])
def test_the_parts_joined_are_the_one_process_output(tmp_path, order, listing, jobs, chunks):
    path = write_file(tmp_path, ORDERS[order](random.Random(order)))
    assert in_parts(path, listing, jobs, tmp_path) == one_process(path, listing)


@pytest.mark.parametrize("listing", [JSON, CSV], ids=["json", "csv"])
@pytest.mark.parametrize("into", INTO)
def test_every_kind_of_output_gets_the_one_process_output(tmp_path, into, listing, chunks):
    path = write_file(tmp_path, by_year(rows(UNITS, random.Random(10))))
    assert in_parts(path, listing, 3, tmp_path, into) == one_process(path, listing)


@pytest.mark.parametrize("into", INTO)
def test_texts_copied_through_small_maps_are_the_one_process_output(tmp_path, into, monkeypatch):
    """A map of the output no larger than a page (each text its own map, or two texts one)."""
    monkeypatch.setattr(parallel, "_WINDOW", 1)
    path = write_file(tmp_path, by_year(rows(UNITS, random.Random(12))))
    assert in_parts(path, JSON, 3, tmp_path, into) == one_process(path, JSON)


@pytest.mark.parametrize("backwards", [False, True], ids=["forwards", "backwards"])
@pytest.mark.parametrize("prior", [0, 1, 4095, 4097])
def test_a_process_copies_its_texts_either_way_through_small_maps(tmp_path, monkeypatch, backwards, prior):
    """Wherever the texts start in the file (after ``prior`` bytes) and whatever the order
    the process made them in, each lands at its offset, each map let go of as it goes."""
    monkeypatch.setattr(parallel, "_WINDOW", 1)
    # Some span pages, some are a few bytes (the last: the map ends inside a page).
    texts = [bytes([65 + i % 26]) * (1 + i * 1237 % 9000) for i in range(30)] + [b"end"]
    offsets, at = [], 0
    for text in texts:
        offsets.append(at)
        at += len(text) + 1  # the joint
    made = list(range(len(texts)))
    random.Random(prior).shuffle(made)
    target = tmp_path / "out.txt"
    target.write_bytes(b"p" * prior)
    with open(target, "r+", encoding="utf-8", newline="") as out:
        out.seek(0, os.SEEK_END)
        sink = parallel._Sink.of(out, JSON)
        assert sink.assembly is None  # straight into the file
        sink.reserve(at - 1)
        sink.write_texts([texts[i] for i in made], array("q", [offsets[i] for i in made]), backwards=backwards)
        sink.finish(at - 1)
    assert target.read_bytes() == b"p" * prior + b"[" + b",".join(texts) + b"\n]\n"


@pytest.mark.parametrize("into", INTO)
@pytest.mark.parametrize("refusal", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_no_room_in_the_output_is_said_having_written_nothing(tmp_path, into, refusal, monkeypatch):
    """A full disk is met when the room is made, before any process writes into its map:
    no room in the output itself is raised (the one-process path would meet it too, after
    evaluating the whole file again); no room for the assembly in memory gives up, and the
    one-process path writes the output as it goes."""
    def full(fd, offset, length):
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "posix_fallocate", full)
    path = write_file(tmp_path, by_year(rows(UNITS, random.Random(13))))
    if into in ("file", "after"):
        with pytest.raises(parallel.NoRoom) as raised:
            in_parts(path, CSV, 2, tmp_path, into)
        assert raised.value.errno == refusal and raised.value.strerror == os.strerror(refusal)
        assert (tmp_path / "out.txt").read_text(encoding="utf-8") == ("" if into == "file" else PRIOR)
    else:
        assert in_parts(path, CSV, 2, tmp_path, into) is None


@pytest.mark.parametrize("into", INTO)
def test_an_output_not_written_is_left_as_it_was(tmp_path, into, chunks):
    lines = by_year(rows(UNITS, random.Random(11)))
    at = next(i for i in range(len(lines) // 2, len(lines)) if ",1.2," in lines[i])
    lines[at] = lines[at].replace(",1.2,", ",nope,")
    assert in_parts(write_file(tmp_path, lines), JSON, 3, tmp_path, into) is None


def test_a_refused_chunk_empties_the_queue(tmp_path):
    """The other processes then stop after the chunk they are reading."""
    path = write_file(tmp_path, ["28756,2024,nope,1,1,"] + rows(UNITS, random.Random(12)))
    raw = path.read_bytes()
    start, line_end, optional = parallel._layout(raw)
    cuts = parallel._cuts(raw, start, 4, line_end)
    queue = parallel._queue(4)
    try:
        worker = parallel._Worker(parallel._Work(raw, cuts, line_end, optional, S, JSON))
        assert worker.run(queue) is False
        assert os.read(queue, 1) == b""
    finally:
        os.close(queue)


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_commune_year_whose_rows_are_apart_gives_nothing(tmp_path, jobs):
    """Rows in any order read the same in one process; in parts, a commune-year's rows must
    lie together, or none may be cut from the others."""
    path = write_file(tmp_path, shuffled(rows(UNITS, random.Random(5))))
    assert in_parts(path, JSON, jobs, tmp_path) is None
    assert one_process(path, JSON).count('"unit_code"') == len(UNITS) * len(YEARS)


def test_a_commune_year_cut_from_its_rows_at_the_end_gives_nothing(tmp_path):
    """Its last row moved to the end of the file: the two parts would each hold some of it."""
    lines = rows(sorted(UNITS), random.Random(6))
    lines.append(lines.pop(0))
    path = write_file(tmp_path, lines)
    assert in_parts(path, CSV, 2, tmp_path) is None


def test_more_parts_than_communes(tmp_path):
    path = write_file(tmp_path, rows(["1", "2"], random.Random(1)))
    assert in_parts(path, JSON, 5, tmp_path) == one_process(path, JSON)


def test_optional_columns_are_read_in_parts(tmp_path):
    path = write_file(tmp_path, [line + ",," for line in by_year(rows(UNITS, random.Random(2)))], HEADER + ",count,choice")
    assert in_parts(path, JSON, 2, tmp_path) == one_process(path, JSON)


def bad_file(tmp_path: Path, which: str) -> Path:
    """A file with one bad row in the commune sorting first or last, found in the part of
    the parent (the first range) or of a child (the last)."""
    lines = by_year(rows(sorted(UNITS), random.Random(4)))
    unit = sorted(UNITS)[0 if which == "first" else -1]
    at = next(i for i, line in enumerate(lines) if line.startswith(unit + ",") and ",1.2," in line)
    lines[at] = f"{unit},{S.period_start},1.2,9,5,"  # numerator over denominator
    return write_file(tmp_path, lines)


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_bad_row_in_any_part_gives_nothing(tmp_path, which):
    path = bad_file(tmp_path, which)
    with pytest.raises(LongCsvError):
        read_long_csv(path, S)
    assert in_parts(path, JSON, 2, tmp_path) is None


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_repeated_row_in_any_part_gives_nothing(tmp_path, which):
    lines = rows(sorted(UNITS), random.Random(5))
    lines.insert(len(lines) // 3, lines[0] if which == "first" else lines[-1])
    path = write_file(tmp_path, lines)
    assert in_parts(path, CSV, 2, tmp_path) is None


@pytest.mark.parametrize("content", [
    HEADER + "\n" + '"28756",2024,1.2,9,10,\n' + "\n".join(rows(UNITS, random.Random(6))) + "\n",  # a quoted cell
    HEADER + "\r\n28756,2024,1.2,9,10,\n",  # mixed line ends
    HEADER + "\n28756,2024,1.2,9,10,\n\n",  # a blank line
    HEADER + "\n",  # no data row
    "",
], ids=["quoted", "mixed line ends", "blank line", "no data", "empty"])
def test_files_for_the_careful_reader_give_nothing(tmp_path, content):
    path = tmp_path / "xa.csv"
    path.write_text(content, encoding="utf-8")
    assert in_parts(path, JSON, 2, tmp_path) is None


def test_a_file_not_in_utf8_gives_nothing(tmp_path):
    path = tmp_path / "xa.csv"
    path.write_bytes((HEADER + "\n28756,2024,1.2,9,10,\n").encode("utf-16"))
    assert in_parts(path, JSON, 2, tmp_path) is None


def test_a_byte_order_mark_and_crlf_line_ends_are_read_in_parts(tmp_path):
    path = tmp_path / "xa.csv"
    path.write_text("\ufeff" + HEADER + "\r\n" + "\r\n".join(rows(UNITS, random.Random(6))) + "\r\n", encoding="utf-8")
    assert in_parts(path, JSON, 2, tmp_path) == one_process(path, JSON)


def test_a_missing_file_gives_nothing(tmp_path):
    out = io.StringIO()
    assert parallel.write_in_parts(tmp_path / "none.csv", S, JSON, 2, out) is False
    assert out.getvalue() == ""


def test_an_output_without_a_file_descriptor_gives_nothing(tmp_path):
    """(The one-process path writes to it.)"""
    out = io.StringIO()
    assert parallel.write_in_parts(write_file(tmp_path, rows(UNITS, random.Random(13))), S, JSON, 2, out) is False
    assert out.getvalue() == ""


def test_automatic_jobs_is_one_below_the_size_and_for_a_missing_file(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * (parallel.AUTOMATIC_FROM - 1))
    large = tmp_path / "large.csv"
    large.write_bytes(b"x" * parallel.AUTOMATIC_FROM)
    assert parallel.automatic_jobs(small) == 1
    assert parallel.automatic_jobs(tmp_path / "none.csv") == 1
    assert parallel.automatic_jobs(large) == min(parallel.usable_cpus(), parallel.AUTOMATIC_MAX)


def in_a_child(monkeypatch, owner, name: str) -> None:
    """``owner.name`` raises MemoryError in a forked child, and works in this process."""
    parent, original = os.getpid(), getattr(owner, name)

    def failing_in_a_child(*args, **kwargs):
        if os.getpid() != parent:
            raise MemoryError
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing_in_a_child)


def test_a_child_failing_at_its_chunks_gives_nothing(tmp_path, monkeypatch, chunks):
    in_a_child(monkeypatch, parallel._Worker, "run")
    path = write_file(tmp_path, rows(UNITS, random.Random(8)))
    assert in_parts(path, JSON, 2, tmp_path) is None


@pytest.mark.parametrize("into", INTO)
def test_a_child_failing_at_its_writing_gives_nothing(tmp_path, monkeypatch, into):
    """The texts the others wrote are cut off again."""
    in_a_child(monkeypatch, parallel._Sink, "write_texts")
    path = write_file(tmp_path, by_year(rows(UNITS, random.Random(8))))
    assert in_parts(path, JSON, 3, tmp_path, into) is None


def test_no_second_process_to_be_had_gives_nothing_and_ends_the_first(tmp_path, monkeypatch):
    fork, forks = os.fork, []

    def second_fails():
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError("Resource temporarily unavailable")
        return fork()

    monkeypatch.setattr(os, "fork", second_fails)
    path = write_file(tmp_path, rows(UNITS, random.Random(9)))
    assert in_parts(path, CSV, 3, tmp_path) is None
