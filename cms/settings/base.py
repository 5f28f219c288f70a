"""Settings shared by every environment. Everything that differs comes from the environment."""

import logging
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def required_env(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def public_address(name, default=None):
    """An origin such as https://verity.example.com from the environment; required when no default."""
    value = env(name, default) if default else required_env(name)
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ImproperlyConfigured(f"{name} must be an origin like https://verity.example.com, not {value!r}.")
    return value.rstrip("/")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "blog",
    "shop",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    # Wagtail's API v3 as an app: its admin views for API tokens (Settings -> API tokens; docs/api.md).
    "wagtail.api.v3",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "corsheaders",
    # Background task results in the database: the queue in production, and the failed cache purges that
    # the admin lists (cms/caching/failed_purges.py) everywhere.
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "axes",  # sign-in lockout (cms/operations/lockout.py); after auth in MIDDLEWARE too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: every response, the 503 and the static files included, answers its X-Request-ID, and every log
    # record of the request carries it (cms/operations/request_log.py).
    "cms.operations.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise and the page cache: static files, cache hits and 503s get the CSP, framing and CORP
    # headers too (cms/operations/security_headers.py), and the Permissions-Policy.
    "cms.operations.security_headers.SecurityHeadersMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.operations.middleware.RejectNulBytesMiddleware",
    "cms.api.limits.ApiEdgeMiddleware",  # /api/: 413 for large bodies, bounded pagination, errors as JSON
    "cms.operations.middleware.DatabaseUnavailableMiddleware",
    # Above sessions, CSRF and auth: it sees the cookies they set, and answers page-cache hits before they run.
    "cms.caching.http_cache.HttpCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out sign-in answered 429 (cms/operations/lockout.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.operations.middleware.AtomicWritesMiddleware",  # last: wraps the view, as ATOMIC_REQUESTS did, for writes only
]

# Security headers (cms/operations/security_headers.py).
# Nothing frames the public site or the API (X-Frame-Options DENY,
# frame-ancestors 'none'); the admin, whose previews (the editor's, the medical review screen's) are
# same-origin iframes served from admin URLs, may be framed by this origin only (SAMEORIGIN, 'self').
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"


def _media_origin():
    """The origin media is read from when it is not this one: AWS_S3_CUSTOM_DOMAIN (a CDN, the edge), or an
    absolute MEDIA_URL; None when media comes from this origin."""
    domain = env("AWS_S3_CUSTOM_DOMAIN")
    if domain:
        protocol = env("AWS_S3_URL_PROTOCOL", "https:").rstrip("/")
        return f"{protocol}//{domain.split('/')[0]}"
    media_url = urlsplit(env("MEDIA_URL", "/media/"))
    if media_url.scheme and media_url.netloc:
        return f"{media_url.scheme}://{media_url.netloc}"
    return None


