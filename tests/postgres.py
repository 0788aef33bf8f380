"""A throwaway PostgreSQL cluster for the test run (initdb + pg_ctl in a temporary folder)."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PostgresBinaries:
    initdb: str
    pg_ctl: str


def find_postgres_binaries() -> PostgresBinaries | None:
    candidates = [os.path.dirname(p) for p in (shutil.which("initdb"), shutil.which("pg_ctl")) if p]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        initdb, pg_ctl = Path(folder, "initdb"), Path(folder, "pg_ctl")
        if initdb.exists() and pg_ctl.exists():
            return PostgresBinaries(str(initdb), str(pg_ctl))
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """initdb refuses to run as root, so as root the cluster runs as the `postgres` user."""

    def __init__(self, binaries: PostgresBinaries, _workdir: Path) -> None:
        self.binaries = binaries
        # Not under pytest's 0700 temp root: the postgres user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="coop-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as error:
                raise RuntimeError("running as root needs a 'postgres' user to own the cluster") from error
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=120)

    def _options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"

    def start(self) -> None:
        self._run(
            self.binaries.initdb,
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        self.resume()

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, self.binaries.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server, keeping its data (for fault tests)."""
        self._run(self.binaries.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._run(
            self.binaries.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            self._options(),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "start",
        )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"
