"""The client's address (cms/operations/client_address.py): only the trusted proxies' X-Forwarded-For entry counts.

A client may send any X-Forwarded-For; Varnish appends the address it got the request from. With one trusted
proxy only that last entry names the client, so a forged value changes nothing: not the sign-in lockout, not
the API's throttles.
"""

import importlib
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from cms import preview_tokens
from cms.operations.client_address import client_ip

from ... import factories

PASSWORD = "the-right-password-42"
VARNISH = "127.0.0.1"  # REMOTE_ADDR of every request that came through the edge
CLIENT = "203.0.113.7"  # the client's address, as Varnish appends it


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()  # the API's throttles count requests in the cache


@pytest.fixture
def behind_varnish(settings):
    """The production topology: one trusted proxy, as `verity.py stack` and docker-compose run it."""
    settings.VERITY_TRUSTED_PROXIES = 1
    settings.NINJA_NUM_PROXIES = 1  # production sets both from TRUSTED_PROXIES


def through_varnish(forged=None, client=CLIENT):
    """The META of a request Varnish passed on: the client's own X-Forwarded-For, then its address."""
    forwarded = f"{forged}, {client}" if forged else client
    return {"REMOTE_ADDR": VARNISH, "HTTP_X_FORWARDED_FOR": forwarded}


# The address itself


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "198.51.100.9", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, None, "10.0.0.1"),  # reached the application directly
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # the forged part is ignored
        (1, "1.1.1.1,2.2.2.2 , 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.9, 203.0.113.7, 10.1.1.1", "203.0.113.7"),  # a load balancer, then Varnish
        (1, "198.51.100.9, not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_appended(rf, settings, proxies, forwarded, expected):
    settings.VERITY_TRUSTED_PROXIES = proxies
    extra = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(rf.get("/", **extra)) == expected


def load_settings(monkeypatch, module, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    for name in ("cms.settings.base", module):
        sys.modules.pop(name, None)
    try:
        return importlib.import_module(module)
    finally:
        for name in ("cms.settings.base", module):
            sys.modules.pop(name, None)


PRODUCTION = {"SECRET_KEY": "x", "ALLOWED_HOSTS": "a.example", "WAGTAILADMIN_BASE_URL": "https://a.example"}


def test_no_proxy_is_trusted_in_development_and_one_in_production(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    base = load_settings(monkeypatch, "cms.settings.base")
    assert base.VERITY_TRUSTED_PROXIES == base.NINJA_NUM_PROXIES == 0
    production = load_settings(monkeypatch, "cms.settings.production", **PRODUCTION)
    assert production.VERITY_TRUSTED_PROXIES == production.NINJA_NUM_PROXIES == 1
    assert production.AXES_CLIENT_IP_CALLABLE == "cms.operations.client_address.client_ip"


def test_one_setting_names_the_proxies_for_the_lockout_and_the_throttles(monkeypatch):
    production = load_settings(monkeypatch, "cms.settings.production", TRUSTED_PROXIES="2", **PRODUCTION)
    assert production.VERITY_TRUSTED_PROXIES == production.NINJA_NUM_PROXIES == 2


def test_a_wrong_number_of_proxies_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        load_settings(monkeypatch, "cms.settings.base", TRUSTED_PROXIES="varnish")


# The sign-in lockout


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("lockme", "lockme@example.com", PASSWORD)


def sign_in(client, password, **extra):
    return client.post(reverse("wagtailadmin_login"), {"username": "lockme", "password": password}, **extra)


def lock_out(client, **extra):
    statuses = [sign_in(client, "wrong-password", **extra).status_code for _ in range(5)]
    assert statuses[-1] == 429


def test_a_forged_header_does_not_escape_the_lockout_without_a_proxy(client, admin_user):
    lock_out(client, HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429


def test_a_forged_header_does_not_escape_the_lockout_behind_varnish(client, admin_user, behind_varnish):
    lock_out(client, **through_varnish(forged="198.51.100.1"))
    for forged in ("198.51.100.2", "10.9.8.7, 192.0.2.1", "garbage"):
        assert sign_in(client, PASSWORD, **through_varnish(forged=forged)).status_code == 429
    assert sign_in(client, PASSWORD, **through_varnish()).status_code == 429


def test_behind_varnish_the_lockout_is_per_client_not_per_proxy(client, admin_user, behind_varnish):
    from axes.models import AccessAttempt

    lock_out(client, **through_varnish())
    assert AccessAttempt.objects.get().ip_address == CLIENT  # not Varnish's address
    elsewhere = Client()
    assert sign_in(elsewhere, PASSWORD, **through_varnish(client="203.0.113.8")).status_code == 302


# The API's preview throttle, driven as tests/cms/test_api_preview.py does


@pytest.fixture
def draft(blog):
    return factories.make_post(blog, title="Draft title", live=False)


def preview(client, page_id, token, **extra):
    return client.get(f"/api/v3/preview/{page_id}/", {"token": token}, **extra)


def exhaust_the_preview_throttle(client, draft, settings, **extra):
    token = preview_tokens.mint(draft.get_latest_revision())
    allowed = int(settings.VERITY_API_PREVIEW_RATE.split("/")[0])
    statuses = {preview(client, draft.pk, token + "x", **extra).status_code for _ in range(allowed)}
    assert statuses == {403}
    assert preview(client, draft.pk, token, **extra).status_code == 429
    return token


def test_a_forged_header_does_not_reset_the_preview_throttle_without_a_proxy(client, draft, settings):
    token = exhaust_the_preview_throttle(client, draft, settings, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for forged in ("198.51.100.2", "198.51.100.3, 192.0.2.1"):
        assert preview(client, draft.pk, token, HTTP_X_FORWARDED_FOR=forged).status_code == 429


def test_a_forged_header_does_not_reset_the_preview_throttle_behind_varnish(client, draft, settings, behind_varnish):
    token = exhaust_the_preview_throttle(client, draft, settings, **through_varnish(forged="198.51.100.1"))
    for forged in ("198.51.100.2", "198.51.100.3, 192.0.2.1"):
        assert preview(client, draft.pk, token, **through_varnish(forged=forged)).status_code == 429
    # Another client behind the same Varnish has a throttle of its own.
    assert preview(client, draft.pk, token, **through_varnish(client="203.0.113.8")).status_code == 200
