"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Fixtures
--------
``browser``     one headless chromium (``/usr/bin/chromium``) for all the tests of this
                package; Playwright never downloads a browser of its own.
``page``        a fresh context and page per test: 1280x900, locale ``vi-VN``.
``phone_page``  the same on a phone: 375x812, touch, mobile viewport handling.
``live_server`` pytest-django's: a real HTTP server in a thread, on the test database
                (it implies ``transactional_db``, so the tables are emptied after each
                test; load what a test needs inside the test).

Every test in this folder is marked ``browser`` and ``slow`` (``pytest -m browser`` / ``-m "not
browser"``).  A missing chromium fails the tests, it never skips them: ``scripts/test``
installs Debian's package first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"

# The machine has no network: without these chromium tries to reach Google's services
# (component updates, sync, field trials...).  --user-data-dir is not among them on
# purpose: Playwright refuses it in launch() and always starts chromium with a fresh
# temporary profile of its own, removed when the browser closes.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}

# Playwright waits at most this long for an element or a navigation (default 30 s).
TIMEOUT_MS = 10_000

_HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # tryfirst: before pytest's own -m selection looks at the markers.
    for item in items:
        if item.path.is_relative_to(_HERE):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(scripts/test does it when run as root).",
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio event loop in this (the main) thread for as
    # long as it is started, so Django sees "a running event loop" and raises
    # SynchronousOnlyOperation on any ORM call made here -- the test's own setup
    # (do_load_units()), pytest-django creating and flushing the test database.  The
    # documented workaround for pytest-django + Playwright is DJANGO_ALLOW_ASYNC_UNSAFE.
    # It is safe here: the test code is plain synchronous code, it only happens to share
    # its thread with Playwright's loop (the live server answers in its own thread).
    # It is set only while the browser is up, and the fixture is package-scoped rather
    # than session-scoped so that the loop (and the flag) are gone before the rest of
    # the suite runs: a loop left running would also break asyncio.run() and
    # async_to_sync() in the tests that come after this folder.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _page(browser: Browser, options: dict) -> Iterator[Page]:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, PHONE)
