"""A province's own templates: checked on upload (unknown placeholders named, in
Vietnamese; not a Word file; a template that does not render), kept in the database, used
for the province's documents, put back to the shipped one; the secretariat only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from smartcommune.documents import contexts
from smartcommune.documents import templates as docx_templates
from smartcommune.documents.actions import do_replace_template
from smartcommune.documents.kinds import KINDS
from smartcommune.documents.models import DocumentTemplate
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from tests.documents.test_documents import docx_text, documents_world, get  # noqa: F401
from tests.results.test_exports_world import exports_world, world  # noqa: F401

pytestmark = pytest.mark.django_db


def template(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("code", sorted(KINDS))
def test_shipped_templates_pass_their_own_check(code):
    kind = KINDS[code]
    assert docx_templates.problems(kind, kind.shipped.name, kind.shipped.read_bytes(), contexts.sample(kind)) == []


def test_unknown_placeholders_are_named(documents_world):
    w = documents_world
    content = template("{{ so_ky_hieu }}", "{{ ten_xa_sai }} và {{ so_lieu_la }}")
    with pytest.raises(ValidationFailed) as refused:
        do_replace_template(actor=w.secretariat, province=w.bt, kind_code="to-trinh-huyen", file_name="mau.docx",
                            content=content)
    message = refused.value.vi
    assert "Tệp “mau.docx”" in message and "so_lieu_la, ten_xa_sai" in message and "Tờ trình của huyện" in message
    assert "so_ky_hieu" in message  # in the list of the names it may use
    assert "so_lieu_la" in refused.value.en
    assert not DocumentTemplate.objects.exists()  # nothing kept


@pytest.mark.parametrize("content, words", [
    (b"not a zip", "không phải tệp Word"),
    (None, "cú pháp"),
    ("row", "không dựng được văn bản"),
])
def test_bad_templates_are_refused_with_a_reason(documents_world, content, words):
    w = documents_world
    if content is None:
        content = template("{{ so_ky_hieu ")
    elif content == "row":
        content = template("{%p for r in xa %}", "{{ r.khong_co }}", "{%p endfor %}")
    with pytest.raises(ValidationFailed) as refused:
        do_replace_template(actor=w.secretariat, province=w.bt, kind_code="to-trinh-huyen", file_name="x.docx",
                            content=content)
    assert words in refused.value.vi
    assert not DocumentTemplate.objects.exists()


def test_a_replaced_template_is_used_then_put_back(client, documents_world):
    w = documents_world
    content = template("{{ co_quan_1 }} {{ co_quan_2 }}", "MẪU CỦA TỈNH: {{ so_ky_hieu }}",
                       "{%p for r in xa %}", "{{ r.ten }}: {{ r.so_linh_vuc_dat }}", "{%p endfor %}")
    client.force_login(w.secretariat)
    response = client.post(reverse("documents:template_upload", args=(w.round_2024.pk,)),
                           {"kind": "to-trinh-huyen", "file": SimpleUploadedFile("mau-tinh.docx", content)})
    assert response.status_code == 302
    kept = DocumentTemplate.objects.get()
    assert (kept.file_name, bytes(kept.content), kept.uploaded_by) == ("mau-tinh.docx", content, w.secretariat)
    text = docx_text(get(client, w.district1, "district_proposal", w.round_2024.pk, w.d1.pk, "docx").content)
    assert "MẪU CỦA TỈNH: Số: …/TTr-UBND" in text and "Phường Phú Tân: 6/10 (cần 7)" in text
    # The page lists the province's template; it downloads as uploaded.
    client.force_login(w.secretariat)
    assert "mau-tinh.docx" in client.get(reverse("documents:round", args=(w.round_2024.pk,))).content.decode()
    assert client.get(reverse("documents:template", args=(w.round_2024.pk, "to-trinh-huyen"))).content == content
    # Put back: the shipped template again, the history kept.
    client.post(reverse("documents:template_upload", args=(w.round_2024.pk,)), {"kind": "to-trinh-huyen", "reset": "1"})
    assert DocumentTemplate.objects.count() == 2
    text = docx_text(get(client, w.district1, "district_proposal", w.round_2024.pk, w.d1.pk, "docx").content)
    assert "MẪU CỦA TỈNH" not in text and "TỜ TRÌNH" in text


def test_an_upload_refused_on_the_page_says_why(client, documents_world):
    w = documents_world
    client.force_login(w.secretariat)
    response = client.post(reverse("documents:template_upload", args=(w.round_2024.pk,)),
                           {"kind": "bien-ban-tham-dinh", "file": SimpleUploadedFile("sai.docx", template("{{ abc }}"))},
                           follow=True)
    assert "dùng trường không có trong mẫu “Biên bản thẩm định”: abc" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("who", ["district1", "officer_a", "nobody", "secretariat_vl"])
def test_only_the_province_secretariat_replaces_templates(client, documents_world, who):
    w = documents_world
    user = getattr(w, who)
    with pytest.raises(NotAllowed):
        do_replace_template(actor=user, province=w.bt, kind_code="to-trinh-huyen", file_name="m.docx",
                            content=template("{{ so_ky_hieu }}"))
    client.force_login(user)
    response = client.post(reverse("documents:template_upload", args=(w.round_2024.pk,)),
                           {"kind": "to-trinh-huyen", "file": SimpleUploadedFile("m.docx", template("x"))})
    assert response.status_code == 404
    assert client.get(reverse("documents:template", args=(w.round_2024.pk, "to-trinh-huyen"))).status_code == 404
    assert not DocumentTemplate.objects.exists()


def test_the_documents_page_lists_what_the_viewer_may_take(client, documents_world):
    w = documents_world
    url = reverse("documents:round", args=(w.round_2024.pk,))
    client.force_login(w.officer_b)
    page = client.get(url).content.decode()
    assert reverse("documents:self_assessment", args=(w.pub_b.pk, "docx")) in page
    assert reverse("documents:self_assessment", args=(w.pub_a.pk, "docx")) not in page
    assert "Mẫu văn bản của tỉnh" not in page
    client.force_login(w.secretariat)
    page = client.get(url).content.decode()
    assert reverse("documents:appraisal_minutes", args=(w.session.pk, "pdf")) in page and "Mẫu văn bản" in page
    client.force_login(w.nobody)
    assert client.get(url).status_code == 404
