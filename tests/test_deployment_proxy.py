"""The deployment as docs/deployment.md describes it, run for real: Debian's nginx with the
repository's deploy/nginx/planner.conf (TLS with a certificate made by openssl now) in front of
two real app processes that share one scenario store (PostgreSQL when PLANNER_TEST_DATABASE_URL
reaches one, as under .ci/run; otherwise one SQLite file, and the test says so).

Checked through the proxy: the security headers on every answer, the metrics refused, framing
refused by a real Chromium, only the configured host name served, the WebSocket upgraded and
refused from any other origin, each officer kept on one process, and a scenario saved through
one process listed and reopened through the other.

Skipped (with the reason) only when nginx or openssl is not installed; under .ci/run
(PLANNER_REQUIRE_NGINX=1) a missing nginx fails instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import urllib.request
import uuid
import warnings
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from deployment import (
    NAME,
    Deployment,
    nginx_unavailable,
    raw_request,
    start_deployment,
    websocket_handshake,
)
from store_backends import pg_schema_url, postgres_unavailable

pytestmark = [pytest.mark.proxy, pytest.mark.slow]

HSTS_MIN = 31_536_000  # one year, in seconds


def _store_url(tmp_path_factory) -> Iterator[str]:
    """PostgreSQL (a schema of this module's own) when reachable; else one SQLite file."""
    reason = postgres_unavailable()
    if reason:
        warnings.warn(f"the two app processes share a SQLite file, not PostgreSQL: {reason}",
                      UserWarning, stacklevel=1)
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'scenarios.db'}"
        return
    with pg_schema_url() as url:
        yield url


@pytest.fixture(scope="module")
def dep(tmp_path_factory) -> Iterator[Deployment]:
    reason = nginx_unavailable()
    if reason:
        if os.environ.get("PLANNER_REQUIRE_NGINX"):
            pytest.fail(f"PLANNER_REQUIRE_NGINX is set but {reason}")
        pytest.skip(reason)
    for store_url in _store_url(tmp_path_factory):
        d = start_deployment(2, store_url, tmp_path_factory.mktemp("deployment"))
        try:
            yield d
        finally:
            d.stop()


def _get(dep: Deployment, path: str, headers: dict[str, str] | None = None):
    return raw_request(dep.port, host=f"{NAME}:{dep.port}", path=path, headers=headers,
                       tls=dep.tls_context(), tls_name=NAME)


# --- headers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/phuong-an-da-luu",
                                  "/no/such/page.js", "/_stcore/metrics"])
def test_every_answer_forbids_framing_and_insists_on_https(dep, path):
    a = _get(dep, path)
    assert a.status is not None
    hsts = a.header("strict-transport-security") or ""
    m = re.fullmatch(r"max-age=(\d+)(;.*)?", hsts)
    assert m and int(m.group(1)) >= HSTS_MIN, hsts
    assert a.headers.get("x-frame-options") == ["DENY"]
    csp = a.header("content-security-policy") or ""
    assert "frame-ancestors 'none'" in [d.strip() for d in csp.split(";")], csp
    assert a.header("x-content-type-options") == "nosniff"
    assert a.header("server") == "nginx"  # no version given away


def test_the_headers_come_from_nginx_not_from_the_app(dep):
    # the same page straight from an app process has none of them: without the proxy's
    # configuration the app could be framed
    b = dep.backends[0]
    a = raw_request(b.port, host=NAME, path="/")
    assert a.status == 200
    assert "x-frame-options" not in a.headers
    assert "content-security-policy" not in a.headers


def test_the_apps_cookies_are_https_only_through_the_proxy(dep):
    # Streamlit sets its XSRF cookie without "Secure" (it does not know about the TLS in
    # front); nginx adds it, so the cookie is never sent over plain HTTP
    direct = raw_request(dep.backends[0].port, host=NAME, path="/_stcore/health")
    assert any(c.startswith("_streamlit_xsrf=") and "secure" not in c.lower()
               for c in direct.headers.get("set-cookie", []))
    cookies = _get(dep, "/_stcore/health").headers.get("set-cookie", [])
    xsrf = [c for c in cookies if c.startswith("_streamlit_xsrf=")]
    assert xsrf and all("; secure" in c.lower() for c in xsrf), cookies


