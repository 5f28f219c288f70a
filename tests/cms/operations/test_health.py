"""/healthz says the process answers and touches nothing; /readyz checks what the instance needs to serve.

Neither may be kept by a shared cache. The database-down answers of /readyz are in test_faults.py.
"""

import socket

import pytest
from django.core.cache import cache

from cms.caching import redis_cache
from cms.operations import health

from ..test_faults import use_redis


def assert_not_cacheable(response):
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_healthz_answers_without_database_cache_or_session(client, monkeypatch):
    """No database mark: pytest-django fails any query this test would make."""

    def untouchable(*args, **kwargs):
        raise AssertionError("/healthz touched the cache")

    for method in ("get", "set", "add", "get_many", "delete"):
        monkeypatch.setattr(cache, method, untouchable)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert_not_cacheable(response)
    assert not response.cookies, "no session, no CSRF cookie"


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "tasks"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())
    assert_not_cacheable(response)


@pytest.mark.django_db
def test_readyz_is_unavailable_when_background_tasks_pile_up(client, settings, monkeypatch):
    settings.VERITY_READYZ_MAX_PENDING_TASKS = 10
    monkeypatch.setattr(health, "pending_tasks", lambda limit: limit + 1)
    response = client.get("/readyz")
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert not tasks["ok"] and "more than 10 background tasks" in tasks["error"]
    assert_not_cacheable(response)

    monkeypatch.setattr(health, "pending_tasks", lambda limit: 3)
    response = client.get("/readyz")
    assert response.status_code == 200
    tasks = response.json()["checks"]["tasks"]
    assert (tasks["ok"], tasks["pending"], tasks["limit"]) == (True, 3, 10)


@pytest.mark.django_db
def test_readyz_is_unavailable_when_media_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert not response.json()["checks"]["storage"]["ok"]


@pytest.mark.django_db
def test_a_failing_cache_makes_readyz_degraded_not_unavailable(client, settings):
    """The cache only speeds pages up: taking every instance out of service for it would be the outage."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    redis_cache.reset()
    use_redis(settings, f"redis://127.0.0.1:{port}/0")
    try:
        response = client.get("/readyz")
    finally:
        redis_cache.reset()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert not body["checks"]["cache"]["ok"] and body["checks"]["database"]["ok"]
