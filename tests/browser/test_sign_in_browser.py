"""Sign-in in a real browser against a real server configured with an ``[auth]`` table.

The server is ``streamlit run streamlit_app.py`` with a secrets file of the test's own
(``--secrets.files``). The identity provider is a small local HTTP server that publishes an
OpenID Connect discovery document and records the authorisation request it receives; the
test stops there (it does not issue tokens). It shows that in a running server nothing but
the sign-in page is served before sign-in, on any page's address, and that the button sends
the officer to the provider with the app's client id, its callback address and the OpenID
scopes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ROOT, free_port, stop_app, wait_healthy

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Provider(BaseHTTPRequestHandler):
    base = ""

    def do_GET(self):
        if self.path.startswith("/.well-known/openid-configuration"):
            body = json.dumps({
                "issuer": self.base, "authorization_endpoint": f"{self.base}/authorize",
                "token_endpoint": f"{self.base}/token", "jwks_uri": f"{self.base}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]}).encode()
            ctype = "application/json"
        else:
            body = b"<html><body><h1>Provider sign-in page</h1></body></html>"
            ctype = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    Provider.base = f"http://127.0.0.1:{port}"
    server = ThreadingHTTPServer(("127.0.0.1", port), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Provider.base
    server.shutdown()


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory, provider):
    folder = tmp_path_factory.mktemp("auth_app")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'  # Streamlit fills {port}
        'cookie_secret = "a-long-random-cookie-secret-for-this-test-only-0123456789"\n'
        'client_id = "planner-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    port = free_port()
    log = (folder / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--secrets.files", str(secrets)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PLANNER_DATABASE_URL": f"sqlite:///{folder / 'scenarios.db'}"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_app(proc)
        log.close()


def test_only_the_sign_in_page_is_served_and_it_leads_to_the_provider(browser, signed_app,
                                                                      provider):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        for path in ("", "/phuong-an", "/du-lieu", "/phuong-an-da-luu"):
            page.goto(signed_app + path)
            button = page.get_by_role("button", name="Đăng nhập")
            button.wait_for()
            assert page.locator("[data-testid='stMetric']").count() == 0, path
            assert page.locator("[data-testid='stSidebarNav']").count() == 0, path
            assert "967" not in page.inner_text("body"), path  # nothing of the sample
        with page.expect_navigation(url=lambda u: u.startswith(provider)):
            page.get_by_role("button", name="Đăng nhập").click()
        query = parse_qs(urlparse(page.url).query)
        assert urlparse(page.url).path == "/authorize"
        assert query["client_id"] == ["planner-test"]
        assert query["response_type"] == ["code"]
        assert query["redirect_uri"][0].endswith("/oauth2callback")
        assert {"openid", "email"} <= set(query["scope"][0].split())
        assert query.get("state") and query.get("nonce")
    finally:
        context.close()
