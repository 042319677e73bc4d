"""The import pages: role scoping on every view, the upload → preview → confirm flow."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from smartcommune.imports import layout
from smartcommune.imports.models import BatchStatus, ImportBatch
from smartcommune.rounds.actions import do_save_values
from tests.imports.helpers import fill_cells, row_of, snapshot, template
from tests.rounds.fixtures import assessment_of, fill, fresh, step, verify_all


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _units(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content))[layout.DATA_SHEET]
    return {sheet[f"A{r}"].value for r in range(layout.FIRST_DATA_ROW, sheet.max_row + 1)}


def _upload(client, round_, data, name="x.xlsx"):
    return client.post(reverse("imports:upload", args=[round_.pk]), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def filled(world, round_bt):
    a = assessment_of(round_bt, world.a)
    r = row_of(0, "1.2")
    return fill_cells(template(round_bt, [a]), {f"H{r}": 4, f"J{r}": 5})


def test_anonymous_is_sent_to_login_everywhere(world, round_bt, filled):
    a = assessment_of(round_bt, world.a)
    batch = ImportBatch.objects.create(user=world.officer_a, round=round_bt, file_name="x.xlsx", kind="xlsx")
    client = _client()
    for method, url in [
        ("get", reverse("imports:index")),
        ("get", reverse("imports:round_template", args=[round_bt.pk])),
        ("get", reverse("imports:assessment_template", args=[a.pk])),
        ("post", reverse("imports:upload", args=[round_bt.pk])),
        ("get", reverse("imports:batch", args=[batch.pk])),
        ("post", reverse("imports:batch_confirm", args=[batch.pk])),
        ("post", reverse("imports:batch_discard", args=[batch.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_round_template_holds_only_what_the_user_may_see(world, round_bt):
    url = reverse("imports:round_template", args=[round_bt.pk])
    assert _units(_client(world.officer_a).get(url)) == {"28756"}
    assert _units(_client(world.officer_b).get(url)) == {"28759"}
    assert _units(_client(world.district1).get(url)) == {"28756", "28759"}
    assert _units(_client(world.district2).get(url)) == {"28801"}
    verifier = next(iter(world.verifiers.values()))
    assert _units(_client(verifier).get(url)) == {"28756", "28759", "28801"}
    response = _client(world.secretariat).get(url + "?prefill=1")
    assert _units(response) == {"28756", "28759", "28801"}
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-lieu-2024-tinh-83-co-so-lieu.xlsx"'
    # The one download helper: one user's data, never cached, never sniffed.
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert _client(world.nobody).get(url).status_code == 404
    assert _client(world.secretariat_vl).get(url).status_code == 404
    assert _client(world.officer_a).get(reverse("imports:round_template", args=[99999])).status_code == 404


def test_round_template_leaves_out_other_communes_published_results(world, round_bt):
    """A published result is readable by everyone, but it is not the officer's to fill in."""
    b = fill(assessment_of(round_bt, world.b), world.officer_b)
    b = verify_all(world, step(world.district1, step(world.officer_b, b, "submit"), "district_forward"))
    b = step(world.secretariat, step(world.secretariat, b, "appraise"), "record_decision", recognised=False,
             number="9/QĐ-UBND", date=datetime.date(2024, 12, 1), signer="Nguyễn Văn A")
    step(world.secretariat, b, "publish")
    url = reverse("imports:round_template", args=[round_bt.pk])
    assert _units(_client(world.officer_a).get(url)) == {"28756"}
    assert _units(_client(world.secretariat).get(url)) == {"28756", "28759", "28801"}


def test_assessment_template_needs_sight_of_it(world, round_bt):
    a = assessment_of(round_bt, world.a)
    url = reverse("imports:assessment_template", args=[a.pk])
    for user in (world.officer_a, world.district1, world.secretariat, next(iter(world.verifiers.values()))):
        response = _client(user).get(url)
        assert response.status_code == 200 and _units(response) == {"28756"}
    for user in (world.officer_b, world.district2, world.nobody, world.secretariat_vl):
        assert _client(user).get(url).status_code == 404


def test_index_lists_the_rounds_of_the_users_roles(world, round_bt):
    url = reverse("imports:index")
    assert f'id="round-{round_bt.pk}"' in _client(world.officer_a).get(url).content.decode()
    assert f'id="round-{round_bt.pk}"' in _client(world.secretariat).get(url).content.decode()
    assert f'id="round-{round_bt.pk}"' not in _client(world.nobody).get(url).content.decode()
    assert f'id="round-{round_bt.pk}"' not in _client(world.secretariat_vl).get(url).content.decode()


