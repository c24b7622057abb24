"""«Scarica tutto»: one ZIP with every table of the database as CSV, the register as GeoJSON and a
LEGGIMI.md describing every column, so the Comune can move its data to another system (issue 26).

The tables and their column descriptions come from stores.esportazione (given only to an
amministratore, reserved columns left out); every CSV is written row by row straight into its
ZIP entry (no table whole in memory), with the rules of esporta.csv_bytes (no live formula, the
sample data's watermark, UTF-8 with BOM).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from cittadelnoi.core import tempo
from cittadelnoi.core.celle import neutralizza
from cittadelnoi.core.i18n import _
from cittadelnoi.views import esporta


def leggimi(conteggi: dict[str, int], colonne: dict[str, list[str]], schema: str, geojson: bool) -> str:
    """The ZIP's LEGGIMI.md: what each file holds, column by column."""
    righe = [
        "# Città del Noi: tutti i dati del registro",
        "",
        f"Esportati il {tempo.adesso().strftime('%d/%m/%Y alle %H:%M')} (ora di Roma), versione dello schema "
        f"{schema or 'sconosciuta'}. File CSV in UTF-8 con BOM, separatore virgola; una cella vuota è un "
        "dato sconosciuto; un testo che un foglio di calcolo eseguirebbe come formula inizia con un apostrofo.",
        "",
        "Non sono esportati indirizzi e-mail, hash delle password, token delle sessioni e impronte dei "
        "mittenti (le colonne «omesse» qui sotto).",
    ]
    if geojson:
        righe += ["", "## punti.geojson", "", "Il registro dei punti in GeoJSON (WGS 84), come /dati/punti.geojson."]
    for nome, n in conteggi.items():
        righe += ["", f"## {nome}.csv ({n} righe)", ""]
        righe += [f"- {r}" for r in colonne.get(nome, [])]
    return "\n".join(righe) + "\n"


def scrivi_csv(destinazione: IO[bytes], intestazione: list[str], righe: Iterable[list[object]]) -> int:
    """Write one table as CSV into `destinazione`, row by row, as esporta.csv_bytes would; returns
    the number of rows."""
    filigrana = esporta.filigrana()
    coda = [filigrana] if filigrana is not None else []
    testo = io.TextIOWrapper(destinazione, encoding="utf-8-sig", newline="")
    with testo:
        w = csv.writer(testo, lineterminator="\n")
        w.writerow([neutralizza(c) for c in [*intestazione, *([_("avviso")] if coda else [])]])
        n = 0
        for r in righe:
            w.writerow([neutralizza(v) if isinstance(v, str) else v for v in r] + coda)
            n += 1
    return n


def zip_tutto(
    intestazioni: dict[str, list[str]],
    colonne: dict[str, list[str]],
    schema: str,
    righe: Callable[[str], Iterator[list[object]]],
    punti_geojson: bytes | None,
) -> bytes:
    """The ZIP: `<table>.csv` for every table of `intestazioni` (its rows from `righe(table)`),
    `punti.geojson` (when given) and LEGGIMI.md; the fields of a stores.esportazione.Esportazione,
    called inside `apri`'s block. Only the compressed ZIP is held in memory."""
    buffer = io.BytesIO()
    conteggi: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, intestazione in intestazioni.items():
            with z.open(f"{nome}.csv", "w", force_zip64=True) as voce:
                conteggi[nome] = scrivi_csv(voce, intestazione, righe(nome))
        if punti_geojson is not None:
            z.writestr("punti.geojson", punti_geojson)
        z.writestr("LEGGIMI.md", leggimi(conteggi, colonne, schema, punti_geojson is not None))
    return buffer.getvalue()
