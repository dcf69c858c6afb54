import pytest


@pytest.fixture
def outbox(tmp_path):
    """The file the recording email backend of the worker processes appends to (one JSON line a
    message); the broker queue is purged before and after."""
    from config.celery import app

    app.control.purge()
    yield str(tmp_path / "outbox.jsonl")
    app.control.purge()
