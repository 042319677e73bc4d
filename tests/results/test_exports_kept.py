"""The province workbook and PDF are kept until the data changes (the results pages'
stamp): a second download does not build the file again; a write through the product
does; the public copy is validated by its ETag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smartcommune.results.exports import views
from smartcommune.rounds.actions import do_save_values
from tests.results.test_exports_world import exports_world, fresh, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    calls = []
    for name in ("_workbook", "_report"):
        original = getattr(views, name)

        def counted(overview, original=original, name=name):
            calls.append(name)
            return original(overview)
        monkeypatch.setattr(views, name, counted)
    return calls


@pytest.mark.parametrize("name, builder", [("province_xlsx", "_workbook"), ("province_pdf", "_report")])
def test_kept_until_the_data_changes(client, exports_world, builds, name, builder):
    w = exports_world
    url = reverse(f"exports:{name}", args=("83", 2024))
    client.force_login(w.secretariat)
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert builds == [builder]
    assert "no-store" in second["Cache-Control"]  # signed in: private
    # Another scope is another file: the commune officer's own.
    client.force_login(w.officer_c)
    client.get(url)
    assert builds == [builder, builder]
    # A write through the product moves the stamp: built again.
    c = fresh(w.draft_c)
    c.status = "draft"
    c.save(update_fields=["status"])
    do_save_values(actor=w.officer_c, assessment=c, expected_version=fresh(c).version,
                   values={"1.2": {"numerator": 1, "denominator": 2}})
    client.force_login(w.secretariat)
    client.get(url)
    assert builds == [builder, builder, builder]


def test_public_copy_answers_304(client, exports_world, builds):
    url = reverse("exports:province_pdf", args=("83", 2024))
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert builds == ["_report"]
