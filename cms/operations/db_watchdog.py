"""Cut a PostgreSQL connection whose server stopped answering, so the request fails fast instead of hanging.

`connect_timeout` bounds a new connection and `statement_timeout` a slow statement (cms/settings/base.py),
but a server that is frozen (stopped, paused, or cut off behind a network that still acknowledges) never
sends the statement timeout's cancellation: a query already sent on a kept-alive connection — or the
health check Django runs on it at the start of each request — would wait until gunicorn kills the worker.

The watchdog is one daemon thread per process watching the connections the web process opens
(`register`, connected to `connection_created` by cms.operations.middleware.DatabaseUnavailableMiddleware). When one
has had a command in flight for VERITY_DATABASE_STALL_TIMEOUT seconds it asks the server, on a fresh
socket, the cheapest question PostgreSQL answers before any authentication (an SSLRequest, what
`pg_isready` does). A live server answers in milliseconds, and the slow query is left to the
statement_timeout; a server that does not answer within the same time is gone, and the watchdog shuts the
connection's socket down. The waiting query then fails with OperationalError (a 503, see
cms/operations/middleware.py) and Django closes the connection at the end of the request; the next request opens a
new one, which fails after connect_timeout while the server is away and works again once it is back.
"""

import logging
import os
import socket
import struct
import threading
import time
import weakref

from django.conf import settings

logger = logging.getLogger(__name__)

POLL = 0.2  # seconds between looks at the watched connections
SSL_REQUEST = struct.pack("!ii", 8, 80877103)

_watched = weakref.WeakKeyDictionary()  # Django DatabaseWrapper -> (host, port) of its server
_lock = threading.Lock()
_thread = None
_thread_pid = None


def stall_timeout():
    return float(getattr(settings, "VERITY_DATABASE_STALL_TIMEOUT", 1))


def register(sender=None, connection=None, **kwargs):
    """`connection_created` receiver: watch this PostgreSQL connection from now on."""
    if connection is None or connection.vendor != "postgresql" or stall_timeout() <= 0:
        return
    info = connection.connection.info
    with _lock:
        _watched[connection] = (info.host, info.port)
    _ensure_thread()


def _ensure_thread():
    global _thread, _thread_pid
    with _lock:
        if _thread is not None and _thread.is_alive() and _thread_pid == os.getpid():
            return
        _thread = threading.Thread(target=_watch, name="verity-db-watchdog", daemon=True)
        _thread_pid = os.getpid()
        _thread.start()


def server_answers(host, port, timeout):
    """Whether the PostgreSQL server at host:port (or the Unix socket folder `host`) answers an SSLRequest."""
    try:
        if host.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address = os.path.join(host, f".s.PGSQL.{port}")
        else:
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            address = (host, int(port))
        with sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(SSL_REQUEST)
            return sock.recv(1) in (b"S", b"N", b"E")
    except OSError:
        return False


def cut(pgconn):
    """Shut the connection's socket down under the thread waiting on it; its wait then fails at once."""
    try:
        with socket.socket(fileno=os.dup(pgconn.socket)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _command_in_flight(wrapper):
    connection = wrapper.connection
    if connection is None or connection.closed:
        return None
    pgconn = connection.pgconn
    from psycopg.pq import TransactionStatus

    return pgconn if pgconn.transaction_status == TransactionStatus.ACTIVE else None


def _watch():
    busy_since = {}  # id of the libpq connection -> when it was first seen with a command in flight
    while True:
        time.sleep(POLL)
        now = time.monotonic()
        with _lock:
            watched = list(_watched.items())
        seen = set()
        for wrapper, (host, port) in watched:
            try:
                pgconn = _command_in_flight(wrapper)
            except Exception:  # noqa: BLE001 - a connection closing under us: nothing to watch
                pgconn = None
            if pgconn is None:
                continue
            key = id(pgconn)
            seen.add(key)
            since = busy_since.setdefault(key, now)
            timeout = stall_timeout()
            if now - since < timeout:
                continue
            if server_answers(host, port, timeout):
                busy_since[key] = time.monotonic()  # alive, only slow: ask again after another interval
                continue
            logger.error(
                "The database server %s:%s has not answered for %.1f s; cutting the connection.",
                host,
                port,
                now - since,
            )
            cut(pgconn)
            busy_since.pop(key, None)
        for key in set(busy_since) - seen:
            busy_since.pop(key)
