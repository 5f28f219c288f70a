"""Webhooks go to https targets on public addresses only: refused in the admin's form when the URL says so,
and at every delivery when the host resolves to an internal address (checked, then connected to exactly
that address, so a DNS answer that changes in between cannot slip through). Redirects are not followed."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from cms.models import WebhookDelivery, WebhookEndpoint
from cms.webhooks.delivery import attempt, deliver_due

from ..workflow_helpers import make_team

SECRET = "a-shared-secret-of-some-length"
REAL_GETADDRINFO = socket.getaddrinfo


class Receiver:
    """An HTTP server on 127.0.0.1 recording each request's path and Host; /redirect answers 302."""

    def __init__(self):
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "host": self.headers["Host"]})
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/elsewhere")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def dns(monkeypatch):
    """Fake DNS: names in `answers` resolve to the addresses given; every lookup of them is counted."""
    answers, lookups = {}, []

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            lookups.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


def delivery_to(url):
    endpoint = WebhookEndpoint.objects.create(name="Hook", url=url, secret=SECRET, events=["published"])
    return WebhookDelivery.objects.create(endpoint=endpoint, event="published", payload={"event": "published"})


def add_endpoint(client, url):
    return client.post(
        reverse("webhook_endpoints:add"),
        {"name": "Frontend", "url": url, "events": ["published"], "active": "on", "secret": ""},
    )


@pytest.mark.parametrize(
    "url, error",
    [
        ("http://frontend.example.com/hooks", "must use https"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[::1]/hooks", "loopback"),
        ("https://localhost:8443/hooks", "loopback"),
    ],
)
def test_the_admin_refuses_an_http_or_internal_url(client, db, settings, url, error):
    settings.VERITY_WEBHOOKS_ALLOW_HTTP = False
    client.force_login(make_team()["admin"])
    response = add_endpoint(client, url)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_accepts_https_and_allow_listed_or_http_where_allowed(client, db, settings):
    settings.VERITY_WEBHOOKS_ALLOW_HTTP = False
    client.force_login(make_team()["admin"])
    assert add_endpoint(client, "https://frontend.example.com/hooks").status_code == 200  # the secret page
    settings.VERITY_WEBHOOKS_ALLOWED_HOSTS = ["hooks.internal"]
    assert add_endpoint(client, "https://hooks.internal/verity").status_code == 200
    settings.VERITY_WEBHOOKS_ALLOW_HTTP = True
    assert add_endpoint(client, "http://frontend.example.com/plain").status_code == 200
    assert WebhookEndpoint.objects.count() == 3


@pytest.mark.parametrize(
    "address, kind", [("10.0.0.1", "private"), ("127.0.0.1", "loopback"), ("169.254.169.254", "link-local")]
)
def test_a_host_resolving_to_an_internal_address_is_refused_at_delivery(db, dns, receiver, address, kind):
    answers, lookups = dns
    answers["hooks.example.com"] = [address]
    delivery = delivery_to(f"http://hooks.example.com:{receiver.port}/hooks")  # saved when it was public
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED  # refused, not retried
    assert delivery.attempts == 1 and delivery.last_status_code is None
    assert delivery.last_error.startswith("Refused: hooks.example.com resolves to")
    assert f"{address}, a {kind} address" in delivery.last_error
    assert receiver.requests == []


def test_one_internal_address_among_public_ones_is_refused(db, dns, receiver):
    answers, _ = dns
    answers["hooks.example.com"] = ["93.184.216.34", "10.0.0.1"]
    delivery = delivery_to("https://hooks.example.com/hooks")
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "10.0.0.1, a private address" in delivery.last_error


def test_the_delivery_connects_to_the_address_it_checked(db, dns, receiver, settings):
    """The name is resolved once per attempt, and the connection goes to that answer with the URL's Host:
    a second, different answer (DNS rebinding) is never asked for."""
    answers, lookups = dns
    answers["hooks.partner.test"] = ["127.0.0.1"]
    settings.VERITY_WEBHOOKS_ALLOWED_HOSTS = ["hooks.partner.test"]
    delivery = delivery_to(f"http://hooks.partner.test:{receiver.port}/hooks")
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED, delivery.last_error
    assert receiver.requests == [{"path": "/hooks", "host": f"hooks.partner.test:{receiver.port}"}]
    assert lookups == ["hooks.partner.test"]


def test_plain_http_is_refused_at_delivery_unless_allowed(db, receiver, settings):
    settings.VERITY_WEBHOOKS_ALLOW_HTTP = False
    settings.VERITY_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    delivery = delivery_to(f"http://127.0.0.1:{receiver.port}/hooks")
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "must use https" in delivery.last_error
    assert receiver.requests == []


def test_a_redirect_is_not_followed(db, receiver, settings):
    settings.VERITY_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    delivery = delivery_to(f"http://127.0.0.1:{receiver.port}/redirect")
    deliver_due()
    delivery.refresh_from_db()
    assert [request["path"] for request in receiver.requests] == ["/redirect"]  # never /elsewhere
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1  # retried later
    assert delivery.last_status_code == 302
    assert "redirect to http://127.0.0.1" in delivery.last_error and "not followed" in delivery.last_error
