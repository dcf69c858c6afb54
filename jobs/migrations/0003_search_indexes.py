from django.db import migrations

# Indexes and the word list behind jobs/search.py (see "Search at 1,000,000 postings" in
# DESIGN.md). Raw SQL: partial multi-column GIN indexes over an array, a btree_gin column and a
# tsvector, and a table that only the search module reads and writes.
FORWARD = [
    # Text matches combined with country and workplace filters, published postings only.
    """CREATE INDEX posting_published_search_combo ON jobs_posting
       USING gin (countries, workplace, search_vector) WHERE status = 'published'""",
    # Newest first over the published postings, walked for common words and for browsing.
    """CREATE INDEX posting_published_newest ON jobs_posting (published_at DESC, id DESC)
       WHERE status = 'published'""",
    # "Did you mean": distinct words of published titles and companies, nearest by trigrams.
    """CREATE TABLE jobs_search_term (word text PRIMARY KEY, ndoc integer NOT NULL)""",
    """CREATE INDEX search_term_trgm ON jobs_search_term USING gist (word gist_trgm_ops)""",
]
BACKWARD = [
    "DROP TABLE IF EXISTS jobs_search_term",
    "DROP INDEX IF EXISTS posting_published_newest",
    "DROP INDEX IF EXISTS posting_published_search_combo",
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_initial")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
