"""The SQLite restore of stores.backup: the target file freed (no process holds it, its WAL folded
in) and kept aside as `NOME.prima-del-ripristino-AAAAMMGG-HHMMSS`, the checked copy written next to
it and renamed over it, with the replaced file's mode and owner."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from cittadelnoi.stores.backup import CopiaNonValida, Esito, _adesso, _conta, _controlla_sqlite, _sola_lettura


def _libera(destinazione: Path) -> Path | None:
    """Make sure no process uses the SQLite file `destinazione` and fold its WAL into it (journal
    mode DELETE needs the only connection); keep it aside; None when there is none."""
    if not destinazione.exists():
        return None
    con = sqlite3.connect(destinazione, isolation_level=None, timeout=1)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        modo = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower()
    except sqlite3.OperationalError as exc:
        modo = "locked" if "locked" in str(exc) else "illeggibile"  # a damaged file is replaced, kept aside
    except sqlite3.DatabaseError:
        modo = "illeggibile"
    finally:
        con.close()
    if modo not in ("delete", "illeggibile"):
        raise CopiaNonValida(
            f"{destinazione} è in uso (l'app è avviata?): fermarla prima del ripristino; nulla è stato cambiato"
        )
    accanto = destinazione.with_name(f"{destinazione.name}.prima-del-ripristino-{_adesso()}")
    shutil.copy2(destinazione, accanto)
    for coda in ("-wal", "-shm", "-journal"):  # left by a damaged file: never applied to the restored one
        resto = destinazione.with_name(destinazione.name + coda)
        if resto.exists():
            os.replace(resto, accanto.with_name(accanto.name + coda))
    return accanto


def _come_il_sostituito(temporaneo: Path, destinazione: Path) -> str:
    """Give the restored file (mkstemp: 0600, the restorer's) the replaced file's mode and owner (the
    owner when permitted: root), or, for a new installation, the umask's mode; says what it did."""
    if not destinazione.exists():
        maschera = os.umask(0o022)
        os.umask(maschera)
        os.chmod(temporaneo, 0o666 & ~maschera)
        return f"nuovo file con permessi {0o666 & ~maschera:04o}"
    shutil.copymode(destinazione, temporaneo)
    st = destinazione.stat()
    modo = f"permessi {st.st_mode & 0o7777:04o}"
    if (st.st_uid, st.st_gid) == (os.getuid(), os.getgid()):
        return f"{modo} e proprietario del file sostituito"
    try:
        os.chown(temporaneo, st.st_uid, st.st_gid)
    except PermissionError:
        return (
            f"{modo} del file sostituito; proprietario non cambiato (uid {st.st_uid} serve root): "
            "l'utente del servizio deve poter leggere e scrivere il file"
        )
    return f"{modo} e proprietario (uid {st.st_uid}, gid {st.st_gid}) del file sostituito"


def ripristina_sqlite(destinazione: Path, file: Path) -> Esito:
    """Replace the SQLite file `destinazione` with the backup `file` (checked by stores.backup)."""
    destinazione.parent.mkdir(parents=True, exist_ok=True)
    accanto = _libera(destinazione)
    fd, nome = tempfile.mkstemp(dir=destinazione.parent, prefix=destinazione.name, suffix=".ripristino")
    os.close(fd)
    temporaneo = Path(nome)
    try:
        shutil.copyfile(file, temporaneo)
        versione = _controlla_sqlite(temporaneo, str(file))
        note = [_come_il_sostituito(temporaneo, destinazione)]
        os.replace(temporaneo, destinazione)
    finally:
        temporaneo.unlink(missing_ok=True)
    if accanto is not None:
        note.append(f"il file sostituito è tenuto in {accanto}")
    engine = _sola_lettura(destinazione)
    try:
        _, punti = _conta(engine)
    finally:
        engine.dispose()
    return Esito(file, str(destinazione), versione, punti, tuple(note))
