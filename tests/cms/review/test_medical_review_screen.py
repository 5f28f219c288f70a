"""The medical reviewer's screens: the post under review read-only in the page editor, the claims with
their verdicts on the review screen, and a decision that lands cleanly on the dashboard, saying what it did."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from blog.models import BlogPostPage
from cms.models import ClaimVerification, Source
from cms.review.claims import claims_in

from ... import factories
from ...html import get_soup, text_of
from ..review_steps import approve_editorial_step, submit
from ..test_admin_dashboard import messages_of
from ..workflow_helpers import claim_block, make_team, post_form

HOME = reverse("wagtailadmin_home")
READ_ONLY = "This post is in medical review. You verify its claims on the medical review screen; you don't edit it."


@pytest.fixture
def team(db):
    return make_team()


def post_in_medical_review(blog, team, **fields):
    source = factories.make_source(title="A survey of tears")
    post = factories.make_post(
        blog,
        title="Tears after sex",
        body=[factories.claim([source], "Crying after sex is common."), factories.claim([source], "It passes.")],
        live=False,
        **fields,
    )
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    return BlogPostPage.objects.get(pk=post.pk)


@pytest.fixture
def post(blog, team):
    return post_in_medical_review(blog, team)


def edit_url(post):
    return reverse("wagtailadmin_pages:edit", args=[post.pk])


def review_url(post):
    return reverse("verity_medical_review", args=[post.pk])


def edit_form(post, title, action=None):
    """What the page editor would post: the post's fields and claims, retitled."""
    claims = claims_in(post.get_latest_revision_as_object().body)
    blocks = [claim_block(c.text, Source.objects.filter(pk__in=c.source_ids), c.block_id) for c in claims]
    return post_form(title, post.slug, blocks, action)


# --- The page editor, for the reviewer ------------------------------------------------------------------------


def test_the_reviewer_reads_the_post_in_the_editor_and_is_pointed_to_the_review_screen(client, team, post):
    client.force_login(team["reviewer"])
    soup = get_soup(client, edit_url(post))

    content = soup.select_one(".post-in-medical-review")
    assert READ_ONLY in text_of(content)
    link = content.find("a", string="Open the medical review screen")
    assert link["href"] == review_url(post)
    # The draft under review is shown, not an editing form.
    assert "Crying after sex is common." in text_of(content) and "It passes." in text_of(content)
    assert soup.select_one("#page-edit-form") is None
    assert not soup.select("main input[name=title], main textarea, main [contenteditable]")
    assert "Only reviewers for this task can edit the page" not in text_of(soup)


@pytest.mark.parametrize("action", [None, "action-publish", "action-submit"])
def test_a_forced_save_by_the_reviewer_is_refused_with_a_message_and_saves_nothing(client, team, post, action):
    client.force_login(team["reviewer"])
    revisions = Revision.objects.filter(object_id=str(post.pk)).count()

    response = client.post(edit_url(post), edit_form(post, "Retitled by the reviewer", action), follow=True)

    assert response.redirect_chain == [(edit_url(post), 302)]
    assert messages_of(response) == [f"Nothing was saved. {READ_ONLY}"]
    assert READ_ONLY in text_of(BeautifulSoup(response.content, "html.parser").select_one(".post-in-medical-review"))
    assert Revision.objects.filter(object_id=str(post.pk)).count() == revisions
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.get_latest_revision_as_object().title == "Tears after sex" and post.draft_title == "Tears after sex"
    assert not post.live and post.current_workflow_task.name == "Medical review"


def test_others_keep_wagtails_editor(client, team, post):
    """The read-only view is the reviewer's: the author still sees Wagtail's editor (locked, where the
    submitter may cancel the workflow), and an admin may edit."""
    for role in ("editor", "admin"):
        client.force_login(team[role])
        soup = get_soup(client, edit_url(post))
        assert soup.select_one("#page-edit-form") is not None, role
        assert soup.select_one(".post-in-medical-review") is None, role


# --- The medical review screen ----------------------------------------------------------------------------------


def claim_cards(client, post):
    soup = get_soup(client, review_url(post))
    return soup, {text_of(card.blockquote): card for card in soup.select("li.claim")}


