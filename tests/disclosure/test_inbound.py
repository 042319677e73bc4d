"""The inbound adapter: an SMS or mail gateway posts what the commune's number or address
received, signed with the deployment's shared secret; a good message becomes the citizen's
feedback with a tracking code, anything else is refused and stores nothing."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from smartcommune.disclosure.models import DisclosureLog, Feedback, InboundAddress, normalised_address

SECRET = "bi-mat-chung-cua-cong-tin-nhan"
URL = "/api/v1/disclosure/inbound/{}"


@pytest.fixture(autouse=True)
def _setup(settings, world):
    settings.SMARTCOMMUNE_INBOUND_SECRET = SECRET
    InboundAddress.objects.create(unit=world.a, channel="sms", address="0912 345 678")
    InboundAddress.objects.create(unit=world.a, channel="email", address="PhanHoi@PhuKhuong.gov.vn")
    cache.clear()
    yield
    cache.clear()


def _body(**overrides) -> bytes:
    message = {"to": "+84912345678", "sender": "0987 654 321", "text": "Xin hỏi lịch tiếp dân tháng này?",
               "received_at": timezone.now().isoformat()}
    message.update(overrides)
    return json.dumps(message, ensure_ascii=False).encode()


def _sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(client, body: bytes, *, channel="sms", signature: str | None = None, **headers):
    if signature is not None:
        headers["HTTP_X_SMARTCOMMUNE_SIGNATURE"] = signature
    return client.post(URL.format(channel), body, content_type="application/json", **headers)


def test_a_signed_sms_becomes_feedback_with_a_tracking_code(client, world):
    body = _body()
    response = _post(client, body, signature=_sign(body))
    assert response.status_code == 201, response.content
    out = response.json()
    f = Feedback.objects.get()
    assert out["tracking_code"] == f.tracking_code and f.tracking_code.startswith("PH-")
    assert out["unit"]["code"] == world.a.code and out["due_on"] == f.due_on.isoformat()
    assert (f.unit, f.channel, f.contact, f.name, f.recorded_by) == (world.a, "sms", "+84987654321", "", None)
    assert f.message == "Xin hỏi lịch tiếp dân tháng này?"
    log = DisclosureLog.objects.get(feedback=f)
    assert log.action == "feedback_received" and log.actor is None and log.detail["via"] == "gateway"


def test_an_email_is_taken_in_the_same_way(client, world):
    body = _body(to="phanhoi@phukhuong.gov.vn", sender="Nguoi.Dan@Example.vn", text="Góp ý về quy hoạch")
    response = _post(client, body, channel="email", signature=_sign(body))
    assert response.status_code == 201, response.content
    f = Feedback.objects.get()
    assert (f.channel, f.contact) == ("email", "nguoi.dan@example.vn")


@pytest.mark.parametrize("signature, code", [
    (None, "signature_required"),
    ("sha256=" + "0" * 64, "bad_signature"),
    (_sign(b"another body"), "bad_signature"),
    (_sign(_body(), secret="not-the-secret"), "bad_signature"),
    ("bí mật", "bad_signature"),
], ids=["missing", "zeros", "another-body", "another-secret", "not-hex"])  # ids: the same in every xdist worker
def test_a_missing_or_wrong_signature_is_refused_and_nothing_stored(client, signature, code):
    response = _post(client, _body(), signature=signature)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert not Feedback.objects.exists() and not DisclosureLog.objects.exists()


def test_without_a_configured_secret_the_adapter_is_off(client, settings):
    settings.SMARTCOMMUNE_INBOUND_SECRET = ""
    body = _body()
    response = _post(client, body, signature=_sign(body, secret=""))
    assert response.status_code == 404 and response.json()["error"]["code"] == "inbound_disabled"
    assert not Feedback.objects.exists()


def test_a_number_that_is_no_communes_is_refused(client):
    body = _body(to="0911 111 111")
    response = _post(client, body, signature=_sign(body))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and error["details"][0]["field"] == "to"
    assert "không phải kênh nhận phản hồi của xã nào" in error["details"][0]["message_vi"]
    assert not Feedback.objects.exists()


def test_an_sms_number_is_not_an_email_address(client):
    # The commune's e-mail address, posted as an SMS: no SMS channel has it.
    body = _body(to="phanhoi@phukhuong.gov.vn")
    assert _post(client, body, signature=_sign(body)).status_code == 422
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("overrides, field", [
    ({"text": "x" * 4001}, "message"),
    ({"text": "   "}, "message"),
    ({"text": "a\x00b"}, "message"),
    ({"sender": "không phải số"}, "sender"),
    ({"received_at": (timezone.now() + timedelta(hours=1)).isoformat()}, "received_at"),
    ({"received_at": (timezone.now() - timedelta(days=31)).isoformat()}, "received_at"),
    ({"received_at": datetime(2025, 3, 1, 8, 30).isoformat()}, "received_at"),
], ids=["too-long", "blank", "nul", "sender-not-a-number", "in-the-future", "too-old", "no-time-zone"])
def test_bad_messages_are_refused_naming_the_field(client, overrides, field):
    body = _body(**overrides)
    response = _post(client, body, signature=_sign(body))
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["error"]["details"]] == [field]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("body", [
    b"not json",
    json.dumps({"to": "+84912345678", "text": "thiếu người gửi"}).encode(),
    json.dumps({"to": "+84912345678", "sender": "0987654321", "text": "x", "received_at": "hôm qua"}).encode(),
    _body()[:-1] + b', "extra": 1}',
], ids=["not-json", "no-sender", "date-not-a-date", "unknown-key"])
def test_a_body_outside_the_contract_is_refused(client, body):
    response = _post(client, body, signature=_sign(body))
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_body"
    assert not Feedback.objects.exists()


def test_a_body_too_large_is_refused_before_anything_else(client):
    body = _body(text="x" * 20_000)
    response = _post(client, body, signature=_sign(body))
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert not Feedback.objects.exists()


def test_an_unknown_channel_is_not_an_endpoint(client):
    body = _body()
    assert _post(client, body, channel="zalo", signature=_sign(body)).status_code in (404, 422)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("setting, varied", [("inbound_rate", "text"), ("inbound_commune_rate", "sender")])
def test_messages_are_rate_limited_per_sender_and_per_commune_channel(client, settings, setting, varied):
    # Per sender: the same number's third message; per commune channel: the third from anyone.
    settings.SMARTCOMMUNE_DISCLOSURE = {setting: 2}
    codes = []
    for n in range(3):
        body = _body(**{varied: f"098765432{n}"})
        codes.append(_post(client, body, signature=_sign(body)).status_code)
    assert codes == [201, 201, 429]
    if setting == "inbound_rate":
        other = _body(sender="0977000000")
        assert _post(client, other, signature=_sign(other)).status_code == 201
    assert Feedback.objects.count() == (3 if setting == "inbound_rate" else 2)


def test_the_sender_never_reaches_the_public(client, world):
    body = _body()
    _post(client, body, signature=_sign(body))
    f = Feedback.objects.get()
    track = client.get("/cong-khai/tra-cuu/", {"code": f.tracking_code}).content.decode()
    assert f.tracking_code in track and "987654321" not in track


def test_the_public_page_shows_the_communes_number_and_address(client, world):
    page = client.get(f"/cong-khai/{world.a.pk}/").content.decode()
    assert "+84912345678" in page and "phanhoi@phukhuong.gov.vn" in page


@pytest.mark.parametrize("channel, given, stored", [
    ("sms", "0912 345 678", "+84912345678"),
    ("sms", "84912345678", "+84912345678"),
    ("sms", "+84 912-345-678", "+84912345678"),
    ("sms", "8077", "8077"),
    ("email", " Xa@Example.VN ", "xa@example.vn"),
])
def test_one_spelling_per_address(channel, given, stored):
    assert normalised_address(channel, given) == stored


def test_a_communes_number_is_checked_and_taken_once_whatever_its_spelling(world):
    from django.core.exceptions import ValidationError

    again = InboundAddress(unit=world.b, channel="sms", address="+84 912 345 678")
    with pytest.raises(ValidationError):
        again.full_clean()
    with pytest.raises(ValidationError):
        InboundAddress(unit=world.b, channel="email", address="không phải thư").full_clean()
    with pytest.raises(ValidationError):
        InboundAddress(unit=world.b, channel="sms", address="12").full_clean()
    InboundAddress(unit=world.b, channel="sms", address="0912 000 111").full_clean()
