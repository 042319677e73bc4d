"""Two app servers on one database and one cache (issue 16 item 13): two ``smartcommune
serve`` processes on two loopback ports share the sign-ins (sessions in the database), and a
write through one is seen at once through the other -- including a results page the other
had kept in the shared cache."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from smartcommune.api.actions import do_create_token
from tests.imports.subprocess_db import ROOT, SubprocessDatabase
from tests.results.fixtures import results_world  # noqa: F401  (fixture)
from tests.rounds.fixtures import full_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, *, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Server:
    def __init__(self, db: SubprocessDatabase, var_dir, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "smartcommune.cli", "serve", "--port", str(self.port), "--workers", "2"],
            # The test settings are the production ones but for the static files' storage (no
            # compressing and hashing at start: minutes on a busy machine) and the key, which
            # must be this process's for its session to be valid there.
            cwd=ROOT, env=db.env(SMARTCOMMUNE_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="tests.settings",
                                 SECRET_KEY=settings.SECRET_KEY),
            stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped"
            try:
                if request(self.url + "/login/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{self.url} did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def kept_pages(db: SubprocessDatabase) -> int:
    sql = f"SELECT COUNT(*) FROM {settings.CACHES['results']['LOCATION']}"
    if db.sqlite_file is not None:
        with sqlite3.connect(db.sqlite_file) as file:
            return file.execute(sql).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def row_of(page: str, code: str) -> str:
    match = re.search(rf'<tr data-unit="{code}">.*?</tr>', page, re.S)
    assert match, code
    return match.group(0)


def test_a_write_through_one_server_is_seen_at_once_through_the_other(results_world, tmp_path):
    w, c = results_world.world, results_world.c
    # A signed-in secretariat (its session is a row of the database) and an officer's token.
    browser = Client()
    browser.force_login(w.secretariat)
    session = browser.cookies["sessionid"].value
    _, token = do_create_token(actor=w.officer_c, name="hai máy chủ")
    db = SubprocessDatabase(tmp_path)
    db.share()

    log = open(tmp_path / "servers.log", "w")
    # Each server has a folder of its own, as two hosts would: nothing may be shared there.
    servers = [Server(db, tmp_path / "var-a", log), Server(db, tmp_path / "var-b", log)]
    try:
        deadline = time.monotonic() + 240
        for server in servers:
            server.wait_ready(deadline)
        a, b = servers
        cookie = {"Cookie": f"sessionid={session}"}
        overview = "/results/83/2024/"

        # Server B computes the page and keeps it; reading it again serves the kept page.
        status, page = request(b.url + overview, headers=cookie)
        assert status == 200 and ">5/10<" in row_of(page, w.c.code)
        assert request(b.url + overview, headers=cookie)[1].count(">5/10<") == page.count(">5/10<")
        # Kept in the shared cache (a table of the database), not on server B's disk.
        assert kept_pages(db) > 0

        # Server A takes a write (the API, with the officer's token).
        status, body = request(f"{a.url}/api/v1/assessments/{c.pk}/values", method="PATCH",
                               body={"expected_version": c.version, "values": full_values()},
                               headers={"Authorization": f"Bearer {token}"})
        assert status == 200, body
        version = json.loads(body)["version"]

        # Server B shows it at once: the assessment, and the results page it had kept.
        status, body = request(f"{b.url}/api/v1/assessments/{c.pk}", headers={"Authorization": f"Bearer {token}"})
        assert status == 200 and json.loads(body)["version"] == version
        status, page = request(b.url + overview, headers=cookie)
        assert status == 200 and ">10/10<" in row_of(page, w.c.code)
        # And server A, which never rendered the page, serves the same.
        status, page_a = request(a.url + overview, headers=cookie)
        assert status == 200 and ">10/10<" in row_of(page_a, w.c.code)
    finally:
        for server in servers:
            server.stop()
        log.close()
