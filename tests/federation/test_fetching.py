"""The fetcher's guards: SSRF after DNS resolution, size, redirects, time, conditional requests.

No test here sends a byte to a non-loopback address: refusals happen before any connection.
"""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from federation import fetching


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://127.0.0.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "https://[fe80::1]/",
        "http://[fc00::1]/",
    ],
)
def test_private_and_reserved_addresses_are_refused_after_resolution(settings, url):
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = False

    with pytest.raises(fetching.UnsafeAddress):
        fetching.fetch(url)


def test_a_refused_address_receives_no_request(settings, neighbour_server):
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = False
    port = neighbour_server.httpd.server_address[1]

    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(fetching.UnsafeAddress):
            fetching.fetch(f"http://{host}:{port}/.well-known/assemblee.json")

    assert neighbour_server.requests == []


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/", "http://[fe80::1]/", "http://224.0.0.1/", "http://0.0.0.0/"]
)
def test_link_local_multicast_and_unspecified_are_refused_even_when_private_networks_are_allowed(
    allow_loopback, url
):
    with pytest.raises(fetching.UnsafeAddress):
        fetching.fetch(url)


def test_a_redirect_to_a_refused_address_is_refused_before_following_it(
    allow_loopback, neighbour_server
):
    neighbour_server.redirects["/go"] = "http://169.254.169.254/latest/meta-data/"

    with pytest.raises(fetching.UnsafeAddress):
        fetching.fetch(neighbour_server.base_url + "/go")

    assert neighbour_server.paths_requested() == ["/go"]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/", "javascript:alert(1)", "file:///etc/passwd", "http://user:pw@example.org/",
     "gopher://127.0.0.1:6379/", "http:///nohost"],
)  # fmt: skip
def test_only_plain_http_and_https_addresses_are_fetched(url):
    with pytest.raises(fetching.FetchError):
        fetching.fetch(url)


def test_redirects_are_followed_up_to_the_cap(allow_loopback, neighbour_server):
    for hop in range(fetching.MAX_REDIRECTS):
        neighbour_server.redirects[f"/hop{hop}"] = f"/hop{hop + 1}"
    neighbour_server.redirects[f"/hop{fetching.MAX_REDIRECTS}"] = "/calendar.ics"
    neighbour_server.redirects["/short"] = "/calendar.ics"

    assert fetching.fetch(neighbour_server.base_url + "/short").status == 200
    with pytest.raises(fetching.FetchError, match="redirections"):
        fetching.fetch(neighbour_server.base_url + "/hop0")


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_over_five_megabytes_is_refused(allow_loopback, neighbour_server, declared):
    neighbour_server.serve("/big", b"x" * (fetching.MAX_BYTES + 1))
    neighbour_server.serve("/fits", b"x" * fetching.MAX_BYTES)
    if not declared:
        neighbour_server.without_length.update({"/big", "/fits"})

    assert len(fetching.fetch(neighbour_server.base_url + "/fits").body) == fetching.MAX_BYTES
    with pytest.raises(fetching.FetchError, match="5 Mo"):
        fetching.fetch(neighbour_server.base_url + "/big")


def test_conditional_request_gets_a_304(allow_loopback, neighbour_server):
    first = fetching.fetch(neighbour_server.base_url + "/calendar.ics")

    second = fetching.fetch(neighbour_server.base_url + "/calendar.ics", first.validators)

    assert first.status == 200 and first.etag
    assert second.not_modified and second.body == b""
    assert neighbour_server.requests[-1][1]["If-None-Match"] == first.etag


def test_the_host_header_names_the_host_not_the_address(allow_loopback, neighbour_server):
    port = neighbour_server.httpd.server_address[1]

    fetching.fetch(f"http://localhost:{port}/calendar.ics")

    assert neighbour_server.requests[-1][1]["Host"] == f"localhost:{port}"


def test_a_server_that_does_not_answer_in_time_is_given_up(allow_loopback, monkeypatch):
    monkeypatch.setattr(fetching, "TIMEOUT_SECONDS", 0.3)
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            release.wait(5)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(fetching.FetchError, match="injoignable"):
            fetching.fetch(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 3


def test_resolution_checks_every_address_the_name_has(settings, monkeypatch):
    # A name with one public and one private address is refused: we would not know which we get.
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = False
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)

    with pytest.raises(fetching.UnsafeAddress):
        fetching.resolve("mixed.example.org", 80)
