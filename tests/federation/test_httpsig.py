"""Our signer and verifier against the test values of draft-cavage-http-signatures-12, Appendix C.

The key, the request and the three expected signatures are the draft's own (the key is the
draft's 1024-bit RSA test key). PKCS#1 v1.5 signatures are deterministic, so our signer must
produce the draft's exact bytes, and our verifier must accept them and refuse any change.
"""

import datetime

import pytest

from federation import httpsig

PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
"""
PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
"""
# POST /foo?param=value&pet=dog HTTP/1.1, as the draft's Appendix C sends it.
TARGET = "/foo?param=value&pet=dog"
BODY = b'{"hello": "world"}'
HEADERS = {
    "host": "example.com",
    "date": "Sun, 05 Jan 2014 21:31:40 GMT",
    "content-type": "application/json",
    "digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "content-length": "18",
}
SENT_AT = datetime.datetime(2014, 1, 5, 21, 31, 40, tzinfo=datetime.UTC)
VECTORS = {
    # C.1 Default Test: no headers parameter, so only the date is signed.
    "C.1": (
        None,
        "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=",
    ),
    # C.2 Basic Test.
    "C.2": (
        "(request-target) host date",
        "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=",
    ),
    # C.3 All Headers Test.
    "C.3": (
        "(request-target) host date content-type digest content-length",
        "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE=",
    ),
}


def _header(names, signature) -> str:
    covered = f'headers="{names}",' if names else ""
    return f'keyId="Test",algorithm="rsa-sha256",{covered}signature="{signature}"'


def test_draft_body_digest_matches_appendix_c():
    assert httpsig.digest_header(BODY) == HEADERS["digest"]


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_signer_produces_appendix_c_signature(name):
    names, expected = VECTORS[name]
    text = httpsig.signing_string("POST", TARGET, HEADERS, (names or "date").split())

    assert httpsig.sign_string(PRIVATE_KEY, text) == expected


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_verifier_accepts_appendix_c_signature(name):
    names, signature = VECTORS[name]
    headers = {**HEADERS, "signature": _header(names, signature)}

    verified = httpsig.verify_request(
        PUBLIC_KEY, "POST", TARGET, headers, BODY, SENT_AT, required=()
    )

    assert verified.key_id == "Test"


def test_verifier_reads_authorization_header_form():
    names, signature = VECTORS["C.2"]
    headers = {**HEADERS, "authorization": "Signature " + _header(names, signature)}

    assert httpsig.verify_request(PUBLIC_KEY, "POST", TARGET, headers, BODY, SENT_AT).key_id == (
        "Test"
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"host": "example.org"}, "does not match"),
        ({"date": "Sun, 05 Jan 2014 21:31:41 GMT"}, "does not match"),
        ({"content-type": "text/plain"}, "does not match"),
    ],
)
def test_verifier_refuses_changed_header(change, reason):
    names, signature = VECTORS["C.3"]
    headers = {**HEADERS, **change, "signature": _header(names, signature)}

    with pytest.raises(httpsig.SignatureError, match=reason):
        httpsig.verify_request(PUBLIC_KEY, "POST", TARGET, headers, BODY, SENT_AT, required=())


def test_verifier_refuses_changed_target():
    names, signature = VECTORS["C.2"]
    headers = {**HEADERS, "signature": _header(names, signature)}

    with pytest.raises(httpsig.SignatureError, match="does not match"):
        httpsig.verify_request(PUBLIC_KEY, "POST", "/foo", headers, BODY, SENT_AT, required=())


def test_verifier_refuses_body_not_matching_digest():
    names, signature = VECTORS["C.3"]
    headers = {**HEADERS, "signature": _header(names, signature)}

    with pytest.raises(httpsig.SignatureError, match="Digest"):
        httpsig.verify_request(
            PUBLIC_KEY, "POST", TARGET, headers, b'{"hello": "mars"}', SENT_AT, required=()
        )


def test_verifier_refuses_stale_date():
    names, signature = VECTORS["C.3"]
    headers = {**HEADERS, "signature": _header(names, signature)}
    an_hour_later = SENT_AT + datetime.timedelta(hours=1)

    with pytest.raises(httpsig.SignatureError, match="window"):
        httpsig.verify_request(
            PUBLIC_KEY, "POST", TARGET, headers, BODY, an_hour_later, required=()
        )


def test_verifier_refuses_signature_not_covering_digest_of_post():
    names, signature = VECTORS["C.2"]
    headers = {**HEADERS, "signature": _header(names, signature)}

    with pytest.raises(httpsig.SignatureError, match="digest"):
        httpsig.verify_request(
            PUBLIC_KEY, "POST", TARGET, headers, BODY, SENT_AT, required=httpsig.REQUIRED_FOR_POST
        )


def test_verifier_refuses_default_signature_where_target_and_host_are_required():
    names, signature = VECTORS["C.1"]
    headers = {**HEADERS, "signature": _header(names, signature)}

    with pytest.raises(httpsig.SignatureError, match="host"):
        httpsig.verify_request(PUBLIC_KEY, "POST", TARGET, headers, BODY, SENT_AT)


@pytest.mark.parametrize(
    "value",
    [
        "",
        'keyId="Test"',
        'keyId="Test",algorithm="hmac-sha256",signature="AAAA"',
        'keyId="Test",signature="not base64!"',
        "keyId=Test,signature=AAAA",
    ],
)
def test_unreadable_signature_header_refused(value):
    with pytest.raises(httpsig.SignatureError):
        httpsig.parse_signature(value)


def test_our_signed_headers_verify_with_our_verifier():
    private, public = httpsig.generate_key_pair()
    url = "https://mobilizon.example/inbox?x=1"
    headers = httpsig.signed_headers(
        private, "https://us.example/actor#main-key", "POST", url, BODY, SENT_AT
    )
    lower = {name.lower(): value for name, value in headers.items()}

    signature = httpsig.verify_request(
        public, "POST", "/inbox?x=1", lower, BODY, SENT_AT, required=httpsig.REQUIRED_FOR_POST
    )

    assert signature.headers == ("(request-target)", "host", "date", "digest")
    assert lower["host"] == "mobilizon.example"
