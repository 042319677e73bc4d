"""What a kept public results page costs the server per request, next to ``/login/``.

    .venv/bin/python bench/kept_hits.py --database-url sqlite:////tmp/bench-national.sqlite3 --year 2023
    .venv/bin/python bench/kept_hits.py --database-url postgres://postgres@127.0.0.1:5432/h_bench --year 2023

On a database loaded by ``bench/load_national.py`` (then ``smartcommune migrate``, which
creates the results cache's table, and ``smartcommune collectstatic``, which the pages'
links need), asks each page of ``overview_load.py`` in-process with Django's test client
as a browser does (``Accept-Encoding: gzip, br``, not signed in): a few times to keep it,
then once counting the queries (``CaptureQueriesContext``), then ``--requests`` times
measuring the CPU of this process (``time.process_time``: unlike latency, hardly changed by
other processes on the machine; the database server's own CPU is not in it).  A kept page
should cost no more than ``/login/`` (a template, no query): what remains per request is the
data stamp (one query) and the stored compressed bytes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from overview_load import _configure, choose, targets_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--province", help="province code (default as overview_load.py)")
    parser.add_argument("--year", type=int, help="default: the province's latest fully published year")
    parser.add_argument("--requests", type=int, default=300, help="requests measured per page (300)")
    args = parser.parse_args(argv)
    _configure(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    round_, year = choose(args.province, args.year)
    client = Client(HTTP_ACCEPT_ENCODING="gzip, br")
    print(f"{connection.vendor}, {round_.province.name} {year}, {args.requests} requests per page, "
          f"load average {open('/proc/loadavg').read().split()[0]}")
    print("| page | status | sent | encoding | queries | CPU mean | CPU median |\n|---|---:|---:|:-:|---:|---:|---:|")
    for path in ["/login/"] + [t.path for t in targets_for(round_, year)]:
        for _ in range(3):
            client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        queries = len(ctx.captured_queries)
        cpu = []
        for _ in range(args.requests):
            start = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - start) * 1000)
        print(f"| `{path}` | {response.status_code} | {len(response.content) / 1024:.1f} KiB | "
              f"{response.get('Content-Encoding', '—')} | {queries} | {statistics.mean(cpu):.2f} ms | "
              f"{statistics.median(cpu):.2f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
