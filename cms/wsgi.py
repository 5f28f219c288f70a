"""The WSGI application gunicorn serves.

After a burst of readers, the listen queue still holds the requests of readers who gave up waiting and
closed their connection. Rendering those pages would keep the site busy for readers who are gone, so a
request whose client has already hung up is answered with nothing before Django sees it.
"""

import logging
import os
import socket

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

logger = logging.getLogger("verity.wsgi")


def client_has_left(environ):
    """True when the reader's side of the connection is closed (gunicorn puts the socket in the environ)."""
    sock = environ.get("gunicorn.socket")
    if sock is None:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False  # open, and nothing more sent: the reader is waiting
    except OSError:
        return True  # reset by the peer


def drop_abandoned_requests(app):
    def application(environ, start_response):
        if client_has_left(environ):
            logger.info("Not rendering %s: the client closed the connection", environ.get("PATH_INFO"))
            start_response("499 Client Closed Request", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return application


application = drop_abandoned_requests(get_wsgi_application())
