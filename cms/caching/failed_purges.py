"""Failed frontend-cache purges: retried with backoff, and listed for admins under Reports → Failed cache
purges. Both read django_tasks_db's own task results; nothing else records a purge.

A purge is Wagtail's task (`purge_urls_from_cache_task`), queued on publish. When it fails (the backend
raised, cms/caching/purge_backend.py), `retry_failed_purge` queues `retry_purge` with the same arguments after 1 min,
then 2, 4, 8 and 16 min, MAX_ATTEMPTS attempts in all; each retry names the first failure, so the report
shows one row per purge with its attempts. A purge whose last attempt succeeded drops off the report.
Retries need a queue that can wait (the database backend, in production); where tasks run immediately
(development) a failure is logged and listed, not retried.
"""

import inspect
import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

from cms.admin_reports import AdminReport

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(minutes=1)
# How far back the report looks; `manage.py prune_db_task_results` removes older results.
REPORT_DAYS = 30
URLS_SHOWN = 5


def backoff(attempts):
    """How long to wait after the `attempts`-th failed attempt: 1 min, 2, 4, 8, 16."""
    return BACKOFF_BASE * 2 ** (attempts - 1)


@task()
def retry_purge(urls, backend_settings=None, backends=None, *, attempt, first_failure):
    """Attempt `attempt` of a purge that failed before (first as task result `first_failure`)."""
    purge_urls_from_cache_task.call(urls, backend_settings, backends)


def purge_arguments(task_result):
    """The URLs, backend settings and backends a purge task was given, however they were passed."""
    bound = inspect.signature(task_result.task.func).bind(*task_result.args, **task_result.kwargs)
    bound.apply_defaults()
    return bound.arguments["urls"], bound.arguments["backend_settings"], bound.arguments["backends"]


def retry_failed_purge(sender, task_result, **kwargs):
    """On a failed purge (in the worker that ran it), queue its next attempt."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    module_path = task_result.task.module_path
    if module_path == purge_urls_from_cache_task.module_path:
        attempt, first_failure = 1, str(task_result.id)
    elif module_path == retry_purge.module_path:
        attempt, first_failure = task_result.kwargs["attempt"], task_result.kwargs["first_failure"]
    else:
        return
    if attempt >= MAX_ATTEMPTS:
        logger.error("Gave up purging after %s attempts (first failure: task %s)", attempt, first_failure)
        return
    if not retry_purge.get_backend().supports_defer:
        return  # tasks run at once here: there is no queue to wait in
    urls, backend_settings, backends = purge_arguments(task_result)
    retry_purge.using(run_after=timezone.now() + backoff(attempt)).enqueue(
        urls, backend_settings, backends, attempt=attempt + 1, first_failure=first_failure
    )


def connect():
    task_finished.connect(retry_failed_purge, dispatch_uid="verity-retry-failed-purge")


class FailedPurge:
    """One purge and its attempts, as the report shows it."""

    def __init__(self, first, retries):
        self.first = first
        self.attempts = [first, *sorted(retries, key=lambda result: result.args_kwargs["kwargs"]["attempt"])]
        self.last = self.attempts[-1]

    @property
    def urls(self):
        return purge_arguments(self.first.task_result)[0]

    @property
    def urls_shown(self):
        return self.urls[:URLS_SHOWN]

    @property
    def urls_not_shown(self):
        return max(0, len(self.urls) - URLS_SHOWN)

    @property
    def failed_at(self):
        return self.first.finished_at

    @property
    def attempt_count(self):
        """Attempts made so far (a queued retry is not one yet)."""
        finished = (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
        return len([result for result in self.attempts if result.status in finished])

    @property
    def last_error(self):
        failed = [result for result in self.attempts if result.status == TaskResultStatus.FAILED]
        lines = [line for line in failed[-1].traceback.splitlines() if line.strip()] if failed else []
        last = lines[-1] if lines else ""
        return last.split(": ", 1)[1] if last.startswith(failed[-1].exception_class_path + ": ") else last

    @property
    def next_attempt_at(self):
        return self.last.run_after if self.last.status == TaskResultStatus.READY else None

    @property
    def state(self):
        if self.last.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            return f"Retrying (attempt {len(self.attempts)} of {MAX_ATTEMPTS})"
        if self.attempt_count >= MAX_ATTEMPTS:
            return f"Gave up after {self.attempt_count} attempts"
        return "Failed, not retried"

    @property
    def resolved(self):
        return self.last.status == TaskResultStatus.SUCCESSFUL

    # For the CSV and Excel export.
    @property
    def urls_text(self):
        return " ".join(self.urls)


def failed_purges(now=None):
    """Purges whose last attempt did not succeed, newest first, read in two queries."""
    since = (now or timezone.now()) - timedelta(days=REPORT_DAYS)
    firsts = list(
        DBTaskResult.objects.filter(
            task_path=purge_urls_from_cache_task.module_path,
            status=TaskResultStatus.FAILED,
            finished_at__gte=since,
        ).order_by("-finished_at")
    )
    retries = {}
    for result in DBTaskResult.objects.filter(
        task_path=retry_purge.module_path, args_kwargs__kwargs__first_failure__in=[str(r.id) for r in firsts]
    ):
        retries.setdefault(result.args_kwargs["kwargs"]["first_failure"], []).append(result)
    purges = (FailedPurge(first, retries.get(str(first.id), [])) for first in firsts)
    return [purge for purge in purges if not purge.resolved]


class FailedPurgesView(AdminReport):
    page_title = "Failed cache purges"
    header_icon = "warning"
    url_path = "failed-cache-purges"
    menu_order = 60
    results_template_name = "cms/admin/failed_purges_results.html"
    index_url_name = "verity_failed_purges"
    index_results_url_name = "verity_failed_purges_results"
    list_export = ["urls_text", "failed_at", "attempt_count", "state", "last_error"]
    export_headings = {
        "urls_text": "URLs",
        "failed_at": "First failed",
        "attempt_count": "Attempts",
        "state": "State",
        "last_error": "Last error",
    }

    @classmethod
    def can_see(cls, user):
        return user.is_superuser

    def get_queryset(self):
        return failed_purges()


FailedPurgesView.register()
