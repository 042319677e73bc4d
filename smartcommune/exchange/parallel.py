"""Evaluate a large long CSV on several processes, with the output of one.

The contract: :func:`evaluate_in_parts` either returns the :class:`Parts` whose
:meth:`Parts.write_to` writes exactly the text that ``listing.write`` writes for the
evaluations of :func:`~smartcommune.exchange.long_csv.read_long_csv`'s commune-years, or
returns None having written nothing anywhere.  None when the file is not one the plain
reader takes (unreadable, not UTF-8, quoted cells, a bad or repeated row: anything the
careful reader must look at), or when any part fails; the caller then runs its one-process
path, which gives that file's output, or its messages and exit status, as always.

How.  The parent reads the file's bytes, picks pivot unit codes (quantiles of the codes
of evenly spaced lines) and forks ``jobs - 1`` children.  Each part decodes the text and
splits it into lines (:func:`~smartcommune.exchange.long_csv.plain_layout`: every part
finds the same, so all give up or none; doing it in each part is quicker than once
before forking, whose million line objects each process would then copy as it counts
references to them) and takes the data lines whose unit code sorts in
``[pivot k-1, pivot k)``: for a digits-only code,
``line < pivot + ","`` exactly when the code sorts before the pivot, so a commune's rows
all go to one part and the parts, each sorted, follow each other in the order of the whole
file's result; a line that is not plain falls in one part, which gives up.  Each part reads
its lines with the plain reader, evaluates its commune-years in order and writes its items
(:attr:`~smartcommune.exchange.results.Listing.items`) into an unnamed temporary file the
parent made before forking (in ``TMPDIR``; unlinked from the start, so nothing is left
behind whatever happens).  The parent is part 0.  After its own read it waits for each
child's word that its read succeeded, and gives up at once if one did not; it joins the
parts only after every child has exited with success.

Children leave only through ``os._exit`` and never touch the output.  The parent kills and
reaps every child on any way out (a failed part, an exception, Ctrl-C), and on Linux a
child dies with its parent (``PR_SET_PDEATHSIG``), so killing the parent leaves none
running.  Nothing here imports Django.
"""

from __future__ import annotations

import ctypes
import os
import signal
import tempfile
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import IO

from smartcommune.criteria.engine import evaluate_valid
from smartcommune.criteria.model import CriteriaSet
from smartcommune.exchange.long_csv import LongCsvError, decode, plain_layout, read_plain_lines
from smartcommune.exchange.results import Listing

AUTOMATIC_FROM = 4 * 1024 * 1024
"""The size (bytes) from which :func:`automatic_jobs` uses more than one process: below it,
forking and joining cost more than they save."""

AUTOMATIC_MAX = 4
"""The most processes :func:`automatic_jobs` uses: past a few, what every part does on the
whole file (decoding, splitting) and the parent's joining are what remains.  The CLI's
``--jobs`` help states this and :data:`AUTOMATIC_FROM`."""

_SAMPLES_PER_PART = 100
_CODE_MAX = 64
"""The most bytes a sampled unit code is taken from (a plain one has at most 20)."""
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
    """The evaluated parts of a file, each in its unnamed temporary file."""

    def __init__(self, listing: Listing, files: list[IO[str]]):
        self.listing = listing
        self.files = files

    def write_to(self, out: IO[str]) -> None:
        """Write the listing: its head, the non-empty parts joined by its joint, its tail;
        the parts' bytes are copied by the kernel (``sendfile``)."""
        try:
            out.write(self.listing.head)
            joint = ""
            for part in self.files:
                size = os.fstat(part.fileno()).st_size
                if not size:
                    continue
                out.write(joint)
                out.flush()
                offset = 0
                while offset < size:
                    offset += os.sendfile(out.fileno(), part.fileno(), offset, size - offset)
                joint = self.listing.joint
            out.write(self.listing.tail)
        finally:
            self.close()

    def close(self) -> None:
        for part in self.files:
            part.close()


def evaluate_in_parts(path: str | Path, criteria_set: CriteriaSet, listing: Listing, jobs: int) -> Parts | None:
    """The file at ``path`` evaluated by ``jobs`` processes (this one and ``jobs - 1``
    forked children) into :class:`Parts`, or None (see the module's contract)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    bounds = _bounds(raw, jobs)
    files: list[IO[str]] = []
    children: dict[int, int] = {}  # pid → the read end of its pipe
    done = False
    try:
        files = [tempfile.TemporaryFile("w+", encoding="utf-8", newline="") for _ in range(jobs)]
        work = [(raw, str(path), bounds[k], bounds[k + 1], criteria_set, listing, files[k]) for k in range(jobs)]
        prctl = _prctl()
        for part in work[1:]:
            pid, read_end = _fork(part, prctl)
            children[pid] = read_end
        done = _part(*work[0], lambda: all(os.read(fd, 1) == b"+" for fd in children.values()))
        while done and children:
            pid = next(iter(children))
            done = os.waitpid(pid, 0)[1] == 0
            os.close(children.pop(pid))
    except Exception:
        # No temporary file, pipe or process to be had, or part 0 failed: the one-process
        # path runs the file again and says what went wrong.
        done = False
    finally:
        for pid, fd in children.items():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(fd)
    parts = Parts(listing, files)
    if done:
        return parts
    parts.close()
    return None


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


def _bounds(raw: bytes, jobs: int) -> list[str | None]:
    """``["", pivot 1 + ",", …, None]``: part *k* takes the data lines ``l`` with
    ``bounds[k] <= l < bounds[k + 1]`` (None: no upper bound), pivots being quantiles of
    the unit codes (the text before the first comma) of evenly spaced data lines.  Any
    sorted bounds make parts that hold each line once; good ones make parts of a size."""
    start = raw.find(b"\n") + 1  # past the header
    samples = _SAMPLES_PER_PART * jobs
    codes = []
    for i in range(samples):
        begin = raw.rfind(b"\n", 0, start + (len(raw) - start) * i // samples) + 1
        end = raw.find(b",", begin, begin + _CODE_MAX)
        codes.append(raw[begin:end if end >= 0 else begin].decode("utf-8", "replace"))
    codes.sort()
    return ["", *[codes[samples * k // jobs] + "," for k in range(1, jobs)], None]


def _part(raw: bytes, file: str, low: str, high: str | None, criteria_set: CriteriaSet, listing: Listing,
          out: IO[str], read_done: Callable[[], bool]) -> bool:
    """Read, evaluate and write one part; False when its read gives up, or ``read_done``
    (called once the read succeeded) says to stop."""
    try:
        layout = plain_layout(decode(raw, file))
    except LongCsvError:
        return False
    if layout is None:
        return False
    lines, optional = layout
    data = islice(lines, 1, None)
    if high is None:
        mine = [line for line in data if line >= low]
    else:
        mine = [line for line in data if low <= line < high]
    del lines, data
    units = read_plain_lines(mine, optional, criteria_set)
    del mine
    if units is None or not read_done():
        return False
    listing.items((evaluate_valid(criteria_set, u.inputs, unit_code=u.unit_code, year=u.year) for u in units), out)
    out.flush()
    return True
