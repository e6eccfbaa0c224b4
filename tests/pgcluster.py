"""A throwaway PostgreSQL 15 cluster for the store tests: initdb + pg_ctl, Unix socket only."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
USER, PASSWORD = "cs", "s3cret-pw"


def missing_reason() -> str | None:
    """Why no cluster can be started here, or None."""
    if not (BIN / "initdb").exists():
        return f"PostgreSQL 15 is not installed ({BIN / 'initdb'} is missing)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the cluster as"
    return None


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.socket = root

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@/{database}?host={self.socket}"

    def new_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host=str(self.socket), user=USER, password=PASSWORD, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start(*, fsync: bool = False) -> Iterator[Cluster]:
    """Start a cluster (``fsync`` off by default: tests need no durability); stop it after."""
    root = Path(tempfile.mkdtemp(prefix="cs-pg-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    cluster = Cluster(root)
    run = dict(check=True, capture_output=True, text=True)
    subprocess.run(
        _as_owner(
            [
                str(BIN / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                USER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        ),
        **run,  # type: ignore[arg-type]
    )
    opts = f"-c listen_addresses='' -c unix_socket_directories={root}"
    if not fsync:
        opts += " -c fsync=off"
    subprocess.run(
        _as_owner(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-o",
                opts,
                "-w",
                "-l",
                str(root / "log"),
                "start",
            ]
        ),
        **run,  # type: ignore[arg-type]
    )
    try:
        yield cluster
    finally:
        subprocess.run(
            _as_owner([str(BIN / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
