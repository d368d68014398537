"""A neighbouring Assemblée on 127.0.0.1: a real HTTP server serving a recorded neighbour.

Tests change what it serves (files, redirects, an outage) and read the requests it received.
It answers If-None-Match with 304, as a real neighbour's cache would.
"""

import datetime
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.federation.remote_fediverse import RemoteServer

RECORDED = Path(__file__).parent / "recorded"
# The recorded calendar's meetings are in January and February 2027.
NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)
CONTENT_TYPES = {
    "/.well-known/assemblee.json": "application/json",
    "/commons/export.geojson": "application/geo+json",
    "/calendar.ics": "text/calendar",
}


class NeighbourServer:
    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.redirects: dict[str, str] = {}
        self.down = False
        self.requests: list[tuple[str, dict]] = []
        self.answers: list[tuple[str, int]] = []
        self.without_length: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_response(self, code, message=None):
                server.answers.append((self.path, code))
                super().send_response(code, message)

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                if server.down:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path not in server.files:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, content_type = server.files[self.path]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("ETag", etag)
                if self.path in server.without_length:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # The fetcher hangs up on purpose past the size cap: a broken pipe, not a bug.
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes | str, content_type: str = "") -> None:
        if isinstance(body, str):
            body = body.encode()
        self.files[path] = (body, content_type or CONTENT_TYPES.get(path, "application/json"))

    def serve_recorded(self) -> None:
        for name, path in (
            ("assemblee.json", "/.well-known/assemblee.json"),
            ("commons.geojson", "/commons/export.geojson"),
            ("calendar.ics", "/calendar.ics"),
        ):
            text = (RECORDED / name).read_text().replace("{base}", self.base_url)
            if name.endswith(".ics"):
                text = text.replace("\n", "\r\n")
            self.serve(path, text)

    def paths_requested(self) -> list[str]:
        return [path for path, _headers in self.requests]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def allow_loopback(settings):
    """The neighbours of these tests live on 127.0.0.1, which production refuses."""
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = True


def start_neighbour() -> NeighbourServer:
    server = NeighbourServer().start()
    server.serve_recorded()
    return server


@pytest.fixture
def neighbour_server():
    server = start_neighbour()
    yield server
    server.stop()


@pytest.fixture
def second_neighbour_server():
    server = start_neighbour()
    yield server
    server.stop()


@pytest.fixture
def remote_fediverse():
    server = RemoteServer().start()
    yield server
    server.stop()
