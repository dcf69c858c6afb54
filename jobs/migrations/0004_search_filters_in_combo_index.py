from django.db import migrations

# The combined GIN index also covers employment type, level and the publication date, so that a
# search with several filters intersects posting lists inside one index scan instead of reading
# every posting that has the words (see "Search at 1,000,000 postings" in DESIGN.md).
FORWARD = [
    "DROP INDEX IF EXISTS posting_published_search_combo",
    """CREATE INDEX posting_published_search_combo ON jobs_posting
       USING gin (countries, workplace, employment_type, level, published_at, search_vector)
       WHERE status = 'published'""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS posting_published_search_combo",
    """CREATE INDEX posting_published_search_combo ON jobs_posting
       USING gin (countries, workplace, search_vector) WHERE status = 'published'""",
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_search_indexes")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
