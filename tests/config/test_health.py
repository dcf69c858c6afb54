import pytest

pytestmark = pytest.mark.services


def test_healthz_reports_database_redis_and_worker(client, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": True, "redis": True, "worker": True}


def test_healthz_is_503_without_a_worker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] is True and body["redis"] is True and body["worker"] is False
