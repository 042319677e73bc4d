"""PDF machinery: a Django template rendered to A4 by WeasyPrint, offline.

Fonts come from the system (Debian's ``fonts-dejavu-core``: DejaVu Sans and DejaVu
Serif cover Vietnamese), found by fontconfig; nothing is fetched. The URL fetcher
refuses every URL that is not inline (``data:``) or one of the exports' own files, so a
template can never make the server reach the network. Charts are inline SVG
(:mod:`smartcommune.results.charts`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string

# WeasyPrint logs every step at INFO (already while importing, for its own stylesheets);
# the server log needs only its warnings. Set before the import for that reason.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

# The print stylesheet lives with the app's static files, which the package ships.
ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "smartcommune" / "exports"
STYLESHEET = ASSETS_DIR / "pdf.css"


class LocalOnlyFetcher(URLFetcher):
    """Fetches ``data:`` URLs and the exports' own files (:data:`ASSETS_DIR`); refuses
    everything else."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(ASSETS_DIR):
                return super().fetch(url, headers)
        raise ValueError(f"Không tải tài nguyên ngoài khi tạo PDF (refused non-local URL): {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered with ``context`` and the exports' print stylesheet, as PDF bytes."""
    html = render_to_string(template_name, context)
    fetcher = LocalOnlyFetcher()
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
