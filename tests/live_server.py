"""The browsers' live server takes requests in turn on SQLite.

A browser asks for several things at once (an admin page and Wagtail's `/admin/jsi18n/`
script). On the in-memory SQLite test database, Django's live server either hands every
request thread the test's own connection, and two threads stepping one sqlite3 connection fail
with « bad parameter or other API misuse » (in CI a staff member's page came back as the login
form), or, when the server started before the test database, gives each thread a connection of
its own to the shared-cache database, whose table locks fail at once instead of waiting
(« database table is locked »). Each request therefore runs whole, body included, before the
next starts. On PostgreSQL requests still run side by side."""

import threading

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread


class InTurnOnSQLite(ThreadedWSGIServer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.turn = threading.Lock()

    def set_app(self, application):
        if connection.vendor != "sqlite":
            super().set_app(application)
            return

        def in_turn(environ, start_response):
            with self.turn:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        super().set_app(in_turn)


def take_requests_in_turn() -> None:
    LiveServerThread.server_class = InTurnOnSQLite