# --- metrics -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/",
                                  "/_stcore/metrics?families=cache_memory_bytes",
                                  "/_stcore//metrics", "/_stcore/%6detrics",
                                  "/x/../_stcore/metrics", "/./_stcore/metrics"])
def test_the_metrics_are_refused_through_the_proxy(dep, path):
    a = _get(dep, path)
    assert a.status in (403, 404), (path, a.status)
    upstreams = {up for _, up, _, _ in dep.logged(f"GET {path} HTTP/1.1")}
    assert upstreams == {"-"}, f"{path} reached an app process: {upstreams}"


def test_the_metrics_exist_on_the_app_process_itself(dep):
    # so the refusal above is nginx's doing: the administrator still reads them on the server
    b = dep.backends[0]
    with urllib.request.urlopen(f"{b.url}/_stcore/metrics", timeout=20) as r:
        assert r.status == 200
        assert b"active_sessions" in r.read()


# --- host names --------------------------------------------------------------------------------

def test_another_host_header_is_refused(dep):
    assert _get(dep, "/").status == 200
    for host in ("evil.example", f"evil.example:{dep.port}", "127.0.0.1", "localhost"):
        a = raw_request(dep.port, host=host, path="/", tls=dep.tls_context(), tls_name=NAME)
        assert a.status == 421, (host, a.status)
    a = websocket_handshake(dep.port, host="evil.example", origin="https://evil.example",
                            tls=dep.tls_context(), tls_name=NAME)
    assert a.status == 421


def test_another_tls_name_gets_no_handshake(dep):
    loose = ssl.create_default_context()
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    for sni in ("evil.example", None):  # another name, or none at all (bare IP address)
        with pytest.raises(ssl.SSLError, match=r"UNRECOGNIZED_NAME|unrecognized name"):
            raw_request(dep.port, host=NAME, tls=loose, tls_name=sni)


def test_plain_http_redirects_only_for_the_planners_name(dep):
    a = raw_request(dep.http_port, host=f"{NAME}:{dep.http_port}", path="/phuong-an")
    assert a.status == 301
    assert a.header("location") == f"https://{NAME}/phuong-an"
    for host in ("evil.example", "127.0.0.1"):
        assert raw_request(dep.http_port, host=host).status is None  # 444: closed, no answer


def test_the_certificate_is_verified_for_the_name(dep):
    # the tests' clients verify nginx's certificate against the one made for NAME at start:
    # a client trusting only the system's CAs refuses it, so TLS is really checked
    assert _get(dep, "/_stcore/health").status == 200
    with pytest.raises(ssl.SSLCertVerificationError):
        raw_request(dep.port, host=NAME, tls=ssl.create_default_context(), tls_name=NAME)


# --- the WebSocket -----------------------------------------------------------------------------

def test_the_websocket_is_upgraded_through_the_proxy(dep):
    a = websocket_handshake(dep.port, host=f"{NAME}:{dep.port}", origin=dep.url,
                            tls=dep.tls_context(), tls_name=NAME)
    assert a.status == 101
    assert a.header("upgrade").lower() == "websocket"
    assert a.header("sec-websocket-protocol") == "streamlit"

    websockets = pytest.importorskip("websockets")

    async def ping_pong() -> float:
        async with websockets.connect(f"wss://{NAME}:{dep.port}/_stcore/stream",
                                      host="127.0.0.1", port=dep.port, ssl=dep.tls_context(),
                                      server_hostname=NAME, origin=dep.url,
                                      subprotocols=["streamlit"]) as ws:
            assert ws.subprotocol == "streamlit"
            pong = await ws.ping()
            return await asyncio.wait_for(pong, 20)  # frames travel both ways through nginx

    with ThreadPoolExecutor(1) as pool:  # Playwright's loop may run in this thread
        latency = pool.submit(asyncio.run, ping_pong()).result(timeout=60)
    assert latency >= 0


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8501",
                                    "http://127.0.0.1:8501", "http://localhost",
                                    "https://planner.test", "http://planner.test:{port}",
                                    "https://planner.test:{port}.evil.example", "null"])
def test_a_websocket_from_any_other_origin_is_refused(dep, origin):
    origin = origin.format(port=dep.port)
    a = websocket_handshake(dep.port, host=f"{NAME}:{dep.port}", origin=origin,
                            tls=dep.tls_context(), tls_name=NAME)
    assert a.status == 403, (origin, a.status)


