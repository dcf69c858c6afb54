from django.db import migrations

# Measured at 1,000,000 postings: a publication-date range inside the GIN index walks one entry
# per distinct timestamp and was slower than the btree on (published_at, id). The combined index
# keeps the low-cardinality filters and the text.
FORWARD = [
    "DROP INDEX IF EXISTS posting_published_search_combo",
    """CREATE INDEX posting_published_search_combo ON jobs_posting
       USING gin (countries, workplace, employment_type, level, search_vector)
       WHERE status = 'published'""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS posting_published_search_combo",
    """CREATE INDEX posting_published_search_combo ON jobs_posting
       USING gin (countries, workplace, employment_type, level, published_at, search_vector)
       WHERE status = 'published'""",
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_search_filters_in_combo_index")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
