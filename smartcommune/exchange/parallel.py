"""Evaluate a large long CSV on several processes, with the output of one.

The contract: :func:`evaluate_in_parts` either returns the :class:`Parts` whose
:meth:`Parts.write_to` writes exactly the text that ``listing.write`` writes for the
evaluations of :func:`~smartcommune.exchange.long_csv.read_long_csv`'s commune-years, or
returns None having written nothing anywhere.  None when the file is not one the plain
reader takes (unreadable, not UTF-8, quoted cells, a bad or repeated row: anything the
careful reader must look at), when a commune-year's rows are not together in the file,
or when any part fails; the caller then runs its one-process path, which gives that
file's output, or its messages and exit status, as always.

How.  The parent reads the file's bytes, checks what the plain reader needs of the whole
file (its header, its line breaks, no quote; :func:`plain_line_end`) and cuts the data
into ``jobs`` byte ranges of about one size, each cut at the start of a line whose commune
and year differ from the line before, so that a commune-year's rows (written together, as
every province's file and our own writer have them) fall in one part.  It then forks
``jobs - 1`` children.  Each part decodes and splits only its own bytes, reads its lines
with the plain reader, evaluates its commune-years and writes, into unnamed temporary files
the parent made before forking (in ``TMPDIR``; unlinked from the start, so nothing is left
behind whatever happens), the listing's text of each commune-year
(:attr:`~smartcommune.exchange.results.Listing.texts`) and an index: its unit code, year
and size.  The parent is part 0.  After its own read it waits for each child's word that
its read succeeded, and gives up at once if one did not; after every child has exited with
success it merges the indexes in the order of the whole file's result (unit code, then
year), giving up if a commune-year is in two parts, and :meth:`Parts.write_to` copies the
texts in that order.

Children leave only through ``os._exit`` and never touch the output.  The parent kills and
reaps every child on any way out (a failed part, an exception, Ctrl-C), and on Linux a
child dies with its parent (``PR_SET_PDEATHSIG``), so killing the parent leaves none
running.  Nothing here imports Django.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from smartcommune.criteria.engine import evaluate_valid
from smartcommune.criteria.model import CriteriaSet
from smartcommune.exchange.long_csv import LongCsvError, decode, plain_header, plain_line_end, plain_lines, read_plain_lines
from smartcommune.exchange.results import Listing

AUTOMATIC_FROM = 4 * 1024 * 1024
"""The size (bytes) from which :func:`automatic_jobs` uses more than one process: below it,
forking and joining cost more than they save."""

AUTOMATIC_MAX = 4
"""The most processes :func:`automatic_jobs` uses: past a few, the parent's reading of the
file and joining of the parts are what remains.  The CLI's ``--jobs`` help states this and
:data:`AUTOMATIC_FROM`."""

_CHUNK = 1 << 20
"""About how many bytes :meth:`Parts.write_to` gathers before each write."""
_PR_SET_PDEATHSIG = 1


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def automatic_jobs(path: str | Path) -> int:
    """The processes for a file when none is asked: one below :data:`AUTOMATIC_FROM` bytes
    (or an unreadable path: the one-process path says why), else the usable CPUs, at most
    :data:`AUTOMATIC_MAX`."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return 1
    return 1 if size < AUTOMATIC_FROM or not hasattr(os, "fork") else min(usable_cpus(), AUTOMATIC_MAX)


class Parts:
    """The evaluated parts of a file: each part's commune-year texts in an unnamed temporary
    file, and ``order``, where each text of the whole result lies: (part, offset, size)."""

    def __init__(self, listing: Listing, files: list[IO[bytes]], order: list[tuple[int, int, int]]):
        self.listing = listing
        self.files = files
        self.order = order

    def write_to(self, out: IO[str]) -> None:
        """Write the listing: its head, the texts in order joined by its joint, its tail."""
        maps = []
        try:
            out.write(self.listing.head)
            out.flush()
            maps = [mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if _size(f) else None for f in self.files]
            joint = self.listing.joint.encode()
            pieces: list[bytes] = []
            gathered = 0
            for k, (part, offset, size) in enumerate(self.order):
                if k:
                    pieces.append(joint)
                pieces.append(maps[part][offset:offset + size])
                gathered += size
                if gathered >= _CHUNK:
                    _write_all(out.fileno(), b"".join(pieces))
                    pieces, gathered = [], 0
            _write_all(out.fileno(), b"".join(pieces))
            out.write(self.listing.tail)
        finally:
            for part in maps:
                if part is not None:
                    part.close()
            self.close()

    def close(self) -> None:
        for part in self.files:
            part.close()


