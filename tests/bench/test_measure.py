"""bench/measure.py's own measurements, against a small local HTTP server."""

import http.server
import threading

import pytest

from bench import load as benchmark
from bench.measure import SEARCH, measure_search_alone


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"results"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.hits.append((self.path, self.headers["Cookie"]))

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = http.server.ThreadingHTTPServer((benchmark.LOOPBACK, 0), _Recorder)
    server.daemon_threads = True
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_search_alone_is_timed_signed_in_so_never_from_the_page_cache(recorder):
    signed_in = {"Cookie": "sessionid=member"}

    result = measure_search_alone(recorder.server_address[1], 5, 1, signed_in)

    assert result["requests"] == 5
    assert result["signed_in"] is True
    assert set(recorder.hits) == {(SEARCH.path, "sessionid=member")}
