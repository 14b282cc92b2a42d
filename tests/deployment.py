"""The tested deployment: app processes behind the repository's nginx configuration.

Used by tests/test_deployment_proxy.py and scripts/bench_load.py. :func:`start_deployment`
starts N real app processes (``streamlit run streamlit_app.py`` with the project's
``.streamlit/config.toml``: loopback only, plus ``--server.allowedHosts NAME`` as
docs/deployment.md's systemd unit does) sharing one scenario store, then nginx through
``scripts/start-nginx`` (deploy/nginx/planner.conf, a self-signed certificate for NAME made by
openssl). :meth:`Deployment.stop` stops every process it started. Clients reach
``https://NAME:PORT`` by connecting to 127.0.0.1 and sending NAME as TLS name and Host
(Chromium: ``--host-resolver-rules``); no system file is changed.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
START_NGINX = ROOT / "scripts" / "start-nginx"
NAME = "planner.test"


def nginx_binary() -> str | None:
    for candidate in ("/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def nginx_unavailable() -> str | None:
    """Why the deployment cannot be run here, or None when it can."""
    if nginx_binary() is None:
        return ("nginx is not installed; scripts/ensure-system-deps (run by `make test`) "
                "installs Debian's nginx package as root, or: apt-get install nginx")
    if shutil.which("openssl") is None:
        return "openssl is not installed (apt-get install openssl)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode} before it was "
                               f"ready:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the app did not answer {url}/_stcore/health in {timeout:.0f} s")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class Backend:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """As nginx's $upstream_addr names it."""
        return f"127.0.0.1:{self.port}"


@dataclass
class Deployment:
    url: str  # https://planner.test:PORT
    http_url: str  # http://planner.test:PORT (redirects)
    folder: Path
    backends: list[Backend]
    store_url: str
    nginx_dir: Path | None = None
    own_folder: bool = False  # made by start_deployment: removed by stop()
    _stopped: bool = field(default=False, repr=False)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    @property
    def http_port(self) -> int:
        return urlsplit(self.http_url).port

    @property
    def cafile(self) -> Path:
        return self.nginx_dir / "tls" / "cert.pem"

    @property
    def access_log(self) -> Path:
        return self.nginx_dir / "access.log"

    def tls_context(self) -> ssl.SSLContext:
        """Verifies nginx's certificate for NAME (self-signed, made at start)."""
        return ssl.create_default_context(cafile=str(self.cafile))

    def chromium_args(self) -> list[str]:
        return [f"--host-resolver-rules=MAP {NAME} 127.0.0.1"]

    def served_by(self) -> list[tuple[str, str, int, str]]:
        """The access log so far: (planner_route cookie, upstream address, status, request)."""
        rows = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            route, upstream, status, request = line.split(" ", 3)
            rows.append((route, upstream, int(status), request.strip('"')))
        return rows

    def logged(self, request: str, *, route: str | None = None,
               timeout: float = 10) -> list[tuple[str, str, int, str]]:
        """The access log's lines for this request line (and cookie), waiting for nginx to
        write them (it logs a request once it has finished answering it)."""
        deadline = time.monotonic() + timeout
        while True:
            rows = [r for r in self.served_by()
                    if r[3] == request and (route is None or r[0] == route)]
            if rows or time.monotonic() > deadline:
                return rows
            time.sleep(0.05)

    def route_to(self, backend_index: int, prefix: str = "officer") -> str:
        """A planner_route cookie value that nginx sends to that app process (found by
        asking: nginx's hash decides, the access log tells)."""
        want = self.backends[backend_index].address
        for k in range(200):
            route = f"{prefix}-{backend_index}-{k}"
            a = raw_request(self.port, host=f"{NAME}:{self.port}", path="/_stcore/health",
                            headers={"Cookie": f"planner_route={route}"},
                            tls=self.tls_context(), tls_name=NAME)
            if a.status != 200:
                raise RuntimeError(f"nginx answered {a.status} to /_stcore/health")
            served = [up for _, up, _, _ in
                      self.logged("GET /_stcore/health HTTP/1.1", route=route)]
            if served == [want]:
                return route
        raise RuntimeError(f"no cookie out of 200 reached {want}")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            if self.nginx_dir is not None:
                subprocess.run([str(START_NGINX), "--stop", str(self.nginx_dir)], check=False,
                               timeout=30)
        finally:
            for b in self.backends:
                _stop(b.proc)
            if self.own_folder:
                shutil.rmtree(self.folder, ignore_errors=True)


def start_backend(folder: Path, store_url: str, *, env: dict[str, str] | None = None) -> Backend:
    """One app process as docs/deployment.md's systemd unit runs it (loopback, allowed hosts)."""
    port = free_port()
    log = folder / f"app-{port}.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
           "--server.port", str(port), "--server.allowedHosts", NAME,
           "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**clean, "PLANNER_DATABASE_URL": store_url, **(env or {})})
    backend = Backend(port, proc, log)
    try:
        _wait_healthy(backend.url, proc, log)
    except BaseException:
        _stop(proc)
        raise
    return backend


def start_deployment(processes: int, store_url: str, folder: Path | None = None) -> Deployment:
    """``processes`` app processes sharing ``store_url`` behind nginx; stop() stops them all."""
    own = folder is None
    folder = Path(folder or tempfile.mkdtemp(prefix="planner-deploy-"))
    dep = Deployment(url="", http_url="", folder=folder, backends=[], store_url=store_url,
                     own_folder=own)
    try:
        for _ in range(processes):
            dep.backends.append(start_backend(folder, store_url))
        # under /tmp, not pytest's private tmp folder: nginx's workers (nobody) must reach it
        dep.nginx_dir = Path(tempfile.mkdtemp(prefix="planner-nginx-"))
        out = subprocess.run([str(START_NGINX), str(dep.nginx_dir), NAME,
                              *(str(b.port) for b in dep.backends)],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"scripts/start-nginx failed:\n{out.stderr}")
        dep.url, dep.http_url = out.stdout.split()
    except BaseException:
        dep.stop()
        raise
    return dep


# --- raw HTTP, to send exactly the Host, Origin and TLS name a test needs ------------------------

@dataclass(frozen=True)
class Answer:
    status: int | None  # None: the connection was closed without an answer
    headers: dict[str, list[str]]

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def raw_request(port: int, *, host: str, path: str = "/", headers: dict[str, str] | None = None,
                tls: ssl.SSLContext | None = None, tls_name: str | None = None,
                timeout: float = 20) -> Answer:
    """One HTTP/1.1 request to 127.0.0.1:port with exactly these headers; the answer's head."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}",
             *(f"{k}: {v}" for k, v in (headers or {}).items()), "", ""]
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock = tls.wrap_socket(raw, server_hostname=tls_name) if tls else raw
    try:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        data = b""
    finally:
        sock.close()
    if not data:
        return Answer(None, {})
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    found: dict[str, list[str]] = {}
    for line in head[1:]:
        k, _, v = line.partition(":")
        found.setdefault(k.strip().lower(), []).append(v.strip())
    return Answer(int(head[0].split()[1]), found)


def websocket_handshake(port: int, *, host: str, origin: str | None,
                        tls: ssl.SSLContext | None = None, tls_name: str | None = None,
                        cookie: str | None = None) -> Answer:
    """The opening handshake of Streamlit's WebSocket, as a browser sends it."""
    headers = {"Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Protocol": "streamlit"}
    if origin is not None:
        headers["Origin"] = origin
    if cookie is not None:
        headers["Cookie"] = cookie
    return raw_request(port, host=host, path="/_stcore/stream", headers=headers, tls=tls,
                       tls_name=tls_name)
