"""Backups that restore: the database and the uploaded files in one archive.

``smartcommune backup`` writes one tar archive::

    manifest.json        what is inside and how to check it (below)
    database.dump        PostgreSQL: pg_dump's custom format
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    files/<name>         every object of Django's default storage (the uploaded evidence)

The manifest names the format and its version, the creation time (UTC), the product's
version, the database vendor and server version, the number of rows of every table, and
the size and SHA-256 of the database member and of every file.  On PostgreSQL the row
counts and the dump read the same snapshot (``pg_export_snapshot`` then ``pg_dump
--snapshot``), so they agree even while the product is being used; on SQLite the counts
are read from the copy.  Files are listed and read through ``default_storage`` (the
filesystem or an object store alike).

``smartcommune restore`` first checks the whole archive against its manifest (every
member present, sizes and checksums equal, names safe) and refuses a damaged or
incomplete one before touching anything; it refuses a database of another vendor, and a
database or storage that already holds data unless ``force``.  Then it replaces the
database in one transaction (PostgreSQL: the public schema dropped and re-created and the
dump replayed by ``psql --single-transaction``; SQLite: the online backup API copies the
archived database over the live one), puts the files back through ``default_storage``,
and checks the restored row counts against the manifest.  Stop the server first.

The PostgreSQL tools must be at least the server's major version: they are looked up in
``SMARTCOMMUNE_PG_BIN``, then ``/usr/lib/postgresql/<server major>/bin`` (Debian), then
``PATH``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from smartcommune import __version__

FORMAT = "smartcommune-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_MEMBER = "database.dump"
SQLITE_MEMBER = "database.sqlite3"
FILES_PREFIX = "files/"
SKIPPED_PREFIXES = ("healthz/",)
"""Storage objects that are not data: /healthz's short-lived probes."""

_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; ``vi`` and ``en`` say why."""

    def __init__(self, vi: str, en: str, problems: list[str] | None = None):
        super().__init__(f"{vi} ({en})")
        self.vi, self.en, self.problems = vi, en, problems or []


@dataclass
class Summary:
    path: Path
    vendor: str
    tables: dict[str, int]
    files: int
    size: int = 0
    created: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# -- shared helpers ----------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    qn = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def storage_files(storage=None) -> Iterator[str]:
    """Every object name in the storage, recursively, except /healthz's probes."""
    storage = storage or default_storage

    def walk(prefix: str) -> Iterator[str]:
        try:
            directories, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield f"{prefix}{name}"
        for directory in sorted(directories):
            yield from walk(f"{prefix}{directory}/")

    for name in walk(""):
        if not name.startswith(SKIPPED_PREFIXES):
            yield name


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name and "\x00" not in name


