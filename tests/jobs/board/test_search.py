"""Search against the real PostgreSQL: jobs/board/search/ and the /jobs/ page."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.board import search
from jobs.board.search import (
    SearchParams,
    parse_search_params,
    refresh_search_vectors,
    search_postings,
)
from jobs.board.search import sql as search_sql
from jobs.models import Posting
from tests.factories import CompanyFactory, LocationFactory, PostingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def make(title, description="<p>Work with a friendly team.</p>", *, locations=(), **kwargs):
    posting = PostingFactory(title=title, description=description, **kwargs)
    if locations:
        posting.locations.set(locations)
    refresh_search_vectors([posting.id])
    return posting


def titles(result):
    return [hit.posting.title for hit in result.hits]


def run(**kwargs):
    return search_postings(SearchParams(**kwargs))


def test_refresh_search_vectors_weights_title_and_includes_company_and_locations():
    company = CompanyFactory(name="Acme Robotics")
    berlin = LocationFactory(city="Berlin", country="DE")
    posting = make("Python Developer", "<p>We use <b>Django</b>.</p>", company=company,
                   locations=[berlin])  # fmt: skip
    posting.refresh_from_db()
    vector = str(posting.search_vector)
    assert "'python':1A" in vector
    assert "'acm'" in vector and "'berlin'" in vector and "'germani'" in vector
    assert "'django'" in vector and "<b>" not in vector
    assert posting.countries == ["DE"]


def test_refresh_search_vectors_without_ids_updates_every_posting():
    PostingFactory.create_batch(3)
    assert refresh_search_vectors() == 3


def test_a_long_postings_vector_stays_in_its_row_and_the_description_moves_out():
    # A row over ~2 KB is toasted; the vector must not be what leaves the row, or every `@@`
    # check of a search reads a second page (migration 0010).
    words = " ".join(f"skill{n:04d}x" for n in range(300))
    posting = make("Platform Engineer", f"<p>{words}</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'jobs_posting'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"
        cursor.execute(
            "SELECT pg_column_size(search_vector), pg_column_size(description)"
            " FROM jobs_posting WHERE id = %s",
            [posting.id],
        )
        vector_size, description_size = cursor.fetchone()
        assert vector_size + description_size > 2_100  # big enough to be toasted
        if connection.pg_version < 170000:
            return  # pg_column_toast_chunk_id() is new in PostgreSQL 17
        cursor.execute(
            "SELECT pg_column_toast_chunk_id(search_vector) IS NULL,"
            " pg_column_toast_chunk_id(description) IS NOT NULL"
            " OR pg_column_compression(description) IS NOT NULL"
            " FROM jobs_posting WHERE id = %s",
            [posting.id],
        )
        vector_in_row, description_toasted = cursor.fetchone()
    assert vector_in_row
    assert description_toasted


def test_the_migration_brings_vectors_stored_out_of_line_back_into_their_rows():
    if connection.pg_version < 170000:
        pytest.skip("pg_column_toast_chunk_id() is new in PostgreSQL 17")
    migration = importlib.import_module("jobs.migrations.0010_search_vector_inline")
    words = " ".join(f"skill{n:04d}x" for n in range(300))
    vector_stored_out_of_line = (
        "SELECT pg_column_toast_chunk_id(search_vector) IS NOT NULL FROM jobs_posting WHERE id = %s"
    )
    with connection.cursor() as cursor:
        # The table as it was before the migration (rolled back with the test).
        cursor.execute("ALTER TABLE jobs_posting ALTER COLUMN search_vector SET STORAGE EXTENDED")
        posting = make("Platform Engineer", f"<p>{words}</p>")
        short = make("Python Developer")
        cursor.execute(vector_stored_out_of_line, [posting.id])
        assert cursor.fetchone()[0]
        before = str(Posting.objects.get(id=posting.id).search_vector)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no FK check
        cursor.execute("ALTER TABLE jobs_posting ALTER COLUMN search_vector SET STORAGE MAIN")
        migration.rewrite_toasted_vectors(None, SimpleNamespace(connection=connection))
        cursor.execute(vector_stored_out_of_line, [posting.id])
        assert not cursor.fetchone()[0]
    assert str(Posting.objects.get(id=posting.id).search_vector) == before
    assert titles(run(q="skill0123x")) == ["Platform Engineer"]
    assert titles(run(q="python")) == [short.title]


def test_a_word_finds_postings_and_only_published_ones():
    make("Python Developer")
    make("Python Intern", status="draft")
    make("Java Developer")
    assert titles(run(q="python")) == ["Python Developer"]


def test_postings_past_their_end_are_left_out_before_the_expiry_scanner_runs():
    make("Python current", expires_at=timezone.now() + timedelta(days=1))
    make("Python past", expires_at=timezone.now() - timedelta(minutes=1))
    assert titles(run(q="python")) == ["Python current"]


def test_quoted_phrase_matches_the_words_in_order():
    make("Senior Data Engineer")
    make("Data Senior Engineer")
    assert titles(run(q='"senior data"')) == ["Senior Data Engineer"]


def test_minus_excludes_a_word():
    make("Python Developer")
    make("Python Django Developer")
    assert titles(run(q="python -django")) == ["Python Developer"]


def test_or_finds_either_word():
    make("Rust Developer")
    make("Go Developer")
    make("Java Developer")
    assert sorted(titles(run(q="rust or go"))) == ["Go Developer", "Rust Developer"]


def test_title_matches_rank_above_description_matches():
    make("Office Manager", "<p>Some python scripting is a plus.</p>")
    make("Python Engineer", "<p>Build services.</p>")
    assert titles(run(q="python", sort="relevance")) == ["Python Engineer", "Office Manager"]


def test_newest_sort_orders_by_publication_date():
    now = timezone.now()
    make("Python old", published_at=now - timedelta(days=5))
    make("Python new", published_at=now - timedelta(days=1))
    make("Python mid", published_at=now - timedelta(days=3))
    assert titles(run(q="python", sort="newest")) == ["Python new", "Python mid", "Python old"]


def test_filters_narrow_the_results():
    de = LocationFactory(city="Berlin", country="DE")
    fr = LocationFactory(city="Paris", country="FR")
    make("Engineer remote DE", workplace="remote", locations=[de])
    make("Engineer onsite FR", workplace="onsite", locations=[fr], employment_type="contract")
    make("Engineer hybrid FR", workplace="hybrid", locations=[fr], level="senior")
    assert titles(run(q="engineer", workplaces=("remote",))) == ["Engineer remote DE"]
    assert sorted(titles(run(countries=("FR",)))) == ["Engineer hybrid FR", "Engineer onsite FR"]
    assert titles(run(location="paris", employment_types=("contract",))) == ["Engineer onsite FR"]
    assert titles(run(levels=("senior",))) == ["Engineer hybrid FR"]


def test_company_filter_uses_the_slug():
    acme = CompanyFactory(name="Acme", slug="acme")
    make("Engineer at Acme", company=acme)
    make("Engineer elsewhere")
    assert titles(run(companies=("acme",))) == ["Engineer at Acme"]


def test_minimum_salary_compares_per_year():
    make("Hourly", salary_min=40, salary_max=50, salary_period="hour")  # 104,000 a year
    make("Yearly low", salary_min=30_000, salary_max=40_000, salary_period="year")
    make("No salary")
    assert titles(run(min_salary=60_000)) == ["Hourly"]


def test_posted_within_keeps_recent_postings():
    now = timezone.now()
    make("Fresh", published_at=now - timedelta(hours=10))
    make("Stale", published_at=now - timedelta(days=20))
    with time_machine.travel(now, tick=False):
        assert titles(run(posted_within=7)) == ["Fresh"]


def test_facet_counts_count_the_matches_per_value():
    de = LocationFactory(city="Berlin", country="DE")
    make("Python A", workplace="remote", locations=[de])
    make("Python B", workplace="remote")
    make("Python C", workplace="onsite", locations=[de])
    make("Java D", workplace="hybrid")
    result = run(q="python")
    facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["workplace"] == {"remote": 2, "onsite": 1}
    assert facets["country"] == {"DE": 2}
    assert result.total == 3 and not result.capped


def facet_counts(result):
    return {f.key: {v.value: v.count for v in f.values} for f in result.facets}


def test_facets_are_disjunctive_a_facet_ignores_its_own_selection():
    de = LocationFactory(city="Berlin", country="DE")
    fr = LocationFactory(city="Paris", country="FR")
    make("Python A", workplace="remote", employment_type="contract", locations=[de])
    make("Python B", workplace="remote", employment_type="full_time", locations=[fr])
    make("Python C", workplace="onsite", employment_type="full_time", locations=[de])
    make("Python D", workplace="hybrid", employment_type="full_time")
    make("Java E", workplace="hybrid")
    result = run(q="python", workplaces=("remote",))
    assert sorted(titles(result)) == ["Python A", "Python B"]
    facets = facet_counts(result)
    # Ticking Remote keeps every workplace with its count over the matches without that filter...
    assert facets["workplace"] == {"remote": 2, "onsite": 1, "hybrid": 1}
    # ...while the other facets count the remote matches only.
    assert facets["type"] == {"contract": 1, "full_time": 1}
    assert facets["country"] == {"DE": 1, "FR": 1}

    both = facet_counts(run(q="python", workplaces=("remote",), countries=("DE",)))
    assert both["workplace"] == {"remote": 1, "onsite": 1}  # the DE matches, any workplace
    assert both["country"] == {"DE": 1, "FR": 1}  # the remote matches, any country
    assert both["type"] == {"contract": 1}  # both filters


def test_a_selected_facet_beyond_the_cap_scales_its_own_sample(monkeypatch):
    monkeypatch.setattr(search_sql, "COUNT_CAP", 5)
    for i in range(30):
        make(f"Python {i}", workplace="remote" if i % 3 == 0 else "onsite")
    analyze()
    result = run(q="python", workplaces=("remote",))
    workplace = facet_counts(result)["workplace"]
    assert set(workplace) == {"remote", "onsite"}
    assert workplace["onsite"] > workplace["remote"] > 0  # 20 onsite, 10 remote, estimated


def test_count_is_capped(monkeypatch):
    monkeypatch.setattr(search_sql, "COUNT_CAP", 3)
    for i in range(5):
        make(f"Python {i}")
    result = run(q="python")
    assert result.capped and result.estimated
    assert result.total >= 4  # an estimate, never below what was counted (cap + 1 rows)
    assert result.total_display == f"about {result.total:,}"
    assert len(result.hits) == 4  # relevance ranks the capped set (cap + 1 rows)
    newest = run(q="python", sort="newest")
    assert newest.capped and len(newest.hits) == 5  # the date index reaches every match


def test_beyond_the_cap_total_and_facets_are_marked_estimates(client, monkeypatch):
    monkeypatch.setattr(search_sql, "COUNT_CAP", 6)
    for i in range(60):
        make(
            f"Python {i}",
            workplace="onsite" if i % 3 == 0 else "remote",
            employment_type="contract" if i % 2 else "full_time",
        )
    make("Java developer")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE jobs_posting")  # the estimate comes from the planner's statistics
    result = run(q="python")
    assert result.capped and result.estimated
    assert 40 <= result.total <= 80, result.total  # 60 match
    assert result.num_pages == 1  # the pages reach the counted matches only
    workplace = {v.value: v.count for v in result.facets[0].values}
    assert set(workplace) == {"onsite", "remote"}
    # Each value's share of the counted sample, scaled to the estimated total.
    assert sum(workplace.values()) == pytest.approx(result.total, rel=0.1)

    html = client.get(URL, {"q": "python"}).content.decode()
    assert f"about {result.total:,} jobs" in html
    assert f'aria-label="about {workplace["remote"]} jobs"' in html
    assert "An estimate: more than 6 jobs match" in html

    # The counted sample must not come sorted by a facet (an index led by one would do that).
    remote = run(q="python", workplaces=("remote",))
    assert remote.estimated
    assert {v.value for v in remote.facets[1].values} == {"contract", "full_time"}

    exact = run(q="java")
    assert not exact.capped and not exact.estimated and exact.total_display == "1"


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE jobs_posting")  # the estimates come from the planner's statistics


def stats_of(params):
    query = search_sql.parse_query(params.q)
    return search_sql._stats(params, query, offset=0, limit=20)


def test_a_common_word_is_checked_row_by_row_with_the_same_answer_as_the_index(monkeypatch):
    monkeypatch.setattr(search_sql, "COUNT_CAP", 3)
    for i in range(40):
        make(f"Python {i}", workplace="remote" if i % 4 else "onsite")
    make("Java developer")
    analyze()
    # The capped set is "the first N matches" in the order the rows are read. Both ways must read
    # them in the heap's order (a sequential scan, or a bitmap of the GIN index) to be compared:
    # a btree index scan, which the planner may pick after earlier tests changed the table's
    # statistics, reads the newest first and so caps a different, equally valid, set.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
    for params in (SearchParams(q="python"), SearchParams(q="python", sort="newest"),
                   SearchParams(q="python", workplaces=("remote",))):  # fmt: skip
        by_rows = stats_of(params)
        assert by_rows.scan_rows > 0, params  # most postings match: reading rows is cheaper
        monkeypatch.setattr(search_sql, "INDEX_ENTRIES_PER_ROW_CHECK", 10**9)  # always the index
        by_index = stats_of(params)
        monkeypatch.undo()
        monkeypatch.setattr(search_sql, "COUNT_CAP", 3)
        assert by_index.scan_rows == 0
        assert (by_rows.total, by_rows.capped, by_rows.estimated, by_rows.counts) == (
            by_index.total, by_index.capped, by_index.estimated, by_index.counts
        )  # fmt: skip
        assert by_rows.ids == by_index.ids
    assert len(run(q="python").hits) == 4
    assert run(q="java").total == 1  # a rare word goes through the index


def test_a_common_word_with_selective_filters_is_checked_on_the_filtered_rows(monkeypatch):
    # The GIN index reads every posting of the words whatever the filters: "team" in 995,000 of
    # 1,000,000 postings, remote + contract + Germany in 2,300 (bench/search.py at 1M).
    assert search_sql._scan_rows(2_295, 2_306) == 0  # the matches alone looked cheap
    assert search_sql._scan_rows(2_295, 2_306, 995_000) > 0
    assert search_sql._scan_rows(900, 910, 995_000) == 0  # fewer than the cap: a scan ends short

    monkeypatch.setattr(search_sql, "COUNT_CAP", 3)
    for i in range(60):
        make(f"Python {i}", workplace="remote" if i < 12 else "onsite",
             employment_type="contract" if i % 2 else "full_time")  # fmt: skip
    analyze()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")  # heap order for both (see above)
    params = SearchParams(q="python", workplaces=("remote",), employment_types=("contract",))
    estimate, candidates, word_matches = search_sql._plan_estimates(
        params, search_sql.parse_query(params.q)
    )
    assert word_matches > estimate
    with CaptureQueriesContext(connection) as queries:
        by_rows = stats_of(params)
    assert by_rows.scan_rows > 0
    (stats_sql,) = [q["sql"] for q in queries.captured_queries if "search:stats" in q["sql"]]
    assert stats_sql.count("ts_match_vq") == 3  # the matches and both selected facets' own sets
    monkeypatch.setattr(search_sql, "INDEX_ENTRIES_PER_ROW_CHECK", 10**9)  # always the index
    by_index = stats_of(params)
    assert by_index.scan_rows == 0
    assert (by_rows.total, by_rows.counts, by_rows.own_sets) == (
        by_index.total, by_index.counts, by_index.own_sets
    )  # fmt: skip


def test_a_browse_facets_own_sets_are_its_newest_matches():
    # Without words the date index (date, workplace, type, level) answers a selected facet's
    # own set after a few entries; the GIN index would read every remote posting first.
    for i in range(6):
        make(f"Job {i}", workplace=("remote", "onsite", "hybrid")[i % 3],
             employment_type="contract" if i < 4 else "full_time")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        result = run(workplaces=("remote",), employment_types=("contract",))
    (stats_sql,) = [q["sql"] for q in queries.captured_queries if "search:stats" in q["sql"]]
    assert stats_sql.count("ORDER BY p.published_at DESC, p.id DESC LIMIT") == 2
    facets = facet_counts(result)
    assert facets["workplace"] == {"remote": 2, "onsite": 1, "hybrid": 1}  # the contracts
    assert facets["type"] == {"contract": 2}  # the remote jobs


def test_a_scan_that_finds_fewer_matches_than_estimated_falls_back_to_the_index(monkeypatch):
    # Two words each in half the postings but together in one: the planner, taking them as
    # independent, expects a quarter of the postings to hold both.
    monkeypatch.setattr(search_sql, "COUNT_CAP", 1)
    for i in range(100):
        make(f"Alpha {i}")
        make(f"Beta {i}")
    both = make("Alpha Beta")
    analyze()
    params = SearchParams(q="alpha beta")
    estimate, candidates = search_sql._estimate_matches(params, search_sql.parse_query(params.q))
    assert estimate > 20 and search_sql._scan_rows(estimate, candidates) > 0

    with CaptureQueriesContext(connection) as queries:
        stats = stats_of(params)
    assert stats.scan_rows == 0  # the bounded scan gave up; the index answered
    assert sum("search:stats" in q["sql"] for q in queries.captured_queries) == 2
    assert (stats.total, stats.capped, stats.estimated) == (1, False, False)
    assert [hit.posting.id for hit in run(q="alpha beta").hits] == [both.id]


def test_the_company_facet_names_the_top_ten_and_keeps_a_selected_one_with_its_count():
    for i in range(12):
        company = CompanyFactory(name=f"Company {i:02d}", slug=f"company-{i:02d}")
        for _ in range(1 if i == 11 else 2 + i % 3):
            make(f"Python {i}", company=company)

    def company_facet(**kwargs):
        result = run(q="python", **kwargs)
        return [(v.value, v.count, v.selected) for v in result.facets[4].values]

    shown = company_facet()
    assert len(shown) == 10 and ("company-11", 1, False) not in shown
    assert shown[0] == ("company-02", 4, False)  # the most matches first, ties by name

    # Selecting the company with the fewest matches (and an unknown one) keeps them in the facet.
    # The facet is disjunctive: the other companies keep their counts, the selected ones follow.
    selected = company_facet(companies=("company-11", "company-xx"))
    assert selected[:10] == [(slug, n, False) for slug, n, _ in shown]
    assert selected[10:] == [("company-11", 1, True), ("company-xx", 0, True)]
    unknown_country = run(q="python", countries=("JP",)).facets[3].values
    assert [(v.value, v.label, v.count) for v in unknown_country] == [("JP", "Japan", 0)]


def test_a_search_reads_as_words():
    summary = search.summarize_querystring
    assert summary("") == "All postings"
    assert summary("q=python&workplace=remote&country=DE&salary=50000&sort=newest") == (
        "“python” · Germany · Remote · At least 50,000 a year · sorted by newest"
    )
    assert summary("workplace=moon&posted=7") == "Past week"  # what the search ignores is left out


def test_page_past_the_end_gives_the_last_page():
    for i in range(5):
        make(f"Python {i}")
    result = search_postings(SearchParams(q="python"), page=99, per_page=2)
    assert result.page == 3 and result.num_pages == 3 and len(result.hits) == 1


def test_did_you_mean_suggests_a_known_word():
    make("Python Developer")
    search.refresh_search_terms()
    result = run(q="pyhton")
    assert result.total == 0
    assert result.suggestion == "python"


def test_snippets_highlight_the_words_and_escape_text():
    make("Python Developer", "<p>You write Python &lt;script&gt; daily.</p>")
    hit = run(q="python").hits[0]
    assert "<mark>Python</mark>" in hit.title_html
    assert "<mark>Python</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html


@pytest.mark.parametrize(
    "q", ["", "-", "or", '"', '""', "'", "x" * 10_000, "🚀 python 🚀", "'; DROP TABLE jobs_posting; --",
          "a\x00b", "!(&|:*)", "the"],
)  # fmt: skip
def test_odd_queries_never_fail(q):
    make("Python Developer")
    params, _ = parse_search_params({"q": q})
    result = search_postings(params)
    assert result.page == 1


def test_invalid_filter_values_are_ignored_with_a_notice():
    params, notices = parse_search_params(
        {"workplace": "moon", "country": "XX", "salary": "lots", "posted": "9", "sort": "best",
         "type": "full_time"}
    )  # fmt: skip
    assert params.workplaces == () and params.countries == () and params.min_salary is None
    assert params.posted_within is None and params.sort == ""
    assert params.employment_types == ("full_time",)
    assert len(notices) == 5


def test_location_text_naming_a_country_becomes_a_country_filter():
    params, notices = parse_search_params({"location": "Germany"})
    assert params.countries == ("DE",) and params.location == "" and notices == []


# --------------------------------------------------------------------------- the /jobs/ page

URL = "/jobs/"


def test_the_page_lists_published_postings_with_highlights(client):
    make("Python Developer", "<p>Python every day.</p>")
    make("Hidden draft Python", status="draft")
    response = client.get(URL, {"q": "python"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Python</mark> Developer" in html
    assert "Hidden draft" not in html
    assert 'name="q" value="python"' in html
    assert "1 job" in html


def test_htmx_requests_get_the_results_region_and_push_a_clean_url(client):
    make("Python Developer", workplace="remote")
    response = client.get(URL, {"q": "python", "location": "", "workplace": "remote"},
                          headers={"HX-Request": "true"})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert response["HX-Push-Url"] == "/jobs/?q=python&workplace=remote"
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(client):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_facet_counts_are_shown_beside_the_filter_values(client):
    make("Python A", workplace="remote")
    make("Python B", workplace="remote")
    make("Python C", workplace="onsite")
    html = client.get(URL, {"q": "python"}).content.decode()
    assert 'value="remote"' in html and 'aria-label="2 jobs">2<' in html
    assert 'aria-label="1 job">1<' in html


@pytest.mark.parametrize("count", [5, 40])
def test_the_list_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    berlin = LocationFactory(city="Berlin", country="DE")
    paris = LocationFactory(city="Paris", country="FR")
    for i in range(count):
        make(f"Python developer {i}", locations=[paris, berlin])
    # parse the words; the planner's estimate; count + facets + page ids; the date walk (newest,
    # many matches); rows with snippets and their locations
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"q": "python", "workplace": "onsite", "page": "2"})
    assert response.status_code == 200
    # the title as the card shows it (the anonymous Save link no longer repeats it)
    assert "<mark>Python</mark> developer" in response.content.decode()
    assert " · Berlin, Germany · Paris, France</p>" in response.content.decode()


def test_page_past_the_end_on_the_page_shows_the_last_page(client):
    for i in range(25):
        make(f"Python {i}")
    response = client.get(URL, {"q": "python", "page": "999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "page 2 of 2" in html
    assert client.get(URL, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize(
    "q", ["", "-", "or", '"', "x" * 10_000, "🚀🚀", "1' OR '1'='1", "<script>alert(1)</script>",
          "\x00", "the"],
)  # fmt: skip
def test_odd_queries_give_a_page(client, q):
    make("Python Developer")
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_operator_only_query_explains_what_to_type(client):
    make("Python Developer")
    html = client.get(URL, {"q": "-"}).content.decode()
    assert "Add a word to look for" in html


def test_no_match_offers_did_you_mean_and_help(client):
    make("Python Developer")
    search.refresh_search_terms()
    html = client.get(URL, {"q": "pyhton"}).content.decode()
    assert "Did you mean" in html and "?q=python" in html
    assert "No jobs match this search" in html


def test_invalid_filters_are_ignored_with_a_notice_on_the_page(client):
    make("Python Developer")
    response = client.get(URL, {"workplace": "moon", "salary": "-5", "posted": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ignored unknown workplace: moon." in html
    assert "Ignored the minimum salary" in html
    assert "Python Developer" in html


def test_active_filters_can_be_removed_one_by_one(client):
    make("Python Developer", workplace="remote")
    html = client.get(URL, {"q": "python", "workplace": "remote", "type": "contract"}).content
    html = html.decode()
    assert 'href="?q=python&amp;type=contract"' in html  # remove "Remote"
    assert 'href="?q=python"' in html  # clear all filters


def test_a_phrase_is_checked_in_a_bounded_window_and_the_count_says_so(monkeypatch):
    monkeypatch.setattr(search_sql, "PHRASE_WINDOW", 3)
    for i in range(4):
        make(f"Data Engineer {i}")
    make("Engineer of Data")
    analyze()  # else the words' estimate is whatever statistics an earlier test left behind
    result = run(q='"data engineer"')
    assert result.capped and result.estimated and len(result.hits) in (2, 3)
    # The estimate: the words' estimate times the phrase's share of the 3 rows checked.
    assert len(result.hits) <= result.total <= 5
    assert result.total_display == f"about {result.total}"
    assert all("Data Engineer" in t for t in titles(result))


def test_posted_date_reads_as_time_ago(client):
    make("Python Developer", published_at=timezone.now() - timedelta(days=3))
    make("Python Today")
    html = client.get(URL).content.decode()
    assert "Posted 3 days ago" in html and "Posted today" in html


def test_refresh_search_command_rebuilds_vectors_and_words():
    from io import StringIO

    from django.core.management import call_command

    PostingFactory(title="Kotlin Developer")
    out = StringIO()
    call_command("refresh_search", stdout=out)
    assert "1 postings" in out.getvalue()
    assert titles(run(q="kotlin")) == ["Kotlin Developer"]
    assert run(q="kotlni").suggestion == "kotlin"
