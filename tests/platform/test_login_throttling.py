"""Failed sign-ins are throttled per account and per client address (django-axes, issue 16
item 7): a locked-out account cannot sign in even with its right password, others can, the
lock-out ends after the cool-off, the admin's sign-in is throttled alike, every failure is
recorded, and the API's bearer tokens are not affected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from smartcommune.api.actions import do_create_token

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu-đúng-2025"
LOCKED_VI = "Đăng nhập sai quá nhiều lần"
LOCKED_EN = "Too many failed sign-ins"
ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Hundreds of sign-ins: the production hasher's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users():
    model = get_user_model()
    return (model.objects.create_user("thuky", password=PASSWORD),
            model.objects.create_user("canbo", password=PASSWORD, is_staff=True, is_superuser=True))


def sign_in(username, password, *, address=ATTACKER, client=None, url=None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(users, settings):
    answers = [sign_in("thuky", f"sai-{i}").status_code for i in range(30)]
    limit = settings.AXES_FAILURE_LIMIT
    assert limit < 30
    assert answers[:limit - 1] == [200] * (limit - 1)  # the form again, "wrong password"
    assert set(answers[limit:]) == {429}

    refused = sign_in("thuky", PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert LOCKED_VI in page and "15 phút" in page

    # Recorded: each failure, and the lock-out per account and per address.
    assert AccessFailureLog.objects.filter(username="thuky").count() >= 30
    assert AccessAttempt.objects.filter(username="thuky").exists()


def test_a_locked_out_account_is_refused_from_every_address_and_the_message_is_translated(users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in("thuky", f"sai-{i}")
    english = Client(REMOTE_ADDR="198.51.100.20")
    english.cookies["django_language"] = "en"
    refused = sign_in("thuky", PASSWORD, client=english, address="198.51.100.20")
    assert refused.status_code == 429
    assert LOCKED_EN in refused.content.decode()


def test_another_account_from_another_address_is_unaffected(users, settings):
    for i in range(30):
        sign_in("thuky", f"sai-{i}")
    client = Client(REMOTE_ADDR="198.51.100.9")
    response = sign_in("canbo", PASSWORD, client=client, address="198.51.100.9")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "canbo"


def test_the_address_is_locked_for_every_account(users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"khong-co-{i}", "sai")
    assert sign_in("canbo", PASSWORD).status_code == 429


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=1))
def test_the_lock_out_ends_after_the_cool_off(users, settings):
    for i in range(30):
        sign_in("thuky", f"sai-{i}")
    assert sign_in("thuky", PASSWORD).status_code == 429
    # Two minutes pass.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=2))
    assert sign_in("thuky", PASSWORD).status_code == 302
    # A success starts the count again.
    assert not AccessAttempt.objects.filter(username="thuky").exists()


def test_the_admin_sign_in_is_throttled_too(users, settings):
    url = reverse("admin:login")
    for i in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in("canbo", f"sai-{i}", url=url).status_code in (200, 429)
    refused = sign_in("canbo", PASSWORD, url=url)
    assert refused.status_code == 429
    assert LOCKED_VI in refused.content.decode()
    # The product's own form refuses the account as well: one count for both.
    assert sign_in("canbo", PASSWORD, address="192.0.2.44").status_code == 429


def test_api_tokens_are_not_affected(users, settings):
    user = users[0]
    _, token = do_create_token(actor=user, name="máy chủ thống kê")
    for i in range(30):
        sign_in("thuky", f"sai-{i}")
    assert sign_in("thuky", PASSWORD).status_code == 429
    client = Client(REMOTE_ADDR=ATTACKER)
    response = client.get("/api/v1/assessments", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert client.get("/api/v1/units").status_code == 200


def behind_proxy(username, password, forwarded_for):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1",
                         HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(users, settings):
    settings.SMARTCOMMUNE_TRUSTED_PROXIES = 1
    # The attacker varies what it sends itself; the proxy appends the address it saw.
    for i in range(settings.AXES_FAILURE_LIMIT):
        behind_proxy(f"khong-co-{i}", "sai", f"10.0.0.{i}, {ATTACKER}")
    assert behind_proxy("canbo", PASSWORD, f"10.9.9.9, {ATTACKER}").status_code == 429
    # Everyone else comes through the same proxy (same REMOTE_ADDR) and is not locked out.
    assert behind_proxy("canbo", PASSWORD, "198.51.100.30").status_code == 302


def test_without_a_configured_proxy_the_forwarded_header_is_ignored(users, settings):
    assert settings.SMARTCOMMUNE_TRUSTED_PROXIES == 0
    for i in range(settings.AXES_FAILURE_LIMIT):
        behind_proxy(f"khong-co-{i}", "sai", f"10.0.0.{i}")
    assert behind_proxy("canbo", PASSWORD, "198.51.100.30").status_code == 429


def test_authenticate_without_a_request_is_not_throttled_and_still_checks_the_password(users):
    from django.contrib.auth import authenticate

    # A shell or a management command has no client address: nothing to count.
    assert authenticate(username="thuky", password=PASSWORD).username == "thuky"
    assert authenticate(username="thuky", password="sai") is None
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("name", ["x" * 1_000_000, "9" * 10_000])
def test_an_endless_user_name_is_a_failed_sign_in_recorded_within_its_column(users, name):
    # A megabyte typed as the user name was a 500 on PostgreSQL (axes' row refused).
    answer = sign_in(name, "sai")
    assert answer.status_code == 200
    recorded = AccessFailureLog.objects.get(username__startswith=name[:20]).username
    assert recorded == name[:255]
    assert AccessAttempt.objects.get(username__startswith=name[:20]).username == name[:255]
