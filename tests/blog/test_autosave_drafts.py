"""Autosave never creates a page: an abandoned new-post form leaves nothing behind (cms/editing.py).

Through the admin's own views, as the browser sends them: Wagtail's autosave posts the form with
`Accept: application/json`; Save draft posts it asking for HTML. Edits of existing posts still autosave.
"""

import uuid

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import rich_text

from blog.models import BlogPostPage
from cms.editing import NEW_PAGES_ARE_NOT_AUTOSAVED
from shop.models import ProductPage

from .. import factories
from ..cms.workflow_helpers import make_team, post_form

pytestmark = pytest.mark.django_db

AUTOSAVE = {"Accept": "application/json"}
TITLE, SLUG = "What it means if you cry after sex", "what-it-means-if-you-cry-after-sex"


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def editor(client, team):
    client.force_login(team["editor"])
    return client


def add_url(blog):
    return reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk])


def empty_paragraph_form(title=TITLE, slug=SLUG):
    """What the browser posts from a new post form as soon as the editor types a title."""
    return post_form(title, slug, [("paragraph", rich_text(""), str(uuid.uuid4()))])


def edit_form_controllers(response):
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    return form["data-controller"].split()


def shown_messages(response):
    soup = BeautifulSoup(response.content, "html.parser")
    items = soup.select(".messages li")
    return [(" ".join(li.get_text().split()), [a["href"] for a in li.find_all("a")]) for li in items]


def test_an_autosave_of_a_new_post_creates_nothing_and_the_same_title_saves_next(editor, blog):
    pages, revisions = Page.objects.count(), Revision.objects.count()

    response = editor.post(add_url(blog), empty_paragraph_form(), headers=AUTOSAVE)

    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error_code": "validation_error",
        "error_message": NEW_PAGES_ARE_NOT_AUTOSAVED,
    }
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)

    # The editor comes back and tries the same title: it saves, at the slug they expect.
    response = editor.post(add_url(blog), empty_paragraph_form())
    assert response.status_code == 302
    post = BlogPostPage.objects.get()
    assert (post.title, post.slug, post.live) == (TITLE, SLUG, False)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[post.pk])


def test_the_new_post_form_does_not_autosave(editor, blog):
    assert "w-autosave" not in edit_form_controllers(editor.get(add_url(blog)))


def test_new_page_forms_of_other_page_types_do_not_autosave(client, team, shop):
    client.force_login(team["shop"])
    url = reverse("wagtailadmin_pages:add", args=["shop", "productpage", shop.pk])

    assert "w-autosave" not in edit_form_controllers(client.get(url))
    assert client.post(url, {"title": "Oil", "slug": "oil"}, headers=AUTOSAVE).status_code == 400
    assert not ProductPage.objects.exists()


def test_editing_an_existing_post_still_autosaves(editor, team, blog):
    post = factories.make_post(blog, live=False, owner=team["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    assert "w-autosave" in edit_form_controllers(editor.get(edit_url))
    loaded = post.get_latest_revision()
    data = post_form("An autosaved title", post.slug, [("paragraph", rich_text("<p>Typed.</p>"), str(uuid.uuid4()))])
    data |= {"loaded_revision_id": loaded.pk, "loaded_revision_created_at": loaded.created_at.isoformat()}

    response = editor.post(edit_url, data, headers=AUTOSAVE)

    assert response.status_code == 200, response.content[:500]
    result = response.json()
    assert result["success"] is True and result["pk"] == post.pk
    revision = Revision.objects.get(pk=result["revision_id"])
    assert revision.content["title"] == "An autosaved title"
    assert BlogPostPage.objects.get(pk=post.pk).draft_title == "An autosaved title"


def stray_draft(blog, owner, slug=SLUG):
    """A draft an earlier autosave left behind: never submitted, never published."""
    return factories.add_page(blog, BlogPostPage(title=TITLE, slug=slug, dek="", owner=owner), live=False)


def test_a_slug_taken_by_the_editors_own_stray_draft_offers_that_draft(editor, team, blog):
    draft = stray_draft(blog, team["editor"])

    response = editor.post(add_url(blog), empty_paragraph_form())

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    offers = [links for text, links in shown_messages(response) if "Resume your draft" in text]
    assert offers == [[reverse("wagtailadmin_pages:edit", args=[draft.pk])]]
    assert BlogPostPage.objects.count() == 1


def test_nobody_elses_draft_and_no_submitted_draft_is_offered(editor, team, blog):
    stray_draft(blog, team["lead"])
    submitted = stray_draft(blog, team["editor"], slug="submitted")
    submitted.get_workflow().start(submitted, team["editor"])

    for slug in (SLUG, "submitted"):
        response = editor.post(add_url(blog), empty_paragraph_form(slug=slug))
        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
        assert not [text for text, _ in shown_messages(response) if "Resume your draft" in text]
