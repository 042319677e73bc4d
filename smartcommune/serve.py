"""``smartcommune serve``: the product behind gunicorn, a production WSGI server.

Static files are served by WhiteNoise from the same process, so one command is enough
on a single machine; behind a reverse proxy the same command works unchanged.  They are
collected once per install or release (``smartcommune collectstatic``), never at start:
``serve`` only checks that the manifest is there and says what to run when it is not,
so a restart takes seconds.

Each instance gets its own gunicorn control socket (``--control-socket``; by default
``SMARTCOMMUNE_VAR_DIR/run/gunicorn-<port>.ctl``), so two instances on one host never
take over each other's socket.

A request running longer than ``--timeout`` seconds ends: the worker serving it stops
sending its heartbeat (:class:`RequestTimeoutWorker`) and gunicorn's master replaces it.
Database statements are bounded earlier by the statement timeout (settings.py).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

DEFAULT_TIMEOUT = 60
"""Seconds a request may run before its worker is replaced (``--timeout``)."""


class StaticFilesMissing(Exception):
    """collectstatic has not run for this install (the manifest is missing)."""


class _Server(BaseApplication):
    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


class RequestTimeoutWorker(ThreadWorker):
    """gunicorn's threaded worker whose heartbeat is no younger than its oldest request.

    The threaded worker's main loop keeps beating while a request thread is stuck, so
    gunicorn's ``timeout`` alone never ends a stuck request.  Here the heartbeat is set to
    the start of the oldest request still running: when that request has run longer than
    ``timeout``, the master kills and replaces the worker, as it does for a sync worker.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._running: dict[int, float] = {}
        self._running_lock = threading.Lock()

    def _track(self, handler, *args):
        key = threading.get_ident()
        with self._running_lock:
            self._running[key] = time.monotonic()
        try:
            return handler(*args)
        finally:
            with self._running_lock:
                self._running.pop(key, None)

    def handle_request(self, req, conn):
        return self._track(super().handle_request, req, conn)

    def handle_http2_request(self, req, conn, h2_conn):
        return self._track(super().handle_http2_request, req, conn, h2_conn)

    def notify(self):
        with self._running_lock:
            oldest = min(self._running.values(), default=None)
        if oldest is None:
            super().notify()
        else:
            # gunicorn keeps monotonic seconds in the heartbeat file's times.
            os.utime(self.tmp.fileno(), (oldest, oldest))


def check_static_files() -> None:
    """Raise :class:`StaticFilesMissing` unless collectstatic's manifest exists."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return  # a storage without a manifest serves the files where they are
    if not Path(settings.STATIC_ROOT, staticfiles_storage.manifest_name).is_file():
        raise StaticFilesMissing(str(Path(settings.STATIC_ROOT, staticfiles_storage.manifest_name)))


def default_control_socket(port: int) -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "run" / f"gunicorn-{port}.ctl"


def serve(*, host: str, port: int, workers: int, timeout: int = DEFAULT_TIMEOUT,
          control_socket: str | None = None) -> None:
    """Serve until interrupted.  ``control_socket``: a path, ``"none"`` to have none, or
    ``None`` for :func:`default_control_socket`.  Raises :class:`StaticFilesMissing`."""
    from django.core.wsgi import get_wsgi_application

    check_static_files()
    application = get_wsgi_application()
    _preload()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "worker_class": f"{__name__}.RequestTimeoutWorker",
        "timeout": timeout,
        "accesslog": "-",
        "errorlog": "-",
        # Preloading fails fast on a broken configuration, before forking.
        "preload_app": True,
    }
    if control_socket == "none":
        options["control_socket_disable"] = True
    else:
        path = Path(control_socket) if control_socket else default_control_socket(port)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        options["control_socket"] = str(path)
    _Server(application, options).run()


PRELOADED_TEMPLATES = ("base.html", "results/overview.html", "results/_overview_body.html",
                       "results/national.html", "results/_national_body.html")


def _preload() -> None:
    """Import every view (the URLconf, and with it WeasyPrint and the units source) in the
    master process, so the workers forked from it start ready instead of each paying about
    a second on its first request.  The results pages are not forgotten here: they are in
    the cache shared with the other servers, under keys naming the release
    (smartcommune/results/caching.py)."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns
    for name in PRELOADED_TEMPLATES:  # parsed once, in the master
        get_template(name)


def default_workers() -> int:
    return max(2, (os.cpu_count() or 1))
