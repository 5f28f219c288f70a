"""Security headers: the CSP of the public site, the API and the admin, the framing rules, Permissions-Policy,
CORP, and the Mozilla HTTP Observatory's grade of each, read through the test client under production's
security settings and scored with the Observatory's published rules
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring)."""

import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse

from cms.demo.content import DEMO_PASSWORD
from cms.operations.security_headers import SecurityHeadersMiddleware

HOST = "verity.example.com"
FOREIGN_ORIGIN = "https://http-observatory.security.mozilla.org"
SIX_MONTHS = 15768000
PRIVATE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_REFERRER_POLICIES = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}


# --- The Observatory's tests, each returning (result, modifier) ---------------------------------------------


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        tokens = directive.split()
        if tokens:
            name = tokens[0].lower()
            if name in policy or not re.fullmatch(r"[a-z-]+", name):
                raise ValueError(f"invalid CSP directive {directive!r}")
            policy[name] = [token.lower() for token in tokens[1:]]
    return policy


def score_csp(headers):
    header = headers.get("Content-Security-Policy")  # a report-only policy counts for nothing
    if not header:
        return "csp-not-implemented", -25
    try:
        policy = parse_csp(header)
    except ValueError:
        return "csp-header-invalid", -25
    default = policy.get("default-src")
    script = policy.get("script-src", default)
    objects = policy.get("object-src", default)
    style = policy.get("style-src", default)
    broad = {"*", "http:", "https:", "data:"}
    if script is None or objects is None:
        return "csp-implemented-with-unsafe-inline", -20
    keyed = any(token.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for token in script)
    if ("'unsafe-inline'" in script and not keyed) or broad & set(script) or broad - {"data:"} & set(objects):
        return "csp-implemented-with-unsafe-inline", -20
    active = {name: sources for name, sources in policy.items() if name not in {"img-src", "media-src"}}
    if any(source.startswith("http:") for sources in active.values() for source in sources):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in script:
        return "csp-implemented-with-unsafe-eval", -10
    passive = policy.get("img-src", []) + policy.get("media-src", [])
    if any(source.startswith("http:") for source in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
    if style is not None and ({"'unsafe-inline'"} | broad) & set(style):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def score_cookies(set_cookies, hsts):
    cookies = SimpleCookie()
    for line in set_cookies:
        cookies.load(line)
    if not cookies:
        return "cookies-not-found", 0
    results = []
    for name, morsel in cookies.items():
        session = "session" in name.lower() or name.lower() in {"sessionid", "phpsessid", "jsessionid"}
        anti_csrf = "csrf" in name.lower()
        samesite = morsel["samesite"].lower()
        if samesite and samesite not in {"strict", "lax", "none"}:
            results.append(("cookies-samesite-flag-invalid", -20))
        if anti_csrf and not samesite:
            results.append(("cookies-anticsrf-without-samesite-flag", -20))
        if session and not morsel["httponly"]:
            results.append(("cookies-session-without-httponly-flag", -30))
        if not morsel["secure"]:
            if session:
                results.append(
                    ("cookies-session-without-secure-flag-but-protected-by-hsts", -10)
                    if hsts
                    else ("cookies-session-without-secure-flag", -40)
                )
            else:
                results.append(
                    ("cookies-without-secure-flag-but-protected-by-hsts", -5)
                    if hsts
                    else ("cookies-without-secure-flag", -20)
                )
    if results:
        return min(results, key=lambda result: result[1])
    if all(morsel["samesite"].lower() in {"strict", "lax"} for morsel in cookies.values()):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def score_cors(headers):
    allowed = headers.get("Access-Control-Allow-Origin")
    if allowed in ("*", FOREIGN_ORIGIN):
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-not-implemented", 0


def score_hsts(headers):
    header = headers.get("Strict-Transport-Security")
    if not header:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age=(\d+)", header)
    if not match:
        return "hsts-header-invalid", -20
    if int(match[1]) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0  # preloading (+5) is the preload list's to grant


def score_redirection(http_response):
    location = http_response.headers.get("Location", "")
    if http_response.status_code not in (301, 302, 307, 308):
        return "redirection-missing", -20
    parts = urlsplit(location)
    if parts.scheme != "https":
        return "redirection-not-to-https", -20
    if parts.hostname != HOST:
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def score_referrer(headers):
    header = headers.get("Referrer-Policy")
    if not header:
        return "referrer-policy-not-implemented", 0
    policy = header.split(",")[-1].strip().lower()
    if policy in PRIVATE_REFERRER_POLICIES:
        return "referrer-policy-private", 5
    if policy in UNSAFE_REFERRER_POLICIES:
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def score_sri(response):
    if not response.get("Content-Type", "").startswith("text/html"):
        return "sri-not-implemented-response-not-html", 0
    parser = Scripts()
    parser.feed(response.content.decode())
    sources = [script for script in parser.scripts if script.get("src")]
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [script for script in sources if urlsplit(script["src"]).netloc not in ("", HOST)]
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if any(urlsplit(script["src"]).scheme == "http" for script in external):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    if all(script.get("integrity") for script in external):
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def score_nosniff(headers):
    header = headers.get("X-Content-Type-Options")
    if not header:
        return "x-content-type-options-not-implemented", -5
    if header.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-nosniff", 0


def score_framing(headers):
    csp = headers.get("Content-Security-Policy")
    if csp:
        ancestors = parse_csp(csp).get("frame-ancestors")
        if ancestors and "*" not in ancestors:
            return "x-frame-options-implemented-via-csp", 5
    header = headers.get("X-Frame-Options", "").strip().upper()
    if not header:
        return "x-frame-options-not-implemented", -20
    if header in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-header-invalid", -20


def score_corp(headers):
    header = headers.get("Cross-Origin-Resource-Policy")
    if not header:
        return "cross-origin-resource-policy-not-implemented", 0
    if header.strip().lower() not in {"same-origin", "same-site", "cross-origin"}:
        return "cross-origin-resource-policy-header-invalid", -5
    return "cross-origin-resource-policy-implemented-with-" + header.strip().lower(), 0


def grade(score):
    for floor, letter in [
        (100, "A+"),
        (90, "A"),
        (85, "A-"),
        (80, "B+"),
        (70, "B"),
        (65, "B-"),
        (60, "C+"),
        (50, "C"),
        (45, "C-"),
        (40, "D+"),
        (30, "D"),
        (25, "D-"),
    ]:
        if score >= floor:
            return letter
    return "F"


def observatory(response, http_response, set_cookies):
    """The Observatory's score and grade: penalties first; bonuses only when that leaves 90 or more."""
    headers = response.headers
    hsts = score_hsts(headers)
    results = dict(
        [
            score_csp(headers),
            score_cookies(set_cookies, hsts=hsts[1] == 0),
            score_cors(headers),
            hsts,
            score_redirection(http_response),
            score_referrer(headers),
            score_sri(response),
            score_nosniff(headers),
            score_framing(headers),
            score_corp(headers),
        ]
    )
    score = 100 + sum(modifier for modifier in results.values() if modifier < 0)
    if score >= 90:
        score += sum(modifier for modifier in results.values() if modifier > 0)
    return max(score, 0), grade(max(score, 0)), results


# --- Production's security settings, behind TLS -------------------------------------------------------------


@pytest.fixture
def production_security(settings):
    """What cms/settings/production.py sets about transport and cookies; requests are made with secure=True."""
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.example.com"]
    return settings


def fetch(client, path, **extra):
    response = client.get(path, secure=True, HTTP_HOST=HOST, HTTP_ORIGIN=FOREIGN_ORIGIN, **extra)
    http_response = client.get(path, HTTP_HOST=HOST)
    return response, http_response


def set_cookie_lines(response):
    return [morsel.OutputString() for morsel in response.cookies.values()]


def test_the_public_site_grades_a_plus(client, home, production_security):
    response, http_response = fetch(client, "/")
    assert response.status_code == 200
    score, letter, results = observatory(response, http_response, set_cookie_lines(response))
    assert results["csp-implemented-with-no-unsafe"] == 5
    assert results["x-frame-options-implemented-via-csp"] == 5
    assert (score, letter) == (115, "A+"), results


def test_the_api_grades_a_plus(client, home, production_security):
    response, http_response = fetch(client, "/api/v3/home/")
    assert response.status_code == 200
    score, letter, results = observatory(response, http_response, set_cookie_lines(response))
    assert results["csp-implemented-with-no-unsafe-default-src-none"] == 10
    assert (score, letter) == (120, "A+"), results


def test_the_admin_grades_b_plus_for_wagtails_inline_scripts(client, demo, production_security):
    login = client.get("/admin/login/", secure=True, HTTP_HOST=HOST)
    cookies = set_cookie_lines(login)
    signed_in = client.post(
        "/admin/login/",
        {"username": "editor", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": login.context["csrf_token"]},
        secure=True,
        HTTP_HOST=HOST,
    )
    assert signed_in.status_code == 302
    cookies += set_cookie_lines(signed_in)
    assert {"sessionid", "csrftoken"} <= {line.split("=")[0] for line in cookies}
    response, http_response = fetch(client, "/admin/")
    assert response.status_code == 200
    score, letter, results = observatory(response, http_response, cookies)
    assert results["cookies-secure-with-httponly-sessions-and-samesite"] == 5
    # Wagtail's widgets start themselves with inline scripts, so the admin's script-src has 'unsafe-inline':
    # -20, and below 90 no bonus counts. Everything else the Observatory grades passes.
    assert results["csp-implemented-with-unsafe-inline"] == -20
    assert [modifier for modifier in results.values() if modifier < 0] == [-20]
    assert (score, letter) == (80, "B+"), results


# --- The headers themselves ---------------------------------------------------------------------------------


def test_the_public_site_has_a_strict_policy_and_is_never_framed(client, home):
    response = client.get("/")
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce only where a template asks for one
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_api_loads_nothing_and_is_never_framed(client, home):
    response = client.get("/api/v3/home/")
    assert parse_csp(response["Content-Security-Policy"]) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    missing = client.get("/api/v3/no-such-thing/")
    assert parse_csp(missing["Content-Security-Policy"]) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}


def test_the_admin_may_be_framed_by_this_origin_only(admin_client, home):
    response = admin_client.get("/admin/")
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "'unsafe-eval'" not in policy["script-src"]
    # Wagtail's inline widget scripts need 'unsafe-inline', which a nonce in the same directive would disable.
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])
    assert policy["object-src"] == ["'none'"]


