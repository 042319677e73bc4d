"""Where a PDF's words are, read back with poppler's ``pdftotext -bbox`` (Debian's
poppler-utils): every word's box on its page, to check that nothing leaves the page and
nothing is printed over something else."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

# Boxes that touch by less than this (in points) do not overlap: glyph boxes of adjacent
# lines share their edges, and rounding makes them graze.
TOLERANCE = 0.8


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pages(pdf: bytes) -> list[Page]:
    """The words of every page of ``pdf``, with the page's size (points)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True).stdout
    root = ElementTree.fromstring(html.replace(b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                                               b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">', b""))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    result = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        words = [Word(number, w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                      float(w.get("yMax"))) for w in page.findall("x:word", ns)]
        result.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return result


def off_page(page: Page) -> list[Word]:
    """Words of ``page`` not wholly on it."""
    return [w for w in page.words
            if w.x0 < -TOLERANCE or w.y0 < -TOLERANCE or w.x1 > page.width + TOLERANCE or w.y1 > page.height + TOLERANCE]


def overlaps(page: Page) -> list[tuple[Word, Word]]:
    """Pairs of words of ``page`` whose boxes overlap by more than :data:`TOLERANCE` both ways."""
    words = sorted(page.words, key=lambda w: w.x0)
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.x0 >= a.x1 - TOLERANCE:
                break
            if min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE and min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE:
                found.append((a, b))
    return found


def layout_problems(pdf: bytes) -> list[str]:
    """Every word off its page and every pair of overlapping words, described; empty when
    the layout is clean."""
    problems = []
    for page in pages(pdf):
        problems += [f"trang {page.number}: '{w.text}' ra ngoài trang ({w.x0:.0f},{w.y0:.0f})-({w.x1:.0f},{w.y1:.0f})"
                     for w in off_page(page)]
        problems += [f"trang {page.number}: '{a.text}' đè lên '{b.text}' tại ({b.x0:.0f},{b.y0:.0f})"
                     for a, b in overlaps(page)]
    return problems


def page_text(page: Page) -> str:
    return " ".join(w.text for w in page.words)
