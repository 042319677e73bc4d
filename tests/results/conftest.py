import pytest

from smartcommune.results import caching
from smartcommune.rounds import evaluation as evaluations
from tests.results.fixtures import results_world  # noqa: F401  (fixture)
from tests.rounds.fixtures import round_bt, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Evidence files of a test go to its own folder, never to var/uploads.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_kept_results():
    # Kept results are keyed by assessment version; a test that edits values with a
    # queryset update (not through the actions) would otherwise meet an older result.
    evaluations.forget()


@pytest.fixture(autouse=True)
def _results_cache_in_tmp(settings, tmp_path):
    # The rendered pages are kept as in production (a directory), but in the test's own
    # folder and empty at its start: fixtures set statuses with queryset updates, behind
    # the versions the cache keys follow.
    settings.CACHES = {**settings.CACHES, "results": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "results-cache"),
    }}
    caching.clear()
    yield
    caching.clear()
