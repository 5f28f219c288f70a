"""The medical reviewer's sign-off of a whole article: recorded on approval with the revision it covers,
needed (with every claim verified) for the public trust line, and the date reviews count from."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import BlogPostPage
from cms.models import MedicalSignOff
from cms.review.status import article_fingerprint, reviews_due

from ... import factories
from ...html import get_soup, text_of
from ..review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from ..workflow_helpers import make_team

TRUST_LINE = "Medically reviewed by"


@pytest.fixture
def team(db):
    return make_team()


def json_ld_types(client, url):
    soup = get_soup(client, url)
    documents = [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
    return [node["@type"] for document in documents for node in document.get("@graph", [document])]


def reviewed_through_the_workflow(client, post, team):
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    response = verify_and_approve_as_reviewer(client, post, team["reviewer"])
    assert response.status_code == 302
    client.logout()
    return BlogPostPage.objects.get(pk=post.pk)


def test_a_live_post_without_claims_says_nothing_until_a_reviewer_signs_it_off(client, blog, team):
    post = factories.make_post(blog, title="Aftercare talk")  # a paragraph, no claims
    assert TRUST_LINE not in client.get(post.url).content.decode()
    assert "MedicalWebPage" not in json_ld_types(client, post.url)
    assert [due.page.pk for due in reviews_due(BlogPostPage.objects.live())] == [post.pk]

    post.dek = "Reviewed at last."
    post.save_revision(user=team["editor"])
    post = reviewed_through_the_workflow(client, post, team)

    signed = MedicalSignOff.objects.get(page=post)
    assert (signed.revision_id, signed.reviewer) == (post.live_revision_id, team["reviewer"])
    soup = get_soup(client, post.url)
    assert soup.select_one(".reviewed-by").get_text().startswith(f"{TRUST_LINE} Dr. Ana Reyes, MD on ")
    assert "Reviewed at last." in text_of(soup)
    assert "MedicalWebPage" in json_ld_types(client, post.url)
    assert reviews_due(BlogPostPage.objects.live()) == []


def test_the_review_date_is_the_sign_off_date(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])], live=False)
    post = reviewed_through_the_workflow(client, post, team)
    signed_at = timezone.now() - datetime.timedelta(days=40)
    MedicalSignOff.objects.filter(page=post).update(created_at=signed_at)
    html = client.get(post.url).content.decode()
    assert f'datetime="{signed_at.isoformat(timespec="seconds")}' in html or signed_at.strftime("%B %-d, %Y") in html


def test_verified_claims_without_a_sign_off_show_no_trust_line(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])])
    factories.review_medically(post, team["reviewer"])
    assert TRUST_LINE in client.get(post.url).content.decode()
    MedicalSignOff.objects.filter(page=post).delete()
    assert TRUST_LINE not in client.get(post.url).content.decode()
    assert [due.reason for due in reviews_due(BlogPostPage.objects.live())] == ["Never reviewed"]


def test_content_published_after_the_sign_off_is_not_covered_by_it(client, blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])])
    factories.review_medically(post, team["reviewer"])
    before = article_fingerprint(post)
    post.title = "A new headline nobody reviewed"
    post.save_revision(user=team["admin"]).publish()
    post = BlogPostPage.objects.get(pk=post.pk)
    assert article_fingerprint(post) != before
    assert TRUST_LINE not in client.get(post.url).content.decode()
    assert [due.reason for due in reviews_due(BlogPostPage.objects.live())] == ["Changed since the last review"]


def test_the_sign_off_covers_the_live_revision_as_published(client, blog, team):
    """The fingerprint taken from the revision under review matches the page once it is live."""
    source = factories.make_source()
    post = factories.make_post(
        blog, body=[factories.statistic([source], figure="41.00"), factories.claim([source])], live=False
    )
    post = reviewed_through_the_workflow(client, post, team)
    assert post.live
    assert MedicalSignOff.objects.get(page=post).content_fingerprint == article_fingerprint(post)


def test_wagtails_own_approve_action_is_refused_while_claims_are_unverified(client, blog, team):
    """The gate is in the Task, so no way around the review screen skips it: here Wagtail's workflow
    action view, as the dashboard's buttons post to it."""
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source])], live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    task_state = post.current_workflow_task_state
    client.force_login(team["reviewer"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.current_workflow_task_state == task_state
    assert not MedicalSignOff.objects.filter(page=post).exists()


def test_the_demo_post_without_claims_is_listed_as_never_reviewed_and_the_seed_is_signed_off(client, demo):
    seed = BlogPostPage.objects.get(slug="what-it-means-if-you-cry-after-sex")
    aftercare = BlogPostPage.objects.get(slug="talking-about-aftercare")
    assert TRUST_LINE in client.get(seed.url).content.decode()
    assert TRUST_LINE not in client.get(aftercare.url).content.decode()
    due = {row.page.slug: row.reason for row in reviews_due(BlogPostPage.objects.live())}
    assert due.get("talking-about-aftercare") == "Never reviewed"
    assert "what-it-means-if-you-cry-after-sex" not in due
