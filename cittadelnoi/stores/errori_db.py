"""Database and disk failures as Italian messages, classified by the drivers' own error codes
(SQLite's result codes, PostgreSQL's SQLSTATE, errno), never by the wording of a message: what
happened, and whether trying again later may help. No message holds a server path."""

from __future__ import annotations

import errno
import functools
import logging
import sqlite3
from collections.abc import Callable

import sqlalchemy.exc as sa_exc
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi.core.errors import ErroreArchivio, Problema

OCCUPATO = "il database è occupato da un'altra scrittura (per esempio un'importazione lunga)"
SOLA_LETTURA = "il database è in sola lettura"
PIENO = "disco pieno"
DANNEGGIATO = "il file del database è danneggiato"
IRRAGGIUNGIBILE = "database non raggiungibile"
DISCO = "errore di lettura o scrittura sul disco del database"

# SQLite primary result codes (https://sqlite.org/rescode.html): code -> (cause, retry helps).
_SQLITE = {
    5: (OCCUPATO, True),  # SQLITE_BUSY
    6: (OCCUPATO, True),  # SQLITE_LOCKED
    8: (SOLA_LETTURA, False),  # SQLITE_READONLY
    10: (DISCO, False),  # SQLITE_IOERR
    11: (DANNEGGIATO, False),  # SQLITE_CORRUPT
    13: (PIENO, False),  # SQLITE_FULL
    14: (IRRAGGIUNGIBILE, True),  # SQLITE_CANTOPEN
    23: (SOLA_LETTURA, False),  # SQLITE_AUTH / permission
    26: (DANNEGGIATO, False),  # SQLITE_NOTADB
}
# PostgreSQL SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html), by class
# or by exact code.
_SQLSTATE = {
    "40001": (OCCUPATO, True),  # serialization_failure
    "40P01": (OCCUPATO, True),  # deadlock_detected
    "55P03": (OCCUPATO, True),  # lock_not_available
    "57014": (OCCUPATO, True),  # query_canceled (statement or lock timeout)
    "25006": (SOLA_LETTURA, False),  # read_only_sql_transaction
    "42501": (SOLA_LETTURA, False),  # insufficient_privilege
    "53100": (PIENO, False),  # disk_full
    "53300": (IRRAGGIUNGIBILE, True),  # too_many_connections
    "57P01": (IRRAGGIUNGIBILE, True),  # admin_shutdown
    "57P02": (IRRAGGIUNGIBILE, True),  # crash_shutdown
    "57P03": (IRRAGGIUNGIBILE, True),  # cannot_connect_now
    "58030": (DISCO, False),  # io_error
    "XX001": (DANNEGGIATO, False),  # data_corrupted
    "XX002": (DANNEGGIATO, False),  # index_corrupted
}
_CLASSI_SQLSTATE = {"08": (IRRAGGIUNGIBILE, True)}  # connection_exception


def causa_db(exc: BaseException) -> tuple[str, bool]:
    """(what went wrong, in Italian and without paths; whether retrying may help) for an error
    raised by SQLAlchemy, a DB-API driver or the file system."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError):
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return PIENO, False
        if isinstance(orig, PermissionError) or orig.errno == errno.EROFS:
            return SOLA_LETTURA, False
        return DISCO, False
    if isinstance(orig, sqlite3.Error):
        codice = getattr(orig, "sqlite_errorcode", None)
        if isinstance(codice, int) and (codice & 0xFF) in _SQLITE:
            return _SQLITE[codice & 0xFF]
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(sqlstate, str):
        if sqlstate in _SQLSTATE:
            return _SQLSTATE[sqlstate]
        if sqlstate[:2] in _CLASSI_SQLSTATE:
            return _CLASSI_SQLSTATE[sqlstate[:2]]
    # No code: the driver could not reach the server (psycopg's OperationalError before any reply),
    # or SQLAlchemy's pool gave up waiting for a connection. (An SQLite error with a code not mapped
    # above, e.g. «table already exists», is not a lost connection.)
    senza_codice = sqlstate is None and getattr(orig, "sqlite_errorcode", None) is None
    if isinstance(exc, sa_exc.TimeoutError) or (isinstance(exc, sa_exc.OperationalError) and senza_codice):
        return IRRAGGIUNGIBILE, True
    return f"errore del database ({type(orig).__name__})", False


def errore_scrittura(exc: BaseException) -> ErroreArchivio:
    """A failed write as the message the Gestione page shows."""
    causa, riprova = causa_db(exc)
    consiglio = "riprovare tra qualche secondo" if riprova else "avvisare chi gestisce il server"
    return ErroreArchivio(
        f"{causa}: nulla è stato salvato, il registro è com'era. La consultazione continua con i dati attuali; "
        f"{consiglio}.",
        riprova=riprova,
    )


def errore_lettura(exc: BaseException) -> ErroreArchivio:
    """A failed read as the message the pages show."""
    causa, riprova = causa_db(exc)
    return ErroreArchivio(
        f"{causa}: non è stato possibile leggere il registro. "
        + ("Riprovare tra qualche secondo." if riprova else "Avvisare chi gestisce il server."),
        riprova=riprova,
    )


def problema_db(exc: BaseException) -> Problema:
    """A failed read of the register as a load problem: the last good data stay on screen."""
    causa, riprova = causa_db(exc)
    return Problema(
        "database",
        f"{causa}: continuo a mostrare gli ultimi dati letti; le modifiche potrebbero non essere visibili"
        + (" (riprovare tra qualche secondo)" if riprova else ""),
    )


_log = logging.getLogger("cittadelnoi.stores.db")


def traduci(scrittura: bool) -> Callable:
    """Decorator: database and disk errors of a store method as ErroreArchivio, an Italian message
    saying what happened and what still works, never a traceback with server paths on the page."""

    def decora(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def avvolta(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("%s: %s", fn.__name__, exc)
                raise (errore_scrittura(exc) if scrittura else errore_lettura(exc)) from None

        return avvolta

    return decora
