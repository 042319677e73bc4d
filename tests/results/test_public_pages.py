"""What the public results pages say around the results: the province's number of
communes on the index, the national total, and every page's footer with the owner, the
contact and the accessibility statement."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from tests.results.test_views import get, text
from tests.rounds.fixtures import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_index_says_how_many_communes_the_province_has(client, results_world):
    page = text(get(client, None, reverse("results:index")))
    rows = re.findall(r"<tr>\s*<td>(\d{4})</td>.*?province-communes\">(\d+)</td>.*?class=\"num published\">(\d+)",
                      page, re.S)
    # Bến Tre has A, B, C in 2024; in 2023 also the commune abolished at the year's end.
    # Published: A in 2024; A and B in 2023.
    assert rows == [("2024", "3", "1"), ("2023", "4", "2")]
    assert "Số xã của tỉnh" in page and "Bạn xem được" not in page
    signed_in = text(get(client, results_world.world.secretariat, reverse("results:index")))
    assert "Bạn xem được" in signed_in


def test_national_total_row_has_every_column(client, results_world):
    page = text(get(client, None, reverse("results:national", args=[2023])))
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", total)
    assert len(cells) == 5 and all(c.strip() for c in cells), cells
    # A (10 fields) and B (5) published in 2023: 2 communes, 1 smart, average 7,5.
    assert [c.strip() for c in cells][:4] == ["2", "2", "1", "1"]


@pytest.mark.parametrize("name", ["results:index", "accessibility", "login"])
def test_every_page_names_its_owner_and_links_the_accessibility_statement(client, settings, results_world, name):
    settings.SMARTCOMMUNE_OWNER = "Sở Thử Nghiệm tỉnh Bến Tre"
    settings.SMARTCOMMUNE_CONTACT_EMAIL = "lienhe@example.vn"
    settings.SMARTCOMMUNE_CONTACT_PHONE = "0275 382 2222"
    page = text(get(client, None, reverse(name)))
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S).group(1)
    assert "Cơ quan chủ quản: Sở Thử Nghiệm tỉnh Bến Tre" in footer
    assert 'href="mailto:lienhe@example.vn"' in footer and 'href="tel:02753822222"' in footer
    assert f'href="{reverse("accessibility")}"' in footer


def test_accessibility_statement(client, results_world):
    page = text(get(client, None, reverse("accessibility")))
    assert "<h1>Tuyên bố về khả năng tiếp cận</h1>" in page
    assert "WCAG 2.1" in page and "Những hạn chế đã biết" in page


@pytest.mark.skipif(bool(os.environ.get("SMARTCOMMUNE_OWNER", "").strip()), reason="the owner is configured here")
def test_without_a_configured_owner_a_vinh_long_officer_reads_vinh_long_s_department(client, world):
    """Bến Tre has been part of Vĩnh Long since 1 July 2025: the default owner is Vĩnh Long's
    department, never Bến Tre's, on a Vĩnh Long officer's file and on the public pages."""
    from datetime import date

    from smartcommune.rounds.actions import do_open_round
    from tests.rounds.fixtures import assessment_of

    round_ = do_open_round(actor=world.admin, criteria_set_code="chuyen-doi-so-cap-xa-2026", year=2026,
                           province=world.vl, submission_deadline=date(2026, 3, 1),
                           review_deadline=date(2026, 4, 1), verification_deadline=date(2026, 5, 1))
    for viewer, url in ((world.officer_x, reverse("rounds:assessment", args=[assessment_of(round_, world.x).pk])),
                        (None, reverse("accessibility"))):
        page = text(get(client, viewer, url))
        footer = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S).group(1)
        assert "Cơ quan chủ quản: Sở Khoa học và Công nghệ tỉnh Vĩnh Long" in footer, url
        assert "Bến Tre" not in footer
