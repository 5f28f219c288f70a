"""A refused or failed frontend-cache purge is a failed task: retried with backoff, and listed for admins
(cms/caching/purge_backend.py, cms/caching/failed_purges.py).
The cache is a real HTTP server on this machine, and the tasks
run through django-tasks: at once, or queued in the database and run by `manage.py db_worker`."""

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

from cms.caching import failed_purges
from cms.caching.failed_purges import MAX_ATTEMPTS, retry_purge

from ... import factories
from ...html import text_of

PURGE_TASK = purge_urls_from_cache_task.module_path
RETRY_TASK = retry_purge.module_path


class FakeCache(ThreadingHTTPServer):
    """Answers PURGE with `status`, and records what it was asked."""

    daemon_threads = True

    def __init__(self):
        self.status = 403
        self.purges = []

        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                server.purges.append((self.headers["Host"], self.path))
                self.send_response(server.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def location(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def edge(settings):
    server = FakeCache()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "cms.caching.purge_backend.StrictHTTPBackend", "LOCATION": server.location, "TIMEOUT": 5}
    }
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def queued_tasks(settings):
    """Tasks queue in the database, as in production, and run when the test runs the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """`manage.py db_worker` until no task is due. Between tasks it closes connections it thinks stale, as
    the test's open transaction looks on PostgreSQL: here the connection stays, so the test can read on."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())


def make_retries_due():
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now() - timedelta(seconds=1))


def purge_results():
    return DBTaskResult.objects.filter(task_path__in=[PURGE_TASK, RETRY_TASK]).order_by("enqueued_at")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")


def report_rows(client):
    response = client.get(reverse("verity_failed_purges"))
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return [[text_of(cell) for cell in row.find_all("td")] for row in soup.select("table.listing tbody tr")]


# --- The backend ------------------------------------------------------------------------------------------


def test_a_refused_purge_fails_its_task(edge, db):
    result = purge_urls_from_cache_task.enqueue(["http://verity.example.com/blog/a-post/"])
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "cms.caching.purge_backend.PurgeFailed"
    assert "answered 403" in result.errors[0].traceback
    assert edge.purges == [("verity.example.com", "/blog/a-post/")]


def test_an_accepted_purge_succeeds(edge, db):
    edge.status = 200
    result = purge_urls_from_cache_task.enqueue(["http://verity.example.com/blog/a-post/"])
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_every_url_of_a_batch_is_tried_before_the_batch_fails(edge, db):
    urls = [f"http://verity.example.com/{n}/" for n in range(3)]
    result = purge_urls_from_cache_task.enqueue(urls)
    assert result.status == TaskResultStatus.FAILED
    assert sorted(path for _, path in edge.purges) == ["/0/", "/1/", "/2/"]
    assert "3 of 3 URLs not purged" in result.errors[0].traceback


def test_an_unreachable_cache_fails_the_task(settings, db):
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "cms.caching.purge_backend.StrictHTTPBackend", "LOCATION": "http://127.0.0.1:1"}
    }
    result = purge_urls_from_cache_task.enqueue(["http://verity.example.com/"])
    assert result.status == TaskResultStatus.FAILED
    assert "refused" in result.errors[0].traceback.lower()


def test_publishing_goes_on_when_the_purge_fails(edge, blog):
    post = factories.make_post(blog, live=False)
    post.save_revision().publish()
    post.refresh_from_db()
    assert post.live
    assert ("testserver", f"/blog/{post.slug}/") in edge.purges


def test_the_settings_use_the_strict_backend_for_an_http_purge_url(monkeypatch):
    import importlib
    import sys

    def fresh_base():  # read the settings module anew, whether or not another test imported it
        sys.modules.pop("cms.settings.base", None)
        return importlib.import_module("cms.settings.base")

    monkeypatch.setenv("FRONTEND_CACHE_PURGE_URL", "http://varnish:6081")
    try:
        assert fresh_base().WAGTAILFRONTENDCACHE["http"] == {
            "BACKEND": "cms.caching.purge_backend.StrictHTTPBackend",
            "LOCATION": "http://varnish:6081",
        }
    finally:
        monkeypatch.delenv("FRONTEND_CACHE_PURGE_URL")
        fresh_base()


# --- Retries, through the database queue and its worker ---------------------------------------------------


