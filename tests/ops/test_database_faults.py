"""Faults of a real PostgreSQL server, provoked: a kept connection killed (as by a restart),
the server unreachable, a statement running too long.  Requests go through Django's real
WSGI handler (not the test client, which skips the request signals where kept connections
are checked)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from tests.ops.faults import database_unreachable

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)


def wsgi_get(path: str) -> tuple[int, dict, str]:
    """GET ``path`` through the production request cycle; (status, headers, body)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", QUERY_STRING="")
    environ["wsgi.input"] = io.BytesIO(b"")
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    response = WSGIHandler()(environ, start_response)
    body = b"".join(response).decode()
    response.close()  # sends request_finished, like a server
    return started["status"], started["headers"], body


@pytest.mark.django_db(transaction=True)
def test_a_killed_connection_costs_no_request():
    assert wsgi_get("/results/")[0] == 200
    assert connection.connection is not None, "the connection is kept between requests"
    pid = connection.connection.info.backend_pid
    with psycopg.connect(
        host=connection.settings_dict["HOST"], port=connection.settings_dict["PORT"],
        user=connection.settings_dict["USER"], dbname=connection.settings_dict["NAME"], autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    status, _, body = wsgi_get("/results/")
    assert status == 200, body[:500]
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_with_retry_after_and_a_vietnamese_page():
    with database_unreachable():
        status, headers, body = wsgi_get("/results/")
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "Hệ thống tạm thời gián đoạn" in body and 'class="site-header"' in body


def test_a_statement_running_too_long_is_cancelled(tmp_path):
    """SMARTCOMMUNE_DB_STATEMENT_TIMEOUT=1: a 5-second statement ends after about one second
    with Django's OperationalError (which the error pages answer as 503)."""
    script = (
        "import time, django\n"
        "django.setup()\n"
        "from django.db import connection, OperationalError\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    cursor.execute('SELECT pg_sleep(5)'); print('finished')\n"
        "except OperationalError as exc:\n"
        "    print('cancelled', round(time.monotonic() - start, 1))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "smartcommune.settings", "SECRET_KEY": "x" * 50,
           "SMARTCOMMUNE_DB_STATEMENT_TIMEOUT": "1", "PYTHONPATH": str(ROOT), "SMARTCOMMUNE_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    assert lines[0] == "1s"
    assert lines[1] == "cancelled" and float(lines[2]) < 3


@pytest.mark.django_db
def test_production_connections_are_checked_and_bounded():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_with_retry_after_when_the_database_is_unreachable(client):
    with database_unreachable():
        response = client.get("/api/v1/rounds")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"
