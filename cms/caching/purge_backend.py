"""The HTTP purge backend (Varnish, nginx): Wagtail's HTTPBackend, except that a purge the cache refuses
(403 from a host it does not trust, a 5xx) or cannot be sent (refused connection, timeout) raises.

Wagtail's own backend logs the error and returns, so its purge task counts as a success and the edge keeps
serving the old page. Raising fails the task instead: its result is recorded as failed, the purge is
retried with backoff and the admin's "Failed cache purges" report lists it (cms/caching/failed_purges.py).
"""

import socket
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail import __version__
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

TIMEOUT_SECONDS = 10


class PurgeFailed(Exception):
    """One or more URLs could not be purged; the message says which and why."""


class StrictHTTPBackend(HTTPBackend):
    def __init__(self, params):
        params = dict(params)
        self.timeout = params.pop("TIMEOUT", TIMEOUT_SECONDS)
        super().__init__(params)

    def purge_request(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        return PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]),
            headers={"Host": host, "User-Agent": "Wagtail-frontendcache/" + __version__},
        )

    def purge_error(self, url):
        """Why `url` could not be purged, or None once it was."""
        try:
            # The scheme is the configured LOCATION's, never a reader's.
            with urlopen(self.purge_request(url), timeout=self.timeout):  # noqa: S310
                return None
        except HTTPError as error:
            return f"{url}: the cache answered {error.code} {error.reason}"
        except (URLError, OSError) as error:  # refused, unreachable, timed out (socket.timeout is an OSError)
            reason = error.reason if isinstance(error, URLError) else error
            if isinstance(reason, socket.timeout):
                reason = "timed out"
            return f"{url}: {reason}"

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        # Every URL is tried, so one refusal does not leave the others stale; then the batch fails as one.
        errors = [error for error in map(self.purge_error, urls) if error]
        if errors:
            raise PurgeFailed(f"{len(errors)} of {len(urls)} URLs not purged: " + "; ".join(errors))
