import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from jobs.board.search import refresh_search_vectors
from tests.factories import CompanyFactory, LocationFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def postings():
    acme = CompanyFactory(name="Acme Robotics")
    now = timezone.now()
    older = PostingFactory(
        company=acme,
        title="Python Developer",
        workplace="remote",
        description="<p>Write <strong>Python</strong> services.</p><script>alert(1)</script>",
        published_at=now - dt.timedelta(days=2),
    )
    newer = PostingFactory(
        company=acme,
        title="Python Data Engineer",
        workplace="onsite",
        published_at=now - dt.timedelta(hours=1),
    )
    other = PostingFactory(
        title="Account Executive",
        workplace="remote",
        description="<p>Sell our robots to warehouses.</p>",
        published_at=now - dt.timedelta(days=1),
    )
    newer.locations.add(LocationFactory(city="Berlin", country="DE"))
    draft = PostingFactory(title="Python Draft", status="draft", published_at=None)
    closed = PostingFactory(title="Python Closed", status="closed")
    refresh_search_vectors()
    return {"older": older, "newer": newer, "other": other, "draft": draft, "closed": closed}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def test_rss_feed_lists_published_postings_newest_first(client, postings):
    response, feed = parse(client, "/jobs/feed/rss/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "New jobs on Jobtrail"
    assert [e.title for e in feed.entries] == [
        "Python Data Engineer at Acme Robotics",
        "Account Executive at " + postings["other"].company.name,
        "Python Developer at Acme Robotics",
    ]


def test_feed_items_carry_link_summary_date_and_a_stable_guid(client, postings):
    _, feed = parse(client, "/jobs/feed/rss/")
    entry = feed.entries[-1]
    older = postings["older"]

    assert entry.link == "http://testserver" + older.get_absolute_url()
    assert entry.summary == "Write Python services."
    assert "alert" not in entry.summary
    assert entry.id == f"tag:127.0.0.1,2025:posting:{older.pk}"
    published = dt.datetime(*entry.published_parsed[:6], tzinfo=dt.UTC)
    assert published == older.published_at.replace(microsecond=0)

    older.title = "Senior Python Developer"
    older.slug = ""
    older.save()
    _, again = parse(client, "/jobs/feed/rss/")
    assert again.entries[-1].id == entry.id


def test_atom_feed_parses(client, postings):
    response, feed = parse(client, "/jobs/feed/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert len(feed.entries) == 3
    assert feed.entries[0].author == "Acme Robotics"


def test_search_feed_filters_like_the_search_page(client, postings):
    _, feed = parse(client, "/jobs/feed/rss/?q=python&workplace=remote")

    assert [e.title for e in feed.entries] == ["Python Developer at Acme Robotics"]
    assert feed.feed.title == "Jobs: “python” · remote — Jobtrail"
    assert feed.feed.link == "http://testserver/jobs/?q=python&workplace=remote"


def test_search_feed_orders_by_newest(client, postings):
    _, feed = parse(client, "/jobs/feed/atom/?q=python")

    assert [e.title for e in feed.entries] == [
        "Python Data Engineer at Acme Robotics",
        "Python Developer at Acme Robotics",
    ]


def test_search_feed_with_a_location(client, postings):
    _, feed = parse(client, "/jobs/feed/rss/?location=Germany")

    assert [e.title for e in feed.entries] == ["Python Data Engineer at Acme Robotics"]


@pytest.mark.parametrize(
    "query", ["?workplace=nowhere", "?q=%22", "?q=" + "x" * 5000, "?salary=lots", "?q=%F0%9F%90%8D"]
)
def test_odd_search_feeds_still_answer(client, postings, query):
    parse(client, "/jobs/feed/rss/" + query)


def test_empty_board_gives_an_empty_feed(client, db):
    _, feed = parse(client, "/jobs/feed/rss/")

    assert feed.entries == []


def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for _ in range(10):
        PostingFactory()

    with django_assert_max_num_queries(3):
        client.get("/jobs/feed/rss/")


def test_feed_items_use_the_summary_overview_when_there_is_one(client, db):
    posting = PostingFactory(description="<p>Long text that the overview replaces.</p>")
    posting.summary = {"overview": [{"text": "Build <b>robots</b> that pick parcels."}]}
    posting.save()

    _, feed = parse(client, "/jobs/feed/rss/")

    assert feed.entries[0].summary == "Build robots that pick parcels."
