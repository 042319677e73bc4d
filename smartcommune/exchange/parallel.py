"""Evaluate a large long CSV on several processes, with the output of one.

The contract: :func:`write_in_parts` either writes to its output exactly the text that
``listing.write`` writes for the evaluations of
:func:`~smartcommune.exchange.long_csv.read_long_csv`'s commune-years and returns True, or
returns False having written nothing (the output as it was), or raises :class:`NoRoom`
having written nothing when the output has no room for the texts.  False when the file is not
one the plain reader takes (unreadable, not UTF-8, quoted cells, a bad or repeated row:
anything the careful reader must look at), when a commune-year's rows are not together in
the file, when the output is not a file the processes can write to, or when any process
fails; the caller then runs its one-process path, which gives that file's output, or its
messages and exit status, as always.

How.  The parent reads the file's bytes, checks what the plain reader needs of the whole
file (its header, its line breaks, no quote; :func:`plain_line_end`) and cuts the data
into *chunks* of about :data:`CHUNK_BYTES`, each cut at the start of a line whose commune
and year differ from the line before's, so that a commune-year's rows (written together,
as every province's file and our own writer have them) fall in one chunk.  The chunks'
numbers go into a pipe, the *queue*; the parent forks ``jobs - 1`` children, and every
process (the parent too) takes the next number from the queue until it is empty: a
process whose CPU runs faster, or is less busy, does more of the work, and all end within
about one chunk of each other.  For each chunk a process splits only its own bytes into
lines, reads them (one :class:`~smartcommune.exchange.long_csv.PlainReader` per
process, so that each distinct row is checked once per process), evaluates its
commune-years and keeps the listing's text of each (one
:attr:`~smartcommune.exchange.results.Listing.texts` per process, so that each distinct
field's text is made once).  A process whose chunk the plain reader refuses empties the
queue, so that the others soon stop, and gives up.

A child then writes an index (the unit code and year, and the size, of each of its texts)
for the parent and says so on a pipe.  The parent merges the indexes into the order of
the whole result (unit code, then year), giving up if a commune-year is in two chunks,
makes room for them all, tells each process where each of its texts goes, and every
process copies its own texts there, all at the same time, through a map of the file in
its memory: straight into the output when it is a regular file open for reading and
writing at its end (:class:`_Sink`), else into an unnamed file in memory, the
*assembly*, which the parent then copies to the output.  The parent writes the head and
the tail.

Children leave only through ``os._exit`` and write nothing but their texts, at the places
the parent gave them.  The parent kills and reaps every child on any way out (a failed
process, an exception, Ctrl-C) and, when it gives up, cuts the output back to its size
before; on Linux a child dies with its parent (``PR_SET_PDEATHSIG``), so killing the
parent leaves none running.  Nothing here imports Django.
"""

from __future__ import annotations

import codecs
import ctypes
import errno
import fcntl
import mmap
import os
import shutil
import signal
import stat
import tempfile
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, NamedTuple

from smartcommune.criteria.engine import Evaluation, evaluate_valid
from smartcommune.criteria.model import CriteriaSet
from smartcommune.exchange.long_csv import PlainReader, plain_header, plain_line_end, plain_lines
from smartcommune.exchange.results import Listing

AUTOMATIC_FROM = 4 * 1024 * 1024
"""The size (bytes) from which :func:`automatic_jobs` uses more than one process: below it,
forking and joining cost more than they save."""

AUTOMATIC_MAX = 4
"""The most processes :func:`automatic_jobs` uses: past a few, the parent's reading of the
file and merging of the parts are what remains.  The CLI's ``--jobs`` help states this and
:data:`AUTOMATIC_FROM`."""

CHUNK_BYTES = 256 * 1024
"""About the size of a chunk of the file: small enough that processes end close together
and that a chunk's lines stay in the CPU's cache while they are read, large enough that
taking one costs nothing next to reading it (with 1 MB a national file took 1–3 % longer)."""

_MOST_CHUNKS = 255
"""A chunk's number is one byte in the queue."""

_WINDOW = 8 * 1024 * 1024
"""About how much of the output a process keeps in its memory behind what it writes
(:meth:`_Sink.write_texts`): the pages of a map it touched count as its own until it lets
them go."""

_PR_SET_PDEATHSIG = 1
_READY, _GO = b"=", b"g"
"""A child's word on its pipe (its texts and index are ready) and the parent's on the
other (write your texts)."""


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


