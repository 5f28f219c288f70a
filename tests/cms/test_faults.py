"""A failing cache costs speed, a failing database a clear 503: never a hang, never a bare 500.

The cache cases point the cache at a Redis port nothing listens on, at a server that accepts connections
and never answers (a frozen Redis), and, where `redis-server` is installed, at a real Redis that is then
stopped and frozen; the home page, a post, the API and the admin dashboard still answer 200 through the
test client, each at most about a second slower.

The database cases run the site in gunicorn, as production does, against a PostgreSQL port nothing
listens on and a server that accepts and never answers: every request answers 503 with Retry-After
within 5 s — a problem document under /api/, the site's page elsewhere — and /healthz still 200. In
process, a database whose every query fails shows the same answers page by page.
"""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from django.db import OperationalError, connection

from cms.caching import redis_cache

from .. import factories
from .workflow_helpers import make_team

ROOT = Path(__file__).resolve().parents[2]
SLOWER_AT_MOST = 1.0  # seconds a request may lose to a failing cache


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentServer:
    """Accepts TCP connections and never answers a byte: a frozen server, as its clients see it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(client)  # held open, never read, never answered

    def close(self):
        self.running = False
        self.sock.close()
        for client in self.accepted:
            client.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"verity-test-{os.getpid()}",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": settings.REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": settings.REDIS_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
                "CONNECTION_POOL_KWARGS": {"connection_class": redis_cache.BreakerConnection},
            },
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = redis_cache.LOGGER_NAME


@pytest.fixture
def site(client, blog):
    """A live post, and an admin signed in (their session is in the database, not the cache)."""
    redis_cache.reset()
    post = factories.make_post(blog, title="Tears after sex")
    admin = make_team()["admin"]
    yield SimpleNamespace(post=post, admin=admin)
    redis_cache.reset()


def pages(site):
    return ["/", site.post.url, "/api/v3/posts/", f"/api/v3/posts/by-slug/{site.post.slug}/", "/admin/"]


def timed_get(client, url):
    start = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - start


def baseline(client, site):
    """Each page's time with the working (in-memory) cache, after a first request warmed it up."""
    client.force_login(site.admin)
    times = {}
    for url in pages(site):
        client.get(url)
        response, times[url] = timed_get(client, url)
        assert response.status_code == 200, url
    return times


