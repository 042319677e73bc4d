"""How the public results pages are sent (smartcommune/results/delivery.py): compressed
(gzip, brotli) to clients that accept it, validated by the data stamp (ETag, Last-Modified,
304), kept by browsers and proxies only when public -- and never a signed-in viewer's page
to anyone else, from any cache."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from django.urls import reverse

from smartcommune.results import delivery
from smartcommune.rounds.actions import do_save_values
from tests.results.test_views import A, B, C, overview_url, scorecard_url
from tests.rounds.fixtures import fresh, full_values, step

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def public_urls(results_world) -> dict[str, str]:
    w = results_world.world
    return {
        "overview": overview_url(),
        "json": reverse("results:overview_json", args=["83", 2024]),
        "map": reverse("results:map", args=["83", 2024]),
        "scorecard": scorecard_url(w.a),
        "national": reverse("results:national", args=[2024]),
        "open data csv": reverse("exports:open_data_csv", args=["83", 2024]),
        "open data json": reverse("exports:open_data_json", args=["83", 2024]),
    }


def fetch(client, url, viewer=None, **headers):
    if viewer is None:
        client.logout()
    else:
        client.force_login(viewer)
    return client.get(url, **headers)


def decoded(response) -> str:
    encoding = response.get("Content-Encoding", "")
    body = response.content
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    else:
        assert not encoding, encoding
    return body.decode()


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def cache_control(response) -> set[str]:
    return {v.strip() for v in response.get("Cache-Control", "").split(",") if v.strip()}


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br, zstd", "br"),
    ("gzip, deflate", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("gzip;q=0.5, br;q=0.4", "gzip"),
    ("GZIP", "gzip"),
    ("*", "br"),
    ("*;q=0", ""),
    ("identity", ""),
    ("", ""),
    ("br;q=abc, gzip", "gzip"),
])
def test_the_best_accepted_encoding_is_chosen(header, expected):
    assert delivery.accepted_encoding(header) == expected


def test_every_public_page_is_compressed_validated_and_public(client, results_world):
    for name, url in public_urls(results_world).items():
        plain = fetch(client, url)
        assert plain.status_code == 200, name
        assert "Content-Encoding" not in plain, name
        for accept, coding in (("gzip, deflate, br", "br"), ("gzip", "gzip")):
            r = fetch(client, url, HTTP_ACCEPT_ENCODING=accept)
            assert r.status_code == 200 and r["Content-Encoding"] == coding, name
            assert decoded(r) == plain.content.decode(), name
            assert len(r.content) < len(plain.content), name
            assert "accept-encoding" in vary(r), (name, r.get("Vary"))
            # A page that differs for a signed-in viewer says so; the open data is the same for all.
            assert ("cookie" in vary(r)) is not name.startswith("open data"), (name, r.get("Vary"))
            assert r["ETag"] == plain["ETag"] and r["ETag"].startswith('W/"'), name
            assert r["Last-Modified"] == plain["Last-Modified"], name
            cc = cache_control(r)
            assert "public" in cc and "must-revalidate" in cc and f"max-age={delivery.PUBLIC_MAX_AGE}" in cc, name
            assert "private" not in cc and "no-store" not in cc, name
        if name.startswith("open data"):
            assert "attachment" in plain["Content-Disposition"], name


def test_a_repeated_visit_is_answered_304(client, results_world):
    for name, url in public_urls(results_world).items():
        first = fetch(client, url, **BROWSER)
        etag, modified = first["ETag"], first["Last-Modified"]
        again = fetch(client, url, HTTP_IF_NONE_MATCH=etag, **BROWSER)
        assert again.status_code == 304 and again.content == b"", name
        assert again["ETag"] == etag and "public" in cache_control(again), name
        assert "accept-encoding" in vary(again), name
        since = fetch(client, url, HTTP_IF_MODIFIED_SINCE=modified, **BROWSER)
        assert since.status_code == 304, name
        other = fetch(client, url, HTTP_IF_NONE_MATCH='W/"something-else"', **BROWSER)
        assert other.status_code == 200, name


def test_a_publication_changes_the_validators_at_once(client, results_world):
    w, b = results_world.world, results_world.b
    urls = public_urls(results_world)
    before = {name: fetch(client, url, **BROWSER)["ETag"] for name, url in urls.items()}

    step(w.secretariat, b, "publish")

    for name in ("overview", "json", "map", "national", "open data csv", "open data json"):
        r = fetch(client, urls[name], HTTP_IF_NONE_MATCH=before[name], **BROWSER)
        assert r.status_code == 200 and r["ETag"] != before[name], name
    assert B in decoded(fetch(client, urls["overview"], **BROWSER))
    # The scorecard of A shows A only: its stamp did not move.
    assert fetch(client, urls["scorecard"], HTTP_IF_NONE_MATCH=before["scorecard"], **BROWSER).status_code == 304


def test_a_changed_value_changes_the_scorecard(client, results_world):
    w, r = results_world.world, results_world
    step(w.secretariat, r.b, "publish")
    url = scorecard_url(w.b)
    first = fetch(client, url, **BROWSER)
    assert first.status_code == 200
    # Published results are corrected by re-opening; here the value write goes straight
    # through the action, which bumps the version as any correction does.
    from smartcommune.rounds.models import Assessment
    Assessment.objects.filter(pk=r.b.pk).update(status="draft")
    do_save_values(actor=w.officer_b, assessment=fresh(r.b), expected_version=fresh(r.b).version,
                   values=full_values())
    Assessment.objects.filter(pk=r.b.pk).update(status="published")
    again = fetch(client, url, HTTP_IF_NONE_MATCH=first["ETag"], **BROWSER)
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    met = re.compile(r'id="fields-met"><strong[^>]*>(\d+)/')
    assert met.search(decoded(first))[1] != "10" and met.search(decoded(again))[1] == "10"


def test_the_language_is_part_of_the_validator(client, results_world):
    # The language is the one chosen in the language menu (its cookie), never the
    # browser's Accept-Language (smartcommune/core/language.py).
    url = overview_url()
    vi = fetch(client, url, HTTP_ACCEPT_LANGUAGE="en", **BROWSER)
    en = fetch(client, url, HTTP_COOKIE="django_language=en", **BROWSER)
    assert vi["ETag"] != en["ETag"] and "cookie" in vary(en)
    assert fetch(client, url, HTTP_COOKIE="django_language=en", HTTP_IF_NONE_MATCH=vi["ETag"],
                 **BROWSER).status_code == 200


CSRF = re.compile(r'csrfmiddlewaretoken|X-CSRFToken')


def test_a_public_page_carries_no_csrf_token_and_sets_no_cookie(client, results_world):
    for name, url in public_urls(results_world).items():
        r = fetch(client, url, **BROWSER)
        assert not CSRF.search(decoded(r)), name
        assert not r.cookies, (name, r.cookies)


def test_a_signed_in_page_is_private_and_never_served_to_the_public(client, results_world):
    """The secretariat sees the unpublished communes: its pages are private, uncompressed
    (they hold the CSRF token), without validators, and nothing of them reaches the
    public, whatever was kept first."""
    w = results_world.world
    urls = public_urls(results_world)
    for name, url in urls.items():
        if name.startswith("open data"):
            continue  # published data only, the same for everyone
        mine = fetch(client, url, w.secretariat, **BROWSER)  # kept first
        assert mine.status_code == 200, name
        cc = cache_control(mine)
        assert {"private", "no-store"} <= cc and "public" not in cc, (name, cc)
        assert "ETag" not in mine and "Last-Modified" not in mine, name
        assert "cookie" in vary(mine), name
        if name != "json":
            assert "Content-Encoding" not in mine, name
            assert CSRF.search(decoded(mine)), name
        public = fetch(client, url, **BROWSER)
        assert public.status_code == 200 and "public" in cache_control(public), name
        assert decoded(public) != decoded(mine), name
        if name == "scorecard":  # A's: the secretariat also gets the link to the file
            link = reverse("rounds:assessment", args=[results_world.a.pk])
            assert link in decoded(mine) and link not in decoded(public)
        elif name != "national":  # the national page counts communes, it does not name them
            assert C in decoded(mine) and A in decoded(public), name
            assert C not in decoded(public) and B not in decoded(public), name
        # The public's page, now kept, is not what the secretariat gets next.
        assert decoded(fetch(client, url, w.secretariat, **BROWSER)) != decoded(public), name
    # The unpublished commune's scorecard: the secretariat's, kept; the public gets 404.
    assert fetch(client, scorecard_url(w.c), w.secretariat, **BROWSER).status_code == 200
    assert fetch(client, scorecard_url(w.c), **BROWSER).status_code == 404


def test_a_visitor_with_a_message_waiting_gets_a_private_page(client, results_world, rf):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    client.logout()
    carrier = HttpResponse()
    CookieStorage(rf.get("/"))._store([Message(20, "Đã đăng xuất.")], carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    r = client.get(overview_url(), **BROWSER)
    assert "private" in cache_control(r) and "public" not in cache_control(r) and "ETag" not in r
    assert "Đã đăng xuất." in decoded(r)  # shown once, to this visitor only
    assert "Đã đăng xuất." not in decoded(client.get(overview_url(), **BROWSER))


def test_the_language_switch_works_from_a_public_page_and_refuses_other_sites(client, results_world):
    url = reverse("set_language")
    client.logout()
    ok = client.post(url, {"language": "en", "next": overview_url()}, HTTP_SEC_FETCH_SITE="same-origin",
                     HTTP_ORIGIN="http://testserver")
    assert ok.status_code == 302 and ok.cookies["django_language"].value == "en"
    for headers in ({"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"},
                    {"HTTP_ORIGIN": "null"}):
        refused = client.post(url, {"language": "vi", "next": overview_url()}, **headers)
        assert refused.status_code == 403, headers
        assert "django_language" not in refused.cookies, headers


def test_a_kept_public_page_holds_nothing_of_the_first_request_beyond_its_parameters(client, results_world):
    """The first visitor's stray or invalid parameters do not stick to the page kept for
    everyone: the language form returns to the page's own, parsed query."""
    stray = fetch(client, overview_url() + "?utm_source=evil&sort=%3Cb%3Ex&district=nowhere", **BROWSER)
    plain = fetch(client, overview_url(), **BROWSER)
    assert stray["ETag"] == plain["ETag"]
    assert f'name="next" value="{overview_url()}"' in decoded(plain)
    assert "evil" not in decoded(plain) and "nowhere" not in decoded(plain)
    sorted_page = decoded(fetch(client, overview_url() + "?sort=-fields&x=1", **BROWSER))
    assert f'name="next" value="{overview_url()}?sort=-fields"' in sorted_page


