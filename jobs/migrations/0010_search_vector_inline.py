from django.db import migrations

# Keep each posting's search vector in its row. A tsvector barely compresses, so under the
# default storage (EXTENDED) PostgreSQL moved every vector of a row over ~2 KB to the TOAST
# table: in the 1,000,000-posting bench, 54% of them. Checking `@@` on such a row then costs an
# index lookup and a second page, which made every row check of a search about 3 µs instead of
# 1.2 µs: all search queries p95 35.6 ms -> 26.2 ms (bench/search.py, 1M rows). MAIN keeps the
# vector inline unless the row would pass ~8 KB; the description (read only for the page's 20
# rows) is what moves out instead.
REWRITE_BATCH = 5_000
REWRITE = """UPDATE jobs_posting SET search_vector = search_vector || ''::tsvector
             WHERE id >= %s AND id < %s AND search_vector IS NOT NULL"""


def rewrite_toasted_vectors(apps, schema_editor):
    """Store the existing vectors again so that they follow the new storage.

    `|| ''::tsvector` gives the same vector as a new value; an unchanged value would keep its
    TOAST pointer. From PostgreSQL 17 only the vectors stored out of line are rewritten.
    """
    connection = schema_editor.connection
    sql = REWRITE
    if connection.pg_version >= 170000:
        sql += " AND pg_column_toast_chunk_id(search_vector) IS NOT NULL"
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM jobs_posting")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, REWRITE_BATCH):
            cursor.execute(sql, [start, start + REWRITE_BATCH])


class Migration(migrations.Migration):
    # Each batch commits on its own: a big table is not rewritten in one long transaction.
    atomic = False

    dependencies = [("jobs", "0009_import_job_file_purged_at")]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE jobs_posting ALTER COLUMN search_vector SET STORAGE MAIN",
            reverse_sql="ALTER TABLE jobs_posting ALTER COLUMN search_vector SET STORAGE EXTENDED",
        ),
        migrations.RunPython(rewrite_toasted_vectors, migrations.RunPython.noop),
    ]
