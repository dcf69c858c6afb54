"""Issue 16, point 12: a saved search keeps every filter, through save → digest → search.

The review saved `/saved-searches/new/?q=engineer&salary=150000&posted=7&country=DE` and got
`q=engineer&country=DE`: the form kept `min_salary` / `posted_within`, the search reads `salary` /
`posted`. The search parameters now have one definition (jobs/board/search/params.py); this test
saves a search using every one of them through the real form, runs the real digest scanner,
sends the email, opens its "whole search" link and checks that the three agree.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.http import QueryDict
from django.urls import reverse

from jobs.board.search import (
    QUERY_PARAMS,
    normalize_querystring,
    parse_search_params,
    refresh_search_vectors,
    search_postings,
)
from tests.factories import CompanyFactory, LocationFactory, PostingFactory
from tracking.alerts import services as notifications
from tracking.models import Notification, SavedSearch

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))

# Every filter of /jobs/, and two values where a filter takes several.
SEARCH = (
    "q=engineer&company=acme&country=DE&level=senior&location=Berlin&posted=7"
    "&salary=150000&sort=newest&type=full_time&type=contract&workplace=hybrid"
)


def _posting(**changes):
    """A posting that matches SEARCH, with `changes` applied (each miss changes one thing)."""
    location = changes.pop("location", None) or LocationFactory(city="Berlin", country="DE")
    values = {
        "title": "Backend Engineer",
        "employment_type": "full_time",
        "level": "senior",
        "workplace": "hybrid",
        "salary_min": 150_000,
        "salary_max": 170_000,
        "salary_currency": "EUR",
        "salary_period": "year",
        **changes,
    }
    posting = PostingFactory(**values)
    posting.locations.add(location)
    return posting


@pytest.fixture
def acme():
    return CompanyFactory(slug="acme", name="Acme")


# `currency` is not a filter of its own: it says in which currency `salary` is given (EUR when
# absent), so SEARCH leaves it at the default; test_saved_search_params shows a saved search
# keeps it.
FILTERS = set(QUERY_PARAMS) - {"currency"}


def test_the_search_uses_every_parameter_of_the_search_module():
    assert set(QueryDict(SEARCH)) == FILTERS


def test_a_saved_search_keeps_every_filter_from_save_through_digest_to_search(
    owner_client, user, acme
):
    with time_machine.travel(NOW - timedelta(days=30), tick=False) as tm:
        # Save: the "Save this search" link of /jobs/ opens the form with the search's query.
        page = owner_client.get(reverse("tracking:saved_search_new") + "?" + SEARCH + "&page=2")
        assert page.status_code == 200
        hidden = page.context["form"]["querystring"].value()
        response = owner_client.post(
            reverse("tracking:saved_search_new"),
            {"name": "Engineers", "frequency": "daily", "querystring": hidden},
        )
        assert response.status_code == 302
        search = SavedSearch.objects.get(user=user)
        stored = QueryDict(search.querystring)
        assert set(stored) == FILTERS, search.querystring
        assert stored.getlist("type") == ["full_time", "contract"]
        assert parse_search_params(stored)[0] == parse_search_params(QueryDict(SEARCH))[0]

        # Postings: one matches everything; each miss fails exactly one filter.
        tm.move_to(NOW - timedelta(days=20))
        old = _posting(company=acme, title="Old Backend Engineer")
        tm.move_to(NOW - timedelta(days=1))
        match = _posting(company=acme)
        misses = {
            "q": _posting(company=acme, title="Backend Developer"),
            "company": _posting(company=CompanyFactory(slug="other", name="Other")),
            "country": _posting(
                company=acme, location=LocationFactory(city="Berlin", country="US")
            ),
            "level": _posting(company=acme, level="mid"),
            "location": _posting(
                company=acme, location=LocationFactory(city="Munich", country="DE")
            ),
            "posted": old,
            "salary": _posting(company=acme, salary_min=90_000, salary_max=120_000),
            "type": _posting(company=acme, employment_type="part_time"),
            "workplace": _posting(company=acme, workplace="onsite"),
        }
        second = _posting(company=acme, title="Platform Engineer", employment_type="contract")
        refresh_search_vectors()

        # Digest: the real scanner, then the real email.
        tm.move_to(NOW)
        assert notifications.scan_saved_searches() == 1
        digest = Notification.objects.get(user=user, kind="saved_search_digest")
        notifications.notification_send(notification_id=digest.pk)
        digest_ids = [p["id"] for p in digest.payload["postings"]]
        assert sorted(digest_ids) == sorted([match.pk, second.pk])

        # Search: the email's "whole search" link shows the same filters and the same postings.
        body = mail.outbox[-1].body
        link = re.search(r"The whole search: (\S+)", body).group(1)
        assert link.startswith(settings.SITE_URL)
        path = link.removeprefix(settings.SITE_URL)
        result = owner_client.get(path)
        assert result.status_code == 200
        assert result.context["params"] == parse_search_params(QueryDict(SEARCH))[0]
        assert result.context["notices"] == []
        search_ids = [hit.posting.pk for hit in result.context["result"].hits]
        assert search_ids == digest_ids  # newest first, both

        # Each filter matters: without it, its miss is found (so keeping it is what hides it).
        for name, posting in misses.items():
            without = QueryDict(SEARCH, mutable=True)
            without.pop(name)
            params = parse_search_params(without)[0]
            found = [hit.posting.pk for hit in search_postings(params, per_page=100).hits]
            assert posting.pk in found, name
            assert posting.pk not in search_ids, name


def test_the_form_reads_the_names_the_search_writes():
    assert normalize_querystring("/jobs/?q=engineer&salary=150000&posted=7&country=DE&page=3") == (
        "q=engineer&country=DE&salary=150000&posted=7"
    )
    # The form's old names are not the search's: they were never read, so they are not kept.
    assert normalize_querystring("min_salary=150000&posted_within=7") == ""
    # Values the search would ignore are not stored either.
    assert normalize_querystring("posted=²&salary=9999999999999999999999&country=XX") == ""


def test_saved_searches_stored_with_the_forms_old_names_are_renamed():
    import importlib

    from django.apps import apps

    from tests.factories import UserFactory

    migration = importlib.import_module("tracking.migrations.0011_saved_search_param_names")
    search = notifications.saved_search_create(
        user=UserFactory(),
        name="Old",
        querystring="q=engineer&min_salary=150000&posted_within=7",
        frequency="daily",
    )
    migration.rename_params(apps, None)
    search.refresh_from_db()
    assert search.querystring == "q=engineer&salary=150000&posted=7"
