from django.db import migrations

# Browsing by filters alone (workplace, employment type, level), newest first. Measured at
# 1,000,000 postings: remote + contract + senior intersected three long posting lists in the GIN
# index (25-80 ms); this btree reads the first 1,001 matches in date order (3-7 ms). PostgreSQL
# 18 skip-scans it when only a later column is chosen (level alone: 6 ms).
FORWARD = """
    CREATE INDEX IF NOT EXISTS posting_published_filters ON jobs_posting
        (workplace, employment_type, level, published_at DESC, id DESC)
        WHERE status = 'published'
"""
BACKWARD = "DROP INDEX IF EXISTS posting_published_filters"


class Migration(migrations.Migration):
    dependencies = [("jobs", "0006_import_jobs")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
