"""The suite's tiers.

Tests marked ``slow`` (the demo build, schemathesis, subprocesses, the browser; see
``markers`` in pyproject.toml) run first.  ``scripts/test`` spreads the suite over the
machine's cores (pytest-xdist, ``--dist loadfile``: a file's tests stay together, so a
module fixture such as the demo is built once); handing out the longest files first
keeps one core from being left alone with them at the end (``--no-loadscope-reorder``:
xdist would otherwise hand out the files with the most tests first, and a one-test file
such as the browser journey last).  The order of the tests inside a file does not change.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # trylast: after tests/browser/conftest.py has marked its tests.  sort() is stable.
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