def test_nav_link_for_officers_only(world, round_bt):
    link = reverse("imports:index")
    assert f'href="{link}"' in _client(world.officer_a).get(reverse("home")).content.decode()
    assert f'href="{link}"' not in _client(world.district1).get(reverse("home")).content.decode()


def test_upload_preview_confirm(world, round_bt, filled):
    client = _client(world.officer_a)
    before = snapshot()
    response = _upload(client, round_bt, filled)
    assert response.status_code == 303
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    assert snapshot() == before  # nothing written before the confirmation
    page = client.get(response["Location"]).content.decode()
    assert "Phường Phú Khương" in page and "Xác nhận nhập" in page and "→ <strong>4</strong>" in page
    # Nobody else sees or confirms someone's preview.
    for user in (world.officer_b, world.district1, world.secretariat, world.admin):
        other = _client(user)
        assert other.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
        assert other.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 404
        assert other.post(reverse("imports:batch_discard", args=[batch.pk])).status_code == 404
    assert snapshot() == before
    response = client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert response.status_code == 303
    value = assessment_of(round_bt, world.a).values.get(criterion_code="1.2")
    assert (value.numerator, value.denominator) == (4, 5)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    # Confirming twice does nothing more.
    after = snapshot()
    assert client.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 400
    assert snapshot() == after


def test_conflict_at_confirmation(world, round_bt, filled):
    client = _client(world.officer_a)
    _upload(client, round_bt, filled)
    batch = ImportBatch.objects.get()
    a = assessment_of(round_bt, world.a)
    do_save_values(actor=world.officer_a, assessment=a, expected_version=fresh(a).version, values={"1.3": {"met": True}})
    before = snapshot()
    response = client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    assert response.status_code == 409
    assert "phiên bản 1 → 2" in response.content.decode()
    assert snapshot() == before


def test_discard(world, round_bt, filled):
    client = _client(world.officer_a)
    _upload(client, round_bt, filled)
    batch = ImportBatch.objects.get()
    before = snapshot()
    assert client.post(reverse("imports:batch_discard", args=[batch.pk])).status_code == 303
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DISCARDED
    assert client.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 400
    assert snapshot() == before


def test_upload_refusals_by_role(world, round_bt, filled):
    before = snapshot()
    # Officer of another commune: commune A is not theirs.
    response = _upload(_client(world.officer_b), round_bt, filled)
    assert response.status_code == 400 and "28756" in response.content.decode()
    # District reviewer, agency verifier, secretariat: they see it but do not enter data.
    for user in (world.district1, next(iter(world.verifiers.values())), world.secretariat):
        response = _upload(_client(user), round_bt, filled)
        assert response.status_code == 400
        assert "Chỉ cán bộ của Phường Phú Khương mới được sửa hồ sơ này" in response.content.decode()
    # Nobody: the round is not theirs at all.
    assert _upload(_client(world.nobody), round_bt, filled).status_code == 404
    assert snapshot() == before and not ImportBatch.objects.exists()


def test_refusal_report_lists_sheet_row_column(world, round_bt):
    a = assessment_of(round_bt, world.a)
    r = row_of(0, "1.2")
    response = _upload(_client(world.officer_a), round_bt, fill_cells(template(round_bt, [a]), {f"H{r}": "abc"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert f"<td>Số liệu</td><td class=\"num\">{r}</td><td>H</td>" in page
    assert "không phải là số nguyên không âm" in page


def test_identical_file_changes_nothing(world, round_bt):
    a = assessment_of(round_bt, world.a)
    response = _upload(_client(world.officer_a), round_bt, template(round_bt, [a], prefill=True))
    assert response.status_code == 303 and response["Location"] == reverse("imports:index")
    assert not ImportBatch.objects.exists()


def test_upload_needs_csrf_and_is_bounded_before_reading(world, round_bt, filled, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    assert _upload(client, round_bt, filled).status_code == 403
    settings.SMARTCOMMUNE_IMPORT_MAX_BYTES = 1000
    response = _upload(_client(world.officer_a), round_bt, filled)
    assert response.status_code == 413 and "quá giới hạn" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_get_is_refused_on_posts(world, round_bt):
    client = _client(world.officer_a)
    assert client.get(reverse("imports:upload", args=[round_bt.pk])).status_code == 405


def test_oversized_body_is_refused_without_reading_it(world, round_bt, settings):
    from django.test import RequestFactory

    from smartcommune.imports import views

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    request = RequestFactory().post(reverse("imports:upload", args=[round_bt.pk]), data=b"",
                                    content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(200 * 1024 * 1024)
    request._stream = Unreadable()
    request.user = world.officer_a
    request.session = {}
    response = views.upload(request, round_id=round_bt.pk)
    assert response.status_code == 413
    assert not ImportBatch.objects.exists()
