"""The medical review's lists read a fixed number of queries however long they are: the reviews due
(report and hourly webhook), the reviewer's dashboard queue, and the earlier wording of changed claims."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from blog.models import BlogPostPage
from cms.models import MedicalReviewSettings
from cms.review.status import previous_texts, review_claims, reviews_due
from cms.wagtail_hooks import add_medical_review_queue

from ... import factories
from ..review_steps import approve_editorial_step, submit
from ..workflow_helpers import make_team


@pytest.fixture
def team(db):
    return make_team()


def queries(function, *args):
    with CaptureQueriesContext(connection) as context:
        result = function(*args)
    return len(context.captured_queries), result


def test_reviews_due_reads_the_same_queries_for_2_and_20_posts(blog, team):
    source, expert = factories.make_source(), factories.make_expert()
    MedicalReviewSettings.load()  # created on first read; not part of the count
    counts = {}
    for size in (2, 20):
        while BlogPostPage.objects.count() < size:
            body = [factories.claim([source]), factories.expert_quote(expert, sources=[source])]
            body.append(factories.statistic([source]))
            factories.make_post(blog, body=body)  # live, never signed off: due
        counts[size], due = queries(lambda: reviews_due(BlogPostPage.objects.live()))
        assert len(due) == size
    assert counts[2] == counts[20], counts


def render_queue(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    add_medical_review_queue(request, panels)
    return panels[0].render_html({"request": request}) if panels else ""


def test_the_reviewers_dashboard_queue_reads_the_same_queries_for_1_and_10_waiting_posts(blog, team):
    source = factories.make_source()
    counts = {}
    for size in (1, 10):
        while BlogPostPage.objects.filter(live=False).count() < size:
            post = factories.make_post(blog, body=[factories.claim([source])], live=False)
            submit(post, team["editor"])
            approve_editorial_step(post, team["lead"])
        reviewer = type(team["reviewer"]).objects.get(pk=team["reviewer"].pk)  # no cached group checks
        counts[size], html = queries(render_queue, reviewer)
        assert html.count("/admin/medical-review/") == size
    assert counts[1] == counts[10], counts


def test_the_wording_of_changed_claims_reads_the_same_queries_for_1_and_10_changes(blog, team):
    source = factories.make_source()
    counts = {}
    for size in (1, 10):
        post = factories.make_post(blog, body=[factories.claim([source], f"Claim {n}.") for n in range(size)])
        factories.review_medically(post, team["reviewer"])
        post.body = [
            {"type": "claim", "value": {**raw["value"], "statement": f"Changed {n}."}, "id": raw["id"]}
            for n, raw in enumerate(post.body.raw_data)
        ]
        draft = post.save_revision().as_object()
        reviews = review_claims(post, draft.body)
        counts[size], texts = queries(previous_texts, reviews)
        assert texts == {review.claim.block_id: f"Claim {n}." for n, review in enumerate(reviews)}
    assert counts[1] == counts[10], counts
