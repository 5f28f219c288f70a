"""The client's address as the trusted proxies in front of the application saw it.

Behind `VERITY_TRUSTED_PROXIES` proxies (Varnish in `verity.py stack` and docker-compose: one), each
proxy appends the address it received the request from to `X-Forwarded-For`, so the client's address is
the N-th entry from the right; whatever stands left of it was written by the client and proves nothing.
With no trusted proxy (development, tests) the header is ignored and `REMOTE_ADDR` is the client.

The sign-in lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`) reads the address here; the API's throttles
(django-ninja, `NINJA_NUM_PROXIES`, set from the same setting) pick the same entry.
"""

import ipaddress

from django.conf import settings


def forwarded_address(request, trusted_proxies):
    """The entry of X-Forwarded-For that the outermost trusted proxy appended, or None."""
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in header.split(",")]
    if not trusted_proxies or not header.strip():
        return None
    # Fewer entries than proxies: the request skipped the outer ones; the leftmost is still a proxy's.
    return entries[-min(trusted_proxies, len(entries))]


def client_ip(request):
    """The client's IP address: from the trusted proxies' X-Forwarded-For entry, else REMOTE_ADDR."""
    remote_addr = request.META.get("REMOTE_ADDR")
    candidate = forwarded_address(request, settings.VERITY_TRUSTED_PROXIES)
    if candidate is None:
        return remote_addr
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Not an address (a proxy misconfigured, or a request that reached us around the proxies): the
        # peer is all we know for certain.
        return remote_addr
