"""Caching that follows publishing: which responses shared caches may keep (Cache-Control), and the
application's page cache (cms/caching/http_cache.py), over HTTP through the whole middleware stack."""

import os
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import APIToken, PageViewRestriction

from cms import preview_tokens
from cms.caching.http_cache import HttpCacheMiddleware, PageCache

from ... import factories
from ...admin_forms import form_data

PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


def directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def assert_public(response):
    assert directives(response) == set(PUBLIC.split(", ")), response.get("Cache-Control")


def assert_not_shared(response):
    cache_control = directives(response)
    assert "public" not in cache_control and not any(d.startswith("s-maxage") for d in cache_control)
    assert "private" in cache_control, response.get("Cache-Control")


@pytest.fixture(autouse=True)
def http_cache_settings(settings):
    settings.VERITY_CACHE_MAX_AGE = 60
    settings.VERITY_CACHE_S_MAXAGE = 300
    settings.VERITY_CACHE_STALE_WHILE_REVALIDATE = 60


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, in a cache of this test's own."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }
    settings.VERITY_PAGE_CACHE = True
    settings.VERITY_PAGE_CACHE_TIMEOUT = 300
    PageCache._unavailable_until = 0.0
    yield
    PageCache._unavailable_until = 0.0


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")


@pytest.fixture
def post(blog):
    return factories.make_post(blog, title="Cached post", slug="cached-post")


# --- Cache-Control ----------------------------------------------------------------------------------------


class TestPublicResponses:
    @pytest.mark.parametrize(
        "url", ["/", "/blog/", "/blog/cached-post/", "/blog/feed/", "/sitemap.xml", "/api/v3/posts/", "/search/?q=x"]
    )
    def test_anonymous_pages_feeds_sitemap_and_api_reads_are_public(self, client, post, url):
        response = client.get(url)
        assert response.status_code == 200
        assert_public(response)

    def test_a_head_request_is_public_too(self, client, post):
        assert_public(client.head(post.url))

    def test_a_missing_page_is_public(self, client, home):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert_public(response)

    def test_a_permanent_redirect_is_public(self, client, post):
        Redirect.objects.create(old_path="/old-post", redirect_page=post, is_permanent=True)
        response = client.get("/old-post/")
        assert response.status_code == 301
        assert_public(response)

    def test_a_view_that_says_how_it_is_cached_keeps_its_header(self, client, db):
        assert client.get("/robots.txt")["Cache-Control"] == "max-age=86400, public"

    def test_the_settings_set_the_ages(self, client, settings, post):
        settings.VERITY_CACHE_S_MAXAGE = 900
        settings.VERITY_CACHE_STALE_WHILE_REVALIDATE = 30
        settings.VERITY_CACHE_MAX_AGE = 10
        assert directives(client.get(post.url)) == {"public", "max-age=10", "s-maxage=900", "stale-while-revalidate=30"}


