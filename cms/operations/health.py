"""Health endpoints for the load balancer, the orchestrator and the operator.

    /healthz   the process answers. Touches nothing — no database, no cache, no session — so a failing
               dependency never gets a healthy process restarted: 200 {"status": "ok"}.
    /readyz    this instance can serve: the database answers, media storage is reachable and the
               background task queue is not piling up (more than VERITY_READYZ_MAX_PENDING_TASKS ready
               tasks waiting: the tasks worker is down or behind). 200 when they all pass, else 503; the
               JSON names each check, whether it passed, how long it took and why it failed. The cache is
               checked and reported too, but a cache that fails only slows pages (cms/caching/redis_cache.py), so
               it makes the answer "degraded", still 200, rather than taking every instance out of service.

Both answer `Cache-Control: no-store` (and the page cache, cms/caching/http_cache.py, never keeps them): a shared
cache must not answer for the application. Each check is bounded by the database and cache timeouts
(cms/settings/base.py); object storage by VERITY_READYZ_STORAGE_TIMEOUT (3 s).
"""

import concurrent.futures
import os
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

STORAGE_TIMEOUT = 3  # seconds; object storage's client would otherwise wait a minute
_storage_pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="verity-readyz")


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache():
    key, token = "verity:readyz", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    if cache.get(key) != token:
        raise ConnectionError("the cache did not keep a value")  # django-redis ignores its errors: a miss
    return {}


def writable_folder(path):
    """Whether files can be written under `path`: it is a writable folder, or can be made in one."""
    path = Path(path)
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def check_storage():
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        if not writable_folder(storage.location):
            raise PermissionError(f"cannot write to the media folder {storage.location}")
        return {}
    # Object storage: ask for the bucket, in a thread, so that a storage that does not answer costs
    # READYZ_STORAGE_TIMEOUT, not the client's own minute.
    future = _storage_pool.submit(storage.exists, "")
    try:
        if not future.result(timeout=getattr(settings, "VERITY_READYZ_STORAGE_TIMEOUT", STORAGE_TIMEOUT)):
            raise FileNotFoundError("the media bucket does not exist")
    except concurrent.futures.TimeoutError:
        raise TimeoutError("media storage did not answer in time") from None
    return {}


def pending_tasks(limit):
    """How many background tasks wait to run (counting up to limit + 1), or None without a task queue."""
    if not apps.is_installed("django_tasks_db"):
        return None  # tasks run in the request (development, tests): nothing can pile up
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready()[: limit + 1].count()


def check_tasks():
    limit = settings.VERITY_READYZ_MAX_PENDING_TASKS
    pending = pending_tasks(limit)
    if pending is None:
        return {"queue": None}
    if pending > limit:
        raise RuntimeError(f"more than {limit} background tasks are waiting: is the tasks worker running?")
    return {"pending": pending, "limit": limit}


# name, check, whether a failure makes the instance unready
CHECKS = [
    ("database", check_database, True),
    ("cache", check_cache, False),
    ("storage", check_storage, True),
    ("tasks", check_tasks, True),
]


def run(check):
    start = time.monotonic()
    try:
        result = {"ok": True, **check()}
    except Exception as error:  # noqa: BLE001 - every failure is the answer, named
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:500]}
    result["ms"] = round((time.monotonic() - start) * 1000, 1)
    return result


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks, status = {}, "ok"
    for name, check, required in CHECKS:
        if name == "tasks" and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "error": "skipped: the database is unavailable", "ms": 0.0}
        else:
            checks[name] = run(check)
        if not checks[name]["ok"]:
            status = "unavailable" if required else ("degraded" if status == "ok" else status)
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "unavailable" else 200)