def test_a_verified_claim_shows_its_verdict_and_no_second_verify_button(client, team, post):
    client.force_login(team["reviewer"])
    first, second = claims_in(post.current_workflow_task_state.revision.as_object().body)

    response = client.post(review_url(post), {"action": "verify", "block_id": first.block_id, "note": "Matches p. 4."})
    assert response.url == f"{review_url(post)}#claim-{first.block_id}"

    _, cards = claim_cards(client, post)
    verified, open_claim = cards["Crying after sex is common."], cards["It passes."]
    verdict = text_of(verified.select_one(".verdict"))
    today = timezone.localtime().strftime("%-d %b %Y")
    assert verdict.startswith(f"Verified by reviewer on {today}") and verdict.endswith(": Matches p. 4.")
    assert not verified.find("button", string="Verify")
    assert open_claim.find("button", string="Verify") and open_claim.select_one(".verdict") is None

    # A reviewer who changes their mind flags it, with a note, from the same card.
    flag = verified.find("button", string="Needs changes")
    assert flag.find_parent("form").find("textarea", attrs={"name": "note"}).has_attr("required")
    client.post(review_url(post), {"action": "flag", "block_id": first.block_id, "note": "Wrong page cited."})
    _, cards = claim_cards(client, post)
    assert "claim--needs_changes" in cards["Crying after sex is common."]["class"]
    assert cards["Crying after sex is common."].find("button", string="Verify")


def verify_all(client, post):
    for claim in claims_in(post.current_workflow_task_state.revision.as_object().body):
        client.post(review_url(post), {"action": "verify", "block_id": claim.block_id})


def test_approval_posts_to_the_plain_address_and_lands_on_the_dashboard_saying_the_post_is_live(client, team, post):
    client.force_login(team["reviewer"])
    verify_all(client, post)

    soup, _ = claim_cards(client, post)
    for form in soup.select("main form"):
        assert form["action"] == review_url(post), "no form may post to the #claim-… address the verdicts leave"
    decision = soup.select_one("form.decision")
    assert {button["value"] for button in decision.select("button")} == {"approve", "reject"}

    response = client.post(review_url(post), {"action": "approve", "note": "All sourced."})
    assert response.status_code == 302 and response.url == HOME and "#" not in response.url
    assert messages_of(client.get(HOME)) == ["“Tears after sex” passed Medical review and was published."]
    assert BlogPostPage.objects.get(pk=post.pk).live


def test_approving_a_post_with_a_go_live_date_says_when_it_goes_live(client, blog, team):
    go_live_at = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    post = post_in_medical_review(blog, team, go_live_at=go_live_at)
    client.force_login(team["reviewer"])
    verify_all(client, post)

    response = client.post(review_url(post), {"action": "approve"}, follow=True)

    when = timezone.localtime(go_live_at).strftime("%-d %b %Y %H:%M")
    assert messages_of(response) == [f"“Tears after sex” passed Medical review and is scheduled to go live on {when}."]
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.status_string == "scheduled"


def test_requesting_changes_says_who_has_the_post_now(client, team, post):
    client.force_login(team["reviewer"])
    first = claims_in(post.current_workflow_task_state.revision.as_object().body)[0]
    client.post(review_url(post), {"action": "flag", "block_id": first.block_id, "note": "Source is a blog."})

    response = client.post(review_url(post), {"action": "reject"}, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    assert messages_of(response) == [
        "Changes requested on “Tears after sex” in Medical review; it is back with its author, editor."
    ]
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.current_workflow_state.status == "needs_changes"
    assert not post.live


def test_a_refused_approval_stays_on_the_review_screen_and_changes_nothing(client, team, post):
    client.force_login(team["reviewer"])
    response = client.post(review_url(post), {"action": "approve"}, follow=True)

    assert response.redirect_chain == [(review_url(post), 302)]
    assert any(message.startswith("Approval refused: 2 claim(s) not verified") for message in messages_of(response))
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.current_workflow_task.name == "Medical review"
    assert not ClaimVerification.objects.filter(page=post).exists()


def test_a_statistic_shows_its_figures_and_a_changed_figure_shows_its_earlier_value(client, blog, team):
    """Only the number changed: the reviewer sees the new figures beside the old, not two equal sentences."""
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.statistic([source], figure="41", statement="41% cried.")])
    factories.review_medically(post, team["reviewer"])
    [raw] = post.body.raw_data
    post.body = [{**raw, "value": {**raw["value"], "figure": "45", "sample_size": 1208}}]
    post.save_revision(user=team["editor"])
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])

    client.force_login(team["reviewer"])
    _soup, cards = claim_cards(client, post)
    card = cards["41% cried."]
    assert text_of(card.select_one(".claim__figures")) == "Figures: 45% · sample of 1,208 adults · 2019"
    assert "Figures previously: 41% · sample of 100 adults · 2019" in text_of(card)
    assert "Previously:" not in text_of(card).replace("Figures previously:", "")