VERITY_MEDIA_ORIGIN = _media_origin()
_images = ["'self'"] + ([VERITY_MEDIA_ORIGIN] if VERITY_MEDIA_ORIGIN else [])
# The public site: this origin only, scripts by nonce where a template asks for one (request.csp_nonce), no
# inline scripts or styles; images also from the media origin.
VERITY_SITE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", NONCE],
    "style-src": ["'self'"],
    "img-src": _images,
    "media-src": _images,
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The API answers JSON: nothing loads, nothing frames it.
VERITY_API_CSP = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}
# Wagtail's admin: no eval, but its form widgets start themselves with inline scripts (the choosers, inline
# panels, date pickers: `new ImageChooser(...)`, `initDateChooser(...)`), also in the HTML its modals fetch,
# so scripts need 'unsafe-inline' (a nonce beside it would switch it off); it styles with style attributes
# (Draftail, the sidebar), shows images as data: and blob: URLs (the uploader's previews) and avatars from
# Gravatar, and frames its previews from this origin. What it still stops: scripts, frames and plugins from
# elsewhere, <base> hijacking, forms posting off-site, and other sites framing the admin.
VERITY_ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": _images + ["data:", "blob:", "https://www.gravatar.com"],
    "media-src": _images,
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", "https://releases.wagtail.org"],  # the dashboard's upgrade notice (superusers)
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Avatars over HTTPS whatever the admin's own scheme, so that img-src names one origin for them.
WAGTAIL_GRAVATAR_PROVIDER_URL = "https://www.gravatar.com/avatar"
# Enforced once the browser tests walk the editors' screens without a violation (tests/e2e/test_csp.py);
# CSP_ADMIN_ENFORCE=false sends it as Content-Security-Policy-Report-Only instead.
VERITY_ADMIN_CSP_ENFORCE = env_bool("CSP_ADMIN_ENFORCE", True)
# Features the site never uses, denied to it and to anything it frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Failing fast (cms/operations/middleware.py, cms/operations/db_watchdog.py, cms/caching/redis_cache.py):
# how long a request waits for the
# database or the cache before it gives up. A database that is down or hung answers 503 with Retry-After;
# a Redis that is down or hung is skipped (every read a miss) and costs at most a fraction of a second.
DATABASE_CONNECT_TIMEOUT = int(env("DATABASE_CONNECT_TIMEOUT", "2"))  # seconds; libpq's least is 2
DATABASE_STATEMENT_TIMEOUT = float(env("DATABASE_STATEMENT_TIMEOUT", "4"))  # seconds a statement may run; 0: none
# A query without an answer for this long gets its server probed; no answer within it either, and the
# connection is cut (a frozen server never sends the statement_timeout's cancellation).
VERITY_DATABASE_STALL_TIMEOUT = float(env("DATABASE_STALL_TIMEOUT", "1"))
VERITY_RETRY_AFTER = int(env("RETRY_AFTER", "10"))  # seconds, in the 503's Retry-After header
REDIS_CONNECT_TIMEOUT = float(env("REDIS_CONNECT_TIMEOUT", "0.25"))
REDIS_SOCKET_TIMEOUT = float(env("REDIS_SOCKET_TIMEOUT", "0.25"))
VERITY_REDIS_RETRY_AFTER = float(env("REDIS_RETRY_AFTER", "5"))  # seconds Redis is left alone after a failure
# /readyz answers 503 when more background tasks than this wait in the queue (the tasks worker is behind).
VERITY_READYZ_MAX_PENDING_TASKS = int(env("READYZ_MAX_PENDING_TASKS", "500"))

# SQLite in the project folder unless DATABASE_URL says otherwise (PostgreSQL in production and CI).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,  # a persistent connection is checked before a request reuses it
    )
}
# Reads run outside transactions; a change and the webhook events it writes (cms/webhooks/events.py) commit
# together: unsafe requests are atomic (cms.operations.middleware.AtomicWritesMiddleware), so are Wagtail's workflow
# actions and the API's writes, and publish_scheduled publishes each page in a transaction of its own.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A write's transaction takes SQLite's write lock when it begins, and waits for it, so an editor's
    # save and the admin's autosave or editing-session pings queue up instead of failing "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT:
        statement_timeout = f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}"
        options = DATABASES["default"]["OPTIONS"].get("options", "")
        DATABASES["default"]["OPTIONS"]["options"] = f"{options} {statement_timeout}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the cache where REDIS_URL is set; otherwise each process keeps its own. Sessions live in the
# database (Django's default SESSION_ENGINE), so losing Redis signs nobody out. Redis errors are ignored
# and logged on `verity.cache` (a cache miss, a skipped write), each attempt bounded by the timeouts above,
# and a failed Redis is left alone for REDIS_RETRY_AFTER seconds (cms/caching/redis_cache.py).
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "verity",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    if env("REDIS_URL").startswith("redis://"):
        from cms.caching.redis_cache import BreakerConnection

        CACHES["default"]["OPTIONS"]["CONNECTION_POOL_KWARGS"] = {"connection_class": BreakerConnection}
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "verity.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# The client's address (cms/operations/client_address.py):
# behind TRUSTED_PROXIES proxies (production: Varnish, one), the
# X-Forwarded-For entry the outermost of them appended; with none (development, tests), REMOTE_ADDR. Whatever a
# client writes into X-Forwarded-For itself stands left of that entry and is ignored. The sign-in lockout and
# the API's throttles (django-ninja's NINJA_NUM_PROXIES) both count by it.
def trusted_proxies(default):
    value = env("TRUSTED_PROXIES", default).strip()
    if not value.isdecimal():
        raise ImproperlyConfigured(f"TRUSTED_PROXIES must be a number of proxies (0 or more), not {value!r}.")
    return int(value)


VERITY_TRUSTED_PROXIES = trusted_proxies("0")
NINJA_NUM_PROXIES = VERITY_TRUSTED_PROXIES

