"""A throwaway PostgreSQL server owned by the test run (the hub's database engine).

``PgServer.start()`` finds ``initdb``/``pg_ctl`` under ``/usr/lib/postgresql/*/bin`` (the
Debian ``postgresql`` package), creates a cluster in a fresh temporary folder, and starts it on
127.0.0.1 on a free port plus a private socket folder, with durability off (fsync,
synchronous_commit, full_page_writes) because nothing here must survive a crash. ``initdb``
refuses to run as root, so as root every server command runs as the ``postgres`` user through
``runuser``, on a folder that user owns and can reach. ``stop()`` shuts it down and deletes it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"
INSTALL_HINT = ("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; "
                "install the Debian package 'postgresql' (apt-get install postgresql) or run "
                "the tests with `python3 main.py test` as root, which installs it")


class PgUnavailable(Exception):
    """PostgreSQL cannot be started here; ``str()`` says why (used as the skip reason)."""


def find_bin_dir() -> Path:
    """The newest PostgreSQL bin folder that has both initdb and pg_ctl."""
    candidates = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
                  if Path(p).with_name("pg_ctl").exists()]
    if not candidates:
        raise PgUnavailable(INSTALL_HINT)

    def major(path: Path) -> float:
        try:
            return float(path.parent.name)
        except ValueError:
            return 0.0

    return max(candidates, key=major)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """One running cluster; ``url(dbname)`` gives a SQLAlchemy URL for psycopg 3."""

    bin_dir: Path
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pse-desk-pg-")))
    port: int = 0
    as_postgres: bool = field(default_factory=lambda: os.geteuid() == 0)

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    @property
    def log_file(self) -> Path:
        return self.base / "server.log"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, args: Sequence[str], timeout: float = 60) -> None:
        cmd = [str(a) for a in args]
        if self.as_postgres:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                check=False)
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            raise PgUnavailable(f"{Path(args[0]).name} failed ({result.returncode}): "
                                f"{result.stderr.strip() or result.stdout.strip()}\n{log[-2000:]}")

    def _prepare_folders(self) -> None:
        self.data_dir.mkdir()
        self.socket_dir.mkdir()
        self.log_file.touch()
        if self.as_postgres:
            try:
                user = pwd.getpwnam(SUPERUSER)
            except KeyError as exc:
                raise PgUnavailable("running as root but there is no 'postgres' user; "
                                    "install the Debian package 'postgresql'") from exc
            # mkdtemp makes the folder 0700 root: postgres must be able to pass through it
            self.base.chmod(0o755)
            for path in (self.data_dir, self.socket_dir, self.log_file):
                os.chown(path, user.pw_uid, user.pw_gid)
        self.data_dir.chmod(0o700)

    def start(self) -> PgServer:
        self._prepare_folders()
        self._run([self.bin_dir / "initdb", "-D", self.data_dir, "-U", SUPERUSER,
                   "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], timeout=120)
        # the superuser is trusted over loopback (the test run administers the hub with it);
        # every other user must give its password, as a newsroom's desks do
        hba = self.data_dir / "pg_hba.conf"
        rules = ("local all all trust\n"
                 f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
                 "host all all 127.0.0.1/32 scram-sha-256\n")
        hba.write_text(rules)  # root may write in postgres's folder; the file stays its own
        last_error: PgUnavailable | None = None
        for _attempt in range(3):  # the free port may be taken between probe and start
            self.port = free_port()
            options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                       f"-k {self.socket_dir} -c fsync=off -c synchronous_commit=off "
                       "-c full_page_writes=off")
            try:
                self._run([self.bin_dir / "pg_ctl", "-D", self.data_dir, "-l", self.log_file,
                           "-w", "-t", "30", "-o", options, "start"])
                return self
            except PgUnavailable as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    def kill(self) -> None:
        """Stop the server at once, as a crash would (its data stays for ``restart``)."""
        self._run([self.bin_dir / "pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w",
                   "stop"])

    def restart(self) -> None:
        """Start a killed server again on the same port, with the same data."""
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run([self.bin_dir / "pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-w",
                   "-t", "30", "-o", options, "start"])

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_login(self, name: str, password: str, *, member_of: str = "") -> None:
        """A login user (cluster-wide; made once) with this password, in a hub role."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as con:
            exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            con.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)))
            if member_of:
                con.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(member_of),
                                                              sql.Identifier(name)))

    def terminate(self, application_name: str = "pse-desk") -> int:
        """Cut every connection of that application (a dead network, from the hub's side)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as con:
            rows = con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = %s", (application_name,)).fetchall()
        return len(rows)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as con:
            con.execute(sql.encode())

    def stop(self) -> None:
        try:
            if self.data_dir.joinpath("postmaster.pid").exists():
                self._run([self.bin_dir / "pg_ctl", "-D", self.data_dir, "-m", "immediate",
                           "-w", "stop"])
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start_server() -> PgServer:
    """Start a server, or raise ``PgUnavailable`` with the reason (and clean up)."""
    server = PgServer(find_bin_dir())
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise
