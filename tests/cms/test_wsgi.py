"""A request whose reader has hung up is not rendered (cms/wsgi.py): after a burst, the listen queue's
abandoned requests cost nothing."""

import socket

from cms.wsgi import client_has_left, drop_abandoned_requests


def connected_pair():
    server, client = socket.socketpair()
    return server, client


def test_an_open_connection_is_served_and_a_closed_one_is_not():
    server, client = connected_pair()
    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"page"]

    wrapped = drop_abandoned_requests(app)
    statuses = []
    environ = {"gunicorn.socket": server, "PATH_INFO": "/blog/"}
    assert wrapped(environ, lambda status, headers: statuses.append(status)) == [b"page"]
    client.close()  # the reader gives up
    assert client_has_left(environ)
    assert wrapped(environ, lambda status, headers: statuses.append(status)) == [b""]
    assert calls == ["/blog/"] and statuses == ["200 OK", "499 Client Closed Request"]
    server.close()


def test_a_pipelined_request_still_waiting_is_not_mistaken_for_a_hang_up():
    server, client = connected_pair()
    client.sendall(b"GET /next HTTP/1.1\r\n\r\n")
    assert not client_has_left({"gunicorn.socket": server})
    assert not client_has_left({})  # not under gunicorn (runserver, tests)
    server.close(), client.close()
