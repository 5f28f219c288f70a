"""Redis as a cache that may fail: a lost or frozen Redis costs a little speed, never an error.

django-redis ignores the cache's connection errors (`IGNORE_EXCEPTIONS`, settings in cms/settings/base.py)
and the short socket timeouts bound each attempt; but Wagtail reads the cache several times a page, so
a frozen Redis would still cost every one of those reads a timeout. `BreakerConnection` is the redis-py
connection the cache's pool makes: once Redis fails to connect or to answer, the process leaves it alone
for `REDIS_RETRY_AFTER` seconds (every cache read a miss, every write skipped, at once), then tries again.

Each ignored error is logged by django-redis on the `verity.cache` logger; `OncePerInterval` lets one
through per interval with the count of those it held back, so an outage is one line every few seconds,
not one per cache read.
"""

import logging
import threading
import time

from django.conf import settings
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

LOGGER_NAME = "verity.cache"

_lock = threading.Lock()
_open_until = 0.0  # monotonic time until which Redis is not tried; per process


def retry_after():
    return float(getattr(settings, "VERITY_REDIS_RETRY_AFTER", 5))


def is_open():
    """Whether Redis failed a moment ago and is being left alone."""
    return time.monotonic() < _open_until


def trip():
    global _open_until
    with _lock:
        _open_until = time.monotonic() + retry_after()


def reset():
    """Forget past failures (the tests start each case afresh)."""
    global _open_until
    with _lock:
        _open_until = 0.0
        log_filter.last = float("-inf")
        log_filter.held_back = 0


FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class BreakerConnection(Connection):
    """A redis-py TCP connection that fails at once while Redis is known to be down."""

    def connect(self, *args, **kwargs):
        if is_open():
            raise RedisConnectionError(f"Redis failed less than {retry_after():g} s ago; not trying it yet.")
        try:
            return super().connect(*args, **kwargs)
        except FAILURES:
            trip()
            raise

    def send_packed_command(self, *args, **kwargs):
        try:
            return super().send_packed_command(*args, **kwargs)
        except FAILURES:
            trip()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES:
            trip()
            raise


class OncePerInterval(logging.Filter):
    """Let one record through per interval (REDIS_RETRY_AFTER), noting how many were held back."""

    def __init__(self, name=""):
        super().__init__(name)
        self.last = float("-inf")
        self.held_back = 0

    def filter(self, record):
        now = time.monotonic()
        with _lock:
            if now - self.last < retry_after():
                self.held_back += 1
                return False
            held_back, self.held_back, self.last = self.held_back, 0, now
        if held_back:
            record.msg = f"{record.msg} ({held_back} more cache errors ignored since the last report)"
        return True


log_filter = OncePerInterval()
logging.getLogger(LOGGER_NAME).addFilter(log_filter)
