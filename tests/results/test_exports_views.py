"""The export views: who may download what, 404s, methods, file names and types."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.results.test_exports_world import exports_world, mark_synthetic, world  # noqa: F401

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def province_url(name, code="83", year=2024):
    return reverse(f"exports:{name}", args=(code, year))


def scorecard_url(name, unit, year=2024):
    return reverse(f"exports:{name}", args=(unit.pk, year))


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def summary_codes(content: bytes) -> set[str]:
    """The unit codes listed on the workbook's summary sheet."""
    sheet = load_workbook(io.BytesIO(content))["Tổng hợp"]
    header = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "STT")
    return {sheet.cell(row=r, column=2).value for r in range(header + 1, sheet.max_row + 1)
            if isinstance(sheet.cell(row=r, column=1).value, int)}


def test_urls_are_the_contract():
    assert province_url("province_xlsx") == "/exports/83/2024/ket-qua.xlsx"
    assert province_url("province_pdf").startswith("/exports/83/2024/")
    assert province_url("open_data_csv").endswith(".csv")
    assert province_url("open_data_json").endswith(".json")
    assert reverse("exports:scorecard_xlsx", args=(7, 2024)) == "/exports/xa/7/2024/phieu-ket-qua.xlsx"
    assert reverse("exports:scorecard_pdf", args=(7, 2024)).endswith(".pdf")


# Who sees which communes of the 2024 round (A and B published, C submitted, in D2).
PROVINCE_SCOPES = {
    "anonymous": {"28756", "28759"},
    "officer_a": {"28756", "28759"},
    "officer_c": {"28756", "28759", "28801"},
    "district1": {"28756", "28759"},
    "district2": {"28756", "28759", "28801"},
    "agency": {"28756", "28759", "28801"},
    "secretariat": {"28756", "28759", "28801"},
    "admin": {"28756", "28759", "28801"},
}


def viewer(w, name):
    if name == "anonymous":
        return None
    return w.verifiers["SYT"] if name == "agency" else getattr(w, name)