# Sign-in lockout (django-axes, cms/operations/lockout.py): LOGIN_FAILURE_LIMIT wrong passwords for one user from one
# address, and that pair is refused — the right password too — with a 429 until LOGIN_COOLOFF_MINUTES have
# passed since its last attempt; a successful sign-in resets the count. Attempts are rows in the database
# (axes' AccessAttempt), seen by every web instance; `manage.py axes_reset_username NAME` unlocks by hand.
AUTHENTICATION_BACKENDS = [
    "cms.operations.lockout.LockoutBackend",  # first: refuses a locked-out pair before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "cms.operations.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms.operations.client_address.client_ip"
# Requests a minute one address may make to outside reviewers' links (cms/review/outside.py); 429 beyond.
OUTSIDE_REVIEW_REQUESTS_PER_MINUTE = int(env("OUTSIDE_REVIEW_REQUESTS_PER_MINUTE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media (uploads and their renditions) in S3-compatible object storage when a bucket is named, so that every
# web instance sees the same files: S3, MinIO in docker-compose, moto's server in `verity.py stack`. The keys
# come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which boto3 reads itself.
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME", "us-east-1"),
            # Where readers fetch media: a CDN, or the edge's /media/ (deploy/varnish/); else the bucket itself.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "url_protocol": env("AWS_S3_URL_PROTOCOL", "https:"),
            # Public, unsigned URLs: they stay the same, so pages and caches can keep them.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Verity"
# The site's one public address. Every absolute URL — canonical and og:* links, JSON-LD, the sitemap, the
# feed, robots.txt, the API's URLs, emailed links — is built from it (cms/site/address.py), never from the
# request's Host header; Wagtail's own emails read it too. Required in production.
WAGTAILADMIN_BASE_URL = public_address("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The database backend uses PostgreSQL full-text search on PostgreSQL, and a fallback elsewhere.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "gif": "webp", "bmp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]
# Upload limits, each refusal a form error with nothing stored: images over WAGTAILIMAGES_MAX_IMAGE_PIXELS
# (about 40 megapixels; decoding more would take hundreds of MB per image) or WAGTAILIMAGES_MAX_UPLOAD_SIZE
# bytes, documents over WAGTAILDOCS_MAX_UPLOAD_SIZE bytes (all three Wagtail's own checks).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(env("WAGTAILIMAGES_MAX_IMAGE_PIXELS", str(40_000_000)))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(env("WAGTAILIMAGES_MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# The workflow's last approval publishes without the approver's own publish permission (cms/review/workflow.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.review.workflow.publish_approved_revision"
WAGTAIL_I18N_ENABLED = False

# Headless preview: where "Preview on the frontend" sends editors (with ?page=ID&token=...), how long a
# preview token lasts, and how often the preview and token endpoints may be called.
VERITY_FRONTEND_PREVIEW_URL = env("FRONTEND_PREVIEW_URL", "")
VERITY_PREVIEW_TOKEN_MAX_AGE = int(env("PREVIEW_TOKEN_MAX_AGE", "3600"))
VERITY_API_PREVIEW_RATE = env("API_PREVIEW_RATE", "60/min")
VERITY_API_TOKEN_RATE = env("API_TOKEN_RATE", "30/min")

# The API's edges (cms/api/limits.py): request bodies over these sizes are refused with a 413 problem document,
# JSON bodies at VERITY_API_MAX_BODY_BYTES, multipart uploads (images) at VERITY_API_MAX_UPLOAD_BYTES.
VERITY_API_MAX_BODY_BYTES = int(env("VERITY_API_MAX_BODY_BYTES", str(1024 * 1024)))
VERITY_API_MAX_UPLOAD_BYTES = int(env("VERITY_API_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# Webhooks (cms/webhooks/targets.py): targets must be https unless VERITY_WEBHOOKS_ALLOW_HTTP; every delivery
# refuses a host resolving to a loopback, private, link-local, multicast, reserved or unspecified address,
# except the hosts listed in VERITY_WEBHOOKS_ALLOWED_HOSTS (comma-separated, as written in the URL).
VERITY_WEBHOOKS_ALLOW_HTTP = env_bool("VERITY_WEBHOOKS_ALLOW_HTTP", False)
VERITY_WEBHOOKS_ALLOWED_HOSTS = env_list("VERITY_WEBHOOKS_ALLOWED_HOSTS")

# load_demo (demo users with the documented password) runs only where this is on: in dev and test settings,
# never in production unless VERITY_DEMO_ALLOWED=true says this is a demo deployment (`verity.py stack`).
VERITY_DEMO_ALLOWED = env_bool("VERITY_DEMO_ALLOWED", False)

# CORS: only the configured frontend origins may call the API from a browser.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Frontend cache purging on publish: an HTTP purge (Varnish, nginx) and/or Cloudflare, from the environment.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        # Wagtail's HTTPBackend, except that a refused or failed purge fails its task (and is retried).
        "BACKEND": "cms.caching.purge_backend.StrictHTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if env("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": required_env("CLOUDFLARE_ZONEID"),
    }

# HTTP caching (cms/caching/http_cache.py). Anonymous pages are `public`: browsers keep them for max-age seconds,
# shared caches (Varnish, a CDN; purged on publish) for s-maxage, and may serve them stale while they fetch
# a fresh copy. The page cache keeps them in the Django cache too, for deployments without an edge; it is on
# where the cache is shared (REDIS_URL), since a per-process cache would be invalidated in one process only.
# Browsers by default revalidate every time (max-age 0): no purge reaches a reader's browser, and a page
# just published (or a 404 just turned into a post) must show at once.
VERITY_CACHE_MAX_AGE = int(env("VERITY_CACHE_MAX_AGE", "0"))
VERITY_CACHE_S_MAXAGE = int(env("VERITY_CACHE_S_MAXAGE", "300"))
VERITY_CACHE_STALE_WHILE_REVALIDATE = int(env("VERITY_CACHE_STALE_WHILE_REVALIDATE", "60"))
VERITY_PAGE_CACHE = env_bool("VERITY_PAGE_CACHE", bool(env("REDIS_URL")))
VERITY_PAGE_CACHE_TIMEOUT = int(env("VERITY_PAGE_CACHE_TIMEOUT", str(VERITY_CACHE_S_MAXAGE)))
VERITY_PAGE_CACHE_ALIAS = "default"  # which of CACHES holds the pages

VERITY_DEFAULT_CURRENCY = env("VERITY_DEFAULT_CURRENCY", "USD")

# The store (shop/store.py, shop/sync.py): its address, the only host shop redirects forward to; the feed
# `sync_products` reads on the scheduler every VERITY_STORE_SYNC_MINUTES (none: not scheduled); whether
# products new in the feed go live at once; at what inventory a product shows "Low stock".
VERITY_STORE_URL = env("VERITY_STORE_URL", "https://shop.example.com")
VERITY_STORE_FEED = env("VERITY_STORE_FEED", "")
VERITY_STORE_SYNC_MINUTES = int(env("VERITY_STORE_SYNC_MINUTES", "60"))
VERITY_STORE_PUBLISH_NEW = env_bool("VERITY_STORE_PUBLISH_NEW", False)
VERITY_STORE_LOW_STOCK = int(env("VERITY_STORE_LOW_STOCK", "5"))
VERITY_UTM_SOURCE = env("VERITY_UTM_SOURCE", "verity")

# What the scheduler (`manage.py run_scheduler`) calls every round besides publishing and webhook deliveries:
# the apps' own jobs, each deciding whether it is due.
VERITY_SCHEDULED_JOBS = ["shop.sync.sync_if_due"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id, method, path, status,
# exception), each record of a request carrying its request id (cms/operations/request_log.py). Else plain text.
LOG_FORMAT = env("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
if LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {"()": "cms.operations.request_log.JsonFormatter"}}
    LOGGING["filters"] = {"request": {"()": "cms.operations.request_log.RequestContextFilter"}}
    LOGGING["handlers"]["console"].update(formatter="json", filters=["request"])
    # Python's warnings too, so that every line the process writes is JSON.
    LOGGING["loggers"] = {"py.warnings": {"handlers": ["console"], "propagate": False}}
    logging.captureWarnings(True)

# Errors to Sentry when SENTRY_DSN is set (cms/operations/error_reporting.py): uncaught exceptions and logged errors,
# no personal data, no performance traces unless SENTRY_TRACES_SAMPLE_RATE (0 to 1) asks for them.
SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "")
SENTRY_RELEASE = env("SENTRY_RELEASE", "")
SENTRY_TRACES_SAMPLE_RATE = float(env("SENTRY_TRACES_SAMPLE_RATE", "0"))
if SENTRY_DSN:
    from cms.operations.error_reporting import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
