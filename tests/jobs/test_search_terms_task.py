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
