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
        super().__init__("\n".join(str(p) for p in self.problemi))


def riga_file(indice: int) -> int:
    """Spreadsheet row of the DataFrame row at positional index `indice` (header is row 1)."""
    return int(indice) + 2
