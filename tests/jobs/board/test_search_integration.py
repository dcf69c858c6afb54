from django.db import connection

from jobs.tasks import refresh_search_terms
from tests.factories import CompanyFactory, PostingFactory


def test_beat_task_rebuilds_the_did_you_mean_word_list(db):
    PostingFactory(title="Kubernetes Platform Engineer", company=CompanyFactory(name="Zebracorp"))
    refresh_search_terms()
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM jobs_search_term")
        words = {row[0] for row in cursor.fetchall()}
    assert {"kubernetes", "platform", "zebracorp"} <= words


def test_results_carry_the_summary_line_and_the_page_links_its_feeds(client, db):
    from jobs.board.search import refresh_search_vectors
    from jobs.summary import summarize

    text = (
        "We are hiring a data engineer to build our analytics platform.\n"
        "Responsibilities\nBuild and run data pipelines for the product teams.\n"
        "Own the warehouse models and their tests.\n"
        "Requirements\n5+ years of experience with Python and Kubernetes.\n"
        "Solid SQL and PostgreSQL skills.\n"
    )
    posting = PostingFactory(title="Data Engineer", description=text.replace("\n", "<br>"))
    posting.summary = summarize(text, "Data Engineer").to_dict()
    assert posting.summary["status"] == "ok"
    posting.save()
    refresh_search_vectors([posting.pk])
    html = client.get("/jobs/?q=data").content.decode()
    assert 'class="summary-line muted"' in html
    assert "Python" in html.split('class="summary-line muted">')[1].split("</p>")[0]
    assert 'type="application/rss+xml"' in html and 'href="/jobs/feed/rss/?q=data"' in html
    assert 'type="application/atom+xml"' in html


def test_hits_load_the_card_columns_and_keep_the_summary_line(db, django_assert_num_queries):
    from django.template import Context, Template

    from jobs.board.search import SearchParams, refresh_search_vectors, search_postings
    from jobs.models import Posting
    from jobs.summary import web
    from jobs.summary.web import summary_line

    def skill(name, importance):
        return {"name": name, "category": "tool", "start": 0, "end": 1, "importance": importance}

    def fact(key, value, data):
        return {"key": key, "label": key, "value": value, "data": data, "start": None,
                "end": None, "source": "text"}  # fmt: skip

    summary = {
        "engine": "local", "version": 1, "status": "ok",
        "overview": [{"text": "A long overview. " * 100, "start": 0, "end": 10}],
        "skills": [skill("Go", "preferred"), skill("Python", "required"),
                   skill("Kubernetes", "mentioned")],
        "facts": [fact("salary", "€60,000", 60000), fact("years_experience", "5+ years", 5),
                  fact("application_limit", "3", {"limit": 3})],
    }  # fmt: skip
    posting = PostingFactory(title="Data Engineer", description="<p>Data work.</p>" * 500)
    plain = PostingFactory(title="Data Analyst")  # no summary yet
    Posting.objects.filter(pk=posting.pk).update(summary=summary)
    refresh_search_vectors([posting.pk, plain.pk])

    line = "Python, Kubernetes · 5+ years experience · max 3 applications"
    assert summary_line(summary) == line
    web._LINES.clear()
    # the search's five (words, estimate, count + facets + ids, "did you mean" under 3 matches,
    # rows), then the one summary whose line this process has not kept (none for the posting
    # without a summary)
    with django_assert_num_queries(6):
        hits = {h.posting.pk: h for h in search_postings(SearchParams(q="data")).hits}
    hit = hits[posting.pk]
    assert {"description", "summary", "search_vector"} <= hit.posting.get_deferred_fields()
    assert (hit.summary_line, hits[plain.pk].summary_line) == (line, "")
    with django_assert_num_queries(5):  # kept: the summary is not read again
        again = {h.posting.pk: h for h in search_postings(SearchParams(q="data")).hits}
    assert again[posting.pk].summary_line == line
    tag = Template("{% load job_summary %}{% posting_summary_line posting %}")
    loaded = Posting.objects.get(pk=posting.pk)
    with django_assert_num_queries(0):  # nothing deferred is read by the card
        assert hit.card["summary_line"] == line and hit.card["url"] and hit.company_url
        assert hit.salary is not None and hit.posted_ago
        # the tag reads a loaded summary (other pages), kept the same way
        assert tag.render(Context({"posting": loaded})) == line

    # The feeds read whole rows (the overview, the description).
    [hit] = [h for h in search_postings(SearchParams(q="data"), full_rows=True).hits
             if h.posting.pk == posting.pk]  # fmt: skip
    assert hit.posting.summary == summary and "Data work." in hit.posting.description

    # An edit is a new version of the posting: its line is read again.
    Posting.objects.filter(pk=posting.pk).update(
        summary={**summary, "skills": [skill("Rust", "required")]}, updated_at=posting.updated_at
    )
    same = {h.posting.pk: h.summary_line for h in search_postings(SearchParams(q="data")).hits}
    assert same[posting.pk] == line  # the same version: kept
    Posting.objects.get(pk=posting.pk).save()  # updated_at moves
    lines = {h.posting.pk: h.summary_line for h in search_postings(SearchParams(q="data")).hits}
    assert lines[posting.pk].startswith("Rust")
