"""Caching that follows publishing, on the application's side: which responses a shared cache (Varnish,
a CDN) may keep, and a page cache in the Django cache for deployments without one.

`HttpCacheMiddleware` marks what every anonymous reader would get alike as

    Cache-Control: public, max-age=VERITY_CACHE_MAX_AGE, s-maxage=VERITY_CACHE_S_MAXAGE,
                   stale-while-revalidate=VERITY_CACHE_STALE_WHILE_REVALIDATE

and everything else `private, no-store`: the edge (deploy/varnish/default.vcl) shares only what is public.
Browsers get a short max-age because a purge cannot reach them; shared caches a longer s-maxage because
publishing purges them (cms/caching/cache_purge.py and Wagtail's frontend cache).

With VERITY_PAGE_CACHE on, the public responses to anonymous GETs are also kept in the Django cache (Redis in
production, shared by every web instance) and served from it, marked `X-Cache: hit` or `miss`. Invalidation
is a generation number in the cache that every publish, unpublish, move, snippet, setting, image, document,
site or redirect change bumps; it is part of every key, so one bump makes every instance miss once. A cache
that cannot be reached costs speed only: the page renders as if the cache were off.
"""

import contextlib
import hashlib
import logging
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control

logger = logging.getLogger(__name__)

# Statuses that are the same for every anonymous reader and worth sharing (a missing page is asked for
# again and again by crawlers). Redirects other than 301, errors and everything else are never shared.
PUBLIC_STATUSES = {200, 301, 404}
# Never shared, whoever asks: the admin (Wagtail marks it no-cache too), headless previews (their token is
# in the query string), the workflow API, and the health checks, which must reach the application.
PRIVATE_PATH_PREFIXES = ("/admin/", "/api/v3/preview/", "/api/v3/workflow/", "/healthz", "/readyz")
# A reader carrying one of these cookies sees something of their own: signed in, or a flash message waiting.
# Other cookies (a CSRF token from a form, analytics) do not make a page theirs.
MESSAGE_COOKIE = "messages"

GENERATION_KEY = "verity:page-cache:generation"
KEY_PREFIX = "verity:page-cache:page"
# After the cache fails, this process leaves it alone for a few seconds instead of paying a timeout on
# every request.
RETRY_CACHE_AFTER_SECONDS = 5
# Headers of a stored response that belong to one delivery, not to the page.
UNSTORED_HEADERS = {"set-cookie", "x-cache", "age", "date"}


def page_cache():
    return caches[settings.VERITY_PAGE_CACHE_ALIAS]


def request_is_personal(request):
    """Whether this request may see something nobody else would: credentials, a session, a preview."""
    if request.headers.get("Authorization") or getattr(request, "is_dummy", False):
        return True  # an API client with a token; Wagtail's preview renders through a dummy request
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGE_COOKIE in request.COOKIES:
        return True
    if "token" in request.GET:
        return True  # a headless preview token (cms/preview_tokens.py)
    return request.path.startswith(PRIVATE_PATH_PREFIXES)


def response_is_personal(request, response):
    """Whether rendering turned out personal: a cookie was set, someone is signed in, or it was a preview."""
    if response.cookies or getattr(request, "is_preview", False):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def shared_cache_control():
    return {
        "public": True,
        "max_age": settings.VERITY_CACHE_MAX_AGE,
        "s_maxage": settings.VERITY_CACHE_S_MAXAGE,
        "stale_while_revalidate": settings.VERITY_CACHE_STALE_WHILE_REVALIDATE,
    }


def cache_control_directives(response):
    return {
        directive.split("=", 1)[0].strip().lower() for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }


def set_cache_control(request, response, personal):
    """Mark the response public or private, unless its view already said which (robots.txt, the admin,
    restricted pages and Wagtail's previews do). Returns whether it is public."""
    if response.has_header("Cache-Control"):
        directives = cache_control_directives(response)
        return "public" in directives and not directives & {"private", "no-store", "no-cache"}
    public = (
        not personal
        and not response_is_personal(request, response)
        and request.method in ("GET", "HEAD")
        and response.status_code in PUBLIC_STATUSES
    )
    if public:
        patch_cache_control(response, **shared_cache_control())
    else:
        # Explicitly private: a shared cache that sees no Cache-Control may keep a response for its default TTL.
        patch_cache_control(response, private=True, no_store=True)
    return public


class CacheUnavailable(Exception):
    pass


