"""Real servers for the tests that need them: gunicorn with several workers, a browser-able URL."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn: its base URL and its access log (one line per request)."""

    url: str
    access_log: Path
    process: subprocess.Popen

    def log_lines(self) -> list[str]:
        """The access log so far."""
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []


# What gunicorn's log says when a worker died under a request: a crash (SIGSEGV from a
# runaway recursion, SIGABRT), a request that hung past the timeout, or a worker that
# exited on its own. Any of these fails the test that served the request, even when the
# data was saved: the person got a dropped connection.
WORKER_CRASH = re.compile(
    r"was sent SIG(?!TERM)|WORKER TIMEOUT|Worker \(pid:\d+\) exited with code"
)
DELIBERATE_KILL = re.compile(r"was sent SIGKILL")


class WorkerCrashed(AssertionError):
    """A gunicorn worker died while the tests used the server."""


def crashes(log: str, *, kills_expected: bool = False) -> list[str]:
    """The lines of a gunicorn error log that tell of a worker dying."""
    return [
        line
        for line in log.splitlines()
        if WORKER_CRASH.search(line) and not (kills_expected and DELIBERATE_KILL.search(line))
    ]


@contextlib.contextmanager
def gunicorn(
    database_url: str,
    tmp_path: Path,
    *,
    workers: int = 2,
    kills_expected: bool = False,
    environment: dict[str, str] | None = None,
    tls: LoopbackCertificate | None = None,
) -> Iterator[Server]:
    """Serve the app with gunicorn on a free loopback port; stopped afterwards. With
    `tls`, over HTTPS with that certificate.

    Raises WorkerCrashed when a worker crashed or timed out meanwhile (a test that kills
    one on purpose says `kills_expected=True`, which allows SIGKILL only).
    """
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret",
        "PYTHONPATH": str(ROOT),
        # The tests' own small scenarios, as the in-process apps use.
        "SCENARIOS_DIR": str(ROOT / "tests" / "data" / "scenarios"),
        **(environment or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(p)s %(m)s %(U)s %(s)s",
        "--log-level",
        "warning",
        "app:create_app()",
    ]
    if tls is not None:
        command[-1:-1] = ["--certfile", str(tls.cert), "--keyfile", str(tls.key)]
    error_log = tmp_path / "gunicorn.log"
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    context = tls.client_context() if tls else None
    with error_log.open("w") as errors:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=errors)
    try:
        _wait_until_up(url, process, error_log, context=context)
        _wait_for_workers(port, access_log, workers, context=context)
        yield Server(url=url, access_log=access_log, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    died = crashes(error_log.read_text(errors="replace"), kills_expected=kills_expected)
    if died:
        raise WorkerCrashed("a gunicorn worker died:\n" + "\n".join(died))


def _wait_until_up(
    url: str,
    process: subprocess.Popen,
    log: Path,
    timeout: float = 30,
    *,
    context: ssl.SSLContext | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(  # noqa: S310
                url + "/healthz", timeout=2, context=context
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer within 30 s")


def _wait_for_workers(
    port: int,
    access_log: Path,
    workers: int,
    timeout: float = 30,
    *,
    context: ssl.SSLContext | None = None,
) -> None:
    """Wait until every worker has answered once (gunicorn boots them one by one).

    A connection that sends half a request keeps one sync worker busy, so the next
    request must be answered by another one.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = access_log.read_text().splitlines() if access_log.exists() else []
        if len({line.split()[0] for line in lines}) >= workers:
            return
        with contextlib.ExitStack() as stack:
            blocker = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
            if context is not None:
                blocker = stack.enter_context(
                    context.wrap_socket(blocker, server_hostname="127.0.0.1")
                )
            blocker.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.05)
            scheme = "https" if context is not None else "http"
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(  # noqa: S310
                    f"{scheme}://127.0.0.1:{port}/healthz", timeout=2, context=context
                ),
            ):
                pass
            blocker.sendall(b"\r\n")
            blocker.recv(1024)
    raise RuntimeError(f"not all {workers} gunicorn workers answered within {timeout} s")


@dataclass
class LoopbackCertificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made for one test run."""

    cert: Path
    key: Path

    def client_context(self) -> ssl.SSLContext:
        """An SSL context that trusts this certificate only."""
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed_certificate(directory: Path) -> LoopbackCertificate:
    """Make a throwaway key and certificate (valid one day) for the loopback names."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls-cert.pem", directory / "tls-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return LoopbackCertificate(cert=cert_path, key=key_path)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browserless:
    """A tiny HTTP client with cookies, for talking to a real server like a browser would."""

    def __init__(self, base_url: str, *, timeout: float = 30) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """GET (or POST when `data` is given) a path; returns status and body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, path: str = "/login") -> str:
        """The CSRF token of a page's form."""
        _status, page = self.request(path)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def submit(self, path: str, data: dict) -> tuple[int, str]:
        """POST a form to the page it lives on, with that page's CSRF token."""
        return self.request(path, {"csrf_token": self.csrf_token(path), **data})
