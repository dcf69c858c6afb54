"""The jobs tasks moved into their packages keep the names queued messages and the beat schedule
use: a message sent before the move still finds its task."""

from config.celery import app

OLD_NAMES = [
    "jobs.tasks.expire_postings",
    "jobs.tasks.refresh_search_terms",
    "jobs.tasks.run_import_job",
    "jobs.tasks.recover_import_jobs",
    "jobs.tasks.purge_import_files",
    "jobs.tasks.posting_reviewed_email",
    "jobs.summary_tasks.summarize_posting",
]


def test_every_jobs_task_keeps_its_first_name():
    app.loader.import_default_modules()
    missing = [name for name in OLD_NAMES if name not in app.tasks]
    assert missing == []


def test_the_packages_tasks_are_the_registered_ones():
    app.loader.import_default_modules()
    homes = {
        "jobs.tasks.run_import_job": "jobs.imports.tasks",
        "jobs.tasks.posting_reviewed_email": "jobs.moderation.tasks",
        "jobs.tasks.expire_postings": "jobs.employer.tasks",
        "jobs.tasks.refresh_search_terms": "jobs.board.tasks",
        "jobs.summary_tasks.summarize_posting": "jobs.summary.tasks",
    }
    assert {name: app.tasks[name].run.__module__ for name in homes} == homes