@pytest.mark.usefixtures("queued_tasks")
def test_a_purge_refused_on_publish_is_retried_with_backoff_until_it_succeeds(edge, blog, client, superuser):
    post = factories.make_post(blog, live=False)
    post.save_revision().publish()
    queued = list(purge_results())
    assert queued and all(result.status == TaskResultStatus.READY for result in queued)  # queued, not yet sent

    run_worker()
    firsts = {str(r.id): r for r in purge_results().filter(task_path=PURGE_TASK)}
    retries = list(purge_results().filter(task_path=RETRY_TASK))
    assert len(firsts) == len(queued) == len(retries)
    assert all(first.status == TaskResultStatus.FAILED for first in firsts.values())
    assert {first.exception_class_path for first in firsts.values()} == {"cms.caching.purge_backend.PurgeFailed"}
    for retry in retries:
        first = firsts[retry.args_kwargs["kwargs"]["first_failure"]]
        assert retry.status == TaskResultStatus.READY
        assert retry.args_kwargs["kwargs"] == {"attempt": 2, "first_failure": str(first.id)}
        assert retry.args_kwargs["args"][0] == first.args_kwargs["args"][0]
        wait = retry.run_after - first.finished_at
        assert timedelta(seconds=55) < wait < timedelta(seconds=65)  # a minute after the first failure

    client.force_login(superuser)
    rows = report_rows(client)
    assert len(rows) == len(firsts)
    [row] = [row for row in rows if f"http://testserver/blog/{post.slug}/" in row[0]]
    assert row[2] == "1"  # attempts made; the second is queued
    assert row[3].startswith(f"Retrying (attempt 2 of {MAX_ATTEMPTS})")
    assert "answered 403 Forbidden" in row[4]

    run_worker()  # the retries are not due yet
    assert purge_results().count() == 2 * len(firsts)

    edge.status = 200
    make_retries_due()
    run_worker()
    assert {r.status for r in purge_results().filter(task_path=RETRY_TASK)} == {TaskResultStatus.SUCCESSFUL}
    assert report_rows(client) == []


@pytest.mark.usefixtures("queued_tasks")
def test_a_purge_that_keeps_failing_is_given_up_and_stays_on_the_report(edge, client, superuser):
    purge_urls_from_cache_task.enqueue(["http://testserver/blog/a-post/"])
    run_worker()
    waits = []
    while queued := DBTaskResult.objects.filter(status=TaskResultStatus.READY).first():
        waits.append(queued.run_after - timezone.now())
        make_retries_due()
        run_worker()
    results = list(purge_results())
    assert len(results) == MAX_ATTEMPTS
    assert all(result.status == TaskResultStatus.FAILED for result in results)
    assert len(edge.purges) == MAX_ATTEMPTS
    minutes = [round(wait.total_seconds() / 60) for wait in waits]
    assert minutes == [1, 2, 4, 8, 16]  # the backoff doubles

    client.force_login(superuser)
    [row] = report_rows(client)
    assert row[2] == str(MAX_ATTEMPTS)
    assert row[3] == f"Gave up after {MAX_ATTEMPTS} attempts"


# --- The report -------------------------------------------------------------------------------------------


def test_the_report_is_for_superusers_only(client, db):
    editor = get_user_model().objects.create_user("editor", "editor@example.com", "pw")
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("verity_failed_purges")).status_code in (302, 403)
    assert b"Failed cache purges" not in client.get(reverse("wagtailadmin_home")).content


def test_the_report_is_in_the_superusers_reports_menu(client, superuser):
    client.force_login(superuser)
    assert reverse("verity_failed_purges").encode() in client.get(reverse("wagtailadmin_home")).content
    assert report_rows(client) == []


@pytest.mark.usefixtures("queued_tasks")
def test_the_report_exports_csv(edge, client, superuser):
    purge_urls_from_cache_task.enqueue(["http://testserver/"])
    run_worker()
    client.force_login(superuser)
    response = client.get(reverse("verity_failed_purges"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "http://testserver/" in body and "403" in body


def test_failed_purges_reads_in_two_queries(edge, django_assert_num_queries, settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(3):
        purge_urls_from_cache_task.enqueue([f"http://testserver/{n}/"])
    run_worker()
    with django_assert_num_queries(2):
        purges = failed_purges.failed_purges()
        assert [purge.attempt_count for purge in purges] == [1, 1, 1]