def write_in_parts(path: str | Path, criteria_set: CriteriaSet, listing: Listing, jobs: int, out: IO[str]) -> bool:
    """Write the listing of the file at ``path``, evaluated by ``jobs`` processes (this one
    and ``jobs - 1`` forked children), to ``out``; False having written nothing when it
    cannot (see the module's contract)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return False
    layout = _layout(raw)
    if layout is None:
        return False
    start, line_end, optional = layout
    chunks = max(jobs, min(_MOST_CHUNKS, -(-(len(raw) - start) // CHUNK_BYTES)))
    cuts = _cuts(raw, start, chunks, line_end)
    if cuts is None:
        return False
    sink = _Sink.of(out, listing)
    if sink is None:
        return False
    work = _Work(raw, cuts, line_end, optional, criteria_set, listing)
    children: list[_Child] = []
    queue = None
    done = False
    try:
        queue = _queue(chunks)
        prctl = _prctl()
        for n in range(1, jobs):
            children.append(_Child.start(work, queue, sink, prctl, backwards=n % 2 == 1))
        mine = _Worker(work)
        if mine.run(queue) and all(child.says(_READY) for child in children):
            places = _places([mine.index(), *(child.index() for child in children)], len(sink.joint))
            if places is not None:
                size, offsets = places
                sink.reserve(size)
                for child, where in zip(children, offsets[1:]):
                    child.go(where)
                sink.write_texts(mine.texts, offsets[0], backwards=False)
                done = all(child.wait() for child in children)
    except NoRoom:
        raise  # the one-process path would meet it too, only after evaluating the file again
    except Exception:
        # No pipe or process to be had, or this process's part failed: the one-process
        # path runs the file again and says what went wrong.
        done = False
    finally:
        for child in children:
            child.end()
        if queue is not None:
            os.close(queue)
        if not done:
            sink.undo()
    if done:
        sink.finish(size)
    return done


class NoRoom(OSError):
    """The output (a regular file) has no room for the result: a full disk, a quota, a file
    size limit.  Its ``errno`` and ``strerror`` are those of the system's refusal."""


class _Work(NamedTuple):
    """What every process shares: the file's bytes and chunks, and how to read them."""

    raw: bytes
    cuts: list[int]
    """Chunk *k* is ``raw[cuts[k]:cuts[k + 1]]``."""
    line_end: bytes
    optional: list[str]
    criteria_set: CriteriaSet
    listing: Listing


class _GiveUp(Exception):
    """A chunk the plain reader refuses."""


class _Worker:
    """One process's share of the work: the chunks it took, and the texts it made of them
    with their keys (``unit code,year``, the year on ten digits, so that the keys sort as
    the whole result: unit codes on this path are digits, and "," sorts before them)."""

    def __init__(self, work: _Work):
        self.work = work
        self.texts: list[bytes] = []
        self.keys: list[str] = []

    def run(self, queue: int) -> bool:
        """Take chunks from the queue until it is empty, keeping their texts; False, having
        emptied the queue, at a chunk the plain reader refuses."""
        try:
            self.texts = [text.encode("utf-8") for text in self.work.listing.texts(self._evaluations(queue))]
        except _GiveUp:
            while os.read(queue, 4096):
                pass
            return False
        return True

    def _evaluations(self, queue: int) -> Iterator[Evaluation]:
        work = self.work
        criteria_set, keys = work.criteria_set, self.keys
        reader = PlainReader(criteria_set, work.optional)
        while chunk := os.read(queue, 1):
            begin, end = work.cuts[chunk[0]], work.cuts[chunk[0] + 1]
            units = reader.read(plain_lines(work.raw[begin:end], work.line_end))
            if units is None:
                raise _GiveUp
            for unit in units:
                keys.append(f"{unit.unit_code},{unit.year:010d}")
                yield evaluate_valid(criteria_set, unit.inputs, unit_code=unit.unit_code, year=unit.year)

    def index(self) -> tuple[list[str], array]:
        """(the keys, the sizes) of this process's texts, in its order."""
        return self.keys, array("q", map(len, self.texts))

    def index_bytes(self) -> bytes:
        keys, sizes = self.index()
        return len(sizes).to_bytes(8, "little") + sizes.tobytes() + "\n".join(keys).encode("ascii")


def _index_of(data: bytes) -> tuple[list[str], array]:
    """:meth:`_Worker.index` from :meth:`_Worker.index_bytes`."""
    count = int.from_bytes(data[:8], "little")
    sizes = array("q", data[8:8 + 8 * count])
    return (data[8 + 8 * count:].decode("ascii").split("\n") if count else []), sizes


class _Sink:
    """Where the processes write their texts: the output itself from ``at`` on (a regular
    file open for reading and writing, not for appending, written at its end: the bytes
    after ``at`` are ours), or the assembly, copied to the output at the end.

    Each process copies its texts into a map of the file in its own memory, not through
    ``write``: the file system lets one ``write`` at a time into a file (ext4 locks the
    file for each), so processes writing their texts that way take turns, while they
    copy into their maps at the same time.  A map needs the file open for reading too."""

    def __init__(self, out: IO[str], listing: Listing, fd: int, at: int, assembly: IO[bytes] | None):
        self.out, self.listing, self.fd, self.at, self.assembly = out, listing, fd, at, assembly
        self.head, self.joint, self.tail = (listing.head.encode("utf-8"), listing.joint.encode("utf-8"),
                                            listing.tail.encode("utf-8"))
        self.base = at + len(self.head) if assembly is None else 0
        """Where the texts begin in :attr:`fd`."""

    @classmethod
    def of(cls, out: IO[str], listing: Listing) -> _Sink | None:
        """The sink for ``out`` (flushed), or None when it has no file descriptor or does
        not write UTF-8 (the texts are UTF-8 bytes), or the system cannot make room in a
        file before it is written (:meth:`reserve`; macOS)."""
        try:
            fd = out.fileno()
            if (codecs.lookup(getattr(out, "encoding", None) or "utf-8").name != "utf-8"
                    or not hasattr(os, "posix_fallocate")):
                return None
            out.flush()
            here = os.fstat(fd)
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            if stat.S_ISREG(here.st_mode) and flags & os.O_ACCMODE == os.O_RDWR and not flags & os.O_APPEND:
                at = os.lseek(fd, 0, os.SEEK_CUR)
                if at == here.st_size:
                    return cls(out, listing, fd, at, None)
            assembly = _buffer()
        except (OSError, ValueError, LookupError):  # io.UnsupportedOperation is both of the first two
            return None
        return cls(out, listing, assembly.fileno(), 0, assembly)

    def reserve(self, size: int) -> None:
        """Make the file long enough for the ``size`` bytes of texts (and the head and the
        tail around them in the output), its blocks allocated: a full disk is said here
        (:class:`NoRoom`; for the assembly, an :class:`OSError`), not by a process killed
        (``SIGBUS``) writing into its map."""
        if self.assembly is None:
            try:
                os.posix_fallocate(self.fd, self.at, len(self.head) + size + len(self.tail))
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                    raise NoRoom(exc.errno, exc.strerror) from exc
                raise
        elif size:
            os.posix_fallocate(self.fd, 0, size)

    def write_texts(self, texts: list[bytes], offsets: array, *, backwards: bool) -> None:
        """Copy each text to its offset from :attr:`base` (:meth:`reserve` has made room),
        after the joint unless it is the first of all (offset 0), through one map of the
        file, in the order of the offsets or, ``backwards``, the reverse.

        Every other process goes backwards: two processes filling the same pages at the
        same time wait on each other at every page, and going opposite ways they meet
        once.  Pages more than :data:`_WINDOW` bytes behind are let go as it goes."""
        order = sorted(range(len(texts)), key=offsets.__getitem__, reverse=backwards)
        if not order:
            return
        joint, page = self.joint, mmap.PAGESIZE
        start = self.base - self.base % mmap.ALLOCATIONGRANULARITY
        shift = self.base - start
        last = order[0] if backwards else order[-1]
        size = shift + offsets[last] + len(texts[last])
        with mmap.mmap(self.fd, size, offset=start) as window:
            low, high = 0, size  # the pages of the map this process may still write
            for i in order:
                text, at = texts[i], shift + offsets[i]
                end = at + len(text)
                if offsets[i]:
                    window[at - len(joint):at] = joint
                window[at:end] = text
                # The file keeps what was written (the pages stay in its cache); the process
                # lets go of its hold on them, which counts in its memory.
                if backwards and high - end > _WINDOW:
                    cut = end + -end % page  # the page after this text's last (the map may end sooner)
                    if cut < high:
                        window.madvise(mmap.MADV_DONTNEED, cut, high - cut)
                        high = cut
                elif not backwards and at - low > _WINDOW:
                    cut = at - at % page
                    window.madvise(mmap.MADV_DONTNEED, low, cut - low)
                    low = cut

    def finish(self, size: int) -> None:
        """Write the head and the tail around the ``size`` bytes of texts (copying those
        from the assembly), leaving the output at its end."""
        if self.assembly is None:
            _write_at(self.fd, [self.head], self.at)
            _write_at(self.fd, [self.tail], self.base + size)
            self.out.seek(0, os.SEEK_END)
            return
        try:
            self.out.write(self.listing.head)
            self.out.flush()
            offset = 0
            try:
                while offset < size:
                    offset += os.sendfile(self.out.fileno(), self.fd, offset, size - offset)
            except OSError as exc:
                # The kernel does not copy into this output (a file opened for appending):
                # copy through this process.
                if offset or exc.errno not in (errno.EINVAL, errno.ENOSYS):
                    raise
                self.assembly.seek(0)
                shutil.copyfileobj(self.assembly, self.out.buffer)
                self.out.buffer.flush()
            self.out.write(self.listing.tail)
        finally:
            self.assembly.close()

    def undo(self) -> None:
        """Leave the output as it was (and free the assembly)."""
        if self.assembly is None:
            os.ftruncate(self.fd, self.at)
        else:
            self.assembly.close()


