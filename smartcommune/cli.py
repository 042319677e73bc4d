"""The ``smartcommune`` command.

Subcommands that need no database (``evaluate``, ``criteria``) run without
Django; the others set Django up and call the same use-case functions as the
web. Every option has help. Exit codes: 0 done, 1 the input was refused (every
problem is listed on stderr), 2 the command line was wrong.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from smartcommune import __version__

EXIT_REFUSED = 1


class _Refused(Exception):
    """The input was refused, or the output cannot be written; why is already on stderr.
    :func:`main` exits with :data:`EXIT_REFUSED`; an output file being written is removed."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartcommune",
        description="Đánh giá xã thông minh cấp tỉnh (the yearly smart-commune assessment of a province).",
    )
    parser.add_argument("--version", action="version", version=f"smartcommune {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="các lệnh (commands)")

    evaluate = commands.add_parser(
        "evaluate",
        help="đánh giá một tệp CSV dạng dài, không cần cơ sở dữ liệu (evaluate a long CSV file, no database)",
        description="Đánh giá từng xã-năm trong tệp CSV dạng dài (unit_code,year,criterion,numerator,denominator,met). "
        "Tệp có lỗi thì không đánh giá gì và liệt kê mọi lỗi. "
        "(Evaluate every commune-year in a long CSV; a file with any error evaluates nothing and lists every error.)",
    )
    evaluate.add_argument("file", metavar="FILE.csv", help="tệp CSV UTF-8 có dòng tiêu đề (UTF-8 CSV with a header row)")
    _criteria_set_option(evaluate)
    evaluate.add_argument(
        "--format", choices=("table", "json", "csv"), default="table",
        help="table: bảng cho người đọc; json: danh sách kết quả như API; csv: mỗi dòng một tiêu chí "
        "(table for people, json as the API serves, csv one row per criterion; default: table)",
    )
    evaluate.add_argument("--output", "-o", metavar="PATH", help="ghi kết quả vào tệp thay vì màn hình (write to a file instead of stdout)")
    evaluate.add_argument(
        "--jobs", "-j", metavar="N", type=_jobs, default=None,
        help="số tiến trình đọc và đánh giá song song cho json và csv, kết quả y hệt một tiến trình; mặc định: "
        "số CPU dùng được (tối đa 4) với tệp từ 4 MB, 1 với tệp nhỏ hơn; 1: một tiến trình; tối đa 64 "
        "(processes reading and evaluating in parallel for json and csv, the output identical to one process; "
        "default: the usable CPUs, at most 4, for a file of 4 MB or more, else 1; 1: a single process; at most 64)",
    )
    evaluate.set_defaults(handler=_evaluate)

    criteria = commands.add_parser("criteria", help="xem các bộ tiêu chí (show criteria sets)", description="Xem các bộ tiêu chí có sẵn (show the available criteria sets).")
    criteria_commands = criteria.add_subparsers(dest="criteria_command", metavar="ACTION", required=True)
    criteria_commands.add_parser("list", help="liệt kê các bộ tiêu chí (list the sets)").set_defaults(handler=_criteria_list)
    show = criteria_commands.add_parser("show", help="in toàn bộ một bộ tiêu chí (print one set in full)")
    show.add_argument("code", metavar="CODE", help="mã bộ tiêu chí, hoặc đường dẫn tệp .toml (set code, or a .toml file path)")
    show.set_defaults(handler=_criteria_show)
    check = criteria_commands.add_parser(
        "check", help="kiểm tra tệp bộ tiêu chí: mọi lỗi kèm dòng và mã tiêu chí (check set files: every problem with its line and criterion)",
        description="Kiểm tra từng tệp .toml: mọi lỗi và cảnh báo kèm số dòng và mã tiêu chí; mã thoát 1 nếu có lỗi "
        "(check each .toml file: every error and warning with its line and criterion; exit 1 on any error).",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="tệp .toml (a .toml file)")
    check.set_defaults(handler=_criteria_check)
    diff = criteria_commands.add_parser(
        "diff", help="so sánh hai phiên bản, theo từng tiêu chí (compare two versions, criterion by criterion)",
    )
    diff.add_argument("old", metavar="OLD", help="mã bộ tiêu chí hoặc tệp .toml (a set code or .toml file)")
    diff.add_argument("new", metavar="NEW", help="mã bộ tiêu chí hoặc tệp .toml (a set code or .toml file)")
    diff.set_defaults(handler=_criteria_diff)
    export = criteria_commands.add_parser(
        "export", help="xuất một bộ tiêu chí ra bảng tính hoặc TOML (export a set as a workbook or TOML)",
    )
    export.add_argument("code", metavar="CODE", help="mã bộ tiêu chí hoặc tệp .toml (a set code or .toml file)")
    export.add_argument("--format", choices=("xlsx", "toml"), default="xlsx", help="xlsx (mặc định) hoặc toml (default: xlsx)")
    export.add_argument("--output", "-o", metavar="PATH", help="tệp ghi ra (mặc định: CODE.xlsx / CODE.toml) (the file to write)")
    export.set_defaults(handler=_criteria_export)
    import_set = criteria_commands.add_parser(
        "import", help="đọc bảng tính bộ tiêu chí, ghi tệp TOML (read a set workbook, write TOML)",
        description="Đọc bảng tính do lệnh export tạo ra (đã sửa), kiểm tra và ghi tệp TOML; có lỗi thì không ghi gì "
        "(read a workbook made by export, check it and write TOML; on any error nothing is written).",
    )
    import_set.add_argument("file", metavar="FILE.xlsx", help="bảng tính .xlsx (an .xlsx workbook)")
    import_set.add_argument("--output", "-o", metavar="PATH", help="tệp .toml ghi ra (mặc định: màn hình) (the .toml to write; default: stdout)")
    import_set.set_defaults(handler=_criteria_import)

    units = commands.add_parser("units", help="đơn vị hành chính (administrative units)", description="Đơn vị hành chính từ gói dữ liệu vietnamadminunits (administrative units from the vietnamadminunits data package).")
    units_commands = units.add_subparsers(dest="units_command", metavar="ACTION", required=True)
    load = units_commands.add_parser(
        "load", help="nạp tỉnh, huyện, xã và ánh xạ sau sắp xếp 2025; chạy lại không đổi gì (load units and the 2025 mapping; idempotent)",
    )
    load.add_argument("--old-province", default="83", metavar="CODE", help="mã tỉnh trước 1/7/2025 (province code before 1 July 2025; default 83, Bến Tre)")
    load.add_argument("--new-province", default="86", metavar="CODE", help="mã tỉnh từ 1/7/2025 (province code from 1 July 2025; default 86, Vĩnh Long)")
    load.set_defaults(handler=_units_load)

    demo = commands.add_parser(
        "demo", help="nạp dữ liệu mô phỏng để trình diễn và in tài khoản đăng nhập (load synthetic demo data, print logins)",
        description="Nạp đơn vị hành chính, người dùng mô phỏng cho mọi vai trò và hồ sơ của mọi xã Bến Tre 2021–2025 "
        "và Vĩnh Long 2026 (sau sắp xếp, không còn cấp huyện) ở mọi bước quy trình, ghi rõ là dữ liệu mô phỏng; in tài khoản và mật khẩu (sinh từ SECRET_KEY). "
        "Chạy lại không tạo thêm gì. (Load units, demo people for every role and synthetic assessments of every "
        "Bến Tre commune 2021–2025 and Vĩnh Long commune 2026 (merged, no district level) at every workflow step, labelled synthetic; print the logins, whose passwords "
        "derive from SECRET_KEY. Running it again creates nothing.)",
    )
    demo.add_argument("--seed", type=int, default=2021, help="hạt giống của số liệu mô phỏng (seed of the synthetic values; default 2021)")
    demo.set_defaults(handler=_demo)

    serve = commands.add_parser(
        "serve", help="chạy máy chủ web (gunicorn) của sản phẩm (run the product's web server)",
        description="Phục vụ sản phẩm bằng gunicorn. Tệp tĩnh phải được thu thập trước, một lần cho mỗi lần cài đặt "
        "hoặc nâng cấp (smartcommune collectstatic). (Serve the product with gunicorn. Static files must be collected "
        "beforehand, once per install or upgrade: smartcommune collectstatic.)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (address to listen on; default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="cổng (port; default 8000)")
    serve.add_argument("--workers", type=int, default=None, help="số tiến trình (worker processes; default: number of CPU cores, at least 2)")
    serve.add_argument(
        "--timeout", type=int, default=None, metavar="SECONDS",
        help="yêu cầu chạy quá số giây này thì tiến trình phục vụ nó bị thay (a request running longer than this "
        "many seconds ends: its worker is replaced; default 60)",
    )
    serve.add_argument(
        "--control-socket", metavar="PATH", default=None,
        help="socket điều khiển gunicorn (gunicornc) của phiên bản này, hoặc none để tắt (this instance's gunicorn "
        "control socket, or none for no socket; default SMARTCOMMUNE_VAR_DIR/run/gunicorn-PORT.ctl)",
    )
    serve.set_defaults(handler=_serve)

    collectstatic = commands.add_parser(
        "collectstatic", help="thu thập tệp tĩnh, một lần cho mỗi lần cài đặt hoặc nâng cấp (collect static files, once per install or upgrade)",
        description="Chép và nén tệp tĩnh (CSS, biểu tượng, htmx, Swagger UI) vào SMARTCOMMUNE_VAR_DIR/static kèm bảng kê; "
        "smartcommune serve cần bảng kê này. (Copy and compress the static files into SMARTCOMMUNE_VAR_DIR/static with "
        "their manifest, which smartcommune serve needs.)",
    )
    collectstatic.set_defaults(handler=_collectstatic)

    import_ = commands.add_parser(
        "import", help="nhập mẫu Excel đã điền hoặc CSV dạng dài vào cơ sở dữ liệu (import a filled template or a long CSV)",
        description="Đọc và kiểm tra mọi ô của tệp, in phần xem trước (cũ → mới, kết quả từng tiêu chí, lĩnh vực và xã), "
        "rồi ghi tất cả trong một giao dịch có nhật ký; tệp có lỗi thì không ghi gì và liệt kê mọi lỗi theo trang, dòng, "
        "cột. (Check every cell, print the preview — old → new, each criterion's, field's and the commune's result — then "
        "write everything in one audited transaction; a file with any problem writes nothing and lists every problem by "
        "sheet, row and column.)",
    )
    import_.add_argument("file", metavar="FILE", help="tệp .xlsx (mẫu nhập liệu) hoặc .csv dạng dài (an .xlsx entry template or a long .csv)")
    import_.add_argument("--user", required=True, metavar="USERNAME", help="người nhập, được kiểm tra quyền như trên web và ghi vào nhật ký (who imports: checked like on the web, written in the audit log)")
    import_.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước, không ghi gì (check and preview only; write nothing)")
    import_.add_argument("--round", type=int, metavar="ID", help="chỉ nhập vào đợt đánh giá có mã số này (import into this round only)")
    import_.add_argument("--criteria-set", metavar="CODE", default=None, help="bộ tiêu chí để đọc tệp CSV (the set a CSV is read against; default: the round's, or ben-tre-2021-2025)")
    import_.set_defaults(handler=_import)

    template = commands.add_parser(
        "template", help="xuất mẫu nhập liệu Excel (trống hoặc có số liệu) hoặc CSV dạng dài của một đợt (export an entry template or the long CSV of a round)",
        description="Xuất mẫu nhập liệu cho các xã của một đợt mà người dùng được xem (hoặc một xã với --unit). "
        "(Export an entry template for the round's communes the user may see, or one commune with --unit.)",
    )
    template.add_argument("--round", type=int, required=True, metavar="ID", help="mã số đợt đánh giá (the round's id)")
    template.add_argument("--user", required=True, metavar="USERNAME", help="người dùng; chỉ xuất hồ sơ người này được xem (only assessments this user may see)")
    template.add_argument("--unit", metavar="CODE", help="chỉ một xã, theo mã ĐVHC (one commune only, by its GSO code)")
    template.add_argument("--prefill", action="store_true", help="điền sẵn số liệu hiện tại (pre-fill the current values; always so for csv)")
    template.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="xlsx: mẫu Excel; csv: CSV dạng dài (xlsx: the Excel template; csv: the long CSV; default xlsx)")
    template.add_argument("--output", "-o", required=True, metavar="PATH", help="tệp ghi ra (the file to write)")
    template.set_defaults(handler=_template)

    backup = commands.add_parser(
        "backup", help="sao lưu cơ sở dữ liệu và tệp đã tải lên vào một tệp (back up the database and the uploaded files into one archive)",
        description="Ghi một tệp .tar gồm cơ sở dữ liệu (PostgreSQL: pg_dump; SQLite: API sao lưu trực tuyến), mọi tệp "
        "minh chứng trong kho tệp và bảng kê (mã kiểm tra SHA-256, số dòng từng bảng, ngày tạo, loại cơ sở dữ liệu, phiên "
        "bản). Chạy được khi hệ thống đang phục vụ. (Write a .tar archive with the database — PostgreSQL: pg_dump; SQLite: "
        "the online backup API —, every evidence file of the storage and a manifest: SHA-256 checksums, rows per table, "
        "creation date, database vendor, version. Safe while the product is serving.)",
    )
    backup.add_argument(
        "--output", "-o", metavar="PATH", default=None,
        help="tệp ghi ra, hoặc thư mục để đặt tệp có tên theo thời điểm (the archive to write, or a directory for a "
        "time-stamped one; default: SMARTCOMMUNE_VAR_DIR/backups/smartcommune-YYYYMMDD-HHMMSS.tar)",
    )
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore", help="khôi phục cơ sở dữ liệu và tệp từ một bản sao lưu (restore the database and files from a backup)",
        description="Kiểm tra toàn bộ tệp sao lưu theo bảng kê trước khi thay đổi bất cứ gì (tệp hỏng hoặc thiếu thì từ "
        "chối), rồi thay cơ sở dữ liệu trong một giao dịch và chép lại các tệp. Hãy dừng máy chủ trước. (Check the whole "
        "archive against its manifest before changing anything — a damaged or incomplete one is refused —, then replace "
        "the database in one transaction and put the files back. Stop the server first.)",
    )
    restore.add_argument("archive", metavar="PATH", help="tệp do smartcommune backup tạo ra (an archive written by smartcommune backup)")
    restore.add_argument(
        "--force", action="store_true",
        help="cho phép ghi đè cơ sở dữ liệu và kho tệp đang có dữ liệu (allow replacing a database and storage that "
        "already hold data; without it such a restore is refused)",
    )
    restore.set_defaults(handler=_restore)

    migrate = commands.add_parser("migrate", help="tạo hoặc cập nhật cấu trúc cơ sở dữ liệu (create or update the database schema)")
    migrate.set_defaults(handler=_migrate)

    manage = commands.add_parser(
        "manage", add_help=False,
        help="chạy một lệnh quản trị Django, ví dụ createsuperuser (run a Django management command)",
    )
    manage.add_argument("args", nargs=argparse.REMAINDER, help="lệnh và tham số (command and its arguments)")
    manage.set_defaults(handler=_manage)
    return parser