def test_the_admin_policy_can_be_report_only(admin_client, home, settings):
    settings.VERITY_ADMIN_CSP_ENFORCE = False
    response = admin_client.get("/admin/")
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'self'" in response["Content-Security-Policy-Report-Only"]
    # The public site's policy is enforced regardless.
    assert "Content-Security-Policy" in admin_client.get("/")


def test_static_files_and_404s_carry_the_headers_too(client, home):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "frame-ancestors 'none'" in missing["Content-Security-Policy"]
    assert missing["X-Frame-Options"] == "DENY"


def test_media_may_be_embedded_elsewhere(client, home, settings):
    response = client.get(settings.MEDIA_URL + "original_images/none.jpg")
    assert "Cross-Origin-Resource-Policy" not in response


def test_permissions_policy_denies_what_the_site_does_not_use(client, home):
    header = client.get("/")["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"]:
        assert f"{feature}=()" in header
    # What Wagtail's admin uses stays allowed: copying to the clipboard, full screen.
    assert "clipboard-write" not in header and "fullscreen" not in header


def test_images_may_come_from_the_media_domain(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.verity.example.com")
    sys.modules.pop("cms.settings.base", None)
    try:
        base = importlib.import_module("cms.settings.base")
    finally:
        sys.modules.pop("cms.settings.base", None)
    assert base.VERITY_SITE_CSP["img-src"] == ["'self'", "https://media.verity.example.com"]
    assert "https://media.verity.example.com" in base.VERITY_ADMIN_CSP["img-src"]


def test_a_nonce_or_a_views_own_policy_still_reaches_the_header(rf, home):
    """The path's policy is built once; a page that asks for a nonce, or a view's @csp_update, gets its own."""

    def with_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    def with_update(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://img.example"]}
        return response

    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert parse_csp(plain["Content-Security-Policy"])["script-src"] == ["'self'"]
    request = rf.get("/")
    nonced = SecurityHeadersMiddleware(with_nonce)(request)
    assert f"'nonce-{request.csp_nonce}'" in nonced["Content-Security-Policy"]
    assert f'nonce="{request.csp_nonce}"' in nonced.content.decode()
    updated = SecurityHeadersMiddleware(with_update)(rf.get("/"))
    assert "https://img.example" in parse_csp(updated["Content-Security-Policy"])["img-src"]
