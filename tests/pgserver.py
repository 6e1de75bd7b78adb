"""Start a throwaway real PostgreSQL server for the test suite.

The tests run against real PostgreSQL, not SQLite, so that SQL dialect,
constraints, transactions and restarts behave as in production. This module
uses only the standard library and the Debian ``postgresql`` server binaries:
it creates a fresh cluster in a temporary directory, listens on a free TCP
port on 127.0.0.1 with fsync disabled for speed, and removes everything again
on stop (or at interpreter exit). initdb refuses to run as root, so as root
the server runs as a dedicated system user (``pgtest``) via ``runuser``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pathlib
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from types import TracebackType
from typing import Self

PG_ROOT = pathlib.Path("/usr/lib/postgresql")
SYSTEM_USER = "pgtest"
HOST = "127.0.0.1"
CMD_TIMEOUT = 120  # seconds, for any single initdb/pg_ctl/createdb call
LOG_TAIL_LINES = 40


def _version_key(name: str) -> tuple[int, ...] | None:
    """Parse a version directory name like '15' or '9.6' into a sortable tuple."""
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return None


def _has_server(bin_dir: pathlib.Path) -> bool:
    """Whether bin_dir holds the server tools this module runs."""
    return all((bin_dir / tool).is_file() for tool in ("initdb", "pg_ctl"))


def find_pg_bin() -> pathlib.Path:
    """Return the bin dir of the newest installed PostgreSQL server (or $PG_BIN)."""
    override = os.environ.get("PG_BIN")
    if override:
        path = pathlib.Path(override)
        if not _has_server(path):
            raise RuntimeError(f"PG_BIN={override!r} has no initdb and pg_ctl")
        return path
    candidates = []
    if PG_ROOT.is_dir():
        for entry in PG_ROOT.iterdir():
            key = _version_key(entry.name)
            bin_dir = entry / "bin"
            if key is not None and _has_server(bin_dir):
                candidates.append((key, bin_dir))
    if not candidates:
        raise RuntimeError(
            f"no PostgreSQL server found under {PG_ROOT}/<version>/bin; install the "
            "Debian package 'postgresql' (apt-get install postgresql) or set PG_BIN "
            "to a bin dir containing initdb and pg_ctl"
        )
    return max(candidates)[1]


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    """Create the unprivileged system user the server runs as (root), if missing."""
    error = ""
    for attempt in range(5):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
        proc = subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                name,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=CMD_TIMEOUT,
        )
        # Non-zero may just mean a parallel worker created it or held the passwd lock.
        error = f"exit {proc.returncode}: {proc.stderr.strip()}"
        time.sleep(0.2 * (attempt + 1) if proc.returncode else 0)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        msg = f"could not create system user {name!r} with useradd ({error})"
        raise RuntimeError(msg) from None


def _free_port(host: str = HOST) -> int:
    """Ask the kernel for a currently free TCP port on host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A private PostgreSQL cluster in a temp dir, on 127.0.0.1:<free port>."""

    host = HOST

    def __init__(self, bin_dir: pathlib.Path | None = None) -> None:
        """Prepare (but do not start) a server using bin_dir or find_pg_bin()."""
        self.bin_dir = pathlib.Path(bin_dir) if bin_dir else find_pg_bin()
        self.as_root = os.geteuid() == 0
        self.user = SYSTEM_USER if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self.port: int | None = None
        self.basedir: pathlib.Path | None = None
        self.datadir: pathlib.Path | None = None
        self.sockdir: pathlib.Path | None = None
        self.logfile: pathlib.Path | None = None
        self._atexit_registered = False

    # -- helpers -----------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        """Environment for child processes, minus PG* variables that could misdirect."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        if self.basedir is not None:
            # root's HOME is not readable by the server user.
            env["HOME"] = str(self.basedir)
        return env

    def _run(
        self, *args: str | os.PathLike[str], check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run a bin-dir program as the server user, capturing output."""
        cmd = [str(self.bin_dir / str(args[0])), *map(str, args[1:])]
        if self.as_root:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=check,
            timeout=CMD_TIMEOUT,
            cwd=self.basedir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
        )

    def _server_options(self) -> str:
        """Build the -o string pg_ctl hands to postgres (through /bin/sh)."""
        return shlex.join(
            [
                "-p",
                str(self.port),
                "-h",
                self.host,
                "-k",
                str(self.sockdir),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=100",
            ]
        )

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """Return the last lines of the server log (empty if there is none)."""
        if self.logfile is None:
            return ""
        try:
            text = self.logfile.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _fail(self, what: str, exc: BaseException) -> RuntimeError:
        """Build a RuntimeError with the command output and the server log tail."""
        parts = [f"PostgreSQL {what} failed: {exc}"]
        for label in ("stdout", "stderr"):
            out = getattr(exc, label, None)
            if out:
                parts.append(f"--- {label} ---\n{out.strip() if isinstance(out, str) else out}")
        tail = self.log_tail()
        if tail:
            parts.append(f"--- server log ({self.logfile}) ---\n{tail}")
        return RuntimeError("\n".join(parts))

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        """Create a fresh cluster in a new temp dir and start it on a free port."""
        if self.datadir is not None:
            raise RuntimeError("server already started")
        owner = _ensure_system_user(self.user) if self.as_root else None
        # Under /tmp: world-traversable, and short (socket paths max ~107 bytes).
        self.basedir = pathlib.Path(tempfile.mkdtemp(prefix="pgtest-", dir="/tmp"))
        self.datadir = self.basedir / "data"
        self.sockdir = self.basedir / "sock"
        self.logfile = self.datadir / "log"
        self.sockdir.mkdir(mode=0o700)
        if owner is not None:
            for path in (self.basedir, self.sockdir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        self.port = _free_port()
        try:
            self._run(
                "initdb",
                "-A",
                "trust",
                "-U",
                self.user,
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
                "-D",
                self.datadir,
            )
            self._run(
                "pg_ctl",
                "-w",
                "-t",
                "30",
                "-D",
                self.datadir,
                "-l",
                self.logfile,
                "-o",
                self._server_options(),
                "start",
            )
        except (
            subprocess.CalledProcessError,
            subprocess.TimeoutExpired,
            OSError,
        ) as exc:
            error = self._fail("start", exc)
            self.stop()
            raise error from exc

    def restart(self, mode: str = "fast") -> None:
        """Restart with the same options and port; mode is smart, fast or immediate."""
        if self.datadir is None:
            raise RuntimeError("server not started")
        try:
            self._run(
                "pg_ctl",
                "-w",
                "-t",
                "30",
                "-D",
                self.datadir,
                "-l",
                self.logfile,
                "-m",
                mode,
                "-o",
                self._server_options(),
                "restart",
            )
        except (
            subprocess.CalledProcessError,
            subprocess.TimeoutExpired,
            OSError,
        ) as exc:
            raise self._fail("restart", exc) from exc

    def stop(self) -> None:
        """Stop the server (immediate mode) and delete its temp dir; idempotent."""
        if self.basedir is None:
            return
        datadir, basedir = self.datadir, self.basedir
        if datadir is not None and (datadir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.TimeoutExpired, OSError):
                self._run(
                    "pg_ctl",
                    "-D",
                    datadir,
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                    check=False,
                )
            self._kill_leftover(datadir)
        shutil.rmtree(basedir, ignore_errors=True)
        self.basedir = self.datadir = self.sockdir = self.logfile = None
        self.port = None
        if self._atexit_registered:
            atexit.unregister(self.stop)
            self._atexit_registered = False

    @staticmethod
    def _kill_leftover(datadir: pathlib.Path) -> None:
        """SIGKILL the postmaster if pg_ctl stop left it running (children follow)."""
        try:
            pid = int((datadir / "postmaster.pid").read_text().splitlines()[0])
            cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            return
        if b"postgres" in cmdline and str(datadir).encode() in cmdline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> Self:
        """Start the server and return it."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server and remove its files."""
        self.stop()

    # -- databases -------------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) for dbname on this server."""
        if self.port is None:
            raise RuntimeError("server not started")
        return (
            f"postgresql+psycopg://{urllib.parse.quote(self.user, safe='')}"
            f"@{self.host}:{self.port}/{urllib.parse.quote(dbname, safe='')}"
        )

    def create_database(self, name: str) -> str:
        """Create database name (via createdb over TCP) and return its URL."""
        if self.port is None:
            raise RuntimeError("server not started")
        try:
            self._run(
                "createdb",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "--",
                name,
            )
        except (
            subprocess.CalledProcessError,
            subprocess.TimeoutExpired,
            OSError,
        ) as exc:
            raise self._fail(f"createdb {name!r}", exc) from exc
        return self.url(name)
