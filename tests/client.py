"""A synchronous test client over httpx.AsyncClient and ASGITransport (the app runs in a portal's loop)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

SESSION_COOKIE = "exchange_session"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class Client:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._portal_cm: Any = None
        self.portal: BlockingPortal | None = None
        self.http: httpx.AsyncClient | None = None

    def __enter__(self) -> Client:
        self._portal_cm = start_blocking_portal()
        self.portal = self._portal_cm.__enter__()
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50000)),
            base_url="http://testserver",
        )
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self.portal is not None and self.http is not None
        self.portal.call(self.http.aclose)
        self._portal_cm.__exit__(*exc)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        assert self.portal is not None and self.http is not None
        http = self.http
        return self.portal.call(lambda: http.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def csrf_token(self) -> str:
        """The token of this client's session, as every page carries it: read from the session cookie the
        client already holds, or from a page when the session has none yet."""
        token = self._session_value("csrf")
        if token:
            return str(token)
        match = CSRF.search(self.get("/about").text)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def _session_value(self, key: str) -> Any:
        """A value of the signed session cookie (its payload is base64 JSON before the signature's dots)."""
        assert self.http is not None
        cookie = self.http.cookies.get(SESSION_COOKIE)
        if not cookie or cookie == "null":
            return None
        payload = cookie.strip('"').split(".", 1)[0]
        return json.loads(base64.b64decode(payload)).get(key)

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any) -> httpx.Response:
        """Post a form the way a browser does, with the session's CSRF token unless csrf=False."""
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf_token()
        return self.request("POST", url, data=data, **kwargs)

    def api(self, method: str, url: str, json: Any = None, *, csrf: bool = True) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf_token()} if csrf else {}
        return self.request(method, url, json=json, headers=headers)

    def sign_in(self, email: str, password: str) -> httpx.Response:
        response = self.post("/account/sign-in", {"email": email, "password": password})
        assert response.status_code == 303, response.text[:500]
        return response
