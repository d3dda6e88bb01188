"""A private MariaDB server that the reliability tests may stop, restart and break.

The shared server on 127.0.0.1:3306 must stay up for every other suite, so the
tests that take the database away start their own `mariadbd` with its own data
directory, port and socket. It has an application user with a password, so that
the log scan can check that the password never reaches a log line.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pymysql

from tests.support import free_port

INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 60.0
APP_USER = "phonebook"


@dataclass
class PrivateMariaDB:
    """One `mariadbd` process on a loopback port, owned by the test session."""

    directory: Path
    port: int = field(default_factory=free_port)
    app_password: str = field(default_factory=lambda: "pw-" + secrets.token_hex(12))
    process: subprocess.Popen[bytes] | None = None

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def error_log(self) -> Path:
        return self.directory / "mariadbd.err"

    def install(self) -> None:
        """Create the system tables in a fresh data directory."""
        result = subprocess.run(
            [
                INSTALL_DB,
                "--no-defaults",
                f"--datadir={self.data_dir}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--user=root",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"mariadb-install-db failed with {result.returncode}:\n"
                + result.stdout[-2000:]
                + result.stderr[-2000:]
            )

    def start(self) -> None:
        """Start `mariadbd` and wait until it accepts a root login."""
        if self.is_running():
            return
        self.process = subprocess.Popen(
            [
                MARIADBD,
                "--no-defaults",
                f"--datadir={self.data_dir}",
                f"--port={self.port}",
                f"--socket={self.directory / 'mariadbd.sock'}",
                f"--pid-file={self.directory / 'mariadbd.pid'}",
                f"--log-error={self.error_log}",
                "--bind-address=127.0.0.1",
                "--user=root",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=128M",
                "--max-connections=500",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"mariadbd exited with {self.process.returncode}:\n"
                    + self.error_log.read_text(errors="replace")[-3000:]
                )
            try:
                self.root_connection().close()
                return
            except pymysql.MySQLError:
                time.sleep(0.1)
        raise RuntimeError(
            f"mariadbd did not accept logins in {START_TIMEOUT_SECONDS} s"
        )

    def stop(self) -> None:
        """Shut the server down cleanly with SIGTERM and wait for it to exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def root_connection(self, database: str | None = None) -> pymysql.Connection:
        return pymysql.connect(
            host="127.0.0.1",
            port=self.port,
            user="root",
            password="",
            database=database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=2,
        )

    def execute(
        self,
        statement: str,
        database: str | None = None,
        parameters: tuple[object, ...] = (),
    ) -> list[tuple]:
        """Run one statement as root and return its rows."""
        with self.root_connection(database) as connection, connection.cursor() as cur:
            cur.execute(statement, parameters or None)
            return list(cur.fetchall())

    def create_app_database(self, name: str) -> None:
        """Create database `name` and give the application user all rights on it."""
        self.execute(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
        self.execute(
            f"CREATE USER IF NOT EXISTS '{APP_USER}'@'%' "
            f"IDENTIFIED BY '{self.app_password}'"
        )
        self.execute(f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{APP_USER}'@'%'")

    def app_env(self, database: str) -> dict[str, str]:
        """Return the DB_* settings with which `phonebook api` reaches `database`."""
        return {
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(self.port),
            "DB_NAME": database,
            "DB_USER": APP_USER,
            "DB_PASSWORD": self.app_password,
        }

    def open_transactions(self, database: str) -> list[tuple]:
        """Return the InnoDB transactions of connections that use `database`."""
        return self.execute(
            "SELECT trx.trx_id, trx.trx_state, trx.trx_started, trx.trx_query "
            "FROM information_schema.innodb_trx AS trx "
            "JOIN information_schema.processlist AS p "
            "ON p.id = trx.trx_mysql_thread_id "
            "WHERE p.db = %s",
            parameters=(database,),
        )