def test_a_kept_public_page_is_one_stamp_query_and_the_stored_bytes(client, results_world, monkeypatch):
    """A repeated visit reads the data stamp -- one query; the national summary two, the
    year's rounds then their stamp; the scorecard two, the commune's links across a reform
    (none here; test_lineage has some) then one stamp of its results and the linked
    communes' -- and sends the bytes compressed when the page was
    kept: no unit or round read, no rendering, no compression (issue 17: a kept page costs
    what the framework's own floor costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from smartcommune.results import views

    queries = {"overview": 1, "json": 1, "map": 1, "scorecard": 2, "national": 2}
    urls = public_urls(results_world)
    client.logout()
    first = {name: client.get(urls[name], **BROWSER) for name in queries}
    for name, target in (("brotli", delivery.brotli), ("gzip", delivery.gzip)):
        monkeypatch.setattr(target, "compress", lambda *a, _name=name, **k: pytest.fail(f"{_name} again"))
    monkeypatch.setattr(views, "render", lambda *a, **k: pytest.fail("rendered again"))
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: pytest.fail("rendered again"))
    for name, expected in queries.items():
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(urls[name], **BROWSER)
        assert again.status_code == 200 and again["Content-Encoding"] == "br", name
        assert again.content == first[name].content, name
        assert len(ctx.captured_queries) == expected, (name, [q["sql"] for q in ctx.captured_queries])


def test_a_scorecard_of_no_commune_is_still_404(client, results_world):
    """The scorecard is looked up by the unit's id alone; a unit that is not a commune (a
    district) or does not exist is still 404, for the public and signed in."""
    w = results_world.world
    district = w.a.parent
    for url in (reverse("results:scorecard", args=[district.pk, 2024]),
                reverse("results:scorecard", args=[999999, 2024])):
        assert fetch(client, url, **BROWSER).status_code == 404, url
        assert fetch(client, url, w.secretariat).status_code == 404, url
