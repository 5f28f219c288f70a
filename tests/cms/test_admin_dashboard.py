"""The dashboard as each role sees it: review actions as buttons that say what they did, and a shortcut
to write a post for those who may."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Revision, TaskState, WorkflowState

from blog.models import BlogPostPage

from .. import factories
from ..html import get_soup, text_of
from .review_steps import approve_editorial_step, submit
from .workflow_helpers import make_team

HOME = reverse("wagtailadmin_home")


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def submitted(blog, team):
    """A post the editor has submitted: it waits for the editorial lead."""
    post = factories.make_post(
        blog, title="Tears after sex", body=[factories.claim([factories.make_source()], "It is common.")], live=False
    )
    submit(post, team["editor"])
    return BlogPostPage.objects.get(pk=post.pk)


def action_url(post, action):
    return reverse("wagtailadmin_pages:workflow_action", args=[post.pk, action, post.current_workflow_task_state.pk])


def review_row(soup, title):
    rows = [row for row in soup.select("#awaiting-review-content tbody tr") if title in text_of(row)]
    assert len(rows) == 1, f"one row for {title!r} in Awaiting your review"
    return rows[0]


def visible_buttons(row):
    """The row's action buttons outside its "…" menu."""
    return {text_of(button): button for button in row.select("form button")}


def messages_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for button in soup.select(".messages li button"):
        button.decompose()  # Wagtail's hidden "Go to the first error"
    return [text_of(message) for message in soup.select(".messages li")]


def test_the_lead_approves_from_a_visible_button_and_is_told_where_the_post_went(client, team, submitted):
    client.force_login(team["lead"])
    row = review_row(get_soup(client, HOME), "Tears after sex")

    buttons = visible_buttons(row)
    assert set(buttons) == {"Approve", "Request changes"}
    approve = buttons["Approve"]
    assert (
        approve.find_parent("form")["action"] == approve["data-workflow-action-url"] == action_url(submitted, "approve")
    )
    assert not approve.has_attr("data-launch-modal")  # a plain POST, as Wagtail's dashboard script sends it
    assert buttons["Request changes"].has_attr("data-launch-modal")  # opens Wagtail's modal for the comment
    # "Approve with comment" is still there, in the "…" menu.
    menu = row.select_one("[data-controller~='w-dropdown']")
    assert "Approve with comment" in text_of(menu)

    response = client.post(action_url(submitted, "approve"), {"next": HOME}, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    assert messages_of(response) == ["“Tears after sex” passed Editorial review; it now waits for Medical review."]
    post = BlogPostPage.objects.get(pk=submitted.pk)
    assert post.current_workflow_task.name == "Medical review" and not post.live
    # Nothing else waits for the lead, so the panel is gone: the message is what tells them it worked.
    assert BeautifulSoup(response.content, "html.parser").select_one("#awaiting-review-content") is None


def test_the_lead_requests_changes_with_a_comment_through_wagtails_modal(client, team, submitted):
    client.force_login(team["lead"])
    url = action_url(submitted, "reject")
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}

    # The button's modal: Wagtail's form for the comment, posting back to the same action URL.
    modal = client.get(url, **xhr).json()
    form = BeautifulSoup(modal["html"], "html.parser").form
    assert modal["step"] == "action" and form["action"] == url and form.find("textarea", attrs={"name": "comment"})

    # Wagtail's script sends the form with the dashboard as `next`, then follows the JSON's redirect.
    answer = client.post(url, {"comment": "Cite the survey.", "next": HOME}, **xhr).json()
    assert answer == {"step": "success", "redirect": HOME}
    response = client.get(answer["redirect"])
    assert messages_of(response) == [
        "Changes requested on “Tears after sex” in Editorial review; it is back with its author, editor."
    ]
    workflow_state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(submitted.pk))
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = workflow_state.task_states.get()
    assert task_state.status == TaskState.STATUS_REJECTED and task_state.get_comment() == "Cite the survey."


def test_the_editor_sees_no_review_buttons_and_cannot_approve_their_own_post(client, team, submitted):
    client.force_login(team["editor"])
    soup = get_soup(client, HOME)
    assert soup.select_one("#awaiting-review-content") is None
    revisions = Revision.objects.count()

    client.post(action_url(submitted, "approve"), {"next": HOME})

    post = BlogPostPage.objects.get(pk=submitted.pk)
    assert post.current_workflow_task.name == "Editorial review"
    assert post.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert Revision.objects.count() == revisions


def test_the_reviewer_is_sent_to_the_medical_review_screen_not_given_an_approve_button(client, team, submitted):
    approve_editorial_step(submitted, team["lead"])
    client.force_login(team["reviewer"])
    row = review_row(get_soup(client, HOME), "Tears after sex")

    assert visible_buttons(row) == {}
    link = row.find("a", string="Open medical review")
    assert link["href"] == reverse("verity_medical_review", args=[submitted.pk])
    assert not row.select("[data-workflow-action-url]")  # not in the "…" menu either


def new_post_links(soup):
    return [link for link in soup.select("main a.button") if text_of(link) == "New blog post"]


@pytest.mark.parametrize("role", ["editor", "lead", "admin"])
def test_who_may_write_gets_a_new_blog_post_shortcut(client, blog, team, role):
    client.force_login(team[role])
    links = new_post_links(get_soup(client, HOME))

    add_url = reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk])
    assert [link["href"] for link in links] == [add_url]
    assert client.get(add_url).status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "shop"])
def test_who_may_not_write_gets_no_shortcut(client, blog, team, role):
    client.force_login(team[role])
    assert new_post_links(get_soup(client, HOME)) == []
    pages = BlogPostPage.objects.count()
    client.post(reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk]), {"title": "Mine"})
    assert BlogPostPage.objects.count() == pages


def test_the_demo_dashboards(client, demo):
    """The demo's people, as they log in: the editor can write, the reviewer has a post to review."""
    assert client.login(username="editor", password="verity-demo")
    assert len(new_post_links(get_soup(client, HOME))) == 1

    assert client.login(username="reviewer", password="verity-demo")
    soup = get_soup(client, HOME)
    assert new_post_links(soup) == []
    waiting = BlogPostPage.objects.get(title__startswith="Oxytocin")
    row = review_row(soup, waiting.title)
    assert row.find("a", string="Open medical review")["href"] == reverse("verity_medical_review", args=[waiting.pk])
    assert visible_buttons(row) == {}
