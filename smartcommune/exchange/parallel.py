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
and year differ from the line before's, so that a commune-year's rows (written together, as
every province's file and our own writer have them) fall in one part.  Before forking
``jobs - 1`` children it makes an unnamed file, the *assembly*, that will hold the listing's
items in order (in memory where the system has ``memfd``, else in ``TMPDIR``; unnamed from
the start, so nothing is left behind whatever happens).  Each part (the parent is part 0)
decodes and splits only its own bytes, reads its lines with the plain reader, evaluates its
commune-years and keeps the listing's text of each
(:attr:`~smartcommune.exchange.results.Listing.texts`).  A child tells the parent on a pipe
that its read succeeded, then that its texts are ready, and writes an index (unit code, year,
size of each text) for the parent, which gives up at once if any part did not get there.
The parent merges the indexes in the order of the whole file's result (unit code, then year),
giving up if a commune-year is in two parts, tells each part where each of its texts goes,
and every part writes its own texts into the assembly at those places, all at the same time.
:meth:`Parts.write_to` then copies the head, the assembly and the tail to the output.

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
from array import array
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
file and merging of the parts are what remains.  The CLI's ``--jobs`` help states this and
:data:`AUTOMATIC_FROM`."""

_PR_SET_PDEATHSIG = 1
_READ, _READY, _GO = b"+", b"=", b"g"
"""A child's words on its pipe (its read succeeded; its texts and index are ready) and the
parent's on the other (write your texts)."""


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
    """The evaluated parts of a file: the listing's items, joined in order, in the assembly."""

    def __init__(self, listing: Listing, assembly: IO[bytes], size: int):
        self.listing = listing
        self.assembly = assembly
        self.size = size

    def write_to(self, out: IO[str]) -> None:
        """Write the listing: its head, the items, its tail; the items' bytes are copied by
        the kernel (``sendfile``)."""
        try:
            out.write(self.listing.head)
            out.flush()
            offset = 0
            while offset < self.size:
                offset += os.sendfile(out.fileno(), self.assembly.fileno(), offset, self.size - offset)
            out.write(self.listing.tail)
        finally:
            self.close()

    def close(self) -> None:
        self.assembly.close()


class _Part:
    """One part's share of the work and what it made: the texts of its commune-years and
    their index lines (``unit code,year,size``)."""

    def __init__(self, raw: bytes, begin: int, end: int, line_end: str, optional: list[str],
                 criteria_set: CriteriaSet, listing: Listing):
        self.raw, self.begin, self.end, self.line_end, self.optional = raw, begin, end, line_end, optional
        self.criteria_set, self.listing = criteria_set, listing
        self.texts: list[bytes] = []
        self.index = ""


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
    parts = [_Part(raw, cuts[k], cuts[k + 1], line_end, optional, criteria_set, listing) for k in range(jobs)]
    joint = listing.joint.encode("utf-8")
    assembly = None
    children: list[_Child] = []
    done = False
    try:
        assembly = _buffer()
        prctl = _prctl()
        for part in parts[1:]:
            children.append(_Child.start(part, assembly, joint, prctl))
        if _part(parts[0], lambda: all(child.says(_READ) for child in children)) and all(
                child.says(_READY) for child in children):
            places = _places([parts[0].index, *(child.index() for child in children)], len(joint))
            if places is not None:
                size, offsets = places
                for child, where in zip(children, offsets[1:]):
                    child.go(where)
                _write_texts(parts[0].texts, offsets[0], assembly.fileno(), joint)
                done = all(child.wait() for child in children)
    except Exception:
        # No file, pipe or process to be had, or part 0 failed: the one-process path runs
        # the file again and says what went wrong.
        done = False
    finally:
        for child in children:
            child.end()
    if done:
        return Parts(listing, assembly, size)
    if assembly is not None:
        assembly.close()
    return None


class _Child:
    """A forked process working on one part, and the parent's ends of its two pipes."""

    def __init__(self, pid: int, words: int, orders: int, index: IO[bytes], offsets: IO[bytes]):
        self.pid, self.words, self.orders, self.index_file, self.offsets_file = pid, words, orders, index, offsets
        self.exited = False

    @classmethod
    def start(cls, part: _Part, assembly: IO[bytes], joint: bytes, prctl: Callable | None) -> _Child:
        parent = os.getpid()
        index, offsets = _buffer(), _buffer()
        words_read, words_write = os.pipe()
        orders_read, orders_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (words_read, words_write, orders_read, orders_write):
                os.close(fd)
            index.close()
            offsets.close()
            raise
        if pid == 0:  # the child: leaves only through os._exit, 0 when its texts are written
            status = 1
            try:
                os.close(words_read)
                os.close(orders_write)
                if prctl is not None:
                    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
                if os.getppid() == parent and _part(part, lambda: os.write(words_write, _READ) == 1):
                    index.write(part.index.encode("utf-8"))
                    index.flush()
                    os.write(words_write, _READY)
                    if os.read(orders_read, 1) == _GO:
                        offsets.seek(0)
                        _write_texts(part.texts, array("q", offsets.read()), assembly.fileno(), joint)
                        status = 0
            finally:
                os._exit(status)
        os.close(words_write)
        os.close(orders_read)
        return cls(pid, words_read, orders_write, index, offsets)

    def says(self, word: bytes) -> bool:
        """Whether the child's next word is ``word`` (False when it ended instead)."""
        return os.read(self.words, 1) == word

    def index(self) -> str:
        self.index_file.seek(0)
        return self.index_file.read().decode("utf-8")

    def go(self, offsets: array) -> None:
        """Tell the child where its texts go, and to write them."""
        self.offsets_file.write(offsets.tobytes())
        self.offsets_file.flush()
        os.write(self.orders, _GO)

    def wait(self) -> bool:
        """Whether the child wrote its texts (and ended with success)."""
        status = os.waitpid(self.pid, 0)[1]
        self.exited = True
        return status == 0

    def end(self) -> None:
        """Kill the child unless it has ended, reap it, and close the parent's ends."""
        if not self.exited:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.exited = True
        for fd in (self.words, self.orders):
            os.close(fd)
        self.index_file.close()
        self.offsets_file.close()


def _buffer() -> IO[bytes]:
    """An unnamed file: in memory where the system has ``memfd`` (nothing to write through
    a file system, nothing to free on a disk afterwards), else in ``TMPDIR``."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("smartcommune-part"), "w+b")
    return tempfile.TemporaryFile()


def _prctl() -> Callable | None:
    """Linux's ``prctl``, for a child to ask to die with its parent; None elsewhere."""
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
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
    line comes within :data:`_MOST_ROWS` lines (rows repeated: the careful reader says so)."""
    cuts = [start]
    for k in range(1, jobs):
        at = max(cuts[-1], raw.find(b"\n", start + (len(raw) - start) * k // jobs - 1) + 1 or len(raw))
        if start < at < len(raw):
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


def _places(indexes: list[str], joint: int) -> tuple[int, list[array]] | None:
    """(the assembly's size, per part the offset of each of its texts in its own order),
    the texts of all parts being in the order of the whole result (unit code, then year)
    and joined by ``joint`` bytes; None when a commune-year is in two parts."""
    entries = []
    for part, index in enumerate(indexes):
        for position, line in enumerate(index.splitlines()):
            unit_code, year, size = line.split(",")
            entries.append((unit_code, int(year), part, position, int(size)))
    entries.sort()
    offsets = [array("q", bytes(8 * index.count("\n"))) for index in indexes]
    cursor = 0
    for k, (unit_code, year, part, position, size) in enumerate(entries):
        if k:
            if entries[k - 1][:2] == (unit_code, year):
                return None
            cursor += joint
        offsets[part][position] = cursor
        cursor += size
    return cursor, offsets


def _write_texts(texts: list[bytes], offsets: array, fd: int, joint: bytes) -> None:
    """Write each text at its offset in the assembly, after the joint unless it is the first
    of all (offset 0)."""
    for text, offset in zip(texts, offsets):
        pieces, at = ([joint, text], offset - len(joint)) if offset and joint else ([text], offset)
        if os.pwritev(fd, pieces, at) != sum(map(len, pieces)):  # a file in memory or on disk
            raise OSError("the assembly took only part of a text")  # writes all or fails


def _part(part: _Part, read_done: Callable[[], bool]) -> bool:
    """Read and evaluate one part, keeping its texts and index; False when its read gives up,
    or ``read_done`` (called once the read succeeded) says to stop."""
    try:
        lines = plain_lines(part.raw[part.begin:part.end].decode("utf-8"), part.line_end)
    except UnicodeDecodeError:
        return False
    units = read_plain_lines(lines, part.optional, part.criteria_set)
    del lines
    if units is None or not read_done():
        return False
    criteria_set = part.criteria_set
    evaluations = (evaluate_valid(criteria_set, u.inputs, unit_code=u.unit_code, year=u.year) for u in units)
    texts = part.texts = [text.encode("utf-8") for text in part.listing.texts(evaluations)]
    part.index = "".join([f"{u.unit_code},{u.year},{len(text)}\n" for u, text in zip(units, texts)])
    return True