def _criteria_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--criteria-set", metavar="CODE", default=None,
        help="mã bộ tiêu chí có sẵn hoặc đường dẫn tệp .toml (a shipped set's code or a .toml path; default: ben-tre-2021-2025)",
    )


MAX_JOBS = 64
"""The most processes ``--jobs`` takes: each is a process holding the file's bytes and two
temporary files, so a larger number only costs memory and time."""


def _jobs(text: str) -> int:
    """``--jobs``: a whole number from 1 to :data:`MAX_JOBS`; the message never echoes more
    than a few characters of what was given (it may be megabytes long)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_JOBS):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise argparse.ArgumentTypeError(
            f"cần một số nguyên từ 1 đến {MAX_JOBS}, không phải {shown!r} (a whole number from 1 to {MAX_JOBS} expected)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except _Refused:
        return EXIT_REFUSED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_REFUSED


# -- handlers: parse, call, render ----------------------------------------


def _criteria_dir() -> str | None:
    """The administrator's directory of sets (``SMARTCOMMUNE_CRITERIA_DIR``), if set."""
    from smartcommune.criteria.registry import ENV_DIR

    return os.environ.get(ENV_DIR, "").strip() or None


def _load_set(code: str | None):
    from smartcommune.criteria.loader import CriteriaFileError
    from smartcommune.criteria.registry import UnknownCriteriaSet, get_criteria_set

    try:
        return get_criteria_set(code, directory=_criteria_dir())
    except (CriteriaFileError, UnknownCriteriaSet) as exc:
        print(exc, file=sys.stderr)
        return None


