"""The assessment page's summary speaks in the set's words: its recognition name, points and
levels for a set that scores, and stays as it was for Bến Tre."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from smartcommune.rounds.actions import do_open_round
from tests.rounds.fixtures import assessment_of, open_round, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]


def test_a_set_in_points_shows_points_levels_and_its_own_verdict(client, world):
    round_ = do_open_round(actor=world.admin, criteria_set_code="chuyen-doi-so-cap-xa-2026", year=2026,
                           province=world.vl, submission_deadline=date(2026, 3, 1),
                           review_deadline=date(2026, 4, 1), verification_deadline=date(2026, 5, 1))
    assert round_.criteria_hash
    client.force_login(world.secretariat_vl)
    response = client.get(reverse("rounds:assessment", args=[assessment_of(round_, world.x).pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-points="0.00"' in page and "0,00/100,00 điểm" in page
    assert "Chưa đạt (thiếu 50,00 điểm)" in page or "Chưa đạt (thiếu 50.00 điểm)" in page
    assert "Mức tiếp theo — Mức Trung bình" in page
    assert "xã thông minh" not in page.split('id="summary"')[1].split("</section>")[0]


def test_ben_tre_summary_is_unchanged(client, world):
    round_ = open_round(world)
    client.force_login(world.secretariat)
    page = client.get(reverse("rounds:assessment", args=[assessment_of(round_, world.a).pk])).content.decode()
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "Chưa đạt (thiếu 7 lĩnh vực)" in summary
    assert "điểm" not in summary and "Mức tiếp theo" not in summary and "chưa đủ dữ liệu" not in summary
