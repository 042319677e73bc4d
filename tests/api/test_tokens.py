"""The web pages of personal API tokens: created once and shown once, listed by prefix,
revoked by their owner only, CSRF on every post."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from smartcommune.api.actions import do_create_token, hash_token
from smartcommune.api.models import ApiToken, ApiTokenEvent
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed

TOKEN = re.compile(r"sc_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_a_login(world):
    client = Client()
    assert client.get(reverse("api:token_list")).status_code == 302
    assert client.post(reverse("api:token_create"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_create_shows_the_secret_once_and_stores_only_its_hash(world):
    client = logged_in(world.officer_a)
    response = client.post(reverse("api:token_create"), {"name": "Nền tảng dữ liệu", "expires_days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = TOKEN.search(response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert token.user == world.officer_a and token.name == "Nền tảng dữ liệu"
    assert token.key_hash == hash_token(secret) and secret not in (token.prefix, token.key_hash)
    assert token.expires_at is not None
    # The list shows the prefix, never the secret.
    listing = client.get(reverse("api:token_list")).content.decode()
    assert f"sc_{token.prefix}_" in listing
    assert secret not in listing
    event = ApiTokenEvent.objects.get()
    assert (event.token, event.actor, event.action) == (token, world.officer_a, "created")


def test_create_refuses_an_empty_name_or_a_bad_expiry(world):
    client = logged_in(world.officer_a)
    assert client.post(reverse("api:token_create"), {"name": "  "}).status_code == 400
    assert client.post(reverse("api:token_create"), {"name": "x", "expires_days": "7000"}).status_code == 400
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationFailed):
        do_create_token(actor=world.officer_a, name="x" * 101)


def test_list_shows_only_the_owners_tokens(world):
    mine, _ = do_create_token(actor=world.officer_a, name="của tôi")
    theirs, _ = do_create_token(actor=world.officer_b, name="của người khác")
    page = logged_in(world.officer_a).get(reverse("api:token_list")).content.decode()
    assert "của tôi" in page and "của người khác" not in page
    assert theirs.prefix not in page and mine.prefix in page


def test_revoke_is_scoped_to_the_owner(world):
    token, _ = do_create_token(actor=world.officer_a, name="x")
    response = logged_in(world.officer_b).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(NotAllowed):
        from smartcommune.api.actions import do_revoke_token
        do_revoke_token(actor=world.officer_b, token=token)

    response = logged_in(world.officer_a).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 303
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert list(ApiTokenEvent.objects.filter(token=token).values_list("action", "actor")) == [
        ("created", world.officer_a.pk), ("revoked", world.officer_a.pk)]
    # Revoking again changes nothing and logs nothing.
    logged_in(world.officer_a).post(reverse("api:token_revoke", args=[token.pk]))
    assert ApiTokenEvent.objects.filter(token=token).count() == 2


def test_posts_need_the_csrf_token(world):
    token, _ = do_create_token(actor=world.officer_a, name="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    assert client.post(reverse("api:token_create"), {"name": "y"}).status_code == 403
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_revoke_and_create_need_post(world):
    token, _ = do_create_token(actor=world.officer_a, name="x")
    client = logged_in(world.officer_a)
    assert client.get(reverse("api:token_revoke", args=[token.pk])).status_code == 405
    assert client.get(reverse("api:token_create")).status_code == 405


def test_nav_links_to_the_token_page(world):
    page = logged_in(world.nobody).get(reverse("api:token_list")).content.decode()
    assert f'href="{reverse("api:token_list")}"' in page
