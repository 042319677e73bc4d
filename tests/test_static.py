"""The production static path: collectstatic writes the manifest that pages need.

The rest of the suite renders with plain storage (tests/settings.py); this test
keeps the production storage honest, as `smartcommune serve` uses it.
"""

import pytest
from django.core.management import call_command

from smartcommune import settings as production


@pytest.mark.slow  # collectstatic hashes and compresses the product's static files
@pytest.mark.django_db
def test_pages_render_with_hashed_static_files_after_collectstatic(settings, tmp_path, client):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = production.STORAGES
    # The product's own files only: Django admin's and ninja's (≈ 10 MB) go through the same
    # storage and would only make the compression take two minutes.
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "ninja"])

    page = client.get("/").content.decode()

    css = [line for line in page.splitlines() if "site." in line and ".css" in line]
    assert css and "site.css" not in css[0], "the stylesheet link should carry a content hash"
    href = css[0].split('href="')[1].split('"')[0]
    assert (tmp_path / "static" / href.removeprefix("/static/")).is_file()
