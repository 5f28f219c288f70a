"""CORS: the API answers browsers from configured frontend origins only; the site sends no CORS headers."""

import pytest

ALLOWED = "https://frontend.example.com"


@pytest.fixture(autouse=True)
def frontend_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def test_a_configured_origin_may_read_the_api(client, home):
    response = client.get("/api/v3/pages/", HTTP_ORIGIN=ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED


def test_another_origin_gets_no_cors_grant(client, home):
    response = client.get("/api/v3/pages/", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response


def test_the_preflight_of_a_configured_origin_is_answered(client, home):
    response = client.options("/api/v3/pages/", HTTP_ORIGIN=ALLOWED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response["Access-Control-Allow-Origin"] == ALLOWED


def test_site_pages_send_no_cors_headers(client, home):
    response = client.get("/", HTTP_ORIGIN=ALLOWED)
    assert "Access-Control-Allow-Origin" not in response