class _Child:
    """A forked process working like the parent, and the parent's ends of its two pipes."""

    def __init__(self, pid: int, words: int, orders: int, index: IO[bytes], offsets: IO[bytes]):
        self.pid, self.words, self.orders, self.index_file, self.offsets_file = pid, words, orders, index, offsets
        self.exited = False

    @classmethod
    def start(cls, work: _Work, queue: int, sink: _Sink, prctl: Callable | None, *, backwards: bool) -> _Child:
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
                worker = _Worker(work)
                if os.getppid() == parent and worker.run(queue):
                    index.write(worker.index_bytes())
                    index.flush()
                    os.write(words_write, _READY)
                    if os.read(orders_read, 1) == _GO:
                        offsets.seek(0)
                        sink.write_texts(worker.texts, array("q", offsets.read()), backwards=backwards)
                        status = 0
            finally:
                os._exit(status)
        os.close(words_write)
        os.close(orders_read)
        return cls(pid, words_read, orders_write, index, offsets)

    def says(self, word: bytes) -> bool:
        """Whether the child's next word is ``word`` (False when it ended instead)."""
        return os.read(self.words, 1) == word

    def index(self) -> tuple[list[str], array]:
        self.index_file.seek(0)
        return _index_of(self.index_file.read())

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


def _write_at(fd: int, pieces: list[bytes], at: int) -> None:
    """Write ``pieces`` at ``at`` in ``fd``, a regular file or one in memory (which writes all
    or fails)."""
    if os.pwritev(fd, pieces, at) != sum(map(len, pieces)):
        raise OSError("only part of a text was written")


def _queue(chunks: int) -> int:
    """The read end of a pipe holding the numbers 0 … ``chunks - 1``, one byte each, and
    no writer (so a read of the empty queue ends at once)."""
    read, write = os.pipe()
    try:
        os.write(write, bytes(range(chunks)))  # far less than a pipe holds
    except OSError:
        os.close(read)
        raise
    finally:
        os.close(write)
    return read


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


def _layout(raw: bytes) -> tuple[int, bytes, list[str]] | None:
    """(where the data starts, the line break, the optional columns) of a file whose every
    part the plain reader may read, or None."""
    line_end = plain_line_end(raw)
    newline = raw.find(b"\n")
    if line_end is None or newline < 0 or newline + 1 == len(raw):
        return None
    optional = plain_header(raw[:newline + 1 - len(line_end)])
    return None if optional is None else (newline + 1, line_end, optional)


def _cuts(raw: bytes, start: int, parts: int, line_end: bytes) -> list[int] | None:
    """``[start, cut 1, …, len(raw)]``: part *k* is ``raw[cuts[k]:cuts[k + 1]]``.  Each cut
    is the start of the first line, at or after an even share of the data, whose text up to
    its second comma (commune and year) differs from the line before's; None when no such
    line comes within :data:`_MOST_ROWS` lines (rows repeated: the careful reader says so)."""
    cuts = [start]
    for k in range(1, parts):
        at = max(cuts[-1], raw.find(b"\n", start + (len(raw) - start) * k // parts - 1) + 1 or len(raw))
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


def _places(indexes: list[tuple[list[str], array]], joint: int) -> tuple[int, list[array]] | None:
    """(the size of all texts, per process the offset of each of its texts in its own
    order), the texts of all processes being in the order of their keys (that of the
    whole result) and joined by ``joint`` bytes; None when two texts have the same key (a
    commune-year in two chunks)."""
    keys = [key for process_keys, _ in indexes for key in process_keys]
    if len(set(keys)) != len(keys):
        return None
    sizes = array("q")
    for _, process_sizes in indexes:
        sizes.extend(process_sizes)
    starts = array("q", bytes(8 * len(keys)))
    cursor = 0
    for i in sorted(range(len(keys)), key=keys.__getitem__):
        starts[i] = cursor
        cursor += sizes[i] + joint
    offsets, first = [], 0
    for process_keys, _ in indexes:
        offsets.append(starts[first:first + len(process_keys)])
        first += len(process_keys)
    return max(0, cursor - joint), offsets
