"""Rules every template keeps.

Django's ``{# … #}`` comment ends at the end of its line: one spread over several lines is
printed on the page as text.  Longer comments use ``{% comment %}``.  A table on a page
scrolls inside its own box (``div.table-wrap``), so a wide one never widens the page.
"""

import re
from pathlib import Path

import pytest

import smartcommune

PACKAGE = Path(smartcommune.__file__).parent


def test_no_template_comment_spans_lines():
    open_comments = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert not open_comments, open_comments


@pytest.mark.django_db
def test_the_home_page_shows_no_template_comment(client):
    page = client.get("/").content.decode()
    assert "{#" not in page and "#}" not in page


def test_every_table_on_a_page_scrolls_in_its_own_box():
    """A survey's results table once made the whole page scroll sideways, on a phone and at
    1366 px.  PDF and export templates lay out paper, not a screen."""
    unwrapped = []
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        name = str(path.relative_to(PACKAGE))
        if "pdf" in name or "/exports/" in name:
            continue
        text = path.read_text(encoding="utf-8")
        for table in re.finditer(r"<table\b", text):
            before = text[:table.start()].rstrip()
            if not before[before.rfind("<"):].startswith('<div class="table-wrap'):
                unwrapped.append(f"{name}:{text.count(chr(10), 0, table.start()) + 1}")
    assert not unwrapped, unwrapped
