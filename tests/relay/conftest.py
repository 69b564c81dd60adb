"""A real HTTP server on the loopback for the relay's tests: each route answers what the test
set (status, headers, body), honours If-None-Match, and counts its requests."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine

FEEDS = Path(__file__).parent / "feeds"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


class Route:
    def __init__(self, body=b"", *, status=200, headers=None, etag=""):
        self.body = body
        self.status = status
        self.headers = headers or {}
        self.etag = etag
        self.requests = []


class FeedServer:
    """Routes by path; `url(path)` is the address to subscribe to."""

    def __init__(self):
        self.routes = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                route.requests.append(dict(self.headers))
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    # The reader stops on purpose past its size limit (tests of oversized feeds).
                    return

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body=b"", **kwargs) -> Route:
        self.routes[path] = Route(body, **kwargs)
        return self.routes[path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server(settings):
    settings.MAILLAGE_RELAY_ALLOWED_HOSTS = ["127.0.0.1"]
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def in_january_2027():
    """The recorded feeds' dates are fixed: the clock is set before them, running."""
    with time_machine.travel(datetime.datetime(2027, 1, 1, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield
