"""On the default SQLite set-up, overlapping admin writes queue up instead of failing "database is locked".

`python3 verity.py start` serves a file SQLite database with every request in one transaction
(ATOMIC_REQUESTS). Wagtail's edit view, Save draft, autosave and editing-session pings each read before
they write; two such transactions overlapping in SQLite's default (deferred) mode deadlock, and SQLite
answers one of them "database is locked" at once, whatever the timeout: an editor saw Save draft, the edit
page and the pings answer 500. cms/settings/base.py makes SQLite transactions take the write lock when
they begin, and wait for it.

That only shows with separate connections answering at the same time, so the test client (one thread,
one connection) and the in-memory test database cannot see it: this runs the real threaded server
(`manage.py runserver`) on a migrated file database holding the demo, configured by the project's own
settings, and sends it the editor's overlapping requests from threads.
"""

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from ..admin_forms import form_data

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "cms.settings.dev"  # what `python3 verity.py start` serves
EDITOR, PASSWORD = "editor", "verity-demo"
EDITORS_AT_ONCE = 3  # each saves the draft, reloads it and pings, again and again; one more autosaves
ROUNDS = 3
PINGERS = 2  # other open edit tabs, pinging the editing session meanwhile
TIMEOUT = 30  # seconds for one request; the settings let a request wait 20 for the write lock
PING_URL = re.compile(r"/admin/editing-sessions/ping/wagtailcore/page/\d+/\d+/")
RELEASE_URL = re.compile(r"/admin/editing-sessions/release/\d+/")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, env, timeout=180):
    completed = subprocess.run(  # noqa: S603 - this Python, the project's manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert completed.returncode == 0, f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}"


def server_log(path):
    return path.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo, served by runserver from a file SQLite database in a temporary folder."""
    folder = tmp_path_factory.mktemp("sqlite-concurrency")
    database = folder / "db.sqlite3"
    environ = dict(os.environ)
    for name in ("DATABASE_CONN_MAX_AGE", "REDIS_URL"):  # the default set-up: neither is set
        environ.pop(name, None)
    port = free_port()
    environ |= {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(folder / "media"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }
    manage("migrate", "--noinput", "--skip-checks", "-v0", env=environ)
    manage("load_demo", "--skip-checks", env=environ)

    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - this Python, the project's manage.py
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"the server stopped:\n{server_log(log)}"
            assert time.monotonic() < deadline, f"the server did not answer within 60 s:\n{server_log(log)}"
            try:
                if requests.get(f"{url}/admin/login/", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or still booting
                pass
            time.sleep(0.25)
        yield SimpleNamespace(url=url, database=database, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read(database, query, *params):
    with sqlite3.connect(database, timeout=TIMEOUT) as connection:
        return connection.execute(query, params).fetchall()


def editors_draft(database):
    """The id of a blog post draft of the demo editor's that is not in review (which the editor may save)."""
    [(page_id,)] = read(
        database,
        """SELECT page.id FROM wagtailcore_page AS page
           JOIN auth_user AS owner ON owner.id = page.owner_id
           JOIN django_content_type AS type ON type.id = page.content_type_id
           WHERE owner.username = ? AND type.app_label = 'blog' AND type.model = 'blogpostpage'
             AND NOT page.live AND NOT EXISTS (
                 SELECT 1 FROM wagtailcore_workflowstate AS review
                 WHERE review.object_id = CAST(page.id AS TEXT) AND review.status IN ('in_progress', 'needs_changes'))
           ORDER BY page.id LIMIT 1""",
        EDITOR,
    )
    return page_id


def saved_deks(database, page_id):
    """The dek of each revision of the page, oldest first."""
    rows = read(
        database,
        "SELECT content FROM wagtailcore_revision WHERE base_content_type_id = "
        "(SELECT id FROM django_content_type WHERE app_label = 'wagtailcore' AND model = 'page') "
        "AND object_id = ? ORDER BY id",
        str(page_id),
    )
    return [json.loads(content).get("dek") for (content,) in rows]


def logged_in(url):
    session = requests.Session()
    session.get(f"{url}/admin/login/", timeout=TIMEOUT).raise_for_status()
    response = session.post(
        f"{url}/admin/login/",
        data={"username": EDITOR, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, f"the editor could not sign in: {response.status_code}"
    return session


def test_overlapping_saves_edit_page_loads_and_session_pings_all_succeed(server):
    page_id = editors_draft(server.database)
    edit_url = f"{server.url}/admin/pages/{page_id}/edit/"
    revisions_before = len(saved_deks(server.database, page_id))
    signed_in = logged_in(server.url)
    cookies = signed_in.cookies
    # The edit form, as the editors' browsers loaded it before they all began.
    opened = SimpleNamespace(data=form_data(signed_in.get(edit_url, timeout=TIMEOUT)))
    answers = []  # (method, path, status) of every request
    saved = []  # the dek of every save and autosave the server confirmed
    saved_drafts = []  # of those, the Save drafts
    refused_autosaves = []  # autosaves refused as out of date, which save nothing
    problems = []  # anything else that went wrong in a thread
    start = threading.Barrier(EDITORS_AT_ONCE + 1 + PINGERS)
    editors_done = threading.Event()

    def browser():
        session = requests.Session()
        session.cookies.update(cookies)
        session.headers["X-CSRFToken"] = cookies["csrftoken"]
        return session

    def send(session, method, url, **kwargs):
        response = session.request(method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs)
        answers.append((method, url.removeprefix(server.url), response.status_code))
        return response

    def editor(number, autosave=False):
        """Saves the draft, then reloads it (releasing the editing session it leaves, pinging the new one),
        round after round, as the browser does.

        Save draft posts the form as the browser does and is answered with a redirect to the edit page. An
        autosave posts the form Wagtail's JavaScript read from the page, asking for JSON, and is refused
        (400, "invalid_revision") when another save came in since that page was loaded.
        """
        session = browser()
        data, release = opened.data, None
        start.wait()
        for round_ in range(ROUNDS):
            dek = f"{'Autosaved' if autosave else 'Saved'} by editor {number}, round {round_}"
            if autosave:
                headers = {"Accept": "application/json"}
                response = send(session, "POST", edit_url, data={**data, "dek": dek}, headers=headers)
                if response.status_code == 200 and response.json()["success"]:
                    saved.append(dek)
                elif response.status_code == 400 and response.json()["error_code"] == "invalid_revision":
                    refused_autosaves.append(dek)
                elif response.status_code < 500:
                    problems.append(f"autosave answered {response.status_code} for {dek!r}")
            else:
                response = send(session, "POST", edit_url, data={**data, "dek": dek})
                location = response.headers.get("Location", "")
                if response.status_code == 302 and location.endswith(f"/pages/{page_id}/edit/"):
                    saved.append(dek)
                    saved_drafts.append(dek)
                elif response.status_code < 500:
                    problems.append(f"Save draft answered {response.status_code} for {dek!r}")
            if release:  # the beacon the browser sends when it leaves the page
                send(session, "POST", server.url + release)
                release = None
            page = send(session, "GET", edit_url)
            if page.status_code == 200:
                data = form_data(page)
                release = RELEASE_URL.search(page.text).group()
                # What the page's JavaScript does once loaded.
                send(session, "POST", server.url + PING_URL.search(page.text).group(), data={"is_editing": "1"})

    def pinger():
        session = browser()
        ping = f"{server.url}/admin/editing-sessions/ping/wagtailcore/page/{page_id}/0/"
        response = None
        start.wait()
        while not editors_done.is_set():
            response = send(session, "POST", ping, data={"is_editing": "1"})
            if response.status_code == 200:
                ping = server.url + response.json()["ping_url"]
            time.sleep(0.05)
        if response is not None and response.status_code == 200:
            send(session, "POST", server.url + response.json()["release_url"])

    def run(target, *args):
        try:
            target(*args)
        except Exception as error:  # noqa: BLE001 - reported with the answers below
            problems.append(f"{target.__name__}{args}: {error!r}")
            start.abort()

    editors = [threading.Thread(target=run, args=(editor, number)) for number in range(EDITORS_AT_ONCE)]
    editors.append(threading.Thread(target=run, args=(editor, EDITORS_AT_ONCE, True)))
    pingers = [threading.Thread(target=run, args=(pinger,)) for _ in range(PINGERS)]
    for thread in editors + pingers:
        thread.start()
    for thread in editors:
        thread.join()
    editors_done.set()
    for thread in pingers:
        thread.join()

    server_errors = [answer for answer in answers if answer[2] >= 500]
    locked = server.log.read_text(errors="replace").count("database is locked")
    assert not server_errors, f"{len(server_errors)} server errors ({locked} 'database is locked' in the log): " + (
        ", ".join(f"{method} {path} {status}" for method, path, status in server_errors)
    )
    assert not problems, problems
    assert len(saved_drafts) == EDITORS_AT_ONCE * ROUNDS
    assert len(saved) + len(refused_autosaves) == (EDITORS_AT_ONCE + 1) * ROUNDS
    assert sum(1 for _method, path, _status in answers if "/ping/" in path) > EDITORS_AT_ONCE * ROUNDS
    deks = saved_deks(server.database, page_id)
    assert len(deks) == revisions_before + len(saved), "each save made one revision"
    assert sorted(deks[revisions_before:]) == sorted(saved)
