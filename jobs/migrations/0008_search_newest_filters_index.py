from django.db import migrations

# Replaces 0007's btree, whose order (workplace, type, level, date) made the first 1,001 matches
# of a single filter all one employment type: the facet estimates scale that sample, so it must
# not be sorted by a facet. This one walks the date order and checks the filters inside the
# index, without reading the rows that fail them. Measured at 1,000,000 postings: the newest 20
# of remote + contract + senior in 0.2 ms (7 ms through the date index alone, reading each row);
# the first 1,001 of one filter in 2-3 ms. It also serves everything the date index served.
FORWARD = [
    "DROP INDEX IF EXISTS posting_published_filters",
    """CREATE INDEX IF NOT EXISTS posting_published_newest_filters ON jobs_posting
        (published_at DESC, id DESC, workplace, employment_type, level)
        WHERE status = 'published'""",
    "DROP INDEX IF EXISTS posting_published_newest",
]
BACKWARD = [
    """CREATE INDEX IF NOT EXISTS posting_published_newest ON jobs_posting
        (published_at DESC, id DESC) WHERE status = 'published'""",
    "DROP INDEX IF EXISTS posting_published_newest_filters",
    """CREATE INDEX IF NOT EXISTS posting_published_filters ON jobs_posting
        (workplace, employment_type, level, published_at DESC, id DESC)
        WHERE status = 'published'""",
]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0007_search_filters_btree")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
