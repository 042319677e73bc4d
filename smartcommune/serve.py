"""``smartcommune serve``: the product behind gunicorn, a production WSGI server.

Static files are collected first and served by WhiteNoise from the same
process, so one command is enough on a single machine; behind a reverse proxy
the same command works unchanged.
"""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


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


def serve(*, host: str, port: int, workers: int) -> None:
    """Collect static files, then serve until interrupted."""
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("collectstatic", interactive=False, verbosity=0)
    application = get_wsgi_application()
    _preload()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "accesslog": "-",
        "errorlog": "-",
        # Preloading fails fast on a broken configuration, before forking.
        "preload_app": True,
    }
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
