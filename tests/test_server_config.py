"""The hardened server settings: `.streamlit/config.toml` says them, Streamlit reads them from
the file, and a running server honours them (listening on loopback only, cross-site requests
refused, WebSocket from another origin or for another host name refused, no wildcard CORS
header). The deployment behind nginx is tested in tests/test_deployment_proxy.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"

EXPECTED = {
    ("server", "headless"): True,
    ("server", "address"): "127.0.0.1",
    ("server", "allowedHosts"): ["localhost", "127.0.0.1"],
    ("server", "maxUploadSize"): 50,
    ("server", "enableXsrfProtection"): True,
    ("server", "enableCORS"): True,
    ("client", "showErrorDetails"): "none",
    ("client", "toolbarMode"): "viewer",
    ("browser", "gatherUsageStats"): False,
}


def test_the_config_file_states_every_hardened_setting():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    for (section, key), value in EXPECTED.items():
        assert config[section][key] == value, f"{section}.{key}"
    assert config["theme"]["base"] == "light"


def test_the_upload_limit_is_not_below_the_planners_file_limit():
    from planner.domain.limits import Limits

    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert Limits().max_file_bytes <= config["server"]["maxUploadSize"] * 2**20


def test_streamlit_reads_the_settings_from_the_file():
    # A fresh interpreter in the project folder: Streamlit's own config loader, nothing else set
    keys = [f"{s}.{k}" for s, k in EXPECTED]
    code = ("import json; from streamlit import config; "
            f"print(json.dumps({{k: config.get_option(k) for k in {keys!r}}}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True, env=env).stdout
    read = json.loads(out.strip().splitlines()[-1])
    for (section, key), value in EXPECTED.items():
        assert read[f"{section}.{key}"] == value, f"{section}.{key}"


# --- a running server --------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _running(log_path: Path, env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` with only the project's config file, plus
    ``env_extra`` (STREAMLIT_* settings as an administrator would set them)."""
    port = _free_port()
    log = log_path.open("w")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                             "--server.port", str(port), "--server.fileWatcherType", "none"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**env, **(env_extra or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            assert proc.poll() is None, "the server exited before it was ready"
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start within 90 s"
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The project's config file alone (no overrides of the settings under test: not even
    the address it listens on)."""
    with _running(tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


def _request(url: str, method: str = "GET", headers: dict | None = None,
             data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


EVIL = "http://evil.example"


def test_an_upload_without_the_xsrf_token_is_refused(server):
    status, _, body = _request(f"{server}/_stcore/upload_file/session/file", "PUT",
                               {"Origin": EVIL}, b"payload")
    assert status == 403
    assert b"XSRF" in body


def test_the_server_sets_an_xsrf_cookie(server):
    _, headers, _ = _request(f"{server}/_stcore/health")
    assert "_streamlit_xsrf=" in headers.get("set-cookie", "")


def test_no_cross_origin_access_is_granted(server):
    for method, path in (("GET", "/_stcore/health"), ("OPTIONS", "/_stcore/upload_file/s/f")):
        _, headers, _ = _request(server + path, method, {"Origin": EVIL})
        assert headers.get("access-control-allow-origin") not in ("*", EVIL), path


def test_a_websocket_from_another_origin_is_refused(server):
    websockets = pytest.importorskip("websockets")
    ws_url = server.replace("http://", "ws://") + "/_stcore/stream"

    async def connect(origin: str) -> str:
        try:
            async with websockets.connect(ws_url, origin=origin, subprotocols=["streamlit"]):
                return "open"
        except websockets.InvalidStatus as exc:
            return str(exc.response.status_code)

    def attempt(origin: str) -> str:
        # in a thread of its own: a browser test earlier in the same process may have left
        # Playwright's event loop running in this one, where asyncio.run() refuses to start
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, connect(origin)).result(timeout=60)

    assert attempt(EVIL) == "403"
    assert attempt(server) == "open"  # the app's own page still connects


def _other_addresses() -> list[str]:
    """Addresses of this machine other than 127.0.0.1: another loopback address (always there
    on Linux: 127.0.0.0/8 is all loopback) and the machine's own network addresses."""
    found = {"127.0.0.2"}
    for family, _, _, _, sockaddr in socket.getaddrinfo(socket.gethostname(), None,
                                                        socket.AF_INET):
        if family == socket.AF_INET and not sockaddr[0].startswith("127."):
            found.add(sockaddr[0])
    return sorted(found)


