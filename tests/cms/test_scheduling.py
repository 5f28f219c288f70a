"""An approved post with a go-live date goes live at that time, through Wagtail's publish_scheduled."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from blog.models import BlogPostPage

from .. import factories
from .review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from .workflow_helpers import make_team


def test_an_approved_post_waits_for_its_go_live_date_then_goes_live(client, blog):
    team = make_team()
    go_live_at = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    source = factories.make_source()
    post = factories.make_post(
        blog, body=[factories.claim([source], "Scheduled claim.")], live=False, go_live_at=go_live_at
    )
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    verify_and_approve_as_reviewer(client, post, team["reviewer"])

    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live
    assert post.status_string == "scheduled"
    assert post.get_latest_revision().approved_go_live_at == go_live_at
    assert client.get(post.url).status_code == 404

    # The worker runs publish_scheduled every minute; before the date it changes nothing.
    call_command("publish_scheduled", stdout=io.StringIO())
    assert not BlogPostPage.objects.get(pk=post.pk).live

    later = go_live_at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stdout=io.StringIO())
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.live
    assert "Scheduled claim." in client.get(post.url).content.decode()
