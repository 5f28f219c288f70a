"""No lost updates through the API (cms/api/concurrency.py): ETags of the latest revision, If-Match on writes
(412 when stale), and every write of a page under a lock on its row.

The real-concurrency tests at the end run threads against a live server on PostgreSQL (each request its own
connection); on SQLite, which runs one write at a time anyway, they are skipped.
"""

import json
import random
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from wagtail.models import APIToken, Page, Revision

from blog.models import BlogPostPage
from cms.review.roles import EDITORS

from .. import factories
from .workflow_helpers import make_user

API = "/api/v3"
PROBLEM = "application/problem+json"


def etag_of(page):
    return f'"rev-{Page.objects.get(pk=page.pk).latest_revision_id}"'


def revisions(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def draft(page):
    return BlogPostPage.objects.get(pk=page.pk).get_latest_revision_as_object()


@pytest.fixture
def post(blog):
    return factories.make_post(blog, title="Tears after sex", dek="Why it happens")


@pytest.fixture
def tokens(db):
    editors = [make_user(f"editor{n}", EDITORS) for n in (1, 2)]
    admin = make_user("admin", superuser=True)
    return {
        "editor1": APIToken.create_token(user=editors[0], name="one")[1],
        "editor2": APIToken.create_token(user=editors[1], name="two")[1],
        "admin": APIToken.create_token(user=admin, name="admin")[1],
    }


def send(client, method, path, token=None, data=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = json.dumps(data) if data is not None else ""
    return client.generic(method, API + path, body, content_type="application/json", **headers)


# --- ETags ------------------------------------------------------------------------------------------------------


def test_page_reads_carry_the_latest_revision_as_etag(client, post, tokens):
    response = send(client, "GET", f"/pages/{post.pk}/")
    assert response.status_code == 200 and response["ETag"] == etag_of(post)
    response = send(client, "GET", f"/pages/{post.pk}/?version=draft", tokens["editor1"])
    assert response.status_code == 200 and response["ETag"] == etag_of(post)
    assert "ETag" not in send(client, "GET", f"/pages/{2**40}/")


def test_a_write_answers_the_etag_of_the_revision_it_made(client, post, tokens):
    before = etag_of(post)
    response = send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"title": "Crying after sex"})
    assert response.status_code == 200, response.content[:500]
    assert response["ETag"] == etag_of(post) != before


# --- If-Match -----------------------------------------------------------------------------------------------------


def test_a_write_with_the_current_etag_is_applied(client, post, tokens):
    response = send(
        client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"dek": "New dek"}, HTTP_IF_MATCH=etag_of(post)
    )
    assert response.status_code == 200, response.content[:500]
    assert draft(post).dek == "New dek"


@pytest.mark.parametrize(
    "if_match", ['"rev-999999"', 'W/"{current}"', '"812"', "garbage", '"rev-999998", "rev-999999"']
)
def test_a_write_with_a_stale_or_weak_etag_is_refused_with_412_and_writes_nothing(client, post, tokens, if_match):
    current = Page.objects.get(pk=post.pk).latest_revision_id
    count = revisions(post)
    if_match = if_match.replace("{current}", f"rev-{current}")
    response = send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"dek": "Stale"}, HTTP_IF_MATCH=if_match)
    assert response.status_code == 412, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 412 and body["title"] == "Precondition Failed" and str(current) in body["detail"]
    assert body["current_revision"] == current and body["current_etag"] == f'"rev-{current}"' == response["ETag"]
    assert revisions(post) == count and draft(post).dek == "Why it happens"


def test_if_match_star_or_a_list_naming_the_current_etag_passes(client, post, tokens):
    response = send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"dek": "One"}, HTTP_IF_MATCH="*")
    assert response.status_code == 200
    tags = f'"rev-1", {etag_of(post)}'
    response = send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"dek": "Two"}, HTTP_IF_MATCH=tags)
    assert response.status_code == 200 and draft(post).dek == "Two"


def test_without_a_token_the_answer_is_401_not_the_revision(client, post):
    response = send(client, "PATCH", f"/pages/{post.pk}/", None, {"dek": "x"}, HTTP_IF_MATCH='"rev-1"')
    assert response.status_code == 401 and "current_revision" not in response.json()