def test_the_server_listens_on_loopback_only(server):
    # what the sidebar's "for local use" promises: nothing but this machine reaches it
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    for address in _other_addresses():
        with pytest.raises(ConnectionRefusedError), \
                socket.create_connection((address, port), timeout=5):
            pass
    # …which is Streamlit's doing, not the machine's: 127.0.0.2 reaches a server that listens
    # on every address
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        s.listen()
        with socket.create_connection(("127.0.0.2", s.getsockname()[1]), timeout=5):
            pass


def _handshake(port: int, host: str, origin: str) -> int:
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(request.encode())
        return int(s.recv(4096).split(b" ", 2)[1])


def test_a_websocket_for_another_host_name_is_refused(server):
    # DNS rebinding: evil.example resolved to this machine; the browser sends Host and Origin
    # evil.example, same-origin as far as the browser knows. server.allowedHosts refuses it.
    port = int(server.rsplit(":", 1)[1])

    assert _handshake(port, f"evil.example:{port}", f"http://evil.example:{port}") == 403
    assert _handshake(port, f"localhost:{port}", f"http://localhost:{port}") == 101
    assert _handshake(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") == 101


def test_the_documented_way_opens_it_to_the_named_host_only(tmp_path):
    # docs/deployment.md, "Opening the app to other machines", from the environment
    env = {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0",
           "STREAMLIT_SERVER_ALLOWED_HOSTS": "kehoach-lan.sonoivu.local localhost"}
    with _running(tmp_path / "streamlit.log", env) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.2", port), timeout=5):
            pass  # listening beyond 127.0.0.1 now
        name = "kehoach-lan.sonoivu.local"
        assert _handshake(port, f"{name}:{port}", f"http://{name}:{port}") == 101
        assert _handshake(port, f"localhost:{port}", f"http://localhost:{port}") == 101
        # the list replaced the file's: 127.0.0.1 is no longer named, evil.example never was
        assert _handshake(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") == 403
        assert _handshake(port, f"evil.example:{port}", f"http://evil.example:{port}") == 403


# --- the sidebar's "local use" -----------------------------------------------------------------

@pytest.mark.parametrize(("address", "hosts", "local"), [
    ("127.0.0.1", ["localhost", "127.0.0.1"], True),  # the project's config file
    ("localhost", ["localhost"], True),
    ("::1", ["::1", "[::1]"], True),
    (None, ["localhost", "127.0.0.1"], False),  # unset: Streamlit listens on every interface
    ("0.0.0.0", ["localhost", "127.0.0.1"], False),
    ("192.168.1.20", ["localhost"], False),
    ("127.0.0.1", [], False),  # any host name: a proxy may forward from anywhere
    ("127.0.0.1", ["localhost", "kehoach.sonoivu.example.gov.vn"], False),  # behind nginx
    ("127.0.0.1", ["*"], False),
])
def test_local_use_means_loopback_address_and_loopback_host_names(address, hosts, local):
    from planner.ui.auth import runs_locally

    assert runs_locally(address, hosts) is local


def test_the_sidebar_says_local_use_only_while_it_is_true():
    from app_helpers import APP
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from planner.i18n import t

    def sidebar() -> str:
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        assert not at.exception
        return "\n".join(str(e.value) for e in at.sidebar.caption)

    # as the project's config file says (pytest runs in the project folder, like the app)
    assert config.get_option("server.address") == "127.0.0.1"
    assert t("auth.local_mode", "vi") in sidebar()
    # behind nginx, as the systemd unit of docs/deployment.md starts it: not local any more
    before = config.get_option("server.allowedHosts")
    config.set_option("server.allowedHosts", ["kehoach.sonoivu.example.gov.vn"])
    try:
        text = sidebar()
    finally:
        config.set_option("server.allowedHosts", before)
    assert t("auth.open_mode", "vi") in text
    assert t("auth.local_mode", "vi") not in text