def _evaluate(args: argparse.Namespace) -> int:
    criteria_set = _load_set(args.criteria_set)
    if criteria_set is None:
        return EXIT_REFUSED
    # A national file makes millions of small objects and no reference cycles:
    # the cyclic collector would only rescan them, costing a fifth of the run.
    collecting = gc.isenabled()
    gc.disable()
    with _terminated_as_exit():
        try:
            return _evaluate_file(args, criteria_set)
        finally:
            # The interpreter's last collection at exit would still go over every object the
            # run left (a fifth of a second for a national file); frozen, they are left alone.
            # A caller in the same process (a script, a test) then has its collector back.
            gc.freeze()
            if collecting:
                gc.enable()


@contextmanager
def _terminated_as_exit():
    """SIGTERM (``kill``, ``timeout``, a service stopping) ends the command the way Ctrl-C
    does, through every ``finally``: the output being written is removed and the worker
    processes are ended, instead of the process vanishing and leaving them."""

    def terminated(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _evaluate_file(args: argparse.Namespace, criteria_set) -> int:
    from smartcommune.exchange import parallel, results

    listing = results.LISTINGS.get(args.format)
    jobs = args.jobs or parallel.automatic_jobs(args.file)
    if listing is None or jobs == 1:
        units = _read_units(args, criteria_set)  # a refused file opens no output
        with _output(args.output) as out:
            _write_evaluations(args, criteria_set, units, out)
        return 0
    # The processes write straight into the output, so it is opened first; when they cannot
    # (a file for the careful reader), one process reads and writes as above.
    with _output(args.output) as out:
        if not parallel.write_in_parts(args.file, criteria_set, listing, jobs, out):
            _write_evaluations(args, criteria_set, _read_units(args, criteria_set), out)
    return 0


def _read_units(args: argparse.Namespace, criteria_set) -> list:
    """The commune-years of the file, or :class:`_Refused` with every problem on stderr."""
    from smartcommune.exchange.long_csv import LongCsvError, read_long_csv

    try:
        return read_long_csv(args.file, criteria_set)
    except FileNotFoundError:
        print(f"Không tìm thấy tệp {args.file} (file not found).", file=sys.stderr)
        raise _Refused from None
    except OSError as exc:  # a directory, no permission
        print(f"Không đọc được tệp {args.file}: {exc.strerror} (cannot read the file).", file=sys.stderr)
        raise _Refused from None
    except LongCsvError as exc:
        print(
            f"Không đánh giá: {len(exc.problems)} lỗi trong {exc.file} "
            f"(not evaluated: {len(exc.problems)} problem(s) in {exc.file})",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print("  " + problem.describe(exc.file), file=sys.stderr)
        raise _Refused from None


def _write_evaluations(args: argparse.Namespace, criteria_set, units: list, out) -> None:
    from smartcommune.criteria.engine import evaluate_valid
    from smartcommune.exchange import results

    evaluations = (
        evaluate_valid(criteria_set, u.inputs, unit_code=u.unit_code, year=u.year) for u in units
    )
    write = {"json": results.write_json, "csv": results.write_csv, "table": results.write_table}[args.format]
    write(evaluations, out)


@contextmanager
def _output(path: str | None):
    """The stream to write the result to: stdout, a device or pipe as it is, or a file
    written beside ``path`` and renamed onto it once complete (removed on any failure);
    :class:`_Refused`, said on stderr, when it cannot be opened or written (a full disk).
    A reader of stdout going away is left to :func:`main`."""
    if path is None:
        try:
            yield sys.stdout
        except BrokenPipeError:
            raise
        except OSError as exc:
            print(f"Không ghi được kết quả: {exc.strerror} (cannot write the result).", file=sys.stderr)
            raise _Refused from None
        return
    target = Path(path)
    try:
        special = target.exists() and not target.is_file()
    except OSError as exc:  # a name too long, a loop of links: exists() lets these through
        _cannot_write(target, exc)
    if special:
        # A device or pipe (/dev/null, /dev/stdout): write straight to it;
        # renaming over it would replace the device with a regular file.
        try:
            with _opened(target, target, "w") as out:
                yield out
        except BrokenPipeError:
            raise
        except OSError as exc:
            _cannot_write(target, exc)
        return
    # Write beside the target and rename, so a failed run never leaves half a file.
    partial = target.with_name(target.name + ".partial")
    try:
        # Open for reading too: the processes of a large file map it (exchange.parallel).
        with _opened(partial, target, "w+") as out:
            yield out
        os.replace(partial, target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # writing, closing or renaming: a full disk, a quota
            _cannot_write(target, exc)
        raise


def _opened(path: Path, target: Path, mode: str):
    """``path`` opened in ``mode`` for writing the result meant for ``target`` (named if it fails)."""
    try:
        return open(path, mode, encoding="utf-8", newline="")
    except OSError as exc:
        _cannot_write(target, exc)


def _cannot_write(target: Path, exc: OSError) -> NoReturn:
    print(f"Không ghi được tệp {target}: {exc.strerror} (cannot write the file).", file=sys.stderr)
    raise _Refused from None


def _criteria_list(args: argparse.Namespace) -> int:
    from smartcommune.criteria.registry import DEFAULT_CODE, available_sets
    from smartcommune.criteria.wording import rule_text

    for entry in available_sets(_criteria_dir()):
        s = entry.criteria_set
        origin = "" if entry.origin == "package" else f" [thư mục {entry.path.parent}]"
        if s is None:
            print(f"{entry.code}{origin} — KHÔNG HỢP LỆ (invalid), {len(entry.errors)} lỗi:")
            for finding in entry.errors:
                print(f"    {finding.describe()}")
            continue
        default = " (mặc định)" if s.code == DEFAULT_CODE else ""
        print(f"{s.code}{default}{origin}\n  {s.name}\n  {s.period_start}–{s.period_end}, {len(s.groups)} lĩnh vực, "
              f"{len(s.criteria)} tiêu chí, công nhận khi {rule_text(s)}\n  {s.document}")
    return 0


def _set_source(code_or_path: str) -> tuple[str, bytes] | None:
    """(name, bytes) of a set given by code (package or directory) or by file path."""
    from smartcommune.criteria.registry import find_entry

    path = Path(code_or_path)
    if not path.is_file():
        entry = find_entry(code_or_path, _criteria_dir())
        if entry is None:
            print(f"Không có tệp hay bộ tiêu chí {code_or_path!r} (no such file or set).", file=sys.stderr)
            return None
        path = entry.path
    try:
        return str(path), path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được {path}: {exc.strerror} (cannot read).", file=sys.stderr)
        return None


def _print_report(report, *, quiet_ok: bool = False) -> None:
    out = sys.stdout if report.ok else sys.stderr
    for finding in report.findings:
        print(f"{report.source}: {finding.describe()}", file=out)
    if report.ok and not quiet_ok:
        print(f"{report.source}: hợp lệ, {len(report.warnings)} cảnh báo (valid, {len(report.warnings)} warning(s))")
    elif not report.ok:
        print(f"{report.source}: KHÔNG HỢP LỆ, {len(report.errors)} lỗi (invalid, {len(report.errors)} error(s))", file=sys.stderr)


def _criteria_check(args: argparse.Namespace) -> int:
    from smartcommune.criteria.check import check_bytes

    status = 0
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{name}: lỗi: không đọc được tệp: {exc.strerror} (cannot read the file)", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        report = check_bytes(data, source=name, expected_code=path.stem)
        _print_report(report)
        status = status or (0 if report.ok else EXIT_REFUSED)
    return status


def _checked_set(code_or_path: str):
    """(text, report) of a valid set given by code or path; ``None`` (reasons printed) otherwise."""
    from smartcommune.criteria.check import check_bytes

    source = _set_source(code_or_path)
    if source is None:
        return None
    report = check_bytes(source[1], source=source[0])
    if not report.ok:
        _print_report(report)
        return None
    return source[1].decode("utf-8-sig"), report


def _criteria_diff(args: argparse.Namespace) -> int:
    import tomllib

    from smartcommune.criteria.diff import diff_documents

    checked = [_checked_set(given) for given in (args.old, args.new)]
    if None in checked:
        return EXIT_REFUSED
    changes = diff_documents(*(tomllib.loads(text) for text, _ in checked))
    for change in changes:
        print(change.describe())
    print(f"{len(changes)} thay đổi ({len(changes)} change(s))")
    return 0


def _criteria_export(args: argparse.Namespace) -> int:
    from smartcommune.criteria.spreadsheet import xlsx_bytes

    checked = _checked_set(args.code)
    if checked is None:
        return EXIT_REFUSED
    text, report = checked
    code = report.criteria_set.code
    data = xlsx_bytes(text) if args.format == "xlsx" else text.encode("utf-8")
    target = args.output or f"{code}.{args.format}"
    with _output_bytes(target) as out:
        out.write(data)
    print(f"Đã ghi {target} (written).")
    return 0


def _criteria_import(args: argparse.Namespace) -> int:
    from smartcommune.criteria.check import check_text
    from smartcommune.criteria.spreadsheet import SpreadsheetError, toml_from_xlsx

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"Không đọc được {args.file}: {exc.strerror} (cannot read).", file=sys.stderr)
        return EXIT_REFUSED
    try:
        text = toml_from_xlsx(data)
    except SpreadsheetError as exc:
        print(f"{args.file}: không nhập được (not imported):", file=sys.stderr)
        for vi, en in exc.problems:
            print(f"  {vi} ({en})", file=sys.stderr)
        return EXIT_REFUSED
    report = check_text(text, source=args.file)
    _print_report(report, quiet_ok=args.output is None)
    if not report.ok:
        return EXIT_REFUSED
    if args.output is None:
        sys.stdout.write(text)
    else:
        with _output(args.output) as out:
            out.write(text)
    return 0


@contextmanager
def _output_bytes(path: str):
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        out = open(partial, "wb")
    except OSError as exc:
        _cannot_write(target, exc)
    try:
        with out:
            yield out
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)


def _criteria_show(args: argparse.Namespace) -> int:
    from smartcommune.criteria.describe import describe_set

    criteria_set = _load_set(args.code)
    if criteria_set is None:
        return EXIT_REFUSED
    print(describe_set(criteria_set))
    return 0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    import django

    django.setup()


def _units_load(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("load_units", old_province=args.old_province, new_province=args.new_province)
    return 0


def _demo(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("demo", seed=args.seed)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _serve(args: argparse.Namespace) -> int:
    _django()
    from smartcommune.serve import DEFAULT_TIMEOUT, StaticFilesMissing, default_workers, serve

    try:
        serve(host=args.host, port=args.port, workers=args.workers or default_workers(),
              timeout=args.timeout or DEFAULT_TIMEOUT, control_socket=args.control_socket)
    except StaticFilesMissing as exc:
        print(f"Chưa thu thập tệp tĩnh (thiếu {exc}): chạy `smartcommune collectstatic` một lần sau mỗi lần cài "
              f"đặt hoặc nâng cấp, rồi chạy lại lệnh này. (Static files are not collected — {exc} is missing: run "
              "`smartcommune collectstatic` once after each install or upgrade, then run this again.)", file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _collectstatic(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return 0


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        print(f"Không có người dùng đang hoạt động tên {username!r} (no active user {username!r}).", file=sys.stderr)
    return user


def _import(args: argparse.Namespace) -> int:
    _django()
    from smartcommune.imports.actions import do_import
    from smartcommune.imports.exceptions import ImportRefused
    from smartcommune.imports.preview import build_preview, describe
    from smartcommune.imports.sources import max_bytes, read_upload, too_large
    from smartcommune.rounds.exceptions import RoundError
    from smartcommune.rounds.models import Round

    user = _user(args.user)
    if user is None:
        return EXIT_REFUSED
    round_ = None
    if args.round is not None:
        round_ = Round.objects.select_related("province").filter(pk=args.round).first()
        if round_ is None:
            print(f"Không có đợt đánh giá mã số {args.round} (no round {args.round}).", file=sys.stderr)
            return EXIT_REFUSED
    path = Path(args.file)
    try:
        size = path.stat().st_size
        # Refused before reading, like the web.
        data = None if size > max_bytes() else path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp {args.file}: {exc.strerror} (cannot read the file).", file=sys.stderr)
        return EXIT_REFUSED
    try:
        if data is None:
            raise too_large(path.name, size)
        code = args.criteria_set or (round_.criteria_set_code if round_ else None)
        plan = read_upload(data, path.name, criteria_set_code=code)
        preview = build_preview(plan, user, round_=round_)
    except ImportRefused as exc:
        print(f"{exc.vi} ({exc.en})", file=sys.stderr)
        for problem in exc.problems:
            print("  " + problem.describe(), file=sys.stderr)
        return EXIT_REFUSED
    print(describe(preview))
    if args.dry_run:
        print("Chạy thử (--dry-run): không ghi gì (dry run: nothing written).")
        return 0
    if not preview.communes:
        print("Không có thay đổi nào, không ghi gì (nothing changes; nothing written).")
        return 0
    try:
        result = do_import(actor=user, changes=preview.changes(), versions=preview.versions, file_name=path.name)
    except RoundError as exc:
        print(f"Không nhập gì: {exc.vi} (nothing imported: {exc.en})", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Đã nhập {result.values} giá trị của {result.assessments} hồ sơ, {result.audit_entries} dòng nhật ký "
          f"(imported {result.values} value(s) of {result.assessments} assessment(s)).")
    return 0


def _template(args: argparse.Namespace) -> int:
    _django()
    from smartcommune.exchange.long_csv import write_long_csv
    from smartcommune.imports import selectors
    from smartcommune.imports.template import build_template
    from smartcommune.rounds.models import Round

    user = _user(args.user)
    if user is None:
        return EXIT_REFUSED
    round_ = Round.objects.select_related("province").filter(pk=args.round).first()
    assessments = selectors.template_assessments(user, round_) if round_ is not None else []
    if args.unit:
        assessments = [a for a in assessments if a.unit.code == args.unit]
    if not assessments:
        print("Không có hồ sơ nào người dùng này được xem trong đợt/xã đã chọn "
              "(no assessment this user may see in that round/commune).", file=sys.stderr)
        return EXIT_REFUSED
    if args.format == "csv":
        with _output(args.output) as out:
            write_long_csv(selectors.unit_years_of(assessments), round_.criteria_set, out,
                           extra={"ten_don_vi": {a.unit.code: a.unit.name for a in assessments}})
        return 0
    values = selectors.template_values(assessments) if args.prefill else None
    data = build_template(round_, assessments, values=values, synthetic=selectors.is_synthetic(round_))
    partial = Path(args.output + ".partial")
    partial.write_bytes(data)
    os.replace(partial, args.output)
    return 0


def _backup_output(path: str | None) -> Path:
    from datetime import datetime

    from django.conf import settings

    name = f"smartcommune-{datetime.now():%Y%m%d-%H%M%S}.tar"
    if path is None:
        return Path(settings.VAR_DIR) / "backups" / name
    target = Path(path)
    return target / name if target.is_dir() else target


def _print_refusal(exc) -> None:
    print(f"{exc.vi} ({exc.en})", file=sys.stderr)
    for problem in exc.problems:
        print("  " + problem, file=sys.stderr)


def _backup(args: argparse.Namespace) -> int:
    _django()
    from smartcommune.core.backup import BackupError, backup

    try:
        summary = backup(_backup_output(args.output))
    except BackupError as exc:
        _print_refusal(exc)
        return EXIT_REFUSED
    print(f"Đã sao lưu vào {summary.path}: {summary.vendor}, {len(summary.tables)} bảng, {summary.rows} dòng, "
          f"{summary.files} tệp, {summary.size} byte (backed up to {summary.path}).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    _django()
    from smartcommune.core.backup import BackupError, restore

    try:
        summary = restore(Path(args.archive), force=args.force)
    except BackupError as exc:
        _print_refusal(exc)
        return EXIT_REFUSED
    print(f"Đã khôi phục bản sao lưu {summary.created}: {len(summary.tables)} bảng, {summary.rows} dòng, "
          f"{summary.files} tệp (restored the backup of {summary.created}).")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.db import connection

    from smartcommune.results import caching

    if connection.vendor == "postgresql":
        # A migration may rewrite a large table: the request-sized statement timeout
        # (SMARTCOMMUNE_DB_STATEMENT_TIMEOUT) does not apply to it.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    call_command("migrate", interactive=False)
    # The shared caches are tables of the database (settings.CACHES) unless Redis is
    # configured; creating them is idempotent and a no-op for Redis.
    call_command("createcachetable")
    # An upgrade is a migrate: results pages of the previous release are not kept (their keys
    # name the release anyway).  Not on Redis, where clearing empties the whole database
    # number, which may hold more than this product's pages.
    if "redis" not in caching.cache().__class__.__module__:
        caching.clear()
    return 0


def _manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["smartcommune manage", *args.args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