class TestResponsesNeverShared:
    def test_a_signed_in_reader(self, client, superuser, post):
        client.force_login(superuser)
        assert_not_shared(client.get(post.url))

    def test_any_request_with_a_session_cookie(self, client, post, settings):
        client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
        assert_not_shared(client.get(post.url))

    def test_the_admin(self, client, superuser, post):
        client.force_login(superuser)
        for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[post.pk])):
            response = client.get(url)
            assert response.status_code == 200
            assert_not_shared(response)

    def test_the_admins_sign_in_page(self, client, db):
        response = client.get(reverse("wagtailadmin_login"))
        assert response.status_code == 200
        assert_not_shared(response)

    def test_wagtails_preview(self, post):
        post.title = "Draft title"
        response = post.make_preview_request()
        assert b"Draft title" in response.content
        assert_not_shared(response)

    def test_the_admins_preview_view(self, client, superuser, post):
        client.force_login(superuser)
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[post.pk])
        data = form_data(client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])))
        data["title"] = "Previewed title"
        assert client.post(url, data).json()["is_valid"]
        response = client.get(url)
        assert b"Previewed title" in response.content
        assert_not_shared(response)

    def test_the_apis_preview_with_a_token(self, client, post):
        token = preview_tokens.mint(post.get_latest_revision())
        response = client.get(f"/api/v3/preview/{post.pk}/", {"token": token})
        assert response.status_code == 200
        assert_not_shared(response)

    def test_an_api_call_with_credentials(self, client, superuser, post):
        token = APIToken.create_token(user=superuser, name="test")[1]
        response = client.get("/api/v3/posts/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        assert_not_shared(response)

    def test_a_post_request(self, client, home):
        assert_not_shared(client.post("/search/", {"q": "x"}))

    def test_errors_and_temporary_redirects(self, client, post):
        Redirect.objects.create(old_path="/moved-for-now", redirect_page=post, is_permanent=False)
        response = client.get("/moved-for-now/")
        assert response.status_code == 302
        assert_not_shared(response)

    def test_a_response_that_sets_a_cookie(self, db):
        def view(request):
            response = HttpResponse("hello")
            response.set_cookie("chosen", "1")
            return response

        assert_not_shared(HttpCacheMiddleware(view)(RequestFactory().get("/somewhere/")))

    def test_a_page_with_a_form_that_sets_the_csrf_cookie(self, client, post, settings):
        # A form's CSRF token sets its cookie and varies on Cookie: that page is this reader's.
        settings.ROOT_URLCONF = "tests.cms.caching.http_cache_urls"
        response = client.get("/form/")
        assert settings.CSRF_COOKIE_NAME in response.cookies
        assert_not_shared(response)


# --- The page cache ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("page_cache_on")
class TestPageCache:
    def test_the_second_anonymous_request_is_a_hit_with_the_same_body(self, client, post):
        first = client.get(post.url)
        second = client.get(post.url)
        assert first["X-Cache"] == "miss"
        assert second["X-Cache"] == "hit"
        assert second.content == first.content
        assert second.status_code == 200
        assert second["Content-Type"] == first["Content-Type"]
        assert_public(second)
        assert int(second["Age"]) >= 0

    def test_the_key_is_the_host_path_and_query(self, client, blog, post):
        assert client.get("/blog/")["X-Cache"] == "miss"
        assert client.get("/blog/", {"page": "2"})["X-Cache"] == "miss"
        assert client.get("/blog/", HTTP_HOST="other.example.com")["X-Cache"] == "miss"
        assert client.get("/blog/")["X-Cache"] == "hit"
        assert client.get("/blog/", {"page": "2"})["X-Cache"] == "hit"

    def test_tracking_parameters_neither_split_nor_bypass_the_cache(self, client, blog, post):
        assert client.get("/blog/", {"page": "2"})["X-Cache"] == "miss"
        assert client.get("/blog/", {"page": "2", "utm_source": "news", "fbclid": "x"})["X-Cache"] == "hit"
        assert client.get("/blog/", {"gclid": "1"})["X-Cache"] == "miss"  # the same as plain /blog/
        assert client.get("/blog/")["X-Cache"] == "hit"

    def test_a_hit_costs_no_database_query(self, client, post, django_assert_num_queries):
        client.get(post.url)
        with django_assert_num_queries(0):
            assert client.get(post.url)["X-Cache"] == "hit"

    def test_publishing_through_the_admin_makes_the_next_request_a_miss_with_the_change(
        self, client, superuser, post, django_capture_on_commit_callbacks
    ):
        assert client.get(post.url)["X-Cache"] == "miss"
        assert client.get(post.url)["X-Cache"] == "hit"

        admin = client.__class__()
        admin.force_login(superuser)
        edit_url = reverse("wagtailadmin_pages:edit", args=[post.pk])
        data = form_data(admin.get(edit_url), "Publish")
        data["title"] = "Retitled in the admin"
        data["action-publish"] = "action-publish"
        with django_capture_on_commit_callbacks(execute=True):
            assert admin.post(edit_url, data).status_code == 302
        post.refresh_from_db()
        assert post.title == "Retitled in the admin"

        response = client.get(post.url)
        assert response["X-Cache"] == "miss"
        assert b"Retitled in the admin" in response.content
        assert client.get(post.url)["X-Cache"] == "hit"

    def test_publishing_a_revision_invalidates_every_page(self, client, blog, post, django_capture_on_commit_callbacks):
        client.get(post.url)
        client.get("/blog/")
        post.title = "Published again"
        with django_capture_on_commit_callbacks(execute=True):
            post.save_revision().publish()
        index = client.get("/blog/")
        assert index["X-Cache"] == "miss"
        assert b"Published again" in index.content
        assert b"Published again" in client.get(post.url).content

    def test_unpublishing_makes_the_page_go(self, client, post, django_capture_on_commit_callbacks):
        assert client.get(post.url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            post.unpublish()
        assert client.get(post.url).status_code == 404

    def test_a_snippet_change_invalidates(self, client, blog, django_capture_on_commit_callbacks):
        expert = factories.make_expert(name="Marie Tudor", slug="marie-tudor")
        quoting = factories.make_post(blog, body=[factories.expert_quote(expert)])
        assert b"Marie Tudor" in client.get(quoting.url).content
        expert.name = "Marie Tudor-Renamed"
        with django_capture_on_commit_callbacks(execute=True):
            expert.save_revision().publish()
        assert b"Marie Tudor-Renamed" in client.get(quoting.url).content

    def test_a_redirect_change_invalidates(self, client, post, django_capture_on_commit_callbacks):
        assert client.get("/gone/").status_code == 404
        assert client.get("/gone/")["X-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            Redirect.objects.create(old_path="/gone", redirect_page=post, is_permanent=True)
        assert client.get("/gone/").status_code == 301

    def test_making_a_page_private_takes_it_out_of_the_cache(self, client, post, django_capture_on_commit_callbacks):
        client.get(post.url)
        with django_capture_on_commit_callbacks(execute=True):
            PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
        response = client.get(post.url)
        assert response.status_code == 302
        assert_not_shared(response)

    def test_a_change_rolled_back_does_not_invalidate(self, client, post):
        # The test's transaction never commits: the generation moves only on commit.
        client.get(post.url)
        post.save_revision().publish()
        assert client.get(post.url)["X-Cache"] == "hit"

    def test_a_signed_in_reader_never_gets_a_cached_page(self, client, superuser, post):
        anonymous = client.get(post.url)
        assert client.get(post.url)["X-Cache"] == "hit"
        client.force_login(superuser)
        response = client.get(post.url)
        assert response["X-Cache"] == "bypass"
        assert response.content != anonymous.content  # the userbar, for one
        assert_not_shared(response)

    def test_a_signed_in_readers_page_is_never_stored(self, client, superuser, post):
        signed_in = client.__class__()
        signed_in.force_login(superuser)
        signed_in.get(post.url)
        assert client.get(post.url)["X-Cache"] == "miss"

    def test_a_preview_is_never_served_from_the_cache(self, client, post):
        client.get(post.url)
        post.title = "Only in the preview"
        assert b"Only in the preview" in post.make_preview_request().content

    def test_an_api_call_with_credentials_is_never_served_from_the_cache(self, client, superuser, post):
        client.get("/api/v3/posts/")
        token = APIToken.create_token(user=superuser, name="test")[1]
        assert client.get("/api/v3/posts/", HTTP_AUTHORIZATION=f"Bearer {token}")["X-Cache"] == "bypass"

    def test_a_response_that_sets_a_cookie_is_never_stored(self, db):
        calls = []

        def view(request):
            calls.append(request)
            response = HttpResponse("hello")
            response.set_cookie("chosen", "1")
            return response

        middleware = HttpCacheMiddleware(view)
        middleware(RequestFactory().get("/somewhere/"))
        assert middleware(RequestFactory().get("/somewhere/"))["X-Cache"] == "miss"
        assert len(calls) == 2

    def test_a_csrf_form_page_is_never_stored(self, client, settings):
        settings.ROOT_URLCONF = "tests.cms.caching.http_cache_urls"
        client.get("/form/")
        client.cookies.clear()
        assert client.get("/form/")["X-Cache"] == "miss"

    def test_posts_are_never_served_from_the_cache(self, client, home):
        client.get("/search/")
        assert client.post("/search/")["X-Cache"] == "bypass"

    def test_an_unreachable_cache_costs_speed_only(self, client, settings, post, django_capture_on_commit_callbacks):
        settings.CACHES = {
            **settings.CACHES,
            "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        }
        settings.VERITY_PAGE_CACHE_ALIAS = "pages"
        for _ in range(2):
            response = client.get(post.url)
            assert response.status_code == 200
            assert b"Cached post" in response.content
            assert response["X-Cache"] == "bypass"
            assert_public(response)
        post.title = "Published while the cache is down"
        with django_capture_on_commit_callbacks(execute=True):
            post.save_revision().publish()  # publishing goes on
        assert b"Published while the cache is down" in client.get(post.url).content


@pytest.mark.skipif(not os.environ.get("VERITY_TEST_REDIS_URL"), reason="set VERITY_TEST_REDIS_URL to a Redis")
def test_the_page_cache_in_a_real_redis(client, settings, post, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["VERITY_TEST_REDIS_URL"],
            "KEY_PREFIX": f"verity-test-{uuid.uuid4()}",
        }
    }
    settings.VERITY_PAGE_CACHE = True
    settings.VERITY_PAGE_CACHE_TIMEOUT = 60
    PageCache._unavailable_until = 0.0
    first = client.get(post.url)
    second = client.get(post.url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    post.title = "Changed in Redis"
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision().publish()
    response = client.get(post.url)
    assert response["X-Cache"] == "miss"
    assert b"Changed in Redis" in response.content


def csrf_form_view(request):
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')
