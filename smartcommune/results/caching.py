"""Keeping the rendered results pages between requests, and knowing when they are stale.

A results page depends on the assessments the viewer may see (their values, status,
decision and publication) and on who the viewer is.  Every write to an assessment goes
through an audited action that bumps its ``version`` (:mod:`smartcommune.rounds.actions`,
:mod:`smartcommune.rounds.audit`, the import's bulk writes in
:mod:`smartcommune.imports.actions`), publication sets ``published_at``, and an assessment
that starts or stops being visible changes how many there are.  So one aggregate query
over the visible assessments of the rounds a page shows -- a **stamp** -- changes whenever
what the page shows changes:

* :func:`rounds_stamp`: per round, the count, the sum of ids, the sum and maximum of the
  versions and the latest publication, with the round's opening time (which keeps ids
  reused by a rolled-back transaction from meeting an older page);
* :func:`viewer_scope`: who the viewer is, as far as the page is concerned -- the SQL of
  :func:`smartcommune.rounds.access.visible_assessments` for them (the one place
  that decides who sees what: two viewers with the same scope see the same assessments)
  and whether they are signed in;

and a page is kept under a key made of both, the language and the page's own parameters
(:func:`page_key`).  The stamp is read at every request, but its SQL is compiled once per
process (:func:`kept_stamp`): on a kept page, compiling it cost more than everything else
the view did.  A page of one scope is never served to another; a page whose
assessments changed is never served again (its key no longer comes up).  The stamp is read
before the page is computed, so what is kept under a stamp is never older than the stamp.

What the stamp does not see -- a unit renamed by a units import, a round marked synthetic
after the fact -- is bounded by the cache's ``TIMEOUT``; a new release (changed criteria
sets, templates) is part of every key (the product's version), and ``smartcommune
migrate``, run at every upgrade, clears the cache (the database's; Redis is left alone).

The cache is ``CACHES["results"]`` (settings): the shared cache (a table of the database, or
Redis), so a page is computed once for every worker process and every app server, and a
write through one server is seen by the others at once (the stamp is read from the
database).  It is not cleared when a server starts: with several servers, one restarting
would throw away the pages the others keep, and nothing a restart changes reaches a page
without a new release, which the key already tells apart.  :func:`get_or_compute`
computes a missing page once at a time per key within a process (and per machine when the
cache is a directory, through a file lock): the requests that miss meanwhile wait and read
it rather than all computing at once.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import translation

from smartcommune import __version__

try:  # POSIX; elsewhere a lock per process only
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

CACHE_ALIAS = "results"
# Bump when what is kept changes shape (so entries of an older release are not read).
FORMAT = "1"

# Locks striped by key: a key's computation waits only for keys of the same stripe.
STRIPES = 64
_locks = [threading.Lock() for _ in range(STRIPES)]
# Values last read, kept in this process too (a few hundred KiB each).
RECENT = 32
_recent_lock = threading.Lock()
_recent: dict[str, object] = {}
# Compiled stamp queries kept in this process (:func:`kept_stamp`): about 8 KiB each.
STATEMENTS = 1024
_statements_lock = threading.Lock()
_statements: dict[bytes, _Statement] = {}


def cache():
    """The results cache (``CACHES["results"]``, else the default cache)."""
    try:
        return caches[CACHE_ALIAS]
    except InvalidCacheBackendError:
        return caches["default"]


def viewer_scope(viewer, visible: QuerySet) -> str:
    """What distinguishes one viewer's page from another's: the SQL (with its parameters)
    selecting the assessments they may see, and whether they are signed in."""
    # Without the assessments' default ordering, which joins the units to sort (a third of
    # the cost of compiling it) and changes nothing of which assessments are visible.
    sql, params = visible.order_by().query.sql_with_params()
    signed_in = bool(viewer is not None and viewer.is_authenticated)
    return f"{signed_in}|{sql}|{params!r}"


def rounds_stamp(visible: QuerySet, rounds: Mapping[int, object] | None = None) -> dict[int, tuple]:
    """Per round with assessments in ``visible``: ``(count, sum of ids, sum of versions, max
    version, latest publication, round opened at)``.  ``visible`` is a queryset of
    assessments already narrowed to a page's rounds, or ``rounds`` (``{round id: opened
    at}``) narrows it by id -- cheaper than a join when there are thousands of
    assessments.  One query."""
    return _stamps(_stamp_query(visible, rounds), rounds)


def kept_stamp(key: tuple, narrowed: Callable[[], QuerySet],
               rounds: Mapping[int, object] | None = None) -> dict[int, tuple]:
    """:func:`rounds_stamp` of ``narrowed()``, asked every time but compiled once per
    process.  ``key`` must name the query exactly: the viewer's scope (:func:`viewer_scope`:
    the SQL and parameters of what they may see), the page and every value that narrows
    it, and the ids of ``rounds``.

    Building and compiling the aggregate with Django's ORM costs some thirty times running
    it (a scorecard's: 2.4 ms of CPU against 0.07 ms on SQLite, on a busy machine), and a
    kept page costs little else: so the SQL, its parameters and its columns are kept in
    this process (:data:`STATEMENTS` of them, the oldest forgotten first) and only the
    query runs.  The data is read at every request as before; only the text of the
    question is reused."""
    name = hashlib.sha256(repr(key).encode()).digest()  # the scope's SQL is long; its digest is enough
    statement = _statements.get(name)
    if statement is None:
        statement = _Statement.of(_stamp_query(narrowed(), rounds))
        with _statements_lock:
            _statements[name] = statement
            while len(_statements) > STATEMENTS:
                _statements.pop(next(iter(_statements)), None)  # oldest first
    return _stamps(statement.rows(), rounds)


def _stamp_query(visible: QuerySet, rounds: Mapping[int, object] | None) -> QuerySet:
    if rounds is not None:
        visible = visible.filter(round_id__in=list(rounds))
    aggregates = {"n": Count("pk"), "ids": Sum("pk"), "versions": Sum("version"), "top": Max("version"),
                  "published": Max("published_at")}
    if rounds is None:
        aggregates["opened"] = Max("round__opened_at")
    return visible.order_by().values("round_id").annotate(**aggregates).values_list("round_id", *aggregates)


def _stamps(rows: Iterable, rounds: Mapping[int, object] | None) -> dict[int, tuple]:
    return {row[0]: tuple(str(v) for v in row[1:6]) + (str(row[6] if rounds is None else rounds[row[0]]),)
            for row in rows}


@dataclass(frozen=True)
class _Statement:
    """A compiled query, run again as it is: its SQL and parameters, and its columns (to
    convert the values as the ORM would, e.g. SQLite's text to aware datetimes).  ``sql``
    None: the query can match nothing (e.g. no round), so it is not run."""

    using: str
    sql: str | None
    params: tuple
    columns: tuple

    @classmethod
    def of(cls, queryset: QuerySet) -> _Statement:
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return cls(queryset.db, None, (), ())
        return cls(queryset.db, sql, tuple(params), tuple(s[0] for s in compiler.select[:compiler.col_count]))

    def rows(self) -> list:
        if self.sql is None:
            return []
        connection = connections[self.using]  # this thread's
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        converters = [(i, converters, column) for i, column in enumerate(self.columns)
                      if (converters := connection.ops.get_db_converters(column) + column.get_db_converters(connection))]
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for i, functions, column in converters:
                for convert in functions:
                    row[i] = convert(row[i], column, connection)
            converted.append(row)
        return converted


def page_key(page: str, *parts: object) -> str:
    """The cache key of ``page`` for ``parts`` (stamp, scope, filters…) in the active
    language: a digest, so any part may be long."""
    text = "\x1f".join([FORMAT, __version__, page, translation.get_language() or ""] + [repr(p) for p in parts])
    return f"results:{page}:{hashlib.sha256(text.encode()).hexdigest()}"


def _lock_path(stripe: int) -> Path | None:
    config = settings.CACHES.get(CACHE_ALIAS, {})
    if fcntl is None or "FileBasedCache" not in config.get("BACKEND", ""):
        return None
    return Path(config["LOCATION"]) / "locks" / f"{stripe:02d}.lock"


@contextmanager
def _computing(key: str):
    """Held while computing ``key``: one thread per process (a lock), and one process per
    machine when the cache is a directory (``flock`` on a file beside it)."""
    stripe = zlib.crc32(key.encode()) % STRIPES
    with _locks[stripe]:
        path = _lock_path(stripe)
        if path is None:
            yield
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the flock


def get_or_compute(key: str, compute: Callable[[], object]):
    """The value kept under ``key``, else ``compute()`` -- once at a time per key: whoever
    waited reads what the first one kept.  The last few values read are also kept in this
    process (:data:`RECENT`): a key names one state of the data, so a copy is never staler
    than the shared cache, and it spares reading and decompressing a few hundred KiB."""
    store = cache()
    keep_here = not isinstance(store, DummyCache)  # development: nothing kept at all
    value = _recent.get(key) if keep_here else None
    if value is not None:
        return value
    value = store.get(key)
    if value is None:
        with _computing(key):
            value = store.get(key)
            if value is None:
                value = compute()
                store.set(key, value)
    if keep_here:
        _remember(key, value)
    return value


def _remember(key: str, value) -> None:
    with _recent_lock:
        _recent[key] = value
        while len(_recent) > RECENT:
            _recent.pop(next(iter(_recent)), None)  # oldest first


def clear() -> None:
    """Forget every kept page (``smartcommune migrate``; tests)."""
    with _recent_lock:
        _recent.clear()
    cache().clear()

