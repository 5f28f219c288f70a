"""The medical review screen frames the revision under review: the preview must allow same-origin framing."""

from django.urls import reverse

from .. import factories
from .review_steps import approve_editorial_step, submit
from .workflow_helpers import make_team


def test_the_review_screens_preview_may_be_framed_by_the_admin(client, blog):
    team = make_team()
    post = factories.make_post(blog, body=[factories.claim([factories.make_source()])], live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    client.force_login(team["reviewer"])
    task_id = post.current_workflow_task_state.task_id
    response = client.get(reverse("wagtailadmin_pages:workflow_preview", args=[post.pk, task_id]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
