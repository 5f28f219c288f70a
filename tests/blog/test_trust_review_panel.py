""" "Updated on" apart from "Reviewed on", and the "How we reviewed this article" panel's history from the audit
log, on the public post page: an edit that changes no claim updates the first and keeps the second; a changed
claim is reviewed anew; the panel lists each publish and sign-off with its date and role, in queries that do
not grow with the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from blog.models import BlogPostPage
from cms.models import MedicalSignOff
from cms.review.claims import claims_in

from .. import factories
from ..cms.review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from ..cms.workflow_helpers import claim_block, make_team, post_form
from ..html import get_soup

LONG_AGO = timezone.now() - timedelta(days=90)


@pytest.fixture
def team(db):
    return make_team()


def through_review(client, post, team):
    if not post.workflow_in_progress:
        submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    assert verify_and_approve_as_reviewer(client, post, team["reviewer"]).status_code == 302
    client.logout()
    return BlogPostPage.objects.get(pk=post.pk)


def age_everything(post):
    """Move the post's review and publishing into the past, as if months went by."""
    MedicalSignOff.objects.filter(page=post).update(created_at=LONG_AGO)
    PageLogEntry.objects.filter(page=post).update(timestamp=LONG_AGO)
    BlogPostPage.objects.filter(pk=post.pk).update(first_published_at=LONG_AGO, last_published_at=LONG_AGO)


def dates(client, post):
    soup = get_soup(client, post.url)
    reviewed = soup.select_one(".reviewed-by time")["datetime"][:10]
    updated = soup.select_one(".updated-on time")
    return reviewed, updated["datetime"][:10] if updated else None, soup


def make_reviewed_post(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source], "Crying after sex is common.")], live=False)
    return through_review(client, post, team), source


def test_an_edit_that_changes_no_claim_updates_updated_on_and_keeps_reviewed_on(client, blog, team):
    post, source = make_reviewed_post(client, blog, team)
    age_everything(post)
    post = BlogPostPage.objects.get(pk=post.pk)

    # The editor changes the dek only, keeping the claim's words and source; it goes through review again.
    [claim] = claims_in(post.body)
    client.force_login(team["editor"])
    data = post_form(
        post.title, post.slug, [claim_block("Crying after sex is common.", [source], claim.block_id)], "action-submit"
    )
    data["dek"] = "A new dek."
    assert client.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), data).status_code == 302
    post = through_review(client, BlogPostPage.objects.get(pk=post.pk), team)

    reviewed, updated, soup = dates(client, post)
    assert reviewed == LONG_AGO.date().isoformat()
    assert updated == timezone.now().date().isoformat()
    history = [" ".join(li.get_text().split()) for li in soup.select(".review-panel .review-history li")]
    assert [entry.split(": ", 1)[1] for entry in history] == [
        "Medical review signed off by Dr. Ana Reyes (medical reviewer)",
        "Published (medical reviewer)",
        "Medical review signed off by Dr. Ana Reyes (medical reviewer)",
        "Updated (medical reviewer)",
    ]


def test_an_edit_that_changes_a_claim_is_reviewed_anew(client, blog, team):
    post, source = make_reviewed_post(client, blog, team)
    age_everything(post)
    post = BlogPostPage.objects.get(pk=post.pk)
    [claim] = claims_in(post.body)
    client.force_login(team["editor"])
    data = post_form(
        post.title,
        post.slug,
        [claim_block("Crying after sex is very common.", [source], claim.block_id)],
        "action-submit",
    )
    assert client.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), data).status_code == 302
    post = through_review(client, BlogPostPage.objects.get(pk=post.pk), team)
    reviewed, updated, _ = dates(client, post)
    assert reviewed == updated == timezone.now().date().isoformat()


def test_the_history_panel_reads_the_same_queries_for_a_short_and_a_long_history(client, blog, team):
    post, source = make_reviewed_post(client, blog, team)
    counts = {}
    for rounds in (1, 4):
        while PageLogEntry.objects.filter(page=post, action="wagtail.publish").count() < rounds:
            post = BlogPostPage.objects.get(pk=post.pk)
            post.dek = f"Dek {timezone.now().timestamp()}"
            post.save_revision(user=team["editor"])
            post = through_review(client, BlogPostPage.objects.get(pk=post.pk), team)
        post = BlogPostPage.objects.get(pk=post.pk)
        with CaptureQueriesContext(connection) as context:
            history = post.review_history
        counts[rounds] = len(context.captured_queries)
        assert len(history) == 2 * rounds
        assert client.get(post.url).status_code == 200
    assert counts[1] == counts[4] == 1
