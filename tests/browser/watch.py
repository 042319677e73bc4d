"""What went wrong on a page while a browser test drove it.

`watch(page)` returns a list that fills as the page runs: every response of 400 or more,
every request that failed, every script error (and, with ``console=True``, every console
error; with ``local_only=True``, every request that leaves the test server).  A test asserts
the list is empty at the end of its journey.
"""

from __future__ import annotations

from playwright.sync_api import Page, Request

LOCAL = ("http://localhost", "http://127.0.0.1", "data:")


def abandoned(request: Request) -> bool:
    """True for a request the browser itself gave up because the page moved on (a favicon
    still loading when the next link is clicked): not a failure of the product."""
    return request.failure == "net::ERR_ABORTED"


def watch(page: Page, *, console: bool = False, local_only: bool = False) -> list[str]:
    broken: list[str] = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: None if abandoned(r) else broken.append(f"failed {r.url}: {r.failure}"))
    page.on("pageerror", lambda e: broken.append(f"script error: {e}"))
    if console:
        page.on("console", lambda m: broken.append(f"console: {m.text}") if m.type == "error" else None)
    if local_only:
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else broken.append(f"outside request {r.url}"))
    return broken
