"""A small recording stand-in for the Stripe endpoints localstripe lacks: Prices, Checkout, the Billing Portal.

It answers with the shapes Stripe documents for these calls and records each request (method, path,
idempotency key, form fields), so tests can check what the exchange sends. It checks nothing Stripe would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    idempotency_key: str | None
    fields: dict[str, str]


@dataclass
class StripeStub:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    customers: int = 0

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def answer(self, method: str, path: str, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/customers":
            self.customers += 1
            return 200, {"id": f"cus_stub{self.customers}", "object": "customer", "metadata": {}}
        if method == "GET" and path == "/v1/prices":
            key = fields.get("lookup_keys[0]", "")
            data = [] if key == "missing_price" else [{"id": f"price_{key}", "object": "price", "lookup_key": key}]
            return 200, {"object": "list", "url": "/v1/prices", "has_more": False, "data": data}
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, {
                "id": "cs_test_stub",
                "object": "checkout.session",
                "mode": "subscription",
                "url": "https://checkout.stripe.com/c/pay/cs_test_stub",
            }
        if method == "POST" and path == "/v1/billing_portal/sessions":
            return 200, {
                "id": "bps_stub",
                "object": "billing_portal.session",
                "url": "https://billing.stripe.com/p/session/test_stub",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": f"No such route: {method} {path}"}}


def _handler(stub: StripeStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _respond(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else parts.query
            fields = dict(parse_qsl(body, keep_blank_values=True))
            stub.requests.append(Recorded(method, parts.path, self.headers.get("Idempotency-Key"), fields))
            status, answer = stub.answer(method, parts.path, fields)
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._respond("GET")

        def do_POST(self) -> None:
            self._respond("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_stub() -> Iterator[StripeStub]:
    stub = StripeStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
