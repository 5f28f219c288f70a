"""Gunicorn's settings for every deployment (the Dockerfile, docker-compose and `verity.py stack`).

Sync workers, as many as the cores can keep busy, a short listen queue and recycled workers: a burst of
readers larger than the site can serve is turned away at the door instead of queueing for minutes, and
the site answers a new reader as soon as the burst ends (cms/wsgi.py drops requests whose reader left).
Each value can be changed through the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside a container or behind the edge
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request the database cannot answer fails on its statement timeout well before this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Connections waiting for a worker: a few hundred milliseconds of work, not minutes of it.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "64"))
# Workers are recycled (a leak cannot grow for ever), at well spread moments so they never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 2)))
# Django and Wagtail are loaded once, in the master: a new or recycled worker is a fork, ready at once,
# instead of seconds of imports while its share of readers wait.
preload_app = True
# X-Forwarded-Proto from the edge in front (Varnish, a load balancer) is believed from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def pre_fork(server, worker):
    """No database connection crosses a fork: a worker opens its own."""
    from django.db import connections

    connections.close_all()
