"""Django's ``{# … #}`` comment ends at the end of its line: one spread over several lines is
printed on the page as text.  Longer comments use ``{% comment %}``."""

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