# -- PostgreSQL tools ----------------------------------------------------------------


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool at least as new as the server."""
    major = _server_major()
    candidates = []
    if os.environ.get("SMARTCOMMUNE_PG_BIN"):
        candidates.append(Path(os.environ["SMARTCOMMUNE_PG_BIN"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        out = subprocess.run([str(candidate), "--version"], capture_output=True, text=True)
        match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
        if match and int(match.group(1)) >= major:
            return str(candidate)
    raise BackupError(
        f"Không tìm thấy {name} phiên bản {major} trở lên (cài gói postgresql-client-{major} "
        "hoặc đặt SMARTCOMMUNE_PG_BIN)",
        f"no {name} of version {major} or later: install postgresql-client-{major} or set SMARTCOMMUNE_PG_BIN",
    )


_LIBPQ_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
              "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "service": "PGSERVICE"}


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if s.get(key):
            env[var] = str(s[key])
    for option, var in _LIBPQ_ENV.items():
        if option in s.get("OPTIONS", {}):
            env[var] = str(s["OPTIONS"][option])
    env["PGOPTIONS"] = "-c statement_timeout=0"  # a dump or a restore is not a request
    return env


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run(args, env=_pg_env(), capture_output=True, **kwargs)
    if out.returncode != 0:
        message = (out.stderr or b"").decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"{Path(args[0]).name} thất bại: {message}", f"{Path(args[0]).name} failed: {message}")
    return out


# -- backup --------------------------------------------------------------------------


def backup(output: Path) -> Summary:
    """Write the archive to ``output`` (written beside it, then renamed into place)."""
    output = Path(output)
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {vendor}", f"{vendor} databases are not supported")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".smartcommune-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        if vendor == "postgresql":
            member, tables, server_version = PG_MEMBER, *_dump_postgresql(work / PG_MEMBER)
        else:
            member, tables, server_version = SQLITE_MEMBER, *_copy_sqlite(work / SQLITE_MEMBER)
        database_path = work / member
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": __version__,
            "database": {"vendor": vendor, "server_version": server_version, "member": member,
                         "size": database_path.stat().st_size, "sha256": _sha256_file(database_path)},
            "tables": tables,
            "files": [],
        }
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(database_path, arcname=member)
                for name in storage_files():
                    manifest["files"].append(_add_storage_file(tar, name, work))
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)  # the archive holds personal data and password hashes
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Summary(output, vendor, tables, len(manifest["files"]), output.stat().st_size, manifest["created"])


def _add_storage_file(tar: tarfile.TarFile, name: str, work: Path) -> dict:
    # Copied to a local file first: a remote storage's object may not know its size.
    local = work / "file"
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as source, open(local, "wb") as target:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    member = FILES_PREFIX + name
    tar.add(local, arcname=member)
    local.unlink()
    return {"name": name, "member": member, "size": size, "sha256": digest.hexdigest()}


def _dump_postgresql(target: Path) -> tuple[dict[str, int], str]:
    pg_dump = pg_tool("pg_dump")
    # One snapshot for the counts and the dump, so the manifest describes the dump exactly.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        tables = _count_rows(cursor, table_names())
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}"])
        raw.rollback()
    finally:
        raw.close()
    return tables, server_version


def _copy_sqlite(target: Path) -> tuple[dict[str, int], str]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        names = [r[0] for r in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        tables = _count_rows(copy.cursor(), sorted(names))
    finally:
        copy.close()
    return tables, sqlite3.sqlite_version


# -- restore -------------------------------------------------------------------------


def verify(archive: Path, into: Path) -> dict:
    """Check ``archive`` against its manifest, extracting each member into ``into``; the
    manifest, or :class:`BackupError` listing every problem."""
    problems: list[str] = []
    try:
        tar = tarfile.open(archive, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {archive}: {exc}",
                          f"cannot read the backup archive {archive}: {exc}") from None
    with tar:
        try:
            members = {m.name: m for m in tar.getmembers()}
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
            if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
                raise ValueError("unknown format")
            expected = [(manifest["database"]["member"], manifest["database"]["size"],
                         manifest["database"]["sha256"], "database")]
            expected += [(f["member"], f["size"], f["sha256"], f["name"]) for f in manifest["files"]]
            if not isinstance(manifest["tables"], dict):
                raise ValueError("no table counts")
        except (KeyError, ValueError, TypeError, tarfile.TarError, OSError) as exc:
            raise BackupError("Tệp sao lưu hỏng hoặc không phải của smartcommune: bảng kê thiếu hoặc sai",
                              f"the archive is damaged or not a smartcommune backup: bad or missing manifest ({exc})"
                              ) from None
        for index, (member, size, sha256, name) in enumerate(expected):
            if not _safe_name(name) or member not in members or not members[member].isfile():
                problems.append(f"thiếu hoặc sai tên: {member} (missing or unsafe member)")
                continue
            target = into / f"{index:08d}"
            digest = hashlib.sha256()
            try:
                with tar.extractfile(members[member]) as source, open(target, "wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            except (OSError, tarfile.TarError) as exc:
                problems.append(f"không đọc được {member}: {exc} (unreadable)")
                continue
            if target.stat().st_size != size or digest.hexdigest() != sha256:
                problems.append(f"{member}: kích thước hoặc mã kiểm tra không khớp (size or checksum mismatch)")
    if problems:
        raise BackupError("Tệp sao lưu hỏng hoặc không đầy đủ; không khôi phục gì",
                          "the backup archive is damaged or incomplete; nothing was restored", problems)
    return manifest


def holds_data() -> list[str]:
    """What the current database and storage already hold (empty when there is nothing)."""
    from django.apps import apps

    present = set(table_names())
    found = []
    for model in apps.get_models():
        # The product's data and its people; Django fills content types and permissions
        # in any migrated database, so they do not count.
        ours = model.__module__.startswith("smartcommune.") or model._meta.label == "auth.User"
        if ours and model._meta.db_table in present and model._default_manager.exists():
            found.append(model._meta.db_table)
    if next(storage_files(), None) is not None:
        found.append("default_storage")
    return found


def restore(archive: Path, *, force: bool = False) -> Summary:
    """Restore ``archive`` into the configured database and storage (see the module)."""
    archive = Path(archive)
    # Extracted under TMPDIR: the archive may sit on read-only backup media.
    with tempfile.TemporaryDirectory(prefix="smartcommune-restore-") as tmp:
        work = Path(tmp)
        manifest = verify(archive, work)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(f"Bản sao lưu là của {vendor}, cơ sở dữ liệu hiện tại là {connection.vendor}",
                              f"the backup is of a {vendor} database; this one is {connection.vendor}")
        occupied = holds_data()
        if occupied and not force:
            raise BackupError("Cơ sở dữ liệu hoặc kho tệp đã có dữ liệu; không ghi đè nếu không có --force",
                              "the database or the file storage already holds data; use --force to replace it",
                              [f"có dữ liệu: {name} (holds data)" for name in occupied])
        database = work / f"{0:08d}"
        if vendor == "postgresql":
            _restore_postgresql(database)
        else:
            _restore_sqlite(database)
        for name in list(storage_files()):
            default_storage.delete(name)
        for index, entry in enumerate(manifest["files"], start=1):
            with open(work / f"{index:08d}", "rb") as f:
                saved = default_storage.save(entry["name"], File(f))
            if saved != entry["name"]:
                raise BackupError(f"Kho tệp lưu {entry['name']} thành {saved}",
                                  f"the storage saved {entry['name']} as {saved}")
    summary = Summary(archive, vendor, manifest["tables"], len(manifest["files"]), archive.stat().st_size,
                      manifest["created"])
    with connection.cursor() as cursor:
        now = _count_rows(cursor, [t for t in manifest["tables"] if t in set(table_names())])
    differ = [f"{t}: {now.get(t)} ≠ {n}" for t, n in manifest["tables"].items() if now.get(t) != n]
    if differ:
        raise BackupError("Đã khôi phục nhưng số dòng không khớp bảng kê",
                          "restored, but the row counts differ from the manifest", differ)
    return summary


def _restore_postgresql(dump: Path) -> None:
    pg_restore, psql = pg_tool("pg_restore"), pg_tool("psql")
    connection.close()
    # All or nothing: the old schema is dropped and the dump, turned into SQL by pg_restore,
    # is replayed in the same transaction by psql.
    with subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_pg_env()) as producer:
        try:
            _run([psql, "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
                  "--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC;", "--file=-"], stdin=producer.stdout)
        finally:
            producer.stdout.close()
            errors = producer.stderr.read().decode("utf-8", "replace").strip()
    if producer.returncode != 0:
        raise BackupError(f"pg_restore thất bại: {errors}", f"pg_restore failed: {errors}")


def _restore_sqlite(copy: Path) -> None:
    connection.close_if_unusable_or_obsolete()
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
