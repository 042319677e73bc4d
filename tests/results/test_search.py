"""Find my commune: accents optional, only communes whose results the viewer may see, public
answers shared and compressed, signed-in answers private; never one scope's answer to another.

World (tests/results/fixtures.py), 2024: A "Phường Phú Khương" published, B "Phường Phú Tân"
decided (unpublished), C "Xã Tân Thạch" a draft; 2023: A and B published.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from smartcommune.results.selectors.common import fold
from smartcommune.results.selectors.search import MAX_QUERY
from smartcommune.rounds.models import Status as Workflow
from tests.results.fixtures import set_status
from tests.results.test_views import A, B, C, get, scorecard_url, text

pytestmark = pytest.mark.django_db


def search(client, viewer, q, **headers):
    if viewer is None:
        client.logout()
    else:
        client.force_login(viewer)
    return client.get(reverse("results:search"), {"q": q}, **headers)


def found(response) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', text(response))


def test_accents_and_case_are_optional(client, results_world):
    set_status(results_world.c, Workflow.PUBLISHED, recognised=False)
    for q in ("tan thach", "TÂN THẠCH", "  Tan   Thạch ", "thach"):
        assert found(search(client, None, q)) == [C], q
    page = text(search(client, None, "tan thach"))
    assert scorecard_url(results_world.world.c) in page  # its 2024 scorecard
    assert 'value="tan thach"' in page  # the form keeps what was typed


def test_every_word_must_match_and_the_closest_name_comes_first(client, results_world):
    set_status(results_world.b, Workflow.PUBLISHED, recognised=False)
    assert found(search(client, None, "phu")) == [A, B]
    assert found(search(client, None, "phu tan")) == [B]
    assert found(search(client, None, "tan")) == [B]  # C is a draft: not public


def test_only_what_the_viewer_may_see(client, results_world):
    w = results_world.world
    assert found(search(client, None, "tan thach")) == []
    assert "Không tìm thấy xã nào" in text(search(client, None, "tan thach"))
    assert found(search(client, w.secretariat, "tan thach")) == [C]
    assert found(search(client, w.district1, "tan thach")) == []  # C is in district 2
    # After a signed-in search, the public still gets its own answer (nothing is kept).
    assert found(search(client, None, "tan thach")) == []
    # The years listed are those the viewer may see: B's 2024 is decided, not published.
    anonymous = text(search(client, None, "phu tan"))
    assert scorecard_url(w.b, 2023) in anonymous and scorecard_url(w.b, 2024) not in anonymous
    assert scorecard_url(w.b, 2024) in text(search(client, w.secretariat, "phu tan"))


def test_public_answer_is_compressed_and_validated_signed_in_is_private(client, results_world):
    r = search(client, None, "phu", HTTP_ACCEPT_ENCODING="gzip, br")
    assert r["Content-Encoding"] == "br" and "public" in r["Cache-Control"] and r["ETag"]
    again = search(client, None, "phu", HTTP_ACCEPT_ENCODING="gzip, br", HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304
    other = search(client, None, "tan", HTTP_ACCEPT_ENCODING="gzip, br", HTTP_IF_NONE_MATCH=r["ETag"])
    assert other.status_code == 200  # another query is another page
    signed_in = search(client, results_world.world.secretariat, "phu")
    assert "no-store" in signed_in["Cache-Control"] and "private" in signed_in["Cache-Control"]
    assert not signed_in.has_header("ETag") and not signed_in.has_header("Content-Encoding")


def test_empty_long_and_odd_queries_are_answered(client, results_world):
    assert found(search(client, None, "")) == [] and "Gõ tên xã" in text(search(client, None, ""))
    long = search(client, None, "phu " * 5000)
    assert long.status_code == 200 and f'value="{("phu " * 5000)[:MAX_QUERY].strip()}"' in text(long)
    assert search(client, None, "<script>alert(1)</script>%_'\"").status_code == 200
    assert "<script>alert" not in text(search(client, None, "<script>alert(1)</script>"))


def test_every_results_page_has_the_search_form(client, results_world):
    w = results_world.world
    for url in (reverse("results:index"), reverse("results:overview", args=["83", 2024]),
                reverse("results:map", args=["83", 2024]), reverse("results:national", args=[2024]),
                scorecard_url(w.a), reverse("results:search")):
        page = text(get(client, None, url))
        assert f'action="{reverse("results:search")}" role="search"' in page, url
        assert 'name="q"' in page, url


# An independent model of fold: every Vietnamese letter with a mark, by the letter it folds to.
MARKED = {
    "a": "ăâáàảãạấầẩẫậắằẳẵặ", "d": "đ", "e": "êéèẻẽẹếềểễệ", "i": "íìỉĩị",
    "o": "ôơóòỏõọốồổỗộớờởỡợ", "u": "ưúùủũụứừửữự", "y": "ýỳỷỹỵ",
}
PLAIN = {ord(marked): base for base, letters in MARKED.items() for marked in letters}


@given(st.text(alphabet="abcdeghiklmnopqrstuvxy " + "".join(MARKED.values()), max_size=30))
def test_fold_matches_an_independent_model(name):
    """fold drops the marks and the case, and collapses spaces."""
    expected = " ".join(name.translate(PLAIN).split())
    assert fold(name) == expected
    assert fold(name.upper()) == expected
