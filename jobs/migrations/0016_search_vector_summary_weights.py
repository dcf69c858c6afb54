from django.db import migrations

# The search vector now weighs a posting's required qualifications B and its preferred ("nice to
# have") ones D, split by its structured summary (jobs/board/search/index.py). Postings without
# a summary keep the same vector, so only the summarized ones are recomputed: in batches of ids,
# each committed on its own, so a large table is not rewritten in one long transaction (as in
# 0010). At 1,000,000 postings this reads every summary once; the split costs about 0.5 ms a
# posting in Python (demo postings), the UPDATE about 1.3 ms.
BATCH = 5_000


def recompute_summarized_vectors(apps, schema_editor):
    # The live function: the vector's content is defined in one place, and a later change to it
    # comes with its own migration.
    from jobs.board.search.index import refresh_search_vectors

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM jobs_posting")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "SELECT id FROM jobs_posting WHERE id >= %s AND id < %s AND summary IS NOT NULL",
                [start, start + BATCH],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if ids:
                refresh_search_vectors(ids)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("jobs", "0015_member_invitations")]

    operations = [migrations.RunPython(recompute_summarized_vectors, migrations.RunPython.noop)]
