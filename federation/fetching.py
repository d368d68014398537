"""Fetching what a neighbour publishes, as untrusted input from an untrusted address.

Every request has a timeout, a size cap, a redirect cap and conditional headers, and goes only to
a public address: the host name is resolved first, every address it resolves to is checked, and
the connection is then opened to the checked address (with the Host header and TLS name kept), so
that a second, different DNS answer cannot slip a private address in (SSRF, DNS rebinding).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "Assemblee-federation/1 (+https://assemblee.example.org)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that failed; the message says why, for the administrator."""


class UnsafeAddress(FetchError):
    """The URL leads to an address we never send requests to."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int  # 200, or 304 when the validators we sent still hold
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> dict:
        return {
            key: value
            for key, value in (("etag", self.etag), ("last_modified", self.last_modified))
            if value
        }


def address_is_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Public addresses only; loopback and private networks only when the operator allows them.

    Link-local (cloud metadata at 169.254.169.254), multicast, unspecified and reserved addresses
    are refused whatever the setting says.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if (
        address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    ):
        return False
    if address.is_global:
        return True
    return bool(
        settings.FEDERATION_ALLOW_PRIVATE_NETWORKS and (address.is_loopback or address.is_private)
    )


def resolve(host: str, port: int) -> str:
    """The address to connect to, once every address the host resolves to has been checked."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("The name %(host)s could not be resolved.") % {"host": host}) from error
    addresses = [answer[4][0] for answer in answers]
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address_is_allowed(address):
            raise UnsafeAddress(
                _("%(host)s leads to %(address)s, a private or reserved address: refused.")
                % {"host": host, "address": address}
            )
    if not addresses:
        raise FetchError(_("The name %(host)s could not be resolved.") % {"host": host})
    return addresses[0]


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL without credentials, or FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(_("%(url)s is not a valid address.") % {"url": url}) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Only http and https addresses can be followed: %(url)s") % {"url": url})
    if parts.username or parts.password:
        raise FetchError(
            _("Addresses with a user name or password are refused: %(url)s") % {"url": url}
        )
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _pool(scheme: str, host: str, address: str, port: int):
    timeout = urllib3.Timeout(connect=TIMEOUT_SECONDS, read=TIMEOUT_SECONDS)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)


def _read_capped(response, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(_("The answer is larger than 5 MB: refused."))
    chunks, total = [], 0
    for chunk in response.stream(CHUNK):
        total += len(chunk)
        if total > MAX_BYTES:
            raise FetchError(_("The answer is larger than 5 MB: refused."))
        if time.monotonic() > deadline:
            raise FetchError(_("The answer took longer than 10 seconds: given up."))
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, validators: dict | None = None, accept: str = "*/*", sign=None) -> Fetched:
    """GET url, following at most MAX_REDIRECTS redirects, each one checked like the first.

    `sign(url)`, when given, returns the headers that sign a GET of that URL (servers in
    Mastodon's "authorized fetch" mode answer only signed requests); called at each hop.
    """
    validators = validators or {}
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port = check_url(url)
        address = resolve(host, port)
        default_port = 443 if scheme == "https" else 80
        host_header = f"[{host}]" if ":" in host else host
        if port != default_port:
            host_header = f"{host_header}:{port}"
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pool = _pool(scheme, host, address, port)
        try:
            signature = sign(url) if sign else {}
            response = pool.urlopen(
                "GET",
                target,
                headers={**headers, **signature, "Host": host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                if response.status in REDIRECT_STATUSES:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise FetchError(_("A redirect without a destination."))
                    url = urljoin(url, location)
                    continue
                if response.status == 304:
                    return Fetched(url=url, status=304, **_validators_of(response, validators))
                if response.status != 200:
                    raise FetchError(
                        _("%(url)s answered HTTP %(status)s.")
                        % {"url": url, "status": response.status}
                    )
                body = _read_capped(response, deadline)
                return Fetched(url=url, status=200, body=body, **_validators_of(response, {}))
            finally:
                response.release_conn()
                response.close()
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise FetchError(
                _("%(url)s could not be reached: %(error)s") % {"url": url, "error": error}
            ) from error
        finally:
            pool.close()
    raise FetchError(_("More than %(count)s redirects: given up.") % {"count": MAX_REDIRECTS})


def _validators_of(response, previous: dict) -> dict:
    return {
        "etag": response.headers.get("ETag", previous.get("etag", ""))[:200],
        "last_modified": response.headers.get("Last-Modified", previous.get("last_modified", ""))[
            :100
        ],
    }


def post(url: str, body: bytes, headers: dict) -> int:
    """POST body to url (an inbox), to a checked address, following no redirect.

    Returns the status; FetchError when the address is refused or cannot be reached. The answer's
    body is read up to a small cap and dropped: an inbox says nothing we need.
    """
    scheme, host, port = check_url(url)
    address = resolve(host, port)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pool = _pool(scheme, host, address, port)
    try:
        response = pool.urlopen(
            "POST",
            target,
            body=body,
            headers={"User-Agent": USER_AGENT, **headers},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            for _chunk in response.stream(CHUNK):
                break
            return response.status
        finally:
            response.release_conn()
            response.close()
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError(
            _("%(url)s could not be reached: %(error)s") % {"url": url, "error": error}
        ) from error
    finally:
        pool.close()
