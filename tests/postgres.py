"""A throwaway PostgreSQL server for the tests, from Debian's `postgresql` package.

`postgres_server` (session fixture) runs initdb and pg_ctl in a temporary folder on a free
localhost port, as the `postgres` user when the tests run as root (initdb refuses root), and
stops and deletes it at the end. `nuovo_database(server)` creates an empty database and returns
its SQLAlchemy URL.

Without PostgreSQL binaries the tests that need it are skipped, with the reason, except in CI
(CI or CITTADELNOI_RICHIEDI_POSTGRES set) where they fail: `bash scripts/setup.sh --with-postgres`
installs them (scripts/test.sh does).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

_contatore = itertools.count(1)


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    utente: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.utente}@{self.host}:{self.port}/{database}"


def _bin_dir() -> Path | None:
    candidati = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidati:
        return Path(candidati[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _obbligatorio() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("CITTADELNOI_RICHIEDI_POSTGRES"))


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _bin_dir()
    if bindir is None:
        msg = "PostgreSQL non installato (initdb non trovato): `bash scripts/setup.sh --with-postgres` lo installa"
        if _obbligatorio():
            pytest.fail(msg + " — in CI è obbligatorio")
        pytest.skip(msg)
    come_postgres: list[str] = []
    if os.geteuid() == 0:
        try:
            utente = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("i test girano come root ma l'utente «postgres» non esiste: installare il pacchetto postgresql")
        come_postgres = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="cdn-pg-"))
    dati = base / "dati"
    if come_postgres:
        os.chown(base, utente.pw_uid, utente.pw_gid)
    port = _porta_libera()
    log = base / "server.log"

    def esegui(*cmd: str) -> None:
        r = subprocess.run([*come_postgres, *cmd], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            pytest.fail(
                f"{' '.join(cmd)} non riuscito ({r.returncode}):\n{r.stdout}\n{r.stderr}\n"
                + (log.read_text(errors="replace")[-3000:] if log.exists() else "")
            )

    esegui(
        str(bindir / "initdb"),
        "-D",
        str(dati),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    opzioni = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    esegui(str(bindir / "pg_ctl"), "-D", str(dati), "-o", opzioni, "-l", str(log), "-w", "-t", "60", "start")
    try:
        yield Server("127.0.0.1", port, "postgres")
    finally:
        subprocess.run(
            [*come_postgres, str(bindir / "pg_ctl"), "-D", str(dati), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def nuovo_database(server: Server) -> str:
    """Create an empty database on `server`; return its SQLAlchemy URL."""
    import sqlalchemy as sa

    nome = f"cdn_{os.getpid()}_{next(_contatore)}"
    eng = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {nome}")
    eng.dispose()
    return server.url(nome)
