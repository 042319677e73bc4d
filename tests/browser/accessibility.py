"""The automated accessibility check of the browser tests: axe-core run in the page.

axe-core comes from the npm registry, pinned in ``tests/browser/axe/package-lock.json`` and
installed by ``scripts/test`` (``npm ci --prefix tests/browser/axe``); nothing is fetched
from the network while the tests run.  The engine is evaluated in the page through the
DevTools protocol (``page.evaluate``), which the product's strict Content-Security-Policy
does not govern -- a ``<script>`` tag added to the page (``add_script_tag``) would be
refused by it, and relaxing the policy for the test (``bypass_csp``) would check a page the
product never serves.

``assert_no_serious_axe_violations(page)`` fails the test on any violation whose impact is
*serious* or *critical*, naming each rule, its help text and the elements it found;
*minor* and *moderate* findings are reported by ``axe_violations`` but do not fail.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

FAILING_IMPACTS = frozenset({"serious", "critical"})

# WCAG 2.1 A and AA, and axe's best practices.
RUN_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run `npm ci --prefix tests/browser/axe` (scripts/test does it).",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Every axe violation of the page as it is now: rule id, impact, help, nodes."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # The file is a classic script (an IIFE): as an expression it defines window.axe.
        page.evaluate(_axe_source() + "\n;undefined")
    return page.evaluate("options => window.axe.run(document, options).then(r => r.violations)", RUN_OPTIONS)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page: Page) -> None:
    """Fail when axe finds a serious or critical violation on the page as it is now."""
    serious = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    assert not serious, f"axe-core on {page.url}:\n{describe(serious)}"