def test_publish_and_unpublish_take_if_match(client, blog, tokens):
    post = factories.make_post(blog, live=False)
    stale = '"rev-999999"'
    response = send(client, "POST", f"/pages/{post.pk}/actions/publish/", tokens["admin"], HTTP_IF_MATCH=stale)
    assert response.status_code == 412 and not Page.objects.get(pk=post.pk).live
    response = send(client, "POST", f"/pages/{post.pk}/actions/publish/", tokens["admin"], HTTP_IF_MATCH=etag_of(post))
    assert response.status_code == 200, response.content[:500]
    assert Page.objects.get(pk=post.pk).live and response["ETag"] == etag_of(post)

    response = send(client, "POST", f"/pages/{post.pk}/actions/unpublish/", tokens["admin"], {}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412 and Page.objects.get(pk=post.pk).live
    response = send(
        client, "POST", f"/pages/{post.pk}/actions/unpublish/", tokens["admin"], {}, HTTP_IF_MATCH=etag_of(post)
    )
    assert response.status_code == 200 and not Page.objects.get(pk=post.pk).live


def test_a_title_only_patch_keeps_the_latest_dek(client, post, tokens):
    send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor2"], {"dek": "Editor two's dek"})
    send(client, "PATCH", f"/pages/{post.pk}/", tokens["editor1"], {"title": "Editor one's title"})
    assert (draft(post).title, draft(post).dek) == ("Editor one's title", "Editor two's dek")


def test_the_openapi_document_describes_if_match_412_and_etag(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    patch = schema["paths"]["/api/v3/pages/{page_id}/"]["patch"]
    assert {"in": "header", "name": "If-Match"}.items() <= patch["parameters"][-1].items()
    assert "412" in patch["responses"] and "ETag" in patch["responses"]["200"]["headers"]
    publish = schema["paths"]["/api/v3/pages/{page_id}/actions/publish/"]["post"]
    assert "412" in publish["responses"]
    assert "ETag" in schema["paths"]["/api/v3/pages/{page_id}/"]["get"]["responses"]["200"]["headers"]


# --- Real concurrency: threads against a live server on PostgreSQL ------------------------------------------------

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


class Editor:
    """An API client of its own: every request a new HTTP connection, served by its own server thread."""

    def __init__(self, base, token):
        self.base, self.token = base, token

    def request(self, method, path, data=None, if_match=None):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if if_match:
            headers["If-Match"] = if_match
        body = json.dumps(data).encode() if data is not None else None
        url = self.base + API + path  # the live server: http only
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.headers.get("ETag"), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("ETag"), json.loads(error.read() or b"{}")

    def read_draft(self, page_id):
        status, etag, page = self.request("GET", f"/pages/{page_id}/?version=draft")
        assert status == 200, page
        return etag, page


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def append_paragraph(editor, page_id, text, use_if_match=True, attempts=60):
    """Read the draft, append a paragraph, write it back; on 412 read again and retry. The outcome."""
    for _ in range(attempts):
        etag, page = editor.read_draft(page_id)
        body = [{"type": b["type"], "value": b["value"], "id": b["id"]} for b in page["body"]]
        status, _, answer = editor.request(
            "PATCH", f"/pages/{page_id}/", {"body": [*body, paragraph(text)]}, if_match=etag if use_if_match else None
        )
        if status == 200:
            return "accepted"
        if status not in (412, 503):
            return f"refused {status}: {answer}"
        time.sleep(random.uniform(0, 0.05))
    return "refused: gave up"


def texts(page):
    """The appended paragraphs' texts, in order (Wagtail adds data-block-key attributes to the HTML)."""
    return [m for block in page.body for m in re.findall(r"Paragraph \d+ from editor \d", block.value.source)]


# The live server's listen queue holds 10 connections: more clients at once are reset before they are read.
CLIENTS = 10


def two_editors_append(live_server, post, tokens, use_if_match):
    editors = [Editor(live_server.url, tokens["editor1"]), Editor(live_server.url, tokens["editor2"])]
    jobs = [(editors[n % 2], f"Paragraph {n} from editor {n % 2 + 1}") for n in range(40)]
    before = revisions(post)

    def run(job):
        editor, text = job
        return text, append_paragraph(editor, post.pk, text, use_if_match)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        outcomes = dict(pool.map(run, jobs))
    return outcomes, texts(draft(post)), revisions(post) - before


@on_postgresql
def test_two_editors_appending_concurrently_with_if_match_lose_nothing(
    django_db_serialized_rollback, live_server, post, tokens
):
    outcomes, final, new_revisions = two_editors_append(live_server, post, tokens, use_if_match=True)
    accepted = [text for text, outcome in outcomes.items() if outcome == "accepted"]
    refused = {text: outcome for text, outcome in outcomes.items() if outcome != "accepted"}
    print(f"\n{len(accepted)} accepted, {len(refused)} explicitly refused, {new_revisions} revisions")
    # Every accepted change is in the draft, each once; a change that is not there was refused, explicitly.
    assert sorted(final) == sorted(accepted)
    assert new_revisions == len(accepted)
    assert all(outcome.startswith("refused") for outcome in refused.values())
    assert len(accepted) >= 30, refused


@on_postgresql
def test_concurrent_title_only_and_dek_only_saves_never_revert_each_other(
    django_db_serialized_rollback, live_server, post, tokens
):
    editors = [Editor(live_server.url, tokens["editor1"]), Editor(live_server.url, tokens["editor2"])]
    jobs = [(editors[0], {"title": f"Title {n}"}) for n in range(20)] + [
        (editors[1], {"dek": f"Dek {n}"}) for n in range(20)
    ]

    def run(job):
        editor, data = job
        for _ in range(20):  # a 503 (the lock waited longer than the statement timeout) is retried
            status, _, answer = editor.request("PATCH", f"/pages/{post.pk}/", data)
            if status != 503:
                return status
        return status

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(run, jobs))
    assert statuses == [200] * 40
    # Each revision changed only its own field: walking the revisions in order, the title only ever moves
    # when a title was written, the dek when a dek was written; the last of each is in the draft.
    history = [
        r.as_object() for r in Revision.page_revisions.filter(object_id=str(post.pk)).order_by("created_at", "pk")
    ]
    titles = {f"Title {n}" for n in range(20)}
    deks = {f"Dek {n}" for n in range(20)}
    seen_titles, seen_deks = [], []
    for earlier, later in zip(history, history[1:], strict=False):
        if later.title != earlier.title:
            assert later.title in titles and later.dek == earlier.dek
            seen_titles.append(later.title)
        if later.dek != earlier.dek:
            assert later.dek in deks and later.title == earlier.title
            seen_deks.append(later.dek)
    assert len(set(seen_titles)) == 20 and len(set(seen_deks)) == 20
    final = draft(post)
    assert (final.title, final.dek) == (seen_titles[-1], seen_deks[-1])


# --- The admin: Wagtail's own concurrent-editing checks are on ------------------------------------------------


def test_the_admins_concurrent_editing_notices_and_stale_autosave_check_are_on(client, blog, settings):
    """The edit view pings editing sessions (other editors are shown) and autosaves; an autosave based on
    a revision another editor has since superseded is refused ("invalid_revision") and writes nothing."""
    import uuid

    from django.urls import reverse
    from wagtail.test.utils.form_data import rich_text

    from .workflow_helpers import make_team, post_form

    assert getattr(settings, "WAGTAIL_EDITING_SESSION_PING_INTERVAL", 10000) > 0
    assert getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500) > 0
    team = make_team()
    post = factories.make_post(blog, live=False, owner=team["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    client.force_login(team["editor"])
    page = client.get(edit_url).content.decode()
    assert "w-session" in page and "w-autosave" in page

    loaded = post.get_latest_revision()
    post.get_latest_revision_as_object().save_revision(user=team["admin"])  # another editor saves meanwhile
    count = revisions(post)
    data = post_form("A stale title", post.slug, [("paragraph", rich_text("<p>Stale.</p>"), str(uuid.uuid4()))])
    data |= {"loaded_revision_id": loaded.pk, "loaded_revision_created_at": loaded.created_at.isoformat()}
    response = client.post(edit_url, data, headers={"Accept": "application/json"})

    assert response.status_code == 400 and response.json()["error_code"] == "invalid_revision"
    assert revisions(post) == count and draft(post).title != "A stale title"