def test_streamlit_alone_would_accept_a_localhost_origin(dep):
    # why nginx checks the Origin: Streamlit 1.67 accepts any Origin on localhost/127.0.0.1,
    # whatever its port (a page of any other local program). If this ever fails, Streamlit
    # has tightened its check and docs/deployment.md's remark can go.
    b = dep.backends[0]
    a = websocket_handshake(b.port, host=NAME, origin="http://localhost:1234")
    assert a.status == 101
    # … while the Host allow-list (--server.allowedHosts) holds on the process itself
    assert websocket_handshake(b.port, host="evil.example", origin=None).status == 403


# --- one officer, one process ------------------------------------------------------------------

def _routes(answer) -> list[str]:
    return [c for c in answer.headers.get("set-cookie", []) if c.startswith("planner_route=")]


def test_each_officer_stays_on_one_process(dep):
    first = _get(dep, "/")
    assert len(_routes(first)) == 1, first.headers.get("set-cookie")
    m = re.fullmatch(r"planner_route=([0-9a-f]{32}); Path=/; Secure; HttpOnly; SameSite=Lax",
                     _routes(first)[0])
    assert m, _routes(first)
    route = m.group(1)
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/phuong-an"):
        again = _get(dep, path, {"Cookie": f"planner_route={route}"})
        assert again.status == 200
        assert _routes(again) == []  # kept, not replaced
    ws = websocket_handshake(dep.port, host=f"{NAME}:{dep.port}", origin=dep.url,
                             tls=dep.tls_context(), tls_name=NAME,
                             cookie=f"planner_route={route}")
    assert ws.status == 101
    dep.logged("GET /_stcore/stream HTTP/1.1", route=route)
    served = {up for r, up, _, _ in dep.served_by() if r == route}
    assert len(served) == 1 and served <= {b.address for b in dep.backends}, served


def test_officers_are_spread_over_both_processes(dep):
    for k in range(40):
        assert _get(dep, "/_stcore/health", {"Cookie": f"planner_route=spread-{k}"}).status \
            == 200
    dep.logged("GET /_stcore/health HTTP/1.1", route="spread-39")
    spread = Counter(up for r, up, _, _ in dep.served_by() if r.startswith("spread-"))
    assert set(spread) == {b.address for b in dep.backends}, spread
    assert min(spread.values()) >= 4, spread  # consistent hashing spreads them, not 39 to 1


# --- in a real browser ---------------------------------------------------------------------------

class Chromium:
    """A Chromium driven by Playwright's sync API on a thread of its own: a browser test that
    ran earlier in this process may have left Playwright's event loop running in the main
    thread, where a second sync_playwright() refuses to start. Every Playwright call of these
    tests goes through :meth:`run` to that one thread."""

    def __init__(self, path: str, args: list[str]) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="playwright")
        self._pw = self.browser = None

        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self.browser = self._pw.chromium.launch(executable_path=path, args=args)

        try:
            self._pool.submit(launch).result(timeout=180)
        except BaseException:
            self.close()
            raise

    def run(self, fn, *args):
        return self._pool.submit(fn, self.browser, *args).result(timeout=900)

    def close(self) -> None:
        def stop() -> None:
            try:
                if self.browser is not None:
                    self.browser.close()
            finally:
                if self._pw is not None:
                    self._pw.stop()

        try:
            self._pool.submit(stop).result(timeout=120)
        finally:
            self._pool.shutdown()


@pytest.fixture(scope="module")
def chromium(dep) -> Iterator[Chromium]:
    from browser.conftest import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found (/usr/bin/chromium); scripts/ensure-system-deps "
                    "installs Debian's chromium package")
    c = Chromium(path, CHROMIUM_ARGS + dep.chromium_args())
    try:
        yield c
    finally:
        c.close()


IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def _officer(browser, dep: Deployment, route: str | None):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                               ignore_https_errors=True)
    ctx.set_default_timeout(90_000)
    if route is not None:
        ctx.add_cookies([{"name": "planner_route", "value": route, "domain": NAME,
                          "path": "/", "secure": True, "httpOnly": True}])
    return ctx


def _idle(page) -> None:
    page.wait_for_function(IDLE, timeout=90_000, polling=100)
    page.wait_for_timeout(300)


def _nav(page, name: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=name).first.click()
    _idle(page)


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


