"""/api/v3/docs/ serves Swagger UI from this project's static files, under its own policy (cms/api/docs.py);
tests/e2e/test_api_docs.py opens it in Chromium without internet."""

import re

from django.contrib.staticfiles import finders


def test_the_docs_page_loads_nothing_from_elsewhere(client, db):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/api-docs/") for url in assets), assets
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url
    assert "<script>" not in html  # settings come in a JSON script element, no inline script
    assert '"url": "/api/v3/openapi.json"' in html


def test_the_docs_page_has_its_own_policy_and_the_api_keeps_its_own(client, db, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://verity.example.com"
    policy = client.get("/api/v3/docs/")["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self' https://verity.example.com" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe" not in policy
    api_policy = client.get("/api/v3/home/")["Content-Security-Policy"]
    assert "default-src 'none'" in api_policy and "script-src" not in api_policy  # the API's own, unchanged


def test_the_swagger_ui_files_carry_their_licence():
    for name in ("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"):
        assert finders.find(f"api-docs/swagger-ui/{name}"), name
