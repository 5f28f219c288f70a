"""Sign-in lockout (cms/operations/lockout.py, django-axes): too many wrong passwords for a user from an address,
then 429."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db.models import F
from django.test import Client
from django.urls import reverse

PASSWORD = "the-right-password-42"


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("lockme", "lockme@example.com", PASSWORD)


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_superuser("bystander", "bystander@example.com", PASSWORD)


def sign_in(client, username, password, **extra):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password}, **extra)


def signed_in(client):
    return SESSION_KEY in client.session


def fail(client, username, times, **extra):
    return [sign_in(client, username, "wrong-password", **extra).status_code for _ in range(times)]


def test_wagtail_signs_in_through_authenticate_with_the_lockout_backend_first(settings):
    assert settings.AUTHENTICATION_BACKENDS[0] == "cms.operations.lockout.LockoutBackend"
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_the_right_password_signs_in(client, admin_user):
    response = sign_in(client, "lockme", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_429(client, admin_user):
    assert fail(client, "lockme", 4) == [200] * 4  # the login form again, with its error
    assert fail(client, "lockme", 1) == [429]  # the fifth failure locks the pair out
    response = sign_in(client, "lockme", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page and "15 minutes" in page
    assert response["Retry-After"] == str(15 * 60)
    assert "no-store" in response["Cache-Control"]


def test_the_lockout_is_kept_in_the_database(client, admin_user):
    fail(client, "lockme", 5)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("lockme", "127.0.0.1", 5)
    assert "wrong-password" not in attempt.post_data  # the passwords tried are masked
    # Another process (a fresh client, no session, no cache) sees the same lockout.
    assert sign_in(Client(), "lockme", PASSWORD).status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, admin_user):
    fail(client, "lockme", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert sign_in(client, "lockme", PASSWORD).status_code == 429  # 14 minutes: still locked
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = sign_in(client, "lockme", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_cool_off_is_a_setting(client, admin_user, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail(client, "lockme", 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=61))
    assert sign_in(client, "lockme", PASSWORD).status_code == 302


def test_the_failure_limit_is_a_setting(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, "lockme", 2) == [200, 429]


def test_a_successful_sign_in_resets_the_count(client, admin_user):
    fail(client, "lockme", 4)
    assert sign_in(client, "lockme", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert fail(client, "lockme", 4) == [200] * 4  # four more before a lockout, not one
    assert sign_in(client, "lockme", PASSWORD).status_code == 302


def test_another_user_from_the_same_address_is_not_locked_out(client, admin_user, other_user):
    fail(client, "lockme", 5)
    response = sign_in(client, "bystander", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_same_user_from_another_address_is_not_locked_out(admin_user):
    fail(Client(REMOTE_ADDR="198.51.100.1"), "lockme", 5)
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert sign_in(elsewhere, "lockme", PASSWORD).status_code == 302


def test_another_browser_does_not_escape_the_lockout(client, admin_user):
    fail(client, "lockme", 5)
    response = sign_in(client, "lockme", PASSWORD, HTTP_USER_AGENT="Another browser/1.0")
    assert response.status_code == 429


def test_an_unknown_username_is_locked_out_like_a_real_one(client, db):
    assert fail(client, "nobody", 5)[-1] == 429


def test_server_code_may_still_authenticate_without_a_request(admin_user):
    assert Client().login(username="lockme", password=PASSWORD)  # the test client passes no request


def test_an_api_lockout_is_a_problem_document(rf, settings):
    from cms.operations.lockout import lockout_response

    response = lockout_response(rf.post("/api/v3/anything/"))
    assert response.status_code == 429 and response["Content-Type"] == "application/problem+json"
    assert "Too many failed sign-in attempts" in json.loads(response.content)["detail"]
    assert response["Retry-After"] == str(15 * 60)
