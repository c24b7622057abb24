"""Backups of the register's database and their restore, checked before anything is replaced.

    python -m cittadelnoi.stores.backup salva [CARTELLA]     (scripts/backup.sh)
    python -m cittadelnoi.stores.backup ripristina FILE      (scripts/ripristina.sh)

The database is the app's (`url_configurato`: the one settings object, core.impostazioni).

- SQLite: `VACUUM INTO` a new file, one consistent read transaction while the app serves and
  officials edit (WAL); the copy is a plain (non-WAL) SQLite file `cittadelnoi-AAAAMMGG-HHMMSS.sqlite`.
- PostgreSQL: `pg_dump -Fc` (one snapshot) to `cittadelnoi-AAAAMMGG-HHMMSS.dump`, with Debian's
  binaries (`bin_postgres`, found as tests/postgres.py finds initdb).

Every copy gets `FILE.sha256` (the format of `sha256sum`, so `sha256sum -c` checks it too). A
restore checks, before it changes anything: the checksum, the file's kind (SQLite file for an
SQLite installation, pg_dump archive for PostgreSQL), `PRAGMA integrity_check` (SQLite) or the
archive's table of contents (PostgreSQL), and a schema version this code knows (`alembic_version`).
A refusal raises `CopiaNonValida` (Italian, names the file): nothing was changed. An SQLite restore
refuses while the app holds the file open, and keeps the replaced file next to it
(`NOME.prima-del-ripristino-AAAAMMGG-HHMMSS`); a PostgreSQL restore empties schema `public` and
restores the dump in one transaction (stores.ripristino_postgres).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from cittadelnoi.core import paths
from cittadelnoi.stores.engine import url_predefinito, versioni_codice
from cittadelnoi.stores.errori_db import causa_db

CARTELLA_PREDEFINITA = paths.ROOT / "var" / "copie"


class CopiaNonValida(Exception):
    """A backup refused (wrong, damaged or unknown file, target in use): nothing was changed."""


@dataclass(frozen=True)
class Esito:
    """What a backup or a restore did: the file, the database (no password), schema version, points,
    and further facts to tell (Italian: the replaced file kept aside, its mode and owner)."""

    file: Path
    database: str
    versione: str
    punti: int
    note: tuple[str, ...] = ()

    def messaggio(self, verbo: str) -> str:
        testa = (
            f"copia di {self.database} salvata in {self.file}"
            if verbo == "salva"
            else f"ripristinato {self.database} da {self.file}"
        )
        return "; ".join([f"{testa}, versione schema {self.versione}, {self.punti} punti", *self.note])


def url_configurato() -> str:
    """The database the app uses: the settings' `db_url`, else the `url` of [connections.sql] in the
    secrets, else the embedded SQLite file (as cittadelnoi.ui.archivio.url_database)."""
    from cittadelnoi.core.impostazioni import impostazioni

    imp = impostazioni()
    return imp.db_url or imp.url_connessione_sql or url_predefinito()


def cartella_postgres() -> Path | None:
    """The newest Debian PostgreSQL's bin folder (/usr/lib/postgresql/N/bin, as scripts/setup.sh
    --with-postgres installs it), else the folder of `initdb` on PATH, else None."""
    trovati = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if trovati:
        return Path(trovati[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def bin_postgres(nome: str) -> str:
    """PostgreSQL's program `nome` from `cartella_postgres()`, else `nome` on PATH."""
    cartella = cartella_postgres()
    if cartella is not None and (cartella / nome).exists():
        return str(cartella / nome)
    sul_path = shutil.which(nome)
    if sul_path is None:
        raise CopiaNonValida(f"{nome} non trovato: installare PostgreSQL (bash scripts/setup.sh --with-postgres)")
    return sul_path


def sha256(file: Path) -> str:
    h = hashlib.sha256()
    with file.open("rb") as f:
        for blocco in iter(lambda: f.read(1 << 20), b""):
            h.update(blocco)
    return h.hexdigest()


def _adesso() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _percorso_sqlite(url: URL) -> Path:
    database = url.database or ""
    uri = str(url.query.get("uri", "")).lower() in ("1", "true", "yes", "on")
    return Path(database.removeprefix("file:").split("?")[0] if uri else database)


def _uri_ro(file: Path) -> str:
    """A read-only SQLite URI for `file` (any character of its path quoted)."""
    return f"{Path(file).resolve().as_uri()}?mode=ro"


