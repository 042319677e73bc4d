"""One rule for evidence, every channel (issue 16, 6).

Publication makes a result public, not its evidence: whoever may not open the evidence
(``permissions.may_open_evidence``: anonymous visitors, another commune's officer) sees
what each item is -- its kind, file name, document number -- but never its web address
nor a link to its file, on the scorecard (web, PDF, Excel), the assessment page, the
history page, and in the API's assessment detail, history and edit conflicts.  The
commune's own officer sees both.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from smartcommune.rounds.actions import do_add_evidence
from tests.api.conftest import ApiClient, token_for
from tests.results.test_exports_world import publish, save
from tests.rounds.fixtures import assessment_of, full_values, open_round, world  # noqa: F401
from tests.rounds.test_uploads import tiny_pdf

pytestmark = pytest.mark.django_db

URL = "https://kho.example.vn/bi-mat/danh-sach-ho-ngheo.xlsx"
FILE_NAME = "danh-sach-ho.pdf"
DOCUMENT = "45/BC-UBND"


@pytest.fixture
def pub(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    a = save(assessment_of(open_round(w, year=2024), w.a), w.officer_a, full_values())
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.2", kind="link", url=URL)
    w.file = do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.2", kind="file",
                             file=SimpleUploadedFile(FILE_NAME, tiny_pdf()))
    do_add_evidence(actor=w.officer_a, assessment=a, criterion_code="1.3", kind="document", document_number=DOCUMENT)
    w.pub = publish(w, a, w.officer_a, w.district1, recognised=True)
    w.download = reverse("rounds:evidence_download", args=(w.file.pk,))
    return w


def page(user, url) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        links = [str(a.get_object().get("/A", {}).get("/URI", "")) for p in reader.pages for a in p.get("/Annots", [])]
        # Without white space: a long name or address is wrapped across lines.
        return "".join("".join(p.extract_text() for p in reader.pages).split()) + "\n".join(links)
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value)
    return response.content.decode()


def hidden(text: str, w) -> None:
    assert URL not in text and "bi-mat" not in text
    assert w.download not in text and f"/evidence/{w.file.pk}/" not in text


def shown(text: str, w) -> None:
    assert URL in text


def web_urls(w):
    return {
        "scorecard": reverse("results:scorecard", args=(w.a.pk, 2024)),
        "scorecard_pdf": reverse("exports:scorecard_pdf", args=(w.a.pk, 2024)),
        "scorecard_xlsx": reverse("exports:scorecard_xlsx", args=(w.a.pk, 2024)),
        "assessment": reverse("rounds:assessment", args=(w.pub.pk,)),
        "history": reverse("rounds:assessment_history", args=(w.pub.pk,)),
    }


@pytest.mark.parametrize("channel", ["scorecard", "scorecard_pdf", "scorecard_xlsx"])
def test_public_pages_say_what_the_evidence_is_not_where(pub, channel):
    text = page(None, web_urls(pub)[channel])
    hidden(text, pub)
    assert FILE_NAME in text and DOCUMENT in text


@pytest.mark.parametrize("channel", ["scorecard", "scorecard_pdf", "scorecard_xlsx", "assessment", "history"])
def test_another_communes_officer_sees_no_address(pub, channel):
    text = page(pub.officer_b, web_urls(pub)[channel])
    hidden(text, pub)
    assert FILE_NAME in text


@pytest.mark.parametrize("channel", ["scorecard", "assessment", "history"])
def test_the_communes_officer_sees_the_addresses(pub, channel):
    text = page(pub.officer_a, web_urls(pub)[channel])
    shown(text, pub)


def api_get(user, name, pk):
    client = ApiClient(token_for(user) if user is not None else None)
    response = client.get(reverse(f"api:v1:{name}", args=(pk,)))
    assert response.status_code == 200
    return response.json()


def test_api_detail_anonymous_sees_what_not_where(pub):
    body = api_get(None, "assessment_detail", pub.pub.pk)
    items = {e["kind"]: e for e in body["evidence"]}
    assert items["link"]["link"] is None and items["file"]["download_url"] is None
    assert items["file"]["original_name"] == FILE_NAME and items["document"]["document_number"] == DOCUMENT
    hidden(json.dumps(body), pub)


def test_api_detail_other_officer_and_own_officer(pub):
    hidden(json.dumps(api_get(pub.officer_b, "assessment_detail", pub.pub.pk)), pub)
    items = {e["kind"]: e for e in api_get(pub.officer_a, "assessment_detail", pub.pub.pk)["evidence"]}
    assert items["link"]["link"] == URL and items["file"]["download_url"].endswith(pub.download)


def test_api_history(pub):
    other = api_get(pub.officer_b, "assessment_history", pub.pub.pk)
    added = [r["new_value"] for r in other["results"] if r["action"] == "evidence_added"]
    assert {v["kind"] for v in added} == {"link", "file", "document"}
    assert [v["url"] for v in added if v["kind"] == "link"] == [None]
    hidden(json.dumps(other), pub)
    shown(json.dumps(api_get(pub.officer_a, "assessment_history", pub.pub.pk)), pub)


def test_api_edit_conflict_of_someone_who_may_not_open_the_evidence(pub):
    """The version is checked first: the conflict's list of changes follows the rule too."""
    client = ApiClient(token_for(pub.officer_b))
    response = client.patch(reverse("api:v1:assessment_values", args=(pub.pub.pk,)),
                            {"expected_version": 1, "values": {"1.2": {"numerator": 1}}})
    assert response.status_code == 409, response.content
    hidden(response.content.decode(), pub)


def test_web_save_conflict_of_someone_who_may_not_open_the_evidence(pub):
    """A stale save lists the changes since (evidence added among them): no address."""
    client = Client()
    client.force_login(pub.officer_b)
    response = client.post(reverse("rounds:assessment_save", args=(pub.pub.pk,)),
                           {"expected_version": 1, "numerator-1.2": "5", "denominator-1.2": "10"})
    assert response.status_code == 409
    text = response.content.decode()
    assert FILE_NAME in text  # the change list is there
    hidden(text, pub)
