"""The board's column counts read as words for screen readers: "1 application", "2 applications"
(issue 20: "1 jobs" and the like)."""

import pytest

from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_column_counts_are_pluralised(owner_client, user):
    ApplicationFactory(user=user, title="Only one", stage_key="applied")
    for title in ("First", "Second"):
        ApplicationFactory(user=user, title=title, stage_key="interview")
    html = owner_client.get("/applications/").content.decode()
    assert 'aria-label="1 application"' in html
    assert 'aria-label="2 applications"' in html
    assert 'aria-label="0 applications"' in html
    assert "1 applications" not in html
