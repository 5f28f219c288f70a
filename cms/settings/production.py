"""Production: every secret from the environment, HTTPS only, static files through WhiteNoise."""

import logging

from .base import *  # noqa: F403
from .base import env, env_bool, public_address, required_env, trusted_proxies

DEBUG = False
SECRET_KEY = required_env("SECRET_KEY")
ALLOWED_HOSTS = required_env("ALLOWED_HOSTS").split(",")
WAGTAILADMIN_BASE_URL = public_address("WAGTAILADMIN_BASE_URL")  # every absolute URL; no local default

# Background tasks (search and reference indexing, cache purges, webhook deliveries) queue in the
# database (django_tasks_db, installed in base.py) and run in the `tasks` service (`manage.py db_worker`),
# never in a web request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Media: object storage when a bucket is named (base.py), else the file system.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One proxy in front by default: Varnish (docker-compose, `verity.py stack`), which appends the client's address
# to X-Forwarded-For; the sign-in lockout and the API's throttles count by that entry
# (cms/operations/client_address.py).
# Set TRUSTED_PROXIES to the number of proxies in front (2 with a load balancer before Varnish).
VERITY_TRUSTED_PROXIES = NINJA_NUM_PROXIES = trusted_proxies("1")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Cookies only over HTTPS; SECURE_COOKIES=false only for a plain-HTTP loopback deployment (`verity.py stack`).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # No SMTP server configured: workflow notifications go to the log (stdout) instead of failing, one by one,
    # to connect to localhost:25. Said once, when the process starts.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    logging.getLogger("verity.email").warning(
        "EMAIL_HOST is not set: emails (workflow notifications) are written to the console, not sent."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Verity <no-reply@localhost>")

# Database connections are kept for a minute (and health-checked before each request reuses one, base.py)
# instead of a new connection per request.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
