"""Where webhooks may go: `https` targets on public addresses only, checked when sent.

An endpoint's URL must be `https` (plain `http` only where VERITY_WEBHOOKS_ALLOW_HTTP is on, as in the test
settings). Each delivery resolves the URL's host, refuses it if any address it resolves to is loopback,
private, link-local, multicast, reserved or unspecified (an internal service, the cloud metadata address
169.254.169.254 ...), and then connects to the address it checked, never resolving again: a DNS answer
that changes between the check and the connection (rebinding) cannot reach anything the check refused.
`https` still verifies the certificate against the URL's host name (SNI and hostname checking use it, not
the address). Hosts listed in VERITY_WEBHOOKS_ALLOWED_HOSTS (names or addresses, as written in the URL) are
let through wherever they resolve, for receivers inside the deployment. Redirects are never followed.

The admin's endpoint form refuses what it can tell without DNS (the scheme, an internal address written
in the URL, `localhost`); the delivery checks everything again, since DNS can change after saving.
"""

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter


class RefusedTarget(Exception):
    """A webhook target Verity will not send to; the message says why."""


def allowed_hosts():
    return {host.strip().lower().strip("[]").rstrip(".") for host in settings.VERITY_WEBHOOKS_ALLOWED_HOSTS if host}


def allowed_schemes():
    return {"https", "http"} if settings.VERITY_WEBHOOKS_ALLOW_HTTP else {"https"}


def forbidden_reason(address):
    """Why an IP address is no place for a webhook, or None if it is a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attribute, reason in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attribute):
            return reason
    if not ip.is_global:  # shared address space (100.64.0.0/10) and the like
        return "not public"
    return None


def host_of(url):
    parts = urlsplit(url)
    return (parts.hostname or "").rstrip(".").lower(), parts


def check_url(url):
    """What can be refused without DNS, for the admin's form: raises RefusedTarget."""
    host, parts = host_of(url)
    if parts.scheme not in allowed_schemes():
        raise RefusedTarget(
            "Webhook URLs must use https"
            + ("." if parts.scheme != "http" else " (plain http is allowed only with VERITY_WEBHOOKS_ALLOW_HTTP).")
        )
    if not host:
        raise RefusedTarget("The URL names no host.")
    if host in allowed_hosts():
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise RefusedTarget(f"{host} is a loopback host; webhooks go to public addresses only.")
    try:
        reason = forbidden_reason(host)
    except ValueError:
        return  # a name: resolved and checked when each delivery is sent
    if reason:
        raise RefusedTarget(f"{host} is a {reason} address; webhooks go to public addresses only.")


def resolve(url):
    """The checked address to connect to for `url`: raises RefusedTarget if the scheme, or any address the
    host resolves to, is not allowed."""
    check_url(url)
    host, parts = host_of(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise RefusedTarget(f"{host} does not resolve: {error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise RefusedTarget(f"{host} does not resolve.")
    if host not in allowed_hosts():
        for address in addresses:
            reason = forbidden_reason(address)
            if reason:
                raise RefusedTarget(
                    f"{host} resolves to {address}, a {reason} address; webhooks go to public addresses only "
                    "(list internal receivers in VERITY_WEBHOOKS_ALLOWED_HOSTS)."
                )
    return addresses[0]


class PinnedAddressAdapter(HTTPAdapter):
    """Sends each request to the address `resolve` checked, with the URL's own Host header, SNI name and
    certificate hostname check."""

    def send(self, request, *args, **kwargs):
        host, parts = host_of(request.url)
        address = resolve(request.url)
        netloc = f"[{address}]" if ":" in address else address
        if parts.port:
            netloc += f":{parts.port}"
        request.headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        request.url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        request.verity_server_hostname = host
        return super().send(request, *args, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname = getattr(request, "verity_server_hostname", None)
        if hostname and host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return host_params, pool_kwargs


def webhook_session():
    """A requests session that sends only to checked addresses, ignores proxy settings from the environment
    (a proxy would resolve the name again); `attempt` never follows redirects."""
    session = requests.Session()
    session.trust_env = False
    adapter = PinnedAddressAdapter(max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
