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
