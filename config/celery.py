import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jobtrail")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["config"])
# jobs/summary_tasks.py (the job summary's task, beside jobs/tasks.py).
app.autodiscover_tasks(["jobs"], related_name="summary_tasks")

# The worker's and beat's heartbeats for /healthz (signal handlers).
import config.heartbeat  # noqa: E402, F401