@pytest.mark.parametrize("who", PROVINCE_SCOPES)
def test_province_workbook_is_scoped_like_the_overview(client, exports_world, who):
    response = get(client, viewer(exports_world, who), province_url("province_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert summary_codes(response.content) == PROVINCE_SCOPES[who]


@pytest.mark.parametrize("who", ["anonymous", "officer_b", "district2", "agency", "secretariat"])
def test_province_pdf_for_every_role(client, exports_world, who):
    response = get(client, viewer(exports_world, who), province_url("province_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


# Who may download the scorecard of the unpublished C (officer of another commune,
# reviewer of another district and the public may not).
C_SCORECARD = {
    "anonymous": 404, "officer_a": 404, "district1": 404,
    "officer_c": 200, "district2": 200, "agency": 200, "secretariat": 200, "admin": 200,
}


@pytest.mark.parametrize("name", ["scorecard_xlsx", "scorecard_pdf"])
@pytest.mark.parametrize("who", C_SCORECARD)
def test_scorecard_of_an_unpublished_commune(client, exports_world, who, name):
    response = get(client, viewer(exports_world, who), scorecard_url(name, exports_world.c))
    assert response.status_code == C_SCORECARD[who]


@pytest.mark.parametrize("name", ["scorecard_xlsx", "scorecard_pdf"])
@pytest.mark.parametrize("who", ["anonymous", "officer_c", "district2", "agency", "secretariat"])
def test_a_published_scorecard_is_public(client, exports_world, who, name):
    response = get(client, viewer(exports_world, who), scorecard_url(name, exports_world.a))
    assert response.status_code == 200
    assert response["Content-Type"] == (XLSX if name.endswith("xlsx") else "application/pdf")


def test_nothing_visible_is_404(client, world):
    """A round with nothing published: the public gets 404 for the province exports."""
    from tests.rounds.fixtures import open_round

    open_round(world, year=2024)
    for name in ("province_xlsx", "province_pdf"):
        assert get(client, None, province_url(name)).status_code == 404
        assert get(client, world.secretariat, province_url(name)).status_code == 200
    # The open data of a round with nothing published yet is empty, not missing.
    csv_lines = get(client, None, province_url("open_data_csv")).content.decode().splitlines()
    assert csv_lines == ["unit_code,year,criterion,numerator,denominator,met,unit_name,criteria_set,synthetic"]
    assert json.loads(get(client, world.secretariat, province_url("open_data_json")).content) == []


@pytest.mark.parametrize("name", ["province_xlsx", "province_pdf", "open_data_csv", "open_data_json"])
def test_unknown_province_or_year_is_404(client, exports_world, name):
    assert get(client, exports_world.secretariat, province_url(name, code="99")).status_code == 404
    assert get(client, exports_world.secretariat, province_url(name, year=1999)).status_code == 404


@pytest.mark.parametrize("name", ["province_xlsx", "province_pdf", "open_data_csv", "open_data_json"])
def test_year_without_a_round_is_404(client, exports_world, name):
    assert get(client, exports_world.secretariat, province_url(name, year=2022)).status_code == 404


@pytest.mark.parametrize("name", ["scorecard_xlsx", "scorecard_pdf"])
def test_unknown_unit_or_year_is_404(client, exports_world, name):
    w = exports_world
    assert get(client, w.secretariat, reverse(f"exports:{name}", args=(999_999, 2024))).status_code == 404
    assert get(client, w.secretariat, scorecard_url(name, w.d1)).status_code == 404  # a district, not a commune
    assert get(client, w.secretariat, scorecard_url(name, w.a, year=2022)).status_code == 404


def test_district_filter(client, exports_world):
    w = exports_world
    response = get(client, w.secretariat, province_url("province_xlsx") + "?district=831")
    assert summary_codes(response.content) == {"28801"}
    assert get(client, w.secretariat, province_url("province_xlsx") + "?district=000").status_code == 404
    # The filter narrows what the viewer may see, never widens it.
    assert summary_codes(get(client, None, province_url("province_xlsx") + "?district=831").content) == set()
    assert get(client, w.secretariat, province_url("province_pdf") + "?district=829").status_code == 200


@pytest.mark.parametrize("name", ["province_xlsx", "province_pdf", "open_data_csv", "open_data_json"])
def test_get_only(client, exports_world, name):
    client.force_login(exports_world.secretariat)
    assert client.post(province_url(name)).status_code == 405


def test_open_data_is_the_same_for_everyone_and_published_only(client, exports_world):
    w = exports_world
    for name in ("open_data_csv", "open_data_json"):
        bodies = {get(client, viewer(w, who), province_url(name)).content for who in PROVINCE_SCOPES}
        assert len(bodies) == 1
        body = bodies.pop().decode()
        assert "28756" in body and "28759" in body and "28801" not in body


def test_file_names_and_types(client, exports_world):
    w = exports_world
    response = get(client, None, province_url("province_xlsx"))
    name = "Kết quả xã thông minh Tỉnh Bến Tre 2024.xlsx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Ket-qua-xa-thong-minh-Tinh-Ben-Tre-2024.xlsx\"; filename*=UTF-8''{quote(name)}")
    response = get(client, None, province_url("open_data_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    response = get(client, None, province_url("open_data_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    response = get(client, None, scorecard_url("scorecard_pdf", w.a))
    assert quote("Phiếu kết quả Phường Phú Khương 2024.pdf") in response["Content-Disposition"]


def test_synthetic_round_in_every_file_name(client, exports_world):
    w = exports_world
    mark_synthetic(w.round_2024)
    for url in (province_url("province_xlsx"), province_url("province_pdf"), province_url("open_data_csv"),
                province_url("open_data_json"), scorecard_url("scorecard_xlsx", w.a), scorecard_url("scorecard_pdf", w.a)):
        disposition = get(client, None, url)["Content-Disposition"]
        assert "mo-phong" in disposition and quote("mô phỏng") in disposition, url


def test_province_exports_make_a_bounded_number_of_queries(client, exports_world):
    """More communes do not mean more queries (the overview, values and marks are read in bulk)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.results.test_exports_world import publish

    w = exports_world

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert get(client, None, province_url(name)).status_code == 200
        return len(captured)

    before = {name: queries(name) for name in ("province_xlsx", "province_pdf", "open_data_csv", "open_data_json")}
    publish(w, w.draft_c, w.officer_c, w.district2, recognised=False, submitted=True)
    after = {name: queries(name) for name in before}
    assert all(after[name] <= before[name] for name in before), (before, after)
