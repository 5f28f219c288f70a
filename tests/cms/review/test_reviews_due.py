"""The "Medical reviews due" report and the review states shown in the admin's listings."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import MedicalReviewSettings, MedicalSignOff

from ... import factories
from ...html import get_soup, text_of
from ..workflow_helpers import make_team


@pytest.fixture
def team(db):
    return make_team()


def reviewed_post(blog, reviewer, title, statement="A reviewed claim."):
    source = factories.make_source()
    post = factories.make_post(blog, title=title, body=[factories.claim([source], statement)])
    factories.review_medically(post, reviewer)
    return post


def export_rows(client):
    response = client.get(reverse("verity_reviews_due") + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def age_reviews(post, days):
    """Move time: the post was signed off `days` ago."""
    MedicalSignOff.objects.filter(page=post).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_a_review_falls_due_when_older_than_the_cadence(client, blog, team):
    post = reviewed_post(blog, team["reviewer"], "Fresh review")
    client.force_login(team["reviewer"])
    assert export_rows(client) == []
    age_reviews(post, 364)
    assert export_rows(client) == []

    age_reviews(post, 366)
    rows = export_rows(client)
    assert [(row["Post"], row["Why it is due"], row["Last reviewer"]) for row in rows] == [
        ("Fresh review", "Reviewed more than 365 days ago", "reviewer")
    ]


def test_the_cadence_is_an_admin_setting(client, blog, team):
    age_reviews(reviewed_post(blog, team["reviewer"], "Monthly review"), 31)
    client.force_login(team["lead"])
    assert export_rows(client) == []  # 365 days by default
    settings = MedicalReviewSettings.load()
    settings.cadence_days = 30
    settings.save()
    rows = export_rows(client)
    assert [row["Why it is due"] for row in rows] == ["Reviewed more than 30 days ago"]


def test_live_posts_never_signed_off_are_due_with_claims_or_without(client, blog, team):
    source = factories.make_source()
    factories.make_post(blog, title="Never reviewed", body=[factories.claim([source])])
    factories.make_post(blog, title="No claims at all")
    client.force_login(team["reviewer"])
    rows = [(row["Post"], row["Why it is due"], row["Last reviewed"]) for row in export_rows(client)]
    assert sorted(rows) == [("Never reviewed", "Never reviewed", ""), ("No claims at all", "Never reviewed", "")]


def test_a_post_changed_since_its_sign_off_is_due(client, blog, team):
    post = reviewed_post(blog, team["reviewer"], "Signed off")
    client.force_login(team["reviewer"])
    assert export_rows(client) == []
    post.dek = "A new subtitle, published without review."
    post.save_revision().publish()
    assert [row["Why it is due"] for row in export_rows(client)] == ["Changed since the last review"]


def test_the_report_renders_for_reviewers_and_is_refused_to_editors(client, blog, team):
    reviewed_post(blog, team["reviewer"], "Shown post")
    client.force_login(team["reviewer"])
    assert client.get(reverse("verity_reviews_due")).status_code == 200
    for name in ("editor", "shop"):
        client.force_login(team[name])
        response = client.get(reverse("verity_reviews_due") + "?export=csv")
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_listing_states_name_each_step_of_the_workflow(client, blog, team):
    from blog.models import BlogPostPage

    from ..review_steps import approve_editorial_step, submit

    source = factories.make_source()
    draft = factories.make_post(blog, title="A draft", body=[factories.claim([source])], live=False)
    editorial = factories.make_post(blog, title="In editorial", body=[factories.claim([source])], live=False)
    medical = factories.make_post(blog, title="In medical", body=[factories.claim([source])], live=False)
    rejected = factories.make_post(blog, title="Sent back", body=[factories.claim([source])], live=False)
    old = reviewed_post(blog, team["reviewer"], "Old review")
    age_reviews(old, 400)
    submit(editorial, team["editor"])
    submit(medical, team["editor"])
    approve_editorial_step(medical, team["lead"])
    submit(rejected, team["editor"])
    rejected.current_workflow_task_state.reject(user=team["lead"], comment="Needs a source.")

    assert {page.title: page.status_string for page in BlogPostPage.objects.filter(pk=draft.pk)} == {"A draft": "draft"}
    client.force_login(team["admin"])
    soup = get_soup(client, reverse("wagtailadmin_explore", args=[blog.pk]))
    states = sorted(text_of(tag).removeprefix("Current page status: ") for tag in soup.select(".w-status"))
    assert states == sorted(
        ["draft", "in editorial review", "in medical review", "changes requested", "live, review due"]
    )


def test_a_live_post_in_review_says_it_is_still_live(blog, team):
    from blog.models import BlogPostPage

    from ..review_steps import submit

    post = factories.make_post(blog, title="Live and revised")
    submit(post, team["editor"])
    assert BlogPostPage.objects.get(pk=post.pk).status_string == "live, in editorial review"
    post.current_workflow_task_state.reject(user=team["lead"], comment="Needs a source.")
    assert BlogPostPage.objects.get(pk=post.pk).status_string == "live, changes requested"
