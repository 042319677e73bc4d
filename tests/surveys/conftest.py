import pytest

from tests.rounds.fixtures import round_bt, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fresh_cache(db):
    # The rate limits count in the cache: each test starts from zero.
    from django.core.cache import cache
    cache.clear()
    yield
    cache.clear()
