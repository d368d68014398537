"""A fediverse server of the tests' own on 127.0.0.1: one account, Alice, with her key pair.

It serves Alice's actor document, receives what is POSTed to her inbox and to the server's
shared inbox, and signs requests with an implementation that is not ours (apsig).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from apsig.draft.sign import Signer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class RemoteServer:
    def __init__(self):
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = (
            self.private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        self.received: list[dict] = []
        self.fetched: list[dict] = []
        self.inbox_status = 202
        # As Mastodon's "authorized fetch" mode: unsigned GETs of the actor get 401.
        self.require_signed_fetch = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body=b"", content_type="application/activity+json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                server.fetched.append({"path": self.path, "headers": dict(self.headers.items())})
                if server.require_signed_fetch and "Signature" not in self.headers:
                    self._answer(401)
                elif self.path == "/users/alice":
                    self._answer(200, json.dumps(server.actor_document()).encode())
                else:
                    self._answer(404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                server.received.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                self._answer(server.inbox_status)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def actor_url(self) -> str:
        return f"{self.base_url}/users/alice"

    @property
    def key_id(self) -> str:
        return f"{self.actor_url}#main-key"

    def actor_document(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_url,
            "type": "Person",
            "preferredUsername": "alice",
            "inbox": f"{self.actor_url}/inbox",
            "endpoints": {"sharedInbox": f"{self.base_url}/inbox"},
            "publicKey": {
                "id": self.key_id,
                "owner": self.actor_url,
                "publicKeyPem": self.public_pem,
            },
        }

    def signed(self, url: str, activity: dict, private_key=None) -> tuple[bytes, dict]:
        """(body, headers) of a POST of activity to url, signed by apsig with Alice's key."""
        body = json.dumps(activity).encode()
        headers = Signer(
            headers={"Content-Type": "application/activity+json"},
            private_key=private_key or self.private_key,
            method="POST",
            url=url,
            key_id=self.key_id,
            body=body,
        ).sign()
        return body, headers

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
