"""«Scarica tutto»: one ZIP with every table of the database as CSV, the register as GeoJSON and a
LEGGIMI.md describing every column, so the Comune can move its data to another system (issue 26).

The tables and their column descriptions come from stores.esportazione (given only to an
amministratore, reserved columns left out); every CSV goes through esporta.csv_bytes (no live
formula, the sample data's watermark).
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from cittadelnoi.core import tempo
from cittadelnoi.views import esporta


def leggimi(tabelle: dict[str, pd.DataFrame], colonne: dict[str, list[str]], schema: str, geojson: bool) -> str:
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
    for nome, frame in tabelle.items():
        righe += ["", f"## {nome}.csv ({len(frame)} righe)", ""]
        righe += [f"- {r}" for r in colonne.get(nome, [])]
    return "\n".join(righe) + "\n"


def zip_tutto(
    tabelle: dict[str, pd.DataFrame], colonne: dict[str, list[str]], schema: str, punti_geojson: bytes | None
) -> bytes:
    """The ZIP: `<table>.csv` for every table, `punti.geojson` (when given) and LEGGIMI.md."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, frame in tabelle.items():
            z.writestr(f"{nome}.csv", esporta.csv_bytes(frame))
        if punti_geojson is not None:
            z.writestr("punti.geojson", punti_geojson)
        z.writestr("LEGGIMI.md", leggimi(tabelle, colonne, schema, punti_geojson is not None))
    return buffer.getvalue()
