"""Faults injected into the running stack, and what readers, editors and operators see from outside.

Each fault is short and undone in a `finally`; afterwards the database is checked for nothing half-written.
The stack's own Redis and PostgreSQL are the ones stopped (never the machine's shared services).
"""

import time
import uuid

import pytest
import requests

from .conftest import wait_until
from .test_topology import SEED_POST, a_live_post, log_in, publish_title

pytestmark = pytest.mark.usefixtures("database_checked_afterwards")


def timed_get(url, **kwargs):
    started = time.monotonic()
    response = requests.get(url, timeout=30, **kwargs)
    return response, time.monotonic() - started


def fresh(path):
    """The path with a query no cache has seen, so Django renders it. The API refuses parameters it does
    not declare, so there the unseen query is a page of the list that no one asked for yet."""
    separator = "&" if "?" in path else "?"
    if path.startswith("/api/"):
        return f"{path}{separator}offset={uuid.uuid4().int % 10**8}"
    return f"{path}{separator}fault={uuid.uuid4().hex[:8]}"


READER_PATHS = [SEED_POST, "/", "/blog/", "/api/v3/posts/"]


def baseline(stack):
    return max(timed_get(f"{stack.instance(1)}{fresh(path)}")[1] for path in READER_PATHS)


@pytest.fixture
def database_checked_afterwards(stack):
    yield
    report = stack.python(
        "from wagtail.models import Page, Revision; "
        "pages = Page.objects.all(); "
        "ids = set(Revision.objects.values_list('id', flat=True)); "
        "dangling = [p.pk for p in pages if (p.live_revision_id and p.live_revision_id not in ids) "
        "or (p.latest_revision_id and p.latest_revision_id not in ids)]; "
        "broken = [r.pk for r in Revision.objects.all() if not r.content]; "
        "problems = [len(found) for found in Page.find_problems()]; "
        "print(dangling, broken, problems)"
    )
    assert report == "[] [] [0, 0, 0, 0, 0]", report


@pytest.mark.parametrize("fault", ["stop", "pause"])
def test_with_redis_down_or_frozen_pages_the_api_and_the_admin_still_answer(stack, fault):
    usual = baseline(stack)
    editor = log_in(stack, "editor")
    stack.fault(fault, "redis")
    try:
        for path in READER_PATHS:
            for instance in stack.instances:
                response, seconds = timed_get(f"{instance}{fresh(path)}")
                assert response.status_code == 200, (path, response.status_code)
                assert seconds < usual + 1, (path, seconds)
        dashboard, seconds = timed_get(f"{stack.edge}/admin/", cookies=editor.cookies)
        assert dashboard.status_code == 200 and "Dashboard" in dashboard.text
        assert seconds < usual + 1
    finally:
        stack.fault("resume" if fault == "pause" else "start", "redis")
    wait_until(lambda: timed_get(f"{stack.instance(1)}{SEED_POST}")[0].headers.get("X-Cache") == "hit", seconds=10)


@pytest.mark.parametrize("fault", ["stop", "pause"])
def test_with_the_database_down_or_hung_requests_fail_fast_with_503_and_recover(stack, fault):
    stack.fault(fault, "postgres")
    try:
        for path in [SEED_POST, "/blog/"]:
            response, seconds = timed_get(f"{stack.instance(1)}{fresh(path)}")
            assert response.status_code == 503 and seconds < 5, (path, response.status_code, seconds)
            assert int(response.headers["Retry-After"]) > 0
            assert "text/html" in response.headers["Content-Type"]
        api, seconds = timed_get(f"{stack.instance(2)}{fresh('/api/v3/posts/')}")
        assert api.status_code == 503 and seconds < 5
        assert api.headers["Content-Type"].startswith("application/problem+json")
        assert api.json()["status"] == 503
        assert requests.get(f"{stack.instance(1)}/healthz", timeout=5).status_code == 200
        assert requests.get(f"{stack.instance(1)}/readyz", timeout=10).status_code == 503
    finally:
        stack.fault("resume" if fault == "pause" else "start", "postgres")

    def answering():
        """both instances render pages again"""
        return all(requests.get(f"{i}{fresh(SEED_POST)}", timeout=5).status_code == 200 for i in stack.instances)

    wait_until(answering, seconds=5, interval=0.2)
    # No broken connection left behind in any worker: every request after recovery is served.
    for _ in range(12):
        for instance in stack.instances:
            assert requests.get(f"{instance}{fresh('/blog/')}", timeout=5).status_code == 200
    assert "WORKER TIMEOUT" not in (stack.root / ".stack/log/web-1.log").read_text()


def test_the_tasks_worker_outlives_a_database_restart(stack):
    admin_token = stack.api_token("admin")
    stack.fault("stop", "postgres")
    time.sleep(3)  # the worker polls the database several times a second
    stack.fault("start", "postgres")
    wait_until(lambda: requests.get(f"{stack.instance(1)}{fresh('/')}", timeout=5).status_code == 200, seconds=5)
    # A publish now still reaches the edge: the purge task ran, so the worker is running again.
    post = a_live_post(stack)
    url = f"{stack.edge}/blog/{post['slug']}/"
    requests.get(url, timeout=5)
    original, title = post["title"], f"{post['title']} ({uuid.uuid4().hex[:8]})"
    try:
        publish_title(stack, admin_token, post["id"], title)
        wait_until(lambda: title in requests.get(url, timeout=5).text, seconds=15, interval=0.2)
    finally:
        publish_title(stack, admin_token, post["id"], original)


def test_a_killed_web_instance_comes_back_and_the_edge_serves_from_the_other_meanwhile(stack):
    stack.fault("stop", "web-1")
    for _ in range(10):
        assert requests.get(f"{stack.edge}{fresh(SEED_POST)}", timeout=10).status_code == 200
    wait_until(lambda: _answers(f"{stack.instance(1)}/healthz"), seconds=20, interval=0.5)


def _answers(url):
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_bad_input_at_the_apis_edges_gets_problem_documents(stack):
    ten_megabytes = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    # Straight at a web instance: through Varnish, a body the application refuses before reading it ends
    # as the edge's own 503 (left open).
    too_big = requests.post(
        f"{stack.instance(1)}/api/v3/pages/",
        data=ten_megabytes,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert too_big.status_code == 413
    assert too_big.headers["Content-Type"].startswith("application/problem+json")
    for query in (f"offset={2**63}", f"limit={2**63}", "offset=-1"):
        response = requests.get(f"{stack.edge}/api/v3/pages/?{query}", timeout=10)
        assert response.status_code in (400, 422), (query, response.status_code)
        assert response.headers["Content-Type"].startswith("application/problem+json"), query


def test_a_database_restart_under_load_gives_brief_503s_never_500s_or_hangs(stack):
    import threading

    outcomes, stop = [], threading.Event()

    def reader(instance):
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = requests.get(f"{instance}{fresh('/blog/')}", timeout=10).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            outcomes.append((status, time.monotonic() - started))

    readers = [threading.Thread(target=reader, args=(i,)) for i in stack.instances for _ in range(2)]
    for thread in readers:
        thread.start()
    try:
        time.sleep(1)
        stack.fault("stop", "postgres")
        time.sleep(1)
        stack.fault("start", "postgres")
        time.sleep(3)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    statuses = {status for status, _ in outcomes}
    assert statuses <= {200, 503}, statuses
    assert max(seconds for _, seconds in outcomes) < 5
    assert outcomes[-1][0] == 200 and 503 in statuses  # the outage was seen, and over