def _sola_lettura(file: Path) -> sa.Engine:
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(_uri_ro(file), uri=True))


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """(a libpq connection URI without the password, the environment carrying it)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _conta(engine: sa.Engine) -> tuple[str, int]:
    from cittadelnoi.stores.engine import versione_schema

    with engine.connect() as conn:
        versione = versione_schema(conn) or "nessuna"
        punti = conn.execute(sa.text("SELECT count(*) FROM punti")).scalar_one()
    return versione, int(punti)


def _esegui(comando: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(comando, env=env, capture_output=True, text=True, check=False)


# --- backup ---------------------------------------------------------------------------------------


def salva(url: str, cartella: Path) -> Esito:
    """Back up the database at `url` into `cartella` (created once the database is found readable);
    returns what was written. Raises CopiaNonValida (Italian, names the file) on a missing, damaged
    or unreachable database or a folder that cannot be written: then no file (not even a partial
    one) and no new empty folder is left. Two backups in the same second get `-2`, `-3`… ."""
    u = make_url(url)
    cartella = Path(cartella)
    if u.get_backend_name() == "sqlite":
        sorgente = _percorso_sqlite(u)
        _leggibile_sqlite(sorgente)
        database, estensione = str(sorgente), "sqlite"
    else:
        database, estensione = u.render_as_string(hide_password=True), "dump"
        _raggiungibile(url, database)
    nuova = not cartella.exists()
    try:
        cartella.mkdir(parents=True, exist_ok=True)
        fd, nome = tempfile.mkstemp(dir=cartella, prefix="cittadelnoi-", suffix=f".{estensione}.parziale")
        os.close(fd)
    except OSError as exc:
        raise CopiaNonValida(f"la cartella {cartella} non si può usare per le copie: {_perche(exc)}") from None
    temporaneo = Path(nome)
    file: Path | None = None
    try:
        if estensione == "sqlite":
            _vacuum_into(Path(database), temporaneo)
            _integrita_sqlite(temporaneo, f"la copia di {database}")
        else:
            libpq, env = _libpq(u)
            r = _esegui([bin_postgres("pg_dump"), "-Fc", "--no-owner", "-f", str(temporaneo), "-d", libpq], env)
            if r.returncode != 0:
                raise CopiaNonValida(f"pg_dump di {database} non riuscito: {r.stderr.strip()}")
        somma = sha256(temporaneo)
        file = _pubblica(temporaneo, cartella, estensione)
        (cartella / f"{file.name}.sha256").write_text(f"{somma}  {file.name}\n", encoding="utf-8")
    except OSError as exc:
        if file is not None:
            file.unlink(missing_ok=True)
        raise CopiaNonValida(f"copia di {database} in {cartella} non riuscita: {_perche(exc)}") from None
    finally:
        temporaneo.unlink(missing_ok=True)
        if nuova and file is None:
            with contextlib.suppress(OSError):  # the folder this call made, if still empty
                cartella.rmdir()
    engine = _sola_lettura(file) if estensione == "sqlite" else sa.create_engine(url)
    try:
        versione, punti = _conta(engine)
    finally:
        engine.dispose()
    return Esito(file, database, versione, punti)


def _perche(exc: OSError) -> str:
    """An OSError in Italian-led words: its reason and the file it names."""
    dove = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{dove}"


def _leggibile_sqlite(sorgente: Path) -> None:
    """The live SQLite file exists and is a database (its catalogue can be read), else CopiaNonValida."""
    if sorgente.is_dir():
        raise CopiaNonValida(f"il database {sorgente} è una cartella, non un file SQLite: nulla da copiare")
    if not sorgente.is_file():
        raise CopiaNonValida(f"il database {sorgente} non esiste: nulla da copiare")
    try:
        con = sqlite3.connect(_uri_ro(sorgente), uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise CopiaNonValida(
            f"il database {sorgente} non è un database SQLite leggibile ({exc}): nessuna copia"
        ) from None


def _raggiungibile(url: str, database: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        raise CopiaNonValida(f"il database {database} non è raggiungibile: {causa_db(exc)[0]}") from None
    finally:
        engine.dispose()


def _vacuum_into(sorgente: Path, temporaneo: Path) -> None:
    """VACUUM INTO the empty file `temporaneo`, with an ordinary connection (it reads a live WAL
    database like the app does; VACUUM INTO only reads)."""
    try:
        con = sqlite3.connect(sorgente, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=15000")
            con.execute("VACUUM INTO ?", (str(temporaneo),))
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise CopiaNonValida(f"copia di {sorgente} non riuscita ({exc}): nessuna copia scritta") from None


def _pubblica(temporaneo: Path, cartella: Path, estensione: str) -> Path:
    """Give the finished copy its name, `cittadelnoi-AAAAMMGG-HHMMSS[-N].EST`, never replacing a file
    (the name is taken with O_EXCL first, even against a backup running at the same time)."""
    base = f"cittadelnoi-{_adesso()}"
    for n in range(1, 1000):
        file = cartella / (f"{base}.{estensione}" if n == 1 else f"{base}-{n}.{estensione}")
        try:
            os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            continue
        os.replace(temporaneo, file)
        return file
    raise CopiaNonValida(f"troppe copie in {cartella} nello stesso secondo")


# --- checks -------------------------------------------------------------------------------------


def _controlla_somma(file: Path) -> None:
    somma = file.with_name(file.name + ".sha256")
    if not somma.is_file():
        raise CopiaNonValida(f"manca {somma.name} accanto a {file}: senza somma di controllo la copia non si usa")
    attesa = somma.read_text(encoding="utf-8").split()
    if not attesa or attesa[0].lower() != sha256(file):
        raise CopiaNonValida(
            f"{file} è danneggiato o non è la copia indicata: la somma SHA-256 non corrisponde a {somma.name}"
        )


def _controlla_versione(file: Path, versione: str | None) -> str:
    note = versioni_codice()
    if versione is None:
        raise CopiaNonValida(f"{file} non contiene la versione dello schema (tabella alembic_version)")
    if versione not in note:
        raise CopiaNonValida(
            f"{file} ha la versione di schema {versione}, più recente di questo programma (che conosce "
            f"fino alla {note[-1]}): ripristinarla con il programma che l'ha scritta"
        )
    return versione


def _controlla_sqlite(file: Path, nome: str | None = None) -> str:
    """integrity_check and a known schema version of an SQLite file; returns the version."""
    return _controlla_versione(file, _integrita_sqlite(file, nome))


def _integrita_sqlite(file: Path, nome: str | None = None) -> str | None:
    """integrity_check of an SQLite file opened read-only; returns its schema version (None: none)."""
    nome = nome or str(file)
    try:
        con = sqlite3.connect(_uri_ro(file), uri=True)
        try:
            esito = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            tabelle = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            versione = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tabelle
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise CopiaNonValida(f"{nome} non è un database SQLite leggibile o è danneggiato ({exc})") from None
    if esito != ["ok"]:
        raise CopiaNonValida(f"{nome} è danneggiato: PRAGMA integrity_check dice «{'; '.join(esito[:3])}»")
    return str(versione[0]) if versione else None


def _versione_dump(file: Path) -> str:
    """Schema version of a pg_dump archive, read with pg_restore (its table of contents, then the
    data of alembic_version as SQL); refuses a file pg_restore cannot read."""
    elenco = _esegui([bin_postgres("pg_restore"), "--list", str(file)])
    if elenco.returncode != 0:
        raise CopiaNonValida(f"{file} non è un archivio pg_dump leggibile ({elenco.stderr.strip()})")
    dati = _esegui([bin_postgres("pg_restore"), "--data-only", "--table=alembic_version", "-f", "-", str(file)])
    trovata = re.search(r"COPY [^\n]*alembic_version[^\n]*FROM stdin;\n([^\n\\]+)\n", dati.stdout)
    return _controlla_versione(file, trovata.group(1).strip() if trovata else None)


# --- restore ------------------------------------------------------------------------------------


def ripristina(url: str, file: Path) -> Esito:
    """Restore backup `file` into the database at `url` after checking it (see the module)."""
    file = Path(file)
    if file.is_dir():
        raise CopiaNonValida(f"{file} è una cartella, non una copia: indicare il file cittadelnoi-….sqlite o .dump")
    if not file.is_file():
        raise CopiaNonValida(f"{file} non esiste")
    u = make_url(url)
    sqlite_atteso = u.get_backend_name() == "sqlite"
    with file.open("rb") as f:
        e_sqlite = f.read(16) == b"SQLite format 3\x00"
    if e_sqlite and not sqlite_atteso:
        raise CopiaNonValida(f"{file} è una copia SQLite, ma l'installazione usa PostgreSQL: nulla è stato cambiato")
    if sqlite_atteso and not e_sqlite:
        raise CopiaNonValida(f"{file} non è un database SQLite, ma l'installazione usa SQLite: nulla è stato cambiato")
    _controlla_somma(file)
    if sqlite_atteso:
        from cittadelnoi.stores.ripristino_sqlite import ripristina_sqlite

        _controlla_sqlite(file)
        return ripristina_sqlite(_percorso_sqlite(u), file)
    _versione_dump(file)
    from cittadelnoi.stores.ripristino_postgres import ripristina_postgres

    ripristina_postgres(u, file)
    engine = sa.create_engine(url)
    try:
        versione, punti = _conta(engine)
    finally:
        engine.dispose()
    return Esito(file, u.render_as_string(hide_password=True), versione, punti)


# --- command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m cittadelnoi.stores.backup", description=__doc__.split("\n")[0])
    sotto = p.add_subparsers(dest="comando", required=True)
    s = sotto.add_parser("salva", help="copia di sicurezza del database dell'app")
    s.add_argument("cartella", nargs="?", type=Path, default=CARTELLA_PREDEFINITA)
    r = sotto.add_parser("ripristina", help="ripristina una copia (app ferma)")
    r.add_argument("file", type=Path)
    a = p.parse_args(argv)
    try:
        if a.comando == "salva":
            print(salva(url_configurato(), a.cartella).messaggio("salva"))
        else:
            print(ripristina(url_configurato(), a.file).messaggio("ripristina"))
    except CopiaNonValida as exc:
        print(f"rifiutato: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