@pytest.mark.browser
def test_a_foreign_page_cannot_frame_the_app(dep, chromium):
    chromium.run(_frame_check, dep)


def _frame_check(browser, dep: Deployment) -> None:
    ctx = _officer(browser, dep, None)
    try:
        page = ctx.new_page()
        direct = dep.backends[0].url
        page.set_content(f'<iframe id="proxied" src="{dep.url}/"></iframe>'
                         f'<iframe id="direct" src="{direct}/"></iframe>')
        page.wait_for_timeout(500)
        frames = {}
        for fid in ("proxied", "direct"):
            frame = page.locator(f"#{fid}").element_handle().content_frame()
            frame.wait_for_load_state("load", timeout=60_000)
            frames[fid] = frame
        # Chromium blocks the page served through nginx (X-Frame-Options / frame-ancestors) …
        assert frames["proxied"].url.startswith("chrome-error://"), frames["proxied"].url
        assert frames["proxied"].locator("#root").count() == 0
        # … while the same page without nginx's headers loads in the frame (control)
        assert frames["direct"].url.startswith(direct), frames["direct"].url
        assert frames["direct"].locator("#root").count() == 1
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_scenario_saved_through_one_process_is_reopened_through_the_other(dep, chromium):
    route_a, route_b = dep.route_to(0), dep.route_to(1)
    name = f"Kế hoạch 2027 – máy chủ 1 {uuid.uuid4().hex[:6]}"
    chromium.run(_save_on_one_reopen_on_the_other, dep, route_a, route_b, name)

    # every request of A went to the first process, every one of B to the second, the
    # WebSockets included (logged once closed)
    for route in (route_a, route_b):
        ws = dep.logged("GET /_stcore/stream HTTP/1.1", route=route)
        assert ws and {st for _, _, st, _ in ws} == {101}, ws
    log = dep.served_by()
    a_ups = {up for r, up, _, _ in log if r == route_a}
    b_ups = {up for r, up, _, _ in log if r == route_b}
    assert a_ups == {dep.backends[0].address}, a_ups
    assert b_ups == {dep.backends[1].address}, b_ups

    from planner.store import ScenarioStore

    store = ScenarioStore(dep.store_url)
    try:
        assert [i.name for i in store.list()].count(name) == 1
    finally:
        store.close()


def _save_on_one_reopen_on_the_other(browser, dep: Deployment, route_a: str, route_b: str,
                                     name: str) -> None:
    # officer A, on the first process: the sample plan (solved on arrival), saved
    ctx_a = _officer(browser, dep, route_a)
    try:
        page = ctx_a.new_page()
        page.goto(dep.url)
        page.get_by_role("heading", name="Thiếu hụt biên chế").wait_for()
        _idle(page)
        _nav(page, "Phương án")
        page.get_by_role("heading", name="Phương án tuyển dụng").wait_for()
        page.locator("[data-testid='stMetric']").first.wait_for()
        _idle(page)
        hires_a, cost_a = _metric(page, "Tuyển dụng"), _metric(page, "Kinh phí tuyển")
        _nav(page, "Phương án đã lưu")
        page.get_by_label("Tên phương án").fill(name)
        page.get_by_role("button", name="Lưu", exact=True).click()
        page.get_by_text(f"Đã lưu phương án «{name}»").wait_for()
    finally:
        ctx_a.close()

    # officer B, on the second process: the scenario is listed, reopened with its plan
    ctx_b = _officer(browser, dep, route_b)
    try:
        page = ctx_b.new_page()
        page.goto(dep.url)
        page.get_by_role("heading", name="Thiếu hụt biên chế").wait_for()
        _idle(page)
        _nav(page, "Phương án đã lưu")
        page.get_by_role("tab", name="Danh sách").click()
        _idle(page)
        picker = page.get_by_label("Chọn phương án")
        picker.click()
        page.get_by_role("option").filter(has_text=name).first.click()
        _idle(page)
        page.get_by_role("button", name="Mở lại").click()
        page.get_by_text(f"Đã mở lại phương án «{name}»: các tham số và kết quả đã lưu.") \
            .wait_for()
        page.locator("[data-testid='stMetric']").first.wait_for()
        _idle(page)
        assert (_metric(page, "Tuyển dụng"), _metric(page, "Kinh phí tuyển")) == \
            (hires_a, cost_a)
    finally:
        ctx_b.close()
