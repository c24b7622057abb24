"""Cells a spreadsheet would run, neutralised in every CSV and XLSX the app writes.

OWASP's guidance on CSV injection: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return is a formula to Excel and LibreOffice (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`). The app
writes such a text with a leading apostrophe, the spreadsheet convention for "this is text".

The app reads its own files back unchanged: every CSV it reads (`loaders.csvio`) drops that one
apostrophe again. To keep that exact, a text that already starts with apostrophes followed by one
of those characters gets one more apostrophe: `neutralizza` and `ripristina` are inverse on every
string. XLSX files get text cells, and the same apostrophe as Excel's «quote prefix» style (not
part of the value).
"""

from __future__ import annotations

import re

INIZI_PERICOLOSI = ("=", "+", "-", "@", "\t", "\r")
_DA_PROTEGGERE = re.compile(r"^'*[=+\-@\t\r]")
_PROTETTO = re.compile(r"^'+[=+\-@\t\r]")


def pericoloso(testo: str) -> bool:
    """True when a spreadsheet would read `testo` as a formula."""
    return testo.startswith(INIZI_PERICOLOSI)


def neutralizza(testo: str) -> str:
    """`testo` as a CSV cell that no spreadsheet runs: `=1+1` -> `'=1+1`."""
    return "'" + testo if _DA_PROTEGGERE.match(testo) else testo


def ripristina(testo: str) -> str:
    """The inverse of `neutralizza`, applied to every cell the app reads from a CSV."""
    return testo[1:] if _PROTETTO.match(testo) else testo


def cella_xlsx(cella, valore: object) -> None:
    """Put `valore` in an openpyxl cell; a text is always a text cell (openpyxl would make
    `=…` a formula), with Excel's quote prefix when a spreadsheet would otherwise run it."""
    cella.value = valore
    if isinstance(valore, str):
        cella.data_type = "s"
        if pericoloso(valore):
            cella.quotePrefix = True


def testi_xlsx(foglio) -> None:
    """Every text cell of a written sheet as a text cell (see `cella_xlsx`)."""
    for riga in foglio.iter_rows():
        for cella in riga:
            if isinstance(cella.value, str):
                cella_xlsx(cella, cella.value)
