"""HTTP Signatures as the fediverse uses them: draft-cavage-http-signatures-12, RSA-SHA256.

Mastodon, Mobilizon, Gancio and Friendica sign every POST to an inbox (and some GETs) this way;
RFC 9421 has not replaced it yet. A signature covers the headers its `headers=` list names, in
that order, `(request-target)` being the lower-case method and the path with its query.
We sign `(request-target) host date digest` (Mastodon's set) and, when verifying, demand at least
`(request-target)`, `host` and `date`, plus `digest` for a POST, the Digest checked against the raw
body, and the Date within a window: a signature over less could be replayed on another path,
host or body.
"""

import base64
import datetime
import email.utils
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# How far a request's Date may be from our clock, either way (Mastodon allows 12 hours in the
# past and 5 minutes ahead; we are stricter: a delivery is re-signed at each retry anyway).
DATE_WINDOW = datetime.timedelta(minutes=15)
REQUIRED_HEADERS = ("(request-target)", "host", "date")
REQUIRED_FOR_POST = (*REQUIRED_HEADERS, "digest")
# hs2019 is draft-12's "let the key decide"; with an RSA key it means RSA-SHA256 here.
ALGORITHMS = {"rsa-sha256", "hs2019"}
KEY_BITS = 2048
_PARAMETER = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


class SignatureError(Exception):
    """A request whose signature we refuse; the message says why (logged, never shown)."""


@dataclass(frozen=True)
class Signature:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes


def generate_key_pair() -> tuple[str, str]:
    """(private key PEM, public key PEM) of a new RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return private, public_pem_of(private)


def public_pem_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def digest_header(body: bytes) -> str:
    """The Digest header of a body (RFC 3230): SHA-256 in base64."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(datetime.UTC), usegmt=True)


def signing_string(method: str, target: str, headers: dict, names) -> str:
    """The text a signature covers. headers: lower-case names; target: path and query."""
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name in headers:
            lines.append(f"{name}: {headers[name].strip()}")
        else:
            raise SignatureError(f"signed header {name!r} is missing from the request")
    return "\n".join(lines)


def sign_string(private_pem: str, text: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignatureError("only RSA keys sign here")
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def target_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def signed_headers(
    private_pem: str, key_id: str, method: str, url: str, body: bytes | None, now
) -> dict:
    """The headers of a request signed now: Host, Date, Digest (with a body) and Signature."""
    headers = {"host": host_of(url), "date": http_date(now)}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest_header(body)
        names.append("digest")
    signature = sign_string(private_pem, signing_string(method, target_of(url), headers, names))
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{signature}"'
    )
    return {name.title(): value for name, value in headers.items()}


def parse_signature(value: str) -> Signature:
    """The parameters of a Signature header (or of an Authorization: Signature header)."""
    value = (value or "").strip()
    if value.lower().startswith("signature "):
        value = value[len("signature ") :]
    parameters, position = {}, 0
    while position < len(value):
        match = _PARAMETER.match(value, position)
        if not match:
            raise SignatureError("the Signature header cannot be read")
        parameters[match.group(1)] = match.group(2)
        position = match.end()
    if not parameters.get("keyId") or not parameters.get("signature"):
        raise SignatureError("the Signature header names no keyId or no signature")
    algorithm = parameters.get("algorithm", "hs2019").lower()
    if algorithm not in ALGORITHMS:
        raise SignatureError(f"algorithm {algorithm!r} is not accepted")
    try:
        signature = base64.b64decode(parameters["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("the signature is not base64") from error
    names = tuple(parameters.get("headers", "date").lower().split())
    return Signature(parameters["keyId"], algorithm, names, signature)


def verify_signature(public_pem: str, signature: Signature, text: str) -> None:
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
    except ValueError as error:
        raise SignatureError("the public key cannot be read") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("only RSA keys are accepted")
    try:
        key.verify(signature.signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise SignatureError("the signature does not match") from error


def check_request(
    signature: Signature,
    method: str,
    target: str,
    headers: dict,
    body: bytes,
    now: datetime.datetime,
    required=REQUIRED_HEADERS,
) -> str:
    """Everything but the cryptography: the covered headers, the Date window, the Digest.

    `required` names the headers the signature must cover (add "digest" for a POST). Returns the signing string to verify. headers: lower-case names.
    """
    needed = set(required)
    missing = needed - set(signature.headers)
    if missing:
        raise SignatureError(f"the signature does not cover {', '.join(sorted(missing))}")
    if "date" in signature.headers:
        try:
            date = email.utils.parsedate_to_datetime(headers.get("date", ""))
        except (TypeError, ValueError) as error:
            raise SignatureError("the Date header cannot be read") from error
        if date is None or date.tzinfo is None or abs(now - date) > DATE_WINDOW:
            raise SignatureError("the Date header is outside the accepted window")
    if "digest" in signature.headers:
        digests = [part.strip() for part in headers.get("digest", "").split(",")]
        if digest_header(body) not in digests:
            raise SignatureError("the Digest does not match the body")
    return signing_string(method, target, headers, signature.headers)


def verify_request(
    public_pem: str,
    method: str,
    target: str,
    headers: dict,
    body: bytes,
    now: datetime.datetime,
    required=REQUIRED_HEADERS,
) -> Signature:
    """The request's Signature when it is valid for this key, else SignatureError."""
    signature = parse_signature(headers.get("signature") or headers.get("authorization", ""))
    text = check_request(signature, method, target, headers, body, now, required)
    verify_signature(public_pem, signature, text)
    return signature
