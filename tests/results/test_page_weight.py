"""Page weight: every public results page, as a browser gets it (compressed), stays within
its budget on a province of 150 communes -- a phone on a slow mobile network loads it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.load_national import build
from smartcommune.results import caching
from smartcommune.rounds.models import Assessment, Round
from smartcommune.units.models import Level, Unit

pytestmark = pytest.mark.django_db

KB = 1024
# Compressed bytes (gzip, which every browser accepts; brotli is smaller still), per page, on
# one province of 150 communes with every result published.  The budget for the
# overview is 30 KB; the others leave about twice what the pages weigh today.
BUDGET = {
    "index": 4 * KB,
    "overview": 30 * KB,
    "overview.json": 20 * KB,
    "map": 15 * KB,
    "scorecard": 10 * KB,
    "national": 4 * KB,
    "search": 4 * KB,
    "open data csv": 40 * KB,
    "open data json": 20 * KB,
}


@pytest.fixture
def province_of_150(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "results": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "cache")}}
    caching.clear()
    build(provinces=1, communes=150, years=(2023, 2024), seed=3, real_ben_tre=False, log=lambda *_: None)
    # Every commune published, so the public pages show all 150 (the heaviest case).
    Assessment.objects.exclude(status="published").update(status="published", published_at=timezone.now())
    yield Round.objects.select_related("province").get(year=2024)
    caching.clear()


def test_every_public_page_stays_within_its_budget(client, province_of_150):
    round_ = province_of_150
    code = round_.province.code
    commune = Unit.objects.filter(level=Level.COMMUNE).order_by("code").first()
    assert Assessment.objects.filter(round=round_, status="published").count() == 150
    urls = {
        "index": reverse("results:index"),
        "overview": reverse("results:overview", args=[code, 2024]),
        "overview.json": reverse("results:overview_json", args=[code, 2024]),
        "map": reverse("results:map", args=[code, 2024]),
        "scorecard": reverse("results:scorecard", args=[commune.pk, 2024]),
        "national": reverse("results:national", args=[2024]),
        "search": reverse("results:search") + "?q=mo+phong",  # every commune matches: the longest list
        "open data csv": reverse("exports:open_data_csv", args=[code, 2024]),
        "open data json": reverse("exports:open_data_json", args=[code, 2024]),
    }
    sizes = {}
    for name, url in urls.items():
        for accept in ("gzip, deflate, br", "gzip", ""):
            r = client.get(url, HTTP_ACCEPT_ENCODING=accept)
            assert r.status_code == 200, name
            assert r.get("Content-Encoding", "") == accept[-2:].replace("ip", "gzip"), (name, accept)
            sizes[name, accept.split(",")[-1].strip() or "none"] = len(r.content)
    print(sizes)
    # The budget holds for gzip too (older browsers), the larger of the two.
    sizes = {name: size for (name, encoding), size in sizes.items() if encoding == "gzip"}
    over = {name: (size, BUDGET[name]) for name, size in sizes.items() if size > BUDGET[name]}
    assert not over, over
