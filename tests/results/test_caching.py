"""The kept results pages (smartcommune/results/caching.py): a kept page changes as soon as
a value, a status or a publication changes, and is never served to a viewer of another
scope."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from smartcommune.accounts.models import Role
from smartcommune.results import caching
from smartcommune.rounds.actions import do_save_values
from tests.rounds.fixtures import fresh, full_values, step, user
from tests.results.test_views import A, B, C, get, overview_url, text

pytestmark = pytest.mark.django_db

JSON_URL = reverse("results:overview_json", args=["83", 2024])
NATIONAL_URL = reverse("results:national", args=[2024])


def row_of(page: str, code: str) -> str:
    match = re.search(rf'<tr data-unit="{code}">.*?</tr>', page, re.S)
    assert match, code
    return match.group(0)


def shown(page: str) -> set[str]:
    return {name for name in (A, B, C) if f">{name}</a>" in page}


def test_a_page_is_computed_once_then_read(client, results_world, monkeypatch):
    w = results_world.world
    first = text(get(client, w.secretariat, overview_url()))
    calls = []
    real = caching.get_or_compute
    monkeypatch.setattr("smartcommune.results.selectors.overview.province_overview",
                        lambda **kw: calls.append(kw) or pytest.fail("recomputed"))
    again = text(get(client, w.secretariat, overview_url()))
    assert not calls and real is caching.get_or_compute
    # Only the page around the kept content differs (the CSRF token is new every time).
    strip = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
    assert strip.sub("", first) == strip.sub("", again)


def test_a_changed_value_shows_at_once(client, results_world):
    w, c = results_world.world, results_world.c
    code = w.c.code
    page = text(get(client, w.secretariat, overview_url()))
    assert ">5/10<" in row_of(page, code)
    data = get(client, w.secretariat, JSON_URL).json()
    assert {r["unit_code"]: r["fields_met"] for r in data["rows"]}[code] == 5
    national = text(get(client, w.secretariat, NATIONAL_URL))

    do_save_values(actor=w.officer_c, assessment=c, expected_version=fresh(c).version, values=full_values())

    page = text(get(client, w.secretariat, overview_url()))
    assert ">10/10<" in row_of(page, code)
    data = get(client, w.secretariat, JSON_URL).json()
    assert {r["unit_code"]: r["fields_met"] for r in data["rows"]}[code] == 10
    assert text(get(client, w.secretariat, NATIONAL_URL)) != national  # smart communes and fields met moved


def test_a_publication_shows_at_once_to_the_public(client, results_world):
    w, b = results_world.world, results_world.b
    assert shown(text(get(client, None, overview_url()))) == {A}
    assert {r["name"] for r in get(client, None, JSON_URL).json()["rows"]} == {A}
    assert "<td class=\"num\">1</td>" in text(get(client, None, NATIONAL_URL))  # one published commune

    step(w.secretariat, b, "publish")

    assert shown(text(get(client, None, overview_url()))) == {A, B}
    assert {r["name"] for r in get(client, None, JSON_URL).json()["rows"]} == {A, B}
    assert "<td class=\"num\">2</td>" in text(get(client, None, NATIONAL_URL))


def test_a_status_change_shows_at_once(client, results_world):
    w, b = results_world.world, results_world.b
    page = text(get(client, w.secretariat, overview_url()))
    assert "wf-not_recognised" in row_of(page, w.b.code)
    step(w.secretariat, b, "publish")
    page = text(get(client, w.secretariat, overview_url()))
    assert "wf-published" in row_of(page, w.b.code)


SCOPES = {"secretariat": {A, B, C}, "district2": {A, C}, "officer_b": {A, B}, "officer_a": {A},
          "nobody": {A}, "anonymous": {A}}


@pytest.mark.parametrize("order", [list(SCOPES), list(reversed(SCOPES))])
def test_a_kept_page_is_never_served_to_another_scope(client, results_world, order):
    w = results_world.world
    viewers = {"secretariat": w.secretariat, "district2": w.district2, "officer_b": w.officer_b,
               "officer_a": w.officer_a, "nobody": w.nobody, "anonymous": None}
    for _ in range(2):  # the second pass reads what the first kept
        for who in order:
            page = text(get(client, viewers[who], overview_url()))
            assert shown(page) == SCOPES[who], who
            # Only the public is told it sees published results only.
            assert ("Chỉ hiển thị kết quả đã công bố." in page) == (who == "anonymous"), who
            data = get(client, viewers[who], JSON_URL).json()
            assert {r["name"] for r in data["rows"]} == SCOPES[who], who
            national = text(get(client, viewers[who], NATIONAL_URL))
            communes = re.search(r'<tfoot><tr><th[^>]*>[^<]*</th><td class="num">(\d+)</td>', national).group(1)
            assert int(communes) == len(SCOPES[who]), who


def test_the_page_around_the_kept_content_is_the_viewers_own(client, results_world):
    w = results_world.world
    other = user("secretariat_2", (Role.SECRETARIAT, w.bt, ""))  # same scope as w.secretariat
    first = text(get(client, w.secretariat, overview_url()))  # kept by the secretariat's request
    second = text(get(client, other, overview_url()))
    # The menu names the viewer (in full in the title, the text may be cut on a narrow screen).
    assert '<span class="who" title="secretariat">secretariat</span>' in first
    assert '<span class="who" title="secretariat_2">secretariat_2</span>' in second
    assert '"who" title="secretariat">' not in second
    assert shown(second) == {A, B, C}
    public = text(get(client, None, overview_url()))
    assert 'class="who"' not in public and shown(public) == {A}


def test_filters_and_sort_are_part_of_the_key(client, results_world):
    w = results_world.world
    everything = text(get(client, w.secretariat, overview_url()))
    district2 = text(get(client, w.secretariat, overview_url() + "?district=831"))
    assert shown(everything) == {A, B, C} and shown(district2) == {C}
    by_name = text(get(client, w.secretariat, overview_url() + "?sort=-name"))
    order = [m for m in re.findall(r'<tr data-unit="(\d+)">', by_name)]
    assert order == [w.c.code, w.b.code, w.a.code]
    assert re.findall(r'<tr data-unit="(\d+)">', everything) == [w.a.code, w.b.code, w.c.code]


def test_get_or_compute_computes_once_per_key():
    calls = []

    def compute():
        calls.append(1)
        return "value"

    assert caching.get_or_compute("results:test:1", compute) == "value"
    assert caching.get_or_compute("results:test:1", compute) == "value"
    assert caching.get_or_compute("results:test:2", compute) == "value"
    assert len(calls) == 2


def test_an_anonymous_visit_writes_no_session(client, results_world):
    for url in (overview_url(), JSON_URL, NATIONAL_URL):
        response = get(client, None, url)
        assert "sessionid" not in response.cookies, url


def test_a_kept_stamp_query_is_compiled_once_and_read_every_time(results_world):
    """The stamp's SQL is kept per process (caching.kept_stamp), its answer never: a change
    shows at once, and the values are converted as the ORM converts them (on SQLite the
    datetimes come back as text)."""
    from smartcommune.rounds.models import Assessment

    w, c = results_world.world, results_world.c
    built = []

    def narrowed():
        built.append(1)
        return Assessment.objects.filter(unit_id=w.c.pk)

    key = ("test", object())  # a key of this test only: the kept statements outlive it
    before = caching.kept_stamp(key, narrowed)
    assert before == caching.rounds_stamp(narrowed())
    do_save_values(actor=w.officer_c, assessment=c, expected_version=fresh(c).version, values=full_values())
    after = caching.kept_stamp(key, narrowed)
    assert after != before and after == caching.rounds_stamp(narrowed())
    assert len(built) == 3  # once for kept_stamp, twice for the comparisons
    assert caching.kept_stamp(("test", object()), narrowed, rounds={}) == {}  # no round: nothing to ask
