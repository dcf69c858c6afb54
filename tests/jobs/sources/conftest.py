import pytest

from tests.jobs.sources.board_server import Board


@pytest.fixture(autouse=True)
def _fast_sources(settings):
    """No per-host spacing, short timeouts and backoff: the local server answers at once."""
    settings.SOURCES_HOST_INTERVAL_MS = 0
    settings.SOURCES_TIMEOUT = 1
    settings.SOURCES_BACKOFF = 0.01
    settings.SOURCES_MAX_WAIT = 2


@pytest.fixture
def board():
    server = Board()
    yield server
    server.close()
