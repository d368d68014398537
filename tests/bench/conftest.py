"""A small local HTTP server for the load driver's tests: 503 for /broken, 200 otherwise, and a
record of each request's path and headers (and of each POST's body)."""

import http.server
import threading

import pytest

from bench import load as benchmark


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's async workers would offer

    def do_GET(self):
        status = 503 if self.path == "/broken" else 200
        body = b"fine" if status == 200 else b"down"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.hits.append((self.path, dict(self.headers)))

    def do_POST(self):
        # A tick at the door, answered as the phone's queue is (bench/live.py).
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.path, body.decode()))
        answer = b'{"status": "recorded"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer((benchmark.LOOPBACK, 0), _Handler)
    server.daemon_threads = True
    server.hits = []
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
