"""Residents per quartiere (data/popolazione.csv, or the Comune's table imported on Gestione).

One row per quartiere and year: codice_istat (or the quartiere's name, as the Comune's tables write
it), anno, residenti, fonte. The table may be partial and may mix years: a quartiere with no
figure has no row, never a 0. Whoever ranks quartieri by residents must compare one year only
(see metrics.priorita).
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders.csvio import File, leggi_csv
from cittadelnoi.loaders.validation import valida

COLONNE = ("codice_istat", "quartiere", "anno", "residenti", "fonte")
OBBLIGATORIE = ("anno", "residenti", "fonte")
COLONNE_FILE = ("codice_istat", "anno", "residenti", "fonte")  # as data/popolazione.csv is written
_MIGLIAIA = re.compile(r"^\d{1,3}([. ]\d{3})+$")  # 12.522 or 12 522, as Italian tables write it


def _norm(testo: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", testo.lower().replace("'", " ")).strip()


def frame_vuoto() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "riga": pd.Series(dtype=int),
            "codice_istat": pd.Series(dtype=object),
            "anno": pd.Series(dtype=int),
            "residenti": pd.Series(dtype=int),
            "fonte": pd.Series(dtype=object),
        }
    )


def carica_popolazione(
    file: File, quartieri: gpd.GeoDataFrame, migliaia: bool = True
) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check a residents table, `file` (name, bytes); return (frame, warnings) or raise DatiNonValidi.

    Frame columns: riga, codice_istat (str), anno (int), residenti (int), fonte (str).
    `migliaia`: residents written with thousands separators (12.522, 12 522), as Italian tables
    write them, are read as 12522. False for a sheet read from an .xlsx file, where a number is a
    number: 12.522 there is a fraction and is refused, quoted as Excel shows it.
    """
    nome = file[0]
    frame, avvisi = leggi_csv(file, COLONNE, OBBLIGATORIE)
    frame = frame.astype(object).where(frame.notna(), None)  # an absent column: empty text, not NaN
    problemi: list[Problema] = []
    codici = set(quartieri["codice_istat"])
    per_nome = {_norm(n): c for n, c in zip(quartieri["nome"], quartieri["codice_istat"], strict=False)}
    if frame["codice_istat"].isna().all() and frame["quartiere"].isna().all():
        raise DatiNonValidi(
            [Problema(nome, "serve la colonna «codice_istat» o la colonna «quartiere» (nome ufficiale)", riga=1)]
        )
    for i in frame.index[frame["codice_istat"].isna() & frame["quartiere"].notna()]:
        codice = per_nome.get(_norm(frame.at[i, "quartiere"]))
        if codice is None:
            problemi.append(
                Problema(nome, f"quartiere «{frame.at[i, 'quartiere']}» sconosciuto", riga=int(i), colonna="quartiere")
            )
        frame.at[i, "codice_istat"] = codice
    if migliaia:
        frame["residenti"] = frame["residenti"].map(
            lambda v: re.sub(r"[. ]", "", v) if isinstance(v, str) and _MIGLIAIA.match(v.strip()) else v
        )
    schema = pa.DataFrameSchema(
        {
            "codice_istat": pa.Column(
                str,
                pa.Check.isin(sorted(codici), error="codice ISTAT di quartiere sconosciuto (17029001-17029033)"),
                nullable=bool(problemi),
            ),
            "anno": pa.Column(
                str, pa.Check.str_matches(r"^(19|20)\d{2}$", error="anno non valido: scrivere per esempio 2024")
            ),
            "residenti": pa.Column(
                str,
                pa.Check.str_matches(
                    r"^\d{1,7}$",
                    error="numero di residenti non valido: scrivere un numero intero positivo, senza separatori",
                ),
            ),
            "fonte": pa.Column(
                str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni cifra deve citare la sua fonte")
            ),
        }
    )
    try:
        typed = valida(frame[list(COLONNE_FILE)], schema, nome)
    except DatiNonValidi as exc:
        raise DatiNonValidi(sorted(problemi + exc.problemi, key=lambda p: (p.riga or 0, p.colonna or ""))) from None
    doppie = typed.duplicated(["codice_istat", "anno"], keep=False)
    for i in typed.index[doppie & typed["codice_istat"].notna()]:
        problemi.append(
            Problema(
                nome,
                f"due righe per lo stesso quartiere ({typed.at[i, 'codice_istat']}) e lo stesso anno ({typed.at[i, 'anno']})",
                riga=int(i),
                colonna="anno",
            )
        )
    if problemi:
        raise DatiNonValidi(sorted(problemi, key=lambda p: (p.riga or 0, p.colonna or "")))
    typed["anno"] = typed["anno"].astype(int)
    typed["residenti"] = typed["residenti"].astype(int)
    return typed.rename_axis("riga").reset_index(), avvisi


def ultime(popolazione: pd.DataFrame) -> pd.DataFrame:
    """The latest figure of each quartiere: codice_istat (index), anno, residenti, fonte."""
    if popolazione.empty:
        return pd.DataFrame(columns=["anno", "residenti", "fonte"], index=pd.Index([], name="codice_istat"))
    return (
        popolazione.sort_values(["codice_istat", "anno"]).groupby("codice_istat").last()[["anno", "residenti", "fonte"]]
    )


def popolazione_da_caricamento(nome: str, contenuto: bytes, quartieri: gpd.GeoDataFrame) -> pd.DataFrame:
    """An uploaded residents table (CSV, or XLSX: sheet «popolazione» or the first one), checked by
    carica_popolazione. Raises DatiNonValidi naming file, row and column."""
    from cittadelnoi.loaders.registro import nome_sicuro
    from cittadelnoi.loaders.xlsx import fogli_xlsx

    xlsx = nome.lower().endswith((".xlsx", ".xlsm"))
    if xlsx:
        fogli = fogli_xlsx(contenuto)
        if not fogli:
            raise DatiNonValidi([Problema(nome, "il file Excel non contiene fogli")])
        per_nome = {k.strip().lower(): k for k in fogli}
        foglio = per_nome.get("popolazione", next(iter(fogli)))
        nome, contenuto = f"{nome} (foglio {foglio})", fogli[foglio].encode("utf-8")
    frame, _ = carica_popolazione((nome_sicuro(nome), contenuto), quartieri, migliaia=not xlsx)
    return frame
