"""Reads run outside transactions; every change commits together with the webhook events it writes.

ATOMIC_REQUESTS is off (a public page view holds no transaction open); unsafe requests are atomic through
cms.operations.middleware.AtomicWritesMiddleware, and publish_scheduled publishes each page in a transaction of its own
(cms/management/commands/publish_scheduled.py). A failing event write rolls the change back with it.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from blog.models import BlogPostPage
from cms.models import WebhookDelivery, WebhookEndpoint

from .. import factories
from ..admin_forms import form_data
from .workflow_helpers import make_team


@pytest.fixture
def endpoint():
    return WebhookEndpoint.objects.create(
        name="Frontend", url="http://127.0.0.1:9/hooks", secret="a-shared-secret-of-some-length", events=["published"]
    )


class AtomicDepth:
    """Records, for each query, how many atomic blocks are open beyond those of the test itself."""

    def __init__(self):
        self.base = len(connection.atomic_blocks)
        self.depths = []

    def __call__(self, execute, sql, params, many, context):
        self.depths.append((len(connection.atomic_blocks) - self.base, sql.split(None, 1)[0].upper(), sql))
        return execute(sql, params, many, context)

    def of(self, statement, table=""):
        return {depth for depth, verb, sql in self.depths if verb == statement and table in sql}


def failing_event_writes(only_for=None):
    """WebhookDelivery.objects.create fails (for the page `only_for`, or every page), as a full disk would."""
    create = WebhookDelivery.objects.create

    def create_or_fail(**fields):
        if only_for is None or fields["payload"]["object"]["id"] == only_for.pk:
            raise DatabaseError("could not extend file: No space left on device")
        return create(**fields)

    return mock.patch.object(WebhookDelivery.objects, "create", side_effect=create_or_fail)


def test_page_views_and_api_reads_run_outside_any_transaction(client, blog):
    post = factories.make_post(blog)
    depth = AtomicDepth()
    with connection.execute_wrapper(depth):
        for url in ["/", post.url, "/api/v3/posts/", f"/api/v3/posts/by-slug/{post.slug}/"]:
            assert client.get(url).status_code == 200
    # Every read outside a transaction (Wagtail makes a missing image rendition in an atomic block of its own).
    assert depth.of("SELECT") == {0}


def test_an_admin_write_runs_in_one_transaction(client, blog):
    post = factories.make_post(blog)
    client.force_login(make_team()["admin"])
    depth = AtomicDepth()
    with connection.execute_wrapper(depth):
        client.post(reverse("wagtailadmin_pages:unpublish", args=[post.pk]))
    assert depth.of("UPDATE", "wagtailcore_page") and min(depth.of("UPDATE", "wagtailcore_page")) >= 1
    assert not BlogPostPage.objects.get(pk=post.pk).live


def test_a_failing_event_write_rolls_back_the_publish_in_the_admin(client, blog, endpoint):
    post = factories.make_post(blog, live=False, title="Not yet")
    client.force_login(make_team()["admin"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    data = form_data(client.get(edit_url), "Publish")
    data["title"] = "Published with its event, or not at all"
    data["action-publish"] = "action-publish"

    with failing_event_writes(), pytest.raises(DatabaseError):
        client.post(edit_url, data)

    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.title == "Not yet"
    assert post.revisions.count() == 0 or post.get_latest_revision().content["title"] != data["title"]
    assert not WebhookDelivery.objects.exists()

    assert client.post(edit_url, data).status_code == 302  # and once the outbox takes it, both commit
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.live and post.title == data["title"]
    assert WebhookDelivery.objects.get().payload["object"]["id"] == post.pk


def scheduled_post(blog, title, go_live_at):
    post = factories.make_post(blog, live=False, title=title, go_live_at=go_live_at)
    post.save_revision().publish()  # with a future go-live date: scheduled, not live
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.get_latest_revision().approved_go_live_at == go_live_at
    return post


def test_a_failing_event_write_rolls_back_that_scheduled_publish_only(blog, endpoint):
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    failing = scheduled_post(blog, "Its event fails", go_live_at)
    fine = scheduled_post(blog, "Its event is written", go_live_at)
    later = go_live_at + datetime.timedelta(minutes=1)

    stderr = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=later), failing_event_writes(only_for=failing):
        call_command("publish_scheduled", stdout=io.StringIO(), stderr=stderr)

    failing = BlogPostPage.objects.get(pk=failing.pk)
    assert not failing.live, "the publish is rolled back with its event"
    assert failing.get_latest_revision().approved_go_live_at == go_live_at, "and still scheduled"
    assert "No space left on device" in stderr.getvalue()
    assert BlogPostPage.objects.get(pk=fine.pk).live, "the other scheduled post still went live"
    assert [delivery.payload["object"]["id"] for delivery in WebhookDelivery.objects.all()] == [fine.pk]

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stdout=io.StringIO())  # the next run publishes it, event and all
    assert BlogPostPage.objects.get(pk=failing.pk).live
    assert sorted(WebhookDelivery.objects.values_list("payload__object__id", flat=True)) == sorted(
        [failing.pk, fine.pk]
    )


def test_expired_pages_are_unpublished_atomically_too(blog):
    WebhookEndpoint.objects.create(
        name="Frontend", url="http://127.0.0.1:9/hooks", secret="a-shared-secret-of-some-length", events=["unpublished"]
    )
    post = factories.make_post(blog)
    BlogPostPage.objects.filter(pk=post.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    with failing_event_writes():
        call_command("publish_scheduled", stdout=io.StringIO(), stderr=io.StringIO())
    assert BlogPostPage.objects.get(pk=post.pk).live
    call_command("publish_scheduled", stdout=io.StringIO())
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live and post.expired
    assert WebhookDelivery.objects.get().event == "unpublished"