class PageCache:
    """The Django-cache side: keys by site, path and query under the current generation; stored responses."""

    _unavailable_until = 0.0  # per process

    def __init__(self, cache):
        self.cache = cache

    def _call(self, method, *args, **kwargs):
        if time.monotonic() < PageCache._unavailable_until:
            raise CacheUnavailable
        try:
            return getattr(self.cache, method)(*args, **kwargs)
        except Exception as error:
            PageCache._unavailable_until = time.monotonic() + RETRY_CACHE_AFTER_SECONDS
            logger.warning("The page cache is unavailable (%s: %s); serving uncached", type(error).__name__, error)
            raise CacheUnavailable from error

    def generation(self):
        generation = self._call("get", GENERATION_KEY)
        if generation is None:
            # A fresh number, never used before even if the counter was evicted: no stale page can match it.
            self._call("add", GENERATION_KEY, time.time_ns(), timeout=None)
            generation = self._call("get", GENERATION_KEY)
        return generation

    def bump(self):
        # Tried even while reads leave the cache alone: a lost bump would leave stale pages behind.
        try:
            self.cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet, or it was evicted: a fresh one is new to every key
            self.cache.set(GENERATION_KEY, time.time_ns(), timeout=None)

    def key(self, request):
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # CommonMiddleware answers it; nothing to cache
        place = f"{request.scheme}://{host}{path_without_tracking(request)}"
        return f"{KEY_PREFIX}:{self.generation()}:{hashlib.sha256(place.encode()).hexdigest()}"

    def get(self, key):
        stored = self._call("get", key)
        if stored is None:
            return None
        response = HttpResponse(stored["content"], status=stored["status"])
        for header, value in stored["headers"]:
            response[header] = value
        response["Age"] = str(max(0, int(time.time() - stored["stored_at"])))
        return response

    def set(self, key, response):
        stored = {
            "status": response.status_code,
            "headers": [(h, v) for h, v in response.items() if h.lower() not in UNSTORED_HEADERS],
            "content": response.content,
            "stored_at": time.time(),
        }
        self._call("set", key, stored, timeout=settings.VERITY_PAGE_CACHE_TIMEOUT)


# Parameters that never change a page (campaign and click ids), dropped from the key so that they neither
# split nor bypass the cache; deploy/varnish/default.vcl drops the same ones at the edge.
TRACKING_PARAMETER = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref_src)$")


def path_without_tracking(request):
    if not any(TRACKING_PARAMETER.match(name) for name in request.GET):
        return request.get_full_path()
    kept = [(name, value) for name, values in request.GET.lists() for value in values]
    kept = [(name, value) for name, value in kept if not TRACKING_PARAMETER.match(name)]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


def storable(response):
    """A public response the page cache may keep: whole (not streamed), no cookie, varying on nothing but
    the cookies that the lookup already keeps out."""
    if response.streaming or response.cookies or response.status_code not in PUBLIC_STATUSES:
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    return vary <= {"cookie", "accept-encoding"}


class HttpCacheMiddleware:
    """Cache-Control on every response, and the page cache when VERITY_PAGE_CACHE is on.

    It sits above the session, CSRF, authentication and messages middleware so that it sees the cookies
    they set (a form's CSRF cookie makes a page personal) and can answer a hit before any of them runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        personal = request_is_personal(request)
        pages = key = None
        if settings.VERITY_PAGE_CACHE and request.method == "GET" and not personal:
            pages = PageCache(page_cache())
            try:
                key = pages.key(request)
                cached = pages.get(key) if key else None
            except CacheUnavailable:
                key = cached = None
            if cached is not None:
                cached["X-Cache"] = "hit"
                return cached

        response = self.get_response(request)
        public = set_cache_control(request, response, personal)

        if settings.VERITY_PAGE_CACHE:
            response["X-Cache"] = "miss" if key else "bypass"
            if key and public and storable(response) and not response_is_personal(request, response):
                with contextlib.suppress(CacheUnavailable):  # logged
                    pages.set(key, response)
        return response


def bump_generation():
    """Make every cached page stale, on every instance that shares the cache."""
    try:
        PageCache(page_cache()).bump()
    except Exception:
        # Publishing goes on; pages cached before the outage expire after VERITY_PAGE_CACHE_TIMEOUT.
        logger.exception("Could not invalidate the page cache")


def content_changed(**kwargs):
    if settings.VERITY_PAGE_CACHE:
        # After the commit, so that no request can render the old content under the new generation.
        transaction.on_commit(bump_generation)


def changes_what_pages_show(model, event):
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import BaseViewRestriction, DraftStateMixin, Page, Site

    # Redirects, sites, settings, images and documents show on pages as they are saved; a page or collection
    # made private (a view restriction) must stop being served from the cache at once.
    shown_as_saved = (Redirect, Site, BaseGenericSetting, BaseSiteSetting, AbstractImage, AbstractDocument)
    if issubclass(model, (*shown_as_saved, BaseViewRestriction)):
        return True
    if issubclass(model, Page):
        return event == "delete"  # saves of pages are drafts until published (page_published)
    if hasattr(model, "snippet_viewset"):
        # Snippets with drafts change the site when published (`published`); the others on every save.
        return event == "delete" or not issubclass(model, DraftStateMixin)
    return False


def saved(sender, instance, **kwargs):
    if changes_what_pages_show(sender, "save"):
        content_changed()


def deleted(sender, instance, **kwargs):
    if changes_what_pages_show(sender, "delete"):
        content_changed()


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

    for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
        signal.connect(content_changed, dispatch_uid=f"verity-page-cache-{id(signal)}")
    post_save.connect(saved, dispatch_uid="verity-page-cache-saved")
    post_delete.connect(deleted, dispatch_uid="verity-page-cache-deleted")
