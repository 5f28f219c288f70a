"""Framing: the medical review screen and the editor's preview frame same-origin admin pages, so the admin
may be framed by this origin (SAMEORIGIN, frame-ancestors 'self'); the public site and the API never are."""

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
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    screen = client.get(reverse("verity_medical_review", args=[post.pk]))
    assert screen.status_code == 200
    assert "frame-src 'self'" in screen["Content-Security-Policy"]


def test_the_editors_preview_may_be_framed_by_the_admin(admin_client, blog):
    post = factories.make_post(blog, live=True)
    response = admin_client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[post.pk]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_public_site_and_the_api_are_never_framed(client, blog):
    post = factories.make_post(blog, live=True)
    for path in (post.url, "/api/v3/posts/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
