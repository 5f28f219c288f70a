"""The test suite: fast hashing, media in a temporary folder, SQLite unless DATABASE_URL is set."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env("MEDIA_ROOT", tempfile.mkdtemp(prefix="verity-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off even where REDIS_URL is set: tests that want the page cache turn it on (tests/cms/caching/test_http_cache.py).
VERITY_PAGE_CACHE = False
WAGTAILADMIN_BASE_URL = "http://testserver"
VERITY_DEMO_ALLOWED = True  # load_demo (base.py)
# The webhook tests deliver to receivers on 127.0.0.1 over plain http; they allow-list it themselves.
VERITY_WEBHOOKS_ALLOW_HTTP = True
# On PostgreSQL, a commit does not wait for the disk: the test databases are thrown away.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
