"""Every Celery task of the jobs app, imported from its package so that autodiscovery (which
looks for `jobs.tasks`) registers them. Each keeps its old name (`jobs.tasks.<function>`, or
`jobs.summary_tasks.summarize_posting`) through an explicit `name=`: the beat schedule
(config/settings.py) and messages already queued still find them."""

from jobs.board.tasks import refresh_search_terms
from jobs.employer.tasks import expire_postings
from jobs.imports.tasks import (
    IMPORT_BUSY_COUNTDOWN,
    IMPORT_BUSY_RETRIES,
    purge_import_files,
    recover_import_jobs,
    run_import_job,
)
from jobs.moderation.tasks import REVIEW_MAIL_TEMPLATE, posting_reviewed_email
from jobs.summary.tasks import summarize_posting

__all__ = [
    "IMPORT_BUSY_COUNTDOWN",
    "IMPORT_BUSY_RETRIES",
    "REVIEW_MAIL_TEMPLATE",
    "expire_postings",
    "posting_reviewed_email",
    "purge_import_files",
    "recover_import_jobs",
    "refresh_search_terms",
    "run_import_job",
    "summarize_posting",
]
