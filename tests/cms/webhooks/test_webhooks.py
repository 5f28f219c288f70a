"""Webhooks against a real HTTP receiver: signed deliveries, written in the transaction of the change,
sent after it commits, retried with backoff while the receiver fails, and never lost while the receiver
or the worker is down."""

import datetime
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.signals import page_unpublished

from blog.models import BlogPostPage
from cms.models import MedicalSignOff, WebhookDelivery, WebhookEndpoint
from cms.webhooks.delivery import verify

from ... import factories
from ..review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from ..workflow_helpers import make_team

SECRET = "a-shared-secret-of-some-length"


@pytest.fixture(autouse=True)
def receivers_on_loopback_allowed(settings):
    """These tests' receivers listen on 127.0.0.1, which deliveries refuse unless allow-listed."""
    settings.VERITY_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST; it answers `status`, or is down."""

    def __init__(self):
        self.requests = []
        self.status = 200
        with socket.socket() as probe:  # an ephemeral port, free now
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/verity"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok" if receiver.status < 300 else b"receiver broke")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Down: the port refuses connections."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def payloads(self):
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def down_receiver():
    receiver = Receiver()  # never started: connections are refused
    yield receiver
    receiver.stop()


def endpoint_for(receiver, events=("published",), **fields):
    return WebhookEndpoint.objects.create(
        name="Frontend", url=receiver.url, secret=SECRET, events=list(events), **fields
    )


def move_time(monkeypatch, delta):
    """From here on the clock reads `delta` later than now."""
    later = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: later)
    return later


def deliveries():
    return list(WebhookDelivery.objects.order_by("pk"))


def test_publishing_sends_a_signed_delivery_after_the_commit(blog, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        post = factories.make_post(blog, title="Tears after sex")

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    [delivery] = deliveries()
    assert headers["X-Verity-Event"] == "published"
    assert headers["X-Verity-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"] == "application/json"
    timestamp = headers["X-Verity-Timestamp"]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    assert headers["X-Verity-Signature"].startswith("sha256=")
    assert verify(SECRET, timestamp, body, headers["X-Verity-Signature"])
    # The signature covers the timestamp and the body: change either, or the secret, and it fails.
    assert not verify(SECRET, str(int(timestamp) + 1), body, headers["X-Verity-Signature"])
    assert not verify(SECRET, timestamp, body.replace(b"Tears", b"Fears"), headers["X-Verity-Signature"])
    assert not verify("another-secret", timestamp, body, headers["X-Verity-Signature"])

    payload = json.loads(body)
    assert payload["event"] == "published"
    assert payload["revision_id"] == post.live_revision_id
    assert payload["object"] == {
        "type": "blog.BlogPostPage",
        "id": post.pk,
        "title": "Tears after sex",
        "url": post.get_full_url(),
        "api_url": f"/api/v3/pages/{post.pk}/",
    }
    assert datetime.datetime.fromisoformat(payload["occurred_at"]) <= timezone.now()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_the_delivery_is_written_in_the_publishing_transaction(blog, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    post = factories.make_post(blog, live=False)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post.save_revision().publish()
        assert len(deliveries()) == 1  # written inside the transaction...
        raise RuntimeError("something later in the same transaction fails")

    assert deliveries() == []  # ...and rolled back with the publish
    assert not BlogPostPage.objects.get(pk=post.pk).live
    assert callbacks == [] and receiver.requests == []  # nothing was enqueued, nothing sent


def test_an_admin_request_that_fails_after_the_change_leaves_no_delivery(client, blog, receiver, settings):
    """Unsafe requests are atomic (cms.operations.middleware.AtomicWritesMiddleware): the unpublish and its event commit
    together or not at all."""
    assert "cms.operations.middleware.AtomicWritesMiddleware" in settings.MIDDLEWARE
    endpoint_for(receiver, events=["unpublished"])
    post = factories.make_post(blog)
    client.force_login(make_team()["admin"])

    def fail_after_the_event_is_written(sender, instance, **kwargs):
        assert WebhookDelivery.objects.filter(event="unpublished").exists()
        raise RuntimeError("a later step of the same request fails")

    page_unpublished.connect(fail_after_the_event_is_written, dispatch_uid="test-webhooks-fail")
    try:
        with pytest.raises(RuntimeError):
            client.post(reverse("wagtailadmin_pages:unpublish", args=[post.pk]))
    finally:
        page_unpublished.disconnect(dispatch_uid="test-webhooks-fail")

    assert BlogPostPage.objects.get(pk=post.pk).live
    assert deliveries() == []

    client.post(reverse("wagtailadmin_pages:unpublish", args=[post.pk]))
    assert not BlogPostPage.objects.get(pk=post.pk).live
    [delivery] = deliveries()
    assert delivery.event == "unpublished"
    assert delivery.payload["object"]["url"] is None  # no longer public


def test_a_failing_receiver_is_retried_with_backoff_until_it_returns(
    blog, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    receiver.status = 500
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_post(blog)

    [delivery] = deliveries()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert "HTTP 500" in delivery.last_error and "receiver broke" in delivery.last_error
    assert (
        before + datetime.timedelta(seconds=29)
        < delivery.next_attempt_at
        <= timezone.now() + datetime.timedelta(seconds=31)
    )

    # The worker runs before the backoff has passed: nothing is sent.
    call_command("deliver_webhooks")
    assert len(receiver.requests) == 1

    # Still failing a minute later: the wait doubles.
    move_time(monkeypatch, datetime.timedelta(minutes=1))
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("pending", 2, 2)
    assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(seconds=60)

    # The receiver is fixed; once the backoff has passed, the worker delivers.
    receiver.status = 204
    move_time(monkeypatch, datetime.timedelta(minutes=2))
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)
    assert delivery.last_error == ""
    assert len(receiver.requests) == 3
    # Every attempt is the same delivery, re-signed with its own timestamp.
    assert {request["headers"]["X-Verity-Delivery"] for request in receiver.requests} == {str(delivery.pk)}
    for request in receiver.requests:
        headers = request["headers"]
        assert verify(SECRET, headers["X-Verity-Timestamp"], request["body"], headers["X-Verity-Signature"])

    # Delivered deliveries are not sent again.
    move_time(monkeypatch, datetime.timedelta(days=1))
    call_command("deliver_webhooks")
    assert len(receiver.requests) == 3


def test_nothing_is_lost_while_the_receiver_is_down(
    blog, down_receiver, monkeypatch, django_capture_on_commit_callbacks
):
    endpoint_for(down_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        post = factories.make_post(blog)

    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "ConnectionError" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()

    down_receiver.start()  # it comes back
    move_time(monkeypatch, datetime.timedelta(minutes=1))
    call_command("deliver_webhooks")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert [payload["object"]["id"] for payload in down_receiver.payloads()] == [post.pk]


def test_a_delivery_gives_up_after_the_last_attempt_and_can_be_retried(
    client, blog, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    from cms.webhooks.delivery import MAX_ATTEMPTS

    endpoint_for(receiver)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_post(blog)
    for days in range(1, MAX_ATTEMPTS + 2):
        move_time(monkeypatch, datetime.timedelta(days=days))
        call_command("deliver_webhooks")
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", MAX_ATTEMPTS, 503)
    assert len(receiver.requests) == MAX_ATTEMPTS

    # The admin's Retry sends it again.
    receiver.status = 200
    client.force_login(make_team()["admin"])
    response = client.post(reverse("webhook_deliveries:retry", args=[delivery.pk]))
    assert response.status_code == 302
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("delivered", 200)


@pytest.mark.parametrize("worker", ["never runs", "cannot be reached"])
def test_nothing_is_lost_while_the_worker_is_down(
    worker, blog, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    if worker == "never runs":  # the task is queued, but no worker picks it up
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    else:  # the task backend refuses the task; the publish still succeeds

        class Unreachable:
            def enqueue(self, *args):
                raise ConnectionError("task broker is down")

        monkeypatch.setattr("cms.webhooks.delivery.deliver_webhook", Unreachable())
    endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        post = factories.make_post(blog)

    assert post.live
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert receiver.requests == []

    call_command("deliver_webhooks")  # the worker is back
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert [payload["object"]["id"] for payload in receiver.payloads()] == [post.pk]


def test_an_endpoint_gets_only_the_events_it_subscribes_to(blog, receiver, django_capture_on_commit_callbacks):
    team = make_team()
    published_only = endpoint_for(receiver, events=["published"])
    submitted_only = endpoint_for(receiver, events=["submitted"])
    endpoint_for(receiver, events=["published", "submitted"], active=False)
    post = factories.make_post(blog, live=False)

    with django_capture_on_commit_callbacks(execute=True):
        submit(post, team["editor"])

    assert [(d.endpoint, d.event) for d in deliveries()] == [(submitted_only, "submitted")]
    assert [request["headers"]["X-Verity-Event"] for request in receiver.requests] == ["submitted"]
    assert not published_only.deliveries.exists()


def test_the_review_workflow_sends_submitted_approved_rejected_and_published(client, blog):
    team = make_team()
    WebhookEndpoint.objects.create(
        name="All", url="http://127.0.0.1:9/", secret=SECRET, events=["published", "submitted", "approved", "rejected"]
    )
    post = factories.make_post(blog, live=False, title="In review")

    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])  # the medical step starts: not a submission
    post.refresh_from_db()
    post.current_workflow_task_state.reject(user=team["reviewer"], comment="Needs a source.")
    post.refresh_from_db()
    post.current_workflow_state.resume(user=team["editor"])  # resubmitted
    post.refresh_from_db()
    verify_and_approve_as_reviewer(client, post, team["reviewer"])

    post.refresh_from_db()
    assert post.live
    events = [
        (d.event, (d.payload.get("workflow") or {}).get("step"), (d.payload.get("workflow") or {}).get("status"))
        for d in deliveries()
    ]
    assert events == [
        ("submitted", "Editorial review", "in_progress"),
        ("approved", "Editorial review", "in_progress"),
        ("rejected", "Medical review", "needs_changes"),
        ("submitted", "Medical review", "in_progress"),
        ("published", None, None),
        ("approved", "Medical review", "approved"),
    ]
    for delivery in deliveries():
        assert delivery.payload["object"]["id"] == post.pk
        assert delivery.payload["object"]["title"] == "In review"
    submitted = deliveries()[0]
    assert submitted.payload["object"]["url"] is None  # not live yet
    assert submitted.payload["revision_id"] == post.latest_revision_id


def test_a_scheduled_post_is_published_for_webhooks_only_when_it_goes_live(blog, monkeypatch):
    WebhookEndpoint.objects.create(name="All", url="http://127.0.0.1:9/", secret=SECRET, events=["published"])
    post = factories.make_post(blog, live=False)
    post.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    post.save_revision().publish()
    assert deliveries() == []

    move_time(monkeypatch, datetime.timedelta(hours=2))
    call_command("publish_scheduled")
    [delivery] = deliveries()
    assert delivery.event == "published" and delivery.payload["object"]["id"] == post.pk


def reviewed_post(blog, reviewer, title):
    source = factories.make_source()
    post = factories.make_post(blog, title=title, body=[factories.claim([source], f"A claim of {title}.")])
    review(post, reviewer)
    return post


def review(post, reviewer):
    factories.review_medically(post, reviewer)


def age_reviews(post, days):
    MedicalSignOff.objects.filter(page=post).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_review_due_is_sent_once_per_post_and_review(blog):
    team = make_team()
    endpoint = WebhookEndpoint.objects.create(
        name="Reviews", url="http://127.0.0.1:9/", secret=SECRET, events=["review_due"]
    )
    fresh = reviewed_post(blog, team["reviewer"], "Fresh")
    stale = reviewed_post(blog, team["reviewer"], "Stale")
    never = factories.make_post(blog, title="Never", body=[factories.claim([factories.make_source()])])
    age_reviews(stale, 400)

    call_command("send_review_due_webhooks")
    call_command("send_review_due_webhooks")  # running again sends nothing twice
    due = {d.payload["object"]["id"]: d.payload["review"]["reason"] for d in endpoint.deliveries.all()}
    assert due == {stale.pk: "Reviewed more than 365 days ago", never.pk: "Never reviewed"}
    assert fresh.pk not in due

    # Reviewed again, the post is not due; a year later it falls due again, and is sent again.
    review(stale, team["reviewer"])
    call_command("send_review_due_webhooks")
    assert endpoint.deliveries.filter(payload__object__id=stale.pk).count() == 1
    age_reviews(stale, 366)
    call_command("send_review_due_webhooks")
    assert endpoint.deliveries.filter(event="review_due", payload__object__id=stale.pk).count() == 2


# The admin screens


def refused(response):
    """Wagtail's admin answers a refusal by sending the user back to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_admin_registers_an_endpoint_and_sees_its_secret_once(client, db):
    admin = make_team()["admin"]
    client.force_login(admin)
    assert "Webhooks" in client.get(reverse("wagtailadmin_home")).content.decode()  # in the menu
    index_url = reverse("webhook_endpoints:index")
    assert client.get(index_url).status_code == 200
    assert client.get(reverse("webhook_endpoints:add")).status_code == 200

    response = client.post(
        reverse("webhook_endpoints:add"),
        {
            "name": "Frontend",
            "url": "https://frontend.example.com/hooks",
            "events": ["published", "review_due"],
            "active": "on",
            "secret": "",
        },
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["published", "review_due"]
    assert len(endpoint.secret) >= 32
    assert endpoint.secret in response.content.decode()  # shown once, on the page after saving
    assert "no-store" in response["Cache-Control"]

    listing = client.get(index_url).content.decode()
    assert "Frontend" in listing and endpoint.secret not in listing
    edit_url = reverse("webhook_endpoints:edit", args=[endpoint.pk])
    edit = client.get(edit_url).content.decode()
    assert "frontend.example.com" in edit and endpoint.secret not in edit

    # Editing without typing a secret keeps it; typing one replaces it.
    secret = endpoint.secret
    form = {"name": "Frontend", "url": "https://frontend.example.com/hooks", "events": ["published"], "secret": ""}
    assert client.post(edit_url, form).status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.events, endpoint.active) == (secret, ["published"], False)
    assert client.post(edit_url, {**form, "secret": "a-new-secret-that-is-long"}).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret == "a-new-secret-that-is-long"
    # A typed secret too short is refused.
    assert client.post(edit_url, {**form, "secret": "short"}).status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret == "a-new-secret-that-is-long"

    # Deleting an endpoint deletes its log.
    WebhookDelivery.objects.create(endpoint=endpoint, event="published", payload={})
    assert client.post(reverse("webhook_endpoints:delete", args=[endpoint.pk])).status_code == 302
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_admin_sees_the_delivery_log(client, blog, down_receiver, django_capture_on_commit_callbacks):
    endpoint_for(down_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_post(blog, title="Logged post")
    [delivery] = deliveries()
    client.force_login(make_team()["admin"])

    listing = client.get(reverse("webhook_deliveries:index"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Logged post" in text and "Pending" in text and "ConnectionError" in text
    assert SECRET not in text
    inspect = client.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
    assert inspect.status_code == 200
    assert "ConnectionError" in inspect.content.decode() and "Retry now" in inspect.content.decode()
    # The log is read-only, even for a superuser.
    assert refused(client.get(reverse("webhook_deliveries:add")))
    assert refused(client.get(reverse("webhook_deliveries:edit", args=[delivery.pk])))
    assert refused(client.post(reverse("webhook_deliveries:delete", args=[delivery.pk])))
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


@pytest.mark.parametrize("role", ["editor", "lead", "reviewer", "shop"])
def test_the_webhook_screens_are_refused_to_everyone_but_superusers(client, db, role):
    team = make_team()
    endpoint = WebhookEndpoint.objects.create(name="Frontend", url="https://example.com/", secret=SECRET)
    client.force_login(team[role])
    for url in [
        reverse("webhook_endpoints:index"),
        reverse("webhook_endpoints:add"),
        reverse("webhook_endpoints:edit", args=[endpoint.pk]),
        reverse("webhook_endpoints:delete", args=[endpoint.pk]),
        reverse("webhook_deliveries:index"),
    ]:
        assert refused(client.get(url)), url
    form = {"name": "Mine", "url": "https://evil.example.com/", "events": ["published"], "secret": ""}
    assert refused(client.post(reverse("webhook_endpoints:add"), form))
    assert refused(client.post(reverse("webhook_endpoints:edit", args=[endpoint.pk]), form))
    assert refused(client.post(reverse("webhook_endpoints:delete", args=[endpoint.pk])))
    assert [e.name for e in WebhookEndpoint.objects.all()] == ["Frontend"]
    assert "Webhooks" not in client.get(reverse("wagtailadmin_home")).content.decode()
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="published", payload={}, status="failed")
    client.post(reverse("webhook_deliveries:retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == "failed"