def assert_pages_answer(client, site, before, rounds=3):
    client.force_login(site.admin)
    for _round in range(rounds):
        for url in pages(site):
            response, elapsed = timed_get(client, url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            assert elapsed < before[url] + SLOWER_AT_MOST, f"{url} took {elapsed:.2f} s, {before[url]:.2f} s before"


def test_a_redis_nobody_listens_on_costs_nothing_but_misses(client, site, settings, caplog):
    before = baseline(client, site)
    use_redis(settings, f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.ERROR, logger=redis_cache.LOGGER_NAME):
        assert_pages_answer(client, site, before)
    ignored = [record for record in caplog.records if record.name == redis_cache.LOGGER_NAME]
    assert ignored, "the ignored cache errors are logged"
    assert len(ignored) <= 2, "an outage is logged once per interval, not once per cache read"


def test_a_frozen_redis_costs_at_most_its_socket_timeout(client, site, settings, silent_server):
    before = baseline(client, site)
    use_redis(settings, f"redis://127.0.0.1:{silent_server.port}/0")
    settings.VERITY_REDIS_RETRY_AFTER = 0.5  # tried again twice a second: each retry pays the timeout once
    start = time.monotonic()
    assert_pages_answer(client, site, before, rounds=4)
    assert silent_server.accepted, "the cache did try the frozen server"
    assert time.monotonic() - start < sum(before.values()) * 4 + 4 * SLOWER_AT_MOST


def redis_server_binary():
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / "redis-server"
        if candidate.exists():
            return str(candidate)
    return None


@pytest.fixture
def real_redis(tmp_path):
    binary = redis_server_binary()
    if not binary:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the installed redis-server, on a private port
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield SimpleNamespace(process=process, url=f"redis://127.0.0.1:{port}/0")
    process.send_signal(signal.SIGCONT)
    process.kill()
    process.wait()


def test_a_real_redis_stopped_then_frozen_then_back(client, site, settings, real_redis):
    before = baseline(client, site)
    use_redis(settings, real_redis.url)
    settings.VERITY_REDIS_RETRY_AFTER = 0.5
    from django.core.cache import cache

    assert_pages_answer(client, site, before, rounds=1)
    cache.set("still-there", "yes")
    assert cache.get("still-there") == "yes", "the cache works while Redis is up"

    real_redis.process.send_signal(signal.SIGSTOP)  # frozen: connections accepted by the kernel, no answers
    assert_pages_answer(client, site, before)
    assert cache.get("still-there") is None  # a miss, at once

    real_redis.process.send_signal(signal.SIGCONT)
    time.sleep(settings.VERITY_REDIS_RETRY_AFTER + 0.1)
    assert cache.get("still-there") == "yes", "back once Redis answers again"

    real_redis.process.kill()  # stopped: connections refused
    real_redis.process.wait()
    assert_pages_answer(client, site, before)


# The database


def failing_queries(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def test_while_every_query_fails_the_site_and_the_api_answer_503_with_retry_after(client, site, settings):
    client.raise_request_exception = False
    client.force_login(site.admin)
    with connection.execute_wrapper(failing_queries):
        answers = {url: client.get(url) for url in [*pages(site), "/robots.txt", "/search/?q=tears"]}
        healthz = client.get("/healthz")
        readyz = client.get("/readyz")

    robots = answers.pop("/robots.txt")
    assert robots.status_code in (200, 503)  # 200 where it needs no database
    for url, response in answers.items():
        assert response.status_code == 503, f"{url} answered {response.status_code}"
        assert response["Retry-After"] == str(settings.VERITY_RETRY_AFTER)
        assert "no-store" in response["Cache-Control"]
        if url.startswith("/api/"):
            assert response["Content-Type"] == "application/problem+json"
            problem = response.json()
            assert (problem["status"], problem["title"]) == (503, "Service Unavailable")
        else:
            assert response["Content-Type"].startswith("text/html")
            assert "back in a moment" in response.content.decode()
    assert healthz.status_code == 200
    assert readyz.status_code == 503 and not readyz.json()["checks"]["database"]["ok"]

    assert client.get("/").status_code == 200, "and all is well once the database answers"


def test_a_write_the_database_fails_is_a_503_and_leaves_nothing(client, site, settings):
    client.raise_request_exception = False
    client.force_login(site.admin)
    with connection.execute_wrapper(failing_queries):
        response = client.post(f"/admin/pages/{site.post.pk}/unpublish/")
    assert response.status_code == 503
    site.post.refresh_from_db()
    assert site.post.live


# The database, for real: the site in gunicorn against a port nobody listens on, and a frozen server.

GUNICORN_TIMEOUT = 30
ANSWER_WITHIN = 5.0


def start_gunicorn(tmp_path, database_url):
    port = free_port()
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    environ.pop("REDIS_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - this Python's gunicorn, the project's WSGI application
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--timeout",
                str(GUNICORN_TIMEOUT),
            ],
            cwd=ROOT,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "gunicorn did not start:\n" + log.read_text()[-3000:]
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                break
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or listening while its worker still boots (slow on a busy machine): wait on.
            time.sleep(0.2)
    return SimpleNamespace(process=process, url=url, log=log)


@pytest.fixture
def gunicorn_against(tmp_path):
    started = []

    def start(database_url):
        server = start_gunicorn(tmp_path, database_url)
        started.append(server)
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def assert_unavailable_within(server, limit=ANSWER_WITHIN):
    for path in ["/", "/blog/what-it-means-if-you-cry-after-sex/", "/robots.txt", "/api/v3/posts/", "/admin/"]:
        for _attempt in range(2):
            start = time.monotonic()
            response = requests.get(server.url + path, timeout=GUNICORN_TIMEOUT + 5, allow_redirects=False)
            elapsed = time.monotonic() - start
            assert elapsed < limit, f"{path} took {elapsed:.1f} s"
            if (path, response.status_code) in {("/admin/", 302), ("/robots.txt", 200)}:
                continue  # the login redirect and robots.txt need no database
            assert response.status_code == 503, f"{path}: {response.status_code}\n{server.log.read_text()[-3000:]}"
            assert int(response.headers["Retry-After"]) > 0
            if path.startswith("/api/"):
                assert response.headers["Content-Type"] == "application/problem+json"
                assert json.loads(response.content)["status"] == 503
            else:
                assert "back in a moment" in response.text
    healthz = requests.get(server.url + "/healthz", timeout=5)
    assert healthz.status_code == 200 and healthz.headers["Cache-Control"].startswith("max-age=0")
    start = time.monotonic()
    readyz = requests.get(server.url + "/readyz", timeout=GUNICORN_TIMEOUT + 5)
    assert time.monotonic() - start < limit
    assert readyz.status_code == 503
    assert readyz.json()["checks"]["database"]["ok"] is False


def test_a_database_nobody_listens_on_answers_503_at_once(gunicorn_against):
    server = gunicorn_against(f"postgres://verity@127.0.0.1:{free_port()}/verity")
    assert_unavailable_within(server, limit=1.5)


def test_a_frozen_database_answers_503_within_five_seconds(gunicorn_against, silent_server):
    server = gunicorn_against(f"postgres://verity@127.0.0.1:{silent_server.port}/verity")
    assert_unavailable_within(server)
    assert silent_server.accepted, "the site did try the frozen server"
