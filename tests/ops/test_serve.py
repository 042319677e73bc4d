"""``smartcommune serve`` as an operator runs it: it does not collect static files (it says
what to run when they are missing), two instances on one host each have their own gunicorn
control socket, and a stuck request ends at ``--timeout``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts gunicorn in subprocesses

ROOT = Path(__file__).resolve().parents[2]
GUNICORNC = Path(sys.executable).with_name("gunicornc")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SMARTCOMMUNE_VAR_DIR=str(var_dir), SECRET_KEY="s" * 50, PYTHONPATH=str(ROOT))
    return env


def smartcommune(var_dir: Path, *args: str, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "smartcommune.cli", *args], cwd=var_dir, env=env_for(var_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_until_serving(url: str, process, deadline: float = 120) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert process.poll() is None, process.stdout.read()
        try:
            get(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_does_not_collect_static_files_and_says_what_to_run(tmp_path):
    process = smartcommune(tmp_path, "serve", "--port", str(free_port()), "--workers", "1")
    try:
        output, _ = process.communicate(timeout=120)
    finally:
        stop(process)
    assert process.returncode == 1
    assert "smartcommune collectstatic" in output and "Chưa thu thập tệp tĩnh" in output
    assert not (tmp_path / "static" / "staticfiles.json").exists()


@pytest.fixture
def var_dir(tmp_path):
    """A migrated SQLite install whose static files count as collected (an empty manifest:
    collecting takes minutes on a loaded machine, and /healthz needs no static file)."""
    migrate = smartcommune(tmp_path, "migrate")
    assert migrate.wait(timeout=300) == 0, migrate.stdout.read()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": ""}))
    return tmp_path


def test_two_instances_on_one_host_have_their_own_control_sockets(var_dir):
    ports = [free_port(), free_port()]
    servers = [smartcommune(var_dir, "serve", "--port", str(p), "--workers", "1") for p in ports]
    try:
        for port, server in zip(ports, servers):
            wait_until_serving(f"http://127.0.0.1:{port}/healthz", server)
            assert get(f"http://127.0.0.1:{port}/healthz") == 200
        for port, server in zip(ports, servers):
            socket_path = var_dir / "run" / f"gunicorn-{port}.ctl"
            deadline = time.monotonic() + 30
            while not socket_path.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            stats = subprocess.run([str(GUNICORNC), "-s", str(socket_path), "-c", "show stats", "-j"],
                                   capture_output=True, text=True, timeout=30)
            assert stats.returncode == 0, stats.stdout + stats.stderr
            assert json.loads(stats.stdout)["pid"] == server.pid  # each socket reaches its own master
    finally:
        for server in servers:
            stop(server)


def test_a_stuck_request_ends_at_the_timeout_and_the_worker_is_replaced(tmp_path):
    port = free_port()
    script = (
        "from smartcommune.serve import _Server\n"
        "from tests.ops.stuck_app import application\n"
        f"_Server(application, {{'bind': '127.0.0.1:{port}', 'workers': 1, 'threads': 4, 'timeout': 2,\n"
        "    'worker_class': 'smartcommune.serve.RequestTimeoutWorker', 'control_socket_disable': True}).run()\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env_for(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", server)
        start = time.monotonic()
        with pytest.raises(OSError) as ended:  # the connection is closed, not answered
            get(f"http://127.0.0.1:{port}/stuck", timeout=60)
        assert not isinstance(ended.value, TimeoutError)
        assert time.monotonic() - start < 30
        wait_until_serving(f"http://127.0.0.1:{port}/", server)
        assert get(f"http://127.0.0.1:{port}/") == 200
    finally:
        stop(server)
