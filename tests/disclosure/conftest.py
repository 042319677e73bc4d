import pytest

from tests.rounds.fixtures import round_bt, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Files of a test go to its own folder, never to var/uploads.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def django_settings_override(settings):
    """Set the feedback reading (inside a hypothesis example, where ``settings`` is shared)."""
    def apply(reading):
        settings.SMARTCOMMUNE_DISCLOSURE = {"feedback_reading": reading}
    return apply
