"""Run a pandera schema over a frame read by `csvio` and turn its failures into Italian Problemi.

Frames from `csvio.leggi_csv` are indexed by file line, so pandera's failure index *is* the row an
official looks for. Every Check in our schemas carries an Italian `error=` text; pandera's own
built-in checks (types, nulls, uniqueness) are translated here.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from cittadelnoi.core.errors import DatiNonValidi, Problema


def valida(frame: pd.DataFrame, schema: pa.DataFrameSchema, nome_file: str) -> pd.DataFrame:
    """Coerce and check `frame`; return the typed frame or raise DatiNonValidi with every failure."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise DatiNonValidi(traduci(exc.failure_cases, nome_file)) from None


def traduci(failures: pd.DataFrame, nome_file: str) -> list[Problema]:
    problemi: list[Problema] = []
    coercion_failed = set(failures.loc[failures["check"].astype(str).str.startswith("coerce_dtype"), "column"])
    for rec in failures.to_dict("records"):
        check = str(rec["check"])
        col = rec["column"] if isinstance(rec["column"], str) else None
        riga = int(rec["index"]) if pd.notna(rec["index"]) else None
        valore = rec["failure_case"]
        if check.startswith("dtype("):
            if col in coercion_failed:
                continue  # the coerce_dtype failure for the same cell already says it
            problemi.append(Problema(nome_file, "valori di tipo non previsto nella colonna", colonna=col))
            continue
        if riga is None and col in coercion_failed:
            continue  # a check that could not run because the column did not convert
        if check.startswith("coerce_dtype") and _vuoto(valore):
            # An empty cell does not convert to a number either: the cell is missing, which
            # not_nullable says once («valore mancante»), never «None» non è un numero intero.
            continue
        problemi.append(Problema(nome_file, _messaggio(check, valore, col), riga=riga, colonna=col))
    if not problemi and not failures.empty:  # never refuse a file without saying why
        problemi.append(Problema(nome_file, f"controllo non superato: {failures['check'].iloc[0]}"))
    return sorted(problemi, key=lambda p: (p.riga or 0, p.colonna or ""))


def _messaggio(check: str, valore: object, colonna: str | None) -> str:
    if check.startswith("coerce_dtype"):
        tipo = check.removeprefix("coerce_dtype('").rstrip("')")
        atteso = {"float64": "un numero", "int64": "un numero intero", "bool": "sì o no"}.get(tipo, tipo)
        if "datetime" in tipo:
            atteso = "una data AAAA-MM-GG"
        return f"«{valore}» non è {atteso}"
    if check == "not_nullable":
        return "valore mancante"
    if check == "field_uniqueness":
        return f"valore «{valore}» ripetuto: deve essere unico"
    if check == "column_in_dataframe":
        return "colonna obbligatoria mancante"
    if _vuoto(valore):
        return check
    return f"{check} (valore «{valore}»)"


def _vuoto(valore: object) -> bool:
    return valore is None or valore is pd.NA or (isinstance(valore, float) and pd.isna(valore))
