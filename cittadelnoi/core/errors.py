"""Problems found in input files, worded in Italian for the officials who fix them.

Row numbers are the line numbers a spreadsheet shows: the header is row 1, the first data
row is row 2. That is the number an official can find in Excel or a text editor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Gravita = Literal["errore", "avviso"]


@dataclass(frozen=True)
class Problema:
    file: str
    messaggio: str
    riga: int | None = None
    colonna: str | None = None
    gravita: Gravita = "errore"
    # GeoJSON has features, not rows: "elemento 12" is what an official can find there.
    unita: str = "riga"

    def __str__(self) -> str:
        where = [self.file]
        if self.riga is not None:
            where.append(f"{self.unita} {self.riga}")
        if self.colonna is not None:
            where.append(f"colonna «{self.colonna}»")
        return f"{', '.join(where)}: {self.messaggio}"


class DatiNonValidi(Exception):
    """Raised by a loader when a file cannot be used. Carries every problem found, not just the first."""

    def __init__(self, problemi: Iterable[Problema]):
        self.problemi = [p for p in problemi]
        if not self.problemi:
            # A rejection must always say something: an empty list would read as "no problem".
            self.problemi = [Problema("dati", "dati non validi (nessun dettaglio disponibile)")]
        super().__init__("\n".join(str(p) for p in self.problemi))


def riga_file(indice: int) -> int:
    """Spreadsheet row of the DataFrame row at positional index `indice` (header is row 1)."""
    return int(indice) + 2


def problema_imprevisto(file: str, exc: BaseException) -> Problema:
    """An exception no check foresaw, inside a loader or a store, as a message for the page.

    Only the kind of error is shown: its text may hold server paths. The caller logs the details."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        cosa = "disco pieno: il file non può essere scritto"
    elif isinstance(exc, PermissionError) or (isinstance(exc, OSError) and exc.errno == errno.EROFS):
        cosa = "permesso negato o disco in sola lettura"
    elif isinstance(exc, OSError):
        cosa = f"errore di lettura o scrittura sul disco ({errno.errorcode.get(exc.errno or 0, 'sconosciuto')})"
    elif isinstance(exc, MemoryError):
        cosa = "memoria insufficiente per leggerlo"
    else:
        cosa = f"errore imprevisto nel leggerlo ({type(exc).__name__})"
    return Problema(file, f"{cosa}; il file non è stato caricato")


class ErroreArchivio(Exception):
    """The store could not read or write (database locked, read-only, disk full, unreachable...).

    `messaggio` is Italian, says what happened and what still works, and holds no server path."""

    def __init__(self, messaggio: str, riprova: bool = False):
        super().__init__(messaggio)
        self.messaggio = messaggio
        self.riprova = riprova  # a temporary condition (a lock): trying again later may work
