"""Settings come from the environment; Redis is the cache where REDIS_URL is set."""

import importlib
import os
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache


def load_base_settings(monkeypatch, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("cms.settings.base", None)
    try:
        return importlib.import_module("cms.settings.base")
    finally:
        sys.modules.pop("cms.settings.base", None)


def test_sqlite_is_the_default_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_base_settings(monkeypatch)
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql(monkeypatch):
    settings = load_base_settings(monkeypatch, DATABASE_URL="postgres://u:p@db.example:5432/verity")
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.example", "verity")


def test_redis_url_selects_the_redis_cache(monkeypatch):
    settings = load_base_settings(monkeypatch, REDIS_URL="redis://cache.example:6379/1")
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.example:6379/1"
    # A Redis that fails is a miss, logged, after a short timeout; then left alone for a few seconds.
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] and settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS
    assert cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 0.5 and cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 0.5
    assert cache["OPTIONS"]["CONNECTION_POOL_KWARGS"]["connection_class"].__name__ == "BreakerConnection"
    # Sessions are not kept only in the cache: losing Redis signs nobody out.
    assert getattr(settings, "SESSION_ENGINE", "django.contrib.sessions.backends.db").endswith(".db")


def test_postgresql_connections_fail_fast_and_are_kept_healthy(monkeypatch):
    settings = load_base_settings(
        monkeypatch, DATABASE_URL="postgres://u:p@db.example:5432/verity?sslmode=require", DATABASE_CONN_MAX_AGE="60"
    )
    database = settings.DATABASES["default"]
    assert database["OPTIONS"]["connect_timeout"] == 2
    assert "-c statement_timeout=4000" in database["OPTIONS"]["options"]
    assert database["OPTIONS"]["sslmode"] == "require"  # the URL's own options are kept
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    assert database["ATOMIC_REQUESTS"] is False  # reads outside transactions; writes atomic by middleware


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ALLOWED_HOSTS", "verity.example.com")
    sys.modules.pop("cms.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("cms.settings.production")
    sys.modules.pop("cms.settings.production", None)


@pytest.mark.skipif(not os.environ.get("VERITY_TEST_REDIS_URL"), reason="set VERITY_TEST_REDIS_URL to a Redis")
def test_the_redis_cache_round_trips_through_a_real_server():
    cache = RedisCache(os.environ["VERITY_TEST_REDIS_URL"], {"KEY_PREFIX": f"verity-test-{uuid.uuid4()}"})
    cache.set("greeting", {"hello": "world"}, timeout=30)
    assert cache.get("greeting") == {"hello": "world"}
    cache.delete("greeting")
