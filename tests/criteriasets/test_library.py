"""The criteria-set library on the web: upload, check, table, diff, make available, frozen by rounds."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smartcommune.criteria.registry import SETS_DIR, content_hash
from smartcommune.criteria.spreadsheet import xlsx_bytes
from smartcommune.criteriasets.actions import do_make_available, do_upload_set
from smartcommune.criteriasets.models import UploadedSet
from smartcommune.criteriasets.store import CriteriaSetChanged
from smartcommune.rounds.actions import do_open_round
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import Round
from tests.rounds.fixtures import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db]

BEN_TRE = (SETS_DIR / "ben-tre-2021-2025.toml").read_text(encoding="utf-8")
THRESHOLD_90_LINE = BEN_TRE.splitlines().index('threshold = "90"') + 1
NEW = BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "vinh-long-2026"', 1).replace(
    "period = { start = 2021, end = 2025 }", "period = { start = 2026, end = 2030 }", 1)
LIBRARY = reverse("criteriasets:library")
UPLOAD = reverse("criteriasets:upload")


def post_file(client, name: str, content: bytes):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def open_2026(world, code="vinh-long-2026"):
    return do_open_round(actor=world.admin, criteria_set_code=code, year=2026, province=world.vl,
                         submission_deadline=date(2026, 3, 1), review_deadline=date(2026, 4, 1),
                         verification_deadline=date(2026, 5, 1))


def test_only_secretariat_and_admin_reach_the_library(client, world):
    for user in (world.officer_a, world.district1, world.verifiers["SYT"], world.nobody):
        client.force_login(user)
        assert client.get(LIBRARY).status_code == 403
        assert post_file(client, "a.toml", NEW.encode()).status_code == 403
    assert not UploadedSet.objects.exists()
    client.logout()
    assert client.get(LIBRARY).status_code == 302
    for user in (world.secretariat, world.admin):
        client.force_login(user)
        assert client.get(LIBRARY).status_code == 200
    with pytest.raises(NotAllowed):
        do_upload_set(actor=world.officer_a, file_name="a.toml", data=NEW.encode())


def test_upload_check_table_and_make_available_for_new_rounds(client, world):
    client.force_login(world.secretariat)
    response = post_file(client, "vinh-long-2026.toml", NEW.encode())
    upload = UploadedSet.objects.get()
    assert response.status_code == 303 and response["Location"] == reverse("criteriasets:detail", args=[upload.pk])
    assert upload.sha256 == content_hash(NEW.encode()) and not upload.available
    page = client.get(response["Location"]).content.decode()
    assert "Hợp lệ, không có cảnh báo." in page
    assert "Tỷ lệ hộ gia đình có thiết bị thông minh" in page and "Sở Thông tin và Truyền thông" in page
    assert "Xã được công nhận khi đạt ít nhất 7/10 lĩnh vực." in page
    assert re.search(r"1\. [^<]+ \(đạt cả \d+ tiêu chí\)</th>", page)
    # Not offered to new rounds until made available.
    with pytest.raises(ValidationFailed):
        open_2026(world)
    response = client.post(reverse("criteriasets:make_available", args=[upload.pk]))
    assert response.status_code == 303
    upload.refresh_from_db()
    assert upload.available and upload.made_available_by == world.secretariat
    client.force_login(world.secretariat_vl)
    choices = [c for c, _ in client.get(reverse("rounds:round_open")).context["form"].fields["criteria_set_code"].choices]
    assert "vinh-long-2026" in choices
    round_ = open_2026(world)
    assert round_.criteria_hash == upload.sha256
    assert Round.objects.get(pk=round_.pk).criteria_set.code == "vinh-long-2026"
    assert round_.assessments.count() > 0


def test_invalid_upload_shows_lines_and_stores_nothing(client, world):
    client.force_login(world.secretariat)
    bad = NEW.replace('threshold = "90"', 'threshold = "190"', 1).replace("evidence =", "evidense =", 1)
    response = post_file(client, "v.toml", bad.encode())
    assert response.status_code == 422
    page = response.content.decode()
    assert f"dòng {THRESHOLD_90_LINE}, tiêu chí 1.2, điều kiện 1, khóa threshold: 190 nằm ngoài khoảng 0–100" in page
    assert "có phải ý bạn là &#x27;evidence&#x27;?" in page
    for name, content, needle in [
        ("v.txt", NEW.encode(), ".toml hoặc .xlsx"),
        ("v.toml", b"\xff\xfe", "UTF-8"),
        ("v.xlsx", b"PK junk", "không phải bảng tính"),
        ("v.toml", BEN_TRE.encode(), "có sẵn"),
    ]:
        response = post_file(client, name, content)
        assert response.status_code == 422 and needle in response.content.decode(), name
    assert not UploadedSet.objects.exists()


def test_problems_and_warnings_are_said_in_the_language_of_the_page(client, world, settings, tmp_path):
    """Vietnamese by default, English when chosen: never both on one line, as the command
    line (which speaks to both at once) says them."""
    settings.SMARTCOMMUNE_CRITERIA_DIR = str(tmp_path)
    (tmp_path / "hong.toml").write_text("[[groups]\n", encoding="utf-8")
    client.force_login(world.secretariat)
    bad = NEW.replace('threshold = "90"', 'threshold = "190"', 1)
    # Accepted with a warning: a condition that always holds.
    upload = do_upload_set(actor=world.admin, file_name="v.toml",
                           data=NEW.replace('threshold = "90"', 'threshold = "0"', 1).encode())
    vi = f"dòng {THRESHOLD_90_LINE}, tiêu chí 1.2, điều kiện 1, khóa threshold: 190 nằm ngoài khoảng 0–100"
    en = f"line {THRESHOLD_90_LINE}, criterion 1.2, condition 1, key threshold: 190 is outside 0–100"
    pages = {}
    for language in ("vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = [post_file(client, "v.toml", bad.encode()).content.decode(),
                           client.get(LIBRARY).content.decode(),
                           client.get(reverse("criteriasets:detail", args=[upload.pk])).content.decode()]
    refused, library, detail = pages["vi"]
    assert f"<li>{vi}</li>" in refused and "line " not in refused
    assert "<li>dòng 1: không đọc được TOML" in library and "not valid TOML" not in library
    assert f"Cảnh báo: dòng {THRESHOLD_90_LINE}, tiêu chí 1.2" in detail
    assert "luôn đạt" in detail and "always met" not in detail
    refused, library, detail = pages["en"]
    assert f"<li>{en}</li>" in refused and "dòng " not in refused and "nằm ngoài" not in refused
    assert "<li>line 1: not valid TOML" in library and "không đọc được TOML" not in library
    assert f"Warning: line {THRESHOLD_90_LINE}, criterion 1.2" in detail
    assert "always met" in detail and "luôn đạt" not in detail
    assert not UploadedSet.objects.exclude(pk=upload.pk).exists()


def test_a_workbook_upload_is_the_same_set(client, world):
    client.force_login(world.admin)
    assert post_file(client, "vinh-long-2026.xlsx", xlsx_bytes(NEW)).status_code == 303
    upload = UploadedSet.objects.get()
    assert upload.code == "vinh-long-2026"
    again = do_upload_set(actor=world.admin, file_name="x.xlsx", data=xlsx_bytes(NEW))
    assert again.pk == upload.pk  # same content, same row
    response = client.get(reverse("criteriasets:export", args=[upload.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('vinh-long-2026.xlsx"')


def test_a_set_used_by_a_round_is_frozen(client, world):
    first = do_upload_set(actor=world.admin, file_name="v.toml", data=NEW.encode())
    do_make_available(actor=world.admin, upload=first)
    round_ = open_2026(world)
    changed = NEW.replace('threshold = "90"', 'threshold = "80"', 1)
    with pytest.raises(ValidationFailed) as refused:
        do_upload_set(actor=world.admin, file_name="v.toml", data=changed.encode())
    assert "đang được đợt đánh giá năm 2026" in str(refused.value) and "vinh-long-2026-v2" in str(refused.value)
    # A new code is fine, and diffs against the first version.
    v2 = do_upload_set(actor=world.admin, file_name="v2.toml",
                       data=changed.replace('code = "vinh-long-2026"', 'code = "vinh-long-2026-v2"', 1).encode())
    client.force_login(world.secretariat)
    page = client.get(reverse("criteriasets:detail", args=[v2.pk]), {"against": f"upload:{first.pk}"}).content.decode()
    response = client.get(reverse("criteriasets:detail", args=[v2.pk]), {"against": f"upload:{first.pk}"})
    assert [c.describe() for c in response.context["changes"]] == [
        '~ bộ tiêu chí: code: "vinh-long-2026" → "vinh-long-2026-v2"', '~ tiêu chí 1.2: conditions[0].threshold: "90" → "80"']
    assert "<td>tiêu chí 1.2</td>" in page and "conditions[0].threshold" in page
    page = client.get(reverse("criteriasets:detail", args=[v2.pk]), {"against": "set:ben-tre-2021-2025"}).content.decode()
    assert "period.start" in page
    # A round whose stored hash no longer matches its set refuses to use it.
    Round.objects.filter(pk=round_.pk).update(criteria_hash="0" * 64)
    with pytest.raises(CriteriaSetChanged) as changed_error:
        Round.objects.get(pk=round_.pk).criteria_set
    assert "đã bị thay đổi sau khi mở đợt đánh giá" in changed_error.value.vi


def test_directory_set_changed_after_a_round_opened_is_refused(world, settings, tmp_path):
    settings.SMARTCOMMUNE_CRITERIA_DIR = str(tmp_path)
    path = tmp_path / "vinh-long-2026.toml"
    path.write_text(NEW, encoding="utf-8")
    (tmp_path / "hong.toml").write_text("[[groups]\n", encoding="utf-8")
    round_ = open_2026(world)
    assert round_.criteria_hash == content_hash(path.read_bytes())
    path.write_text(NEW.replace('threshold = "90"', 'threshold = "80"', 1), encoding="utf-8")
    with pytest.raises(CriteriaSetChanged):
        Round.objects.get(pk=round_.pk).criteria_set
    # Bến Tre rounds are untouched by the bad file beside it.
    assert do_open_round(actor=world.admin, criteria_set_code="ben-tre-2021-2025", year=2024, province=world.bt,
                         submission_deadline=date(2024, 3, 1), review_deadline=date(2024, 4, 1),
                         verification_deadline=date(2024, 5, 1)).criteria_set.code == "ben-tre-2021-2025"


def test_unknown_upload_is_404_and_bad_against_is_ignored(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("criteriasets:detail", args=[999])).status_code == 404
    upload = do_upload_set(actor=world.admin, file_name="v.toml", data=NEW.encode())
    for against in ("upload:abc", "set:khong-co", "x" * 5000, "upload:999"):
        response = client.get(reverse("criteriasets:detail", args=[upload.pk]), {"against": against})
        assert response.status_code == 200 and response.context["changes"] is None


def test_the_api_lists_sets_made_available_not_drafts(world):
    from django.test import Client

    upload = do_upload_set(actor=world.admin, file_name="v.toml", data=NEW.encode())
    client = Client()
    shipped = sorted(p.stem for p in SETS_DIR.glob("*.toml"))
    codes = [r["code"] for r in client.get("/api/v1/criteria-sets").json()["results"]]
    assert codes == shipped
    assert client.get("/api/v1/criteria-sets/vinh-long-2026").status_code == 404
    do_make_available(actor=world.admin, upload=upload)
    codes = [r["code"] for r in client.get("/api/v1/criteria-sets").json()["results"]]
    assert codes == [*shipped, "vinh-long-2026"]
    detail = client.get("/api/v1/criteria-sets/vinh-long-2026").json()
    assert detail["period_start"] == 2026 and len(detail["groups"]) == 10
