"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl on a temporary folder, on a free port.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (Debian's
package creates it). Where no PostgreSQL is installed the PostgreSQL half of the suite is skipped,
and pytest says so.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.browser_support import free_port


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb") and shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(shutil.which("pg_ctl"))).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Server:
    """One running cluster; ``clone`` hands each test a database of its own made from a template."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="dpf-pg-"))
        self.port = free_port()
        self.names = itertools.count()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        self._run([str(self.bin / "initdb"), "-D", str(data), "-U", "dpf", "-A", "trust", "-E", "UTF8", "--no-locale"])
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            [str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]
        )

    def _run(self, command: list[str]) -> None:
        subprocess.run(_as_server_user(command), check=True, capture_output=True, cwd=self.dir)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://dpf@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=dpf dbname=postgres", autocommit=True) as conn:
            conn.execute(statement)

    def create(self, name: str, template: str | None = None) -> str:
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def clone(self, template: str) -> str:
        return self.create(f"t{next(self.names)}", template)

    def drop(self, url: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)
