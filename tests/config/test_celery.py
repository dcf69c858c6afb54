import time

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app
from config.tasks import HEARTBEAT_KEY, heartbeat


def test_celery_is_configured_for_at_least_once_delivery_of_json_in_utc():
    conf = app.conf
    assert conf.broker_url == settings.REDIS_URL
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.timezone == "UTC" and conf.enable_utc is True
    # Redis redelivers an unacknowledged message after the visibility timeout: it must outlive
    # any countdown/ETA we schedule, or a delayed task would run twice.
    assert conf.broker_transport_options["visibility_timeout"] >= 3600


def test_beat_schedule_lives_in_settings_and_names_registered_tasks():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert "heartbeat" in schedule
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.services
def test_a_worker_runs_a_task_sent_through_redis(celery_worker_process):
    cache.delete(HEARTBEAT_KEY)
    heartbeat.delay()
    deadline = time.monotonic() + 30
    while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(HEARTBEAT_KEY) is not None