def _size(file: IO[bytes]) -> int:
    return os.fstat(file.fileno()).st_size


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def evaluate_in_parts(path: str | Path, criteria_set: CriteriaSet, listing: Listing, jobs: int) -> Parts | None:
    """The file at ``path`` evaluated by ``jobs`` processes (this one and ``jobs - 1``
    forked children) into :class:`Parts`, or None (see the module's contract)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    layout = _layout(raw, str(path))
    if layout is None:
        return None
    start, line_end, optional = layout
    cuts = _cuts(raw, start, jobs, line_end.encode())
    if cuts is None:
        return None
    files: list[IO[bytes]] = []
    children: dict[int, int] = {}  # pid → the read end of its pipe
    order = None
    try:
        files = [tempfile.TemporaryFile() for _ in range(2 * jobs)]  # texts and index of each part
        work = [(raw, cuts[k], cuts[k + 1], line_end, optional, criteria_set, listing, files[2 * k], files[2 * k + 1])
                for k in range(jobs)]
        prctl = _prctl()
        for part in work[1:]:
            pid, read_end = _fork(part, prctl)
            children[pid] = read_end
        done = _part(*work[0], lambda: all(os.read(fd, 1) == b"+" for fd in children.values()))
        while done and children:
            pid = next(iter(children))
            done = os.waitpid(pid, 0)[1] == 0
            os.close(children.pop(pid))
        if done:
            order = _order([files[2 * k + 1] for k in range(jobs)])
    except Exception:
        # No temporary file, pipe or process to be had, or part 0 failed: the one-process
        # path runs the file again and says what went wrong.
        order = None
    finally:
        for pid, fd in children.items():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(fd)
    for index in files[1::2]:
        index.close()
    parts = Parts(listing, files[0::2], order or [])
    if order is not None:
        return parts
    parts.close()
    return None


def _layout(raw: bytes, file: str) -> tuple[int, str, list[str]] | None:
    """(where the data starts, the line break, the optional columns) of a file whose every
    part the plain reader may read, or None."""
    line_end = plain_line_end(raw)
    newline = raw.find(b"\n")
    if line_end is None or newline < 0 or newline + 1 == len(raw):
        return None
    try:
        header = decode(raw[:newline + 1], file)
    except LongCsvError:
        return None
    optional = plain_header(header.rstrip("\r\n"))
    return None if optional is None else (newline + 1, line_end, optional)


def _cuts(raw: bytes, start: int, jobs: int, line_end: bytes) -> list[int] | None:
    """``[start, cut 1, …, len(raw)]``: part *k* is ``raw[cuts[k]:cuts[k + 1]]``.  Each cut
    is the start of the first line, at or after an even share of the data, whose text up to
    its second comma (commune and year) differs from the line before's; None when no such
    line comes within a commune-year's worth of lines (rows repeated: the careful reader
    says so)."""
    cuts = [start]
    for k in range(1, jobs):
        at = max(cuts[-1], raw.find(b"\n", start + (len(raw) - start) * k // jobs - 1) + 1 or len(raw))
        if at < len(raw) and at > start:
            previous = raw.rfind(b"\n", start, at - 1) + 1 or start
            head = _head(raw, previous)
            for _ in range(_MOST_ROWS):
                if at >= len(raw) or _head(raw, at) != head:
                    break
                at = raw.find(b"\n", at) + 1 or len(raw)
            else:
                return None
        cuts.append(at)
    cuts.append(len(raw))
    return cuts


_MOST_ROWS = 10_000
"""More lines than a commune-year has rows in any set: past it, :func:`_cuts` gives up."""


def _head(raw: bytes, at: int) -> bytes:
    """The line at ``at`` up to its second comma (or its end)."""
    end = raw.find(b"\n", at)
    end = len(raw) if end < 0 else end
    first = raw.find(b",", at, end)
    second = raw.find(b",", first + 1, end) if first >= 0 else -1
    return raw[at:second if second >= 0 else end]


def _order(indexes: list[IO[bytes]]) -> list[tuple[int, int, int]] | None:
    """Where each commune-year's text lies, (part, offset, size), in the order of the whole
    result (unit code, then year); None when a commune-year is in two parts."""
    entries = []
    for part, index in enumerate(indexes):
        index.seek(0)
        offset = 0
        for line in index.read().decode("utf-8").splitlines():
            unit_code, year, size = line.split(",")
            entries.append((unit_code, int(year), part, offset, int(size)))
            offset += int(size)
    entries.sort()
    for before, after in zip(entries, entries[1:]):
        if before[:2] == after[:2]:
            return None
    return [entry[2:] for entry in entries]


def _fork(work: tuple, prctl: Callable | None) -> tuple[int, int]:
    """Start a child on one part (:func:`_part`'s arguments ``work``): its pid and the read
    end of the pipe on which it says that its read succeeded."""
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: leaves only through os._exit, 0 when its part is written
        status = 1
        try:
            os.close(read_end)
            if prctl is not None:
                prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() == parent and _part(*work, lambda: os.write(write_end, b"+") == 1):
                status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _prctl() -> Callable | None:
    """Linux's ``prctl``, for a child to ask to die with its parent; None elsewhere."""
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


def _part(raw: bytes, begin: int, end: int, line_end: str, optional: list[str], criteria_set: CriteriaSet,
          listing: Listing, texts: IO[bytes], index: IO[bytes], read_done: Callable[[], bool]) -> bool:
    """Read, evaluate and write one part, ``raw[begin:end]``; False when its read gives up,
    or ``read_done`` (called once the read succeeded) says to stop."""
    try:
        lines = plain_lines(raw[begin:end].decode("utf-8"), line_end)
    except UnicodeDecodeError:
        return False
    units = read_plain_lines(lines, optional, criteria_set)
    del lines
    if units is None or not read_done():
        return False
    write, sizes = texts.write, []
    evaluations = (evaluate_valid(criteria_set, u.inputs, unit_code=u.unit_code, year=u.year) for u in units)
    for text in listing.texts(evaluations):
        data = text.encode("utf-8")
        write(data)
        sizes.append(len(data))
    index.write("".join([f"{u.unit_code},{u.year},{size}\n" for u, size in zip(units, sizes)]).encode("utf-8"))
    texts.flush()
    index.flush()
    return True
