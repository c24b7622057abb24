"""Load and check data/punti.csv, the register of community points.

A quartiere's status is derived from its points (see `stato.py`); "mancante" is never stored,
so the register cannot contradict itself.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.vocabolario import MESSAGGIO_SI_NO, SI, SI_NO
from cittadelnoi.loaders.csvio import leggi_csv
from cittadelnoi.loaders.quartieri import BBOX_BRESCIA
from cittadelnoi.loaders.validation import valida

STATI = ("attivo", "in_apertura")
POSIZIONI = ("indirizzo", "centro_quartiere")
COLONNE = (
    "id",
    "nome",
    "codice_istat",
    "stato",
    "indirizzo",
    "lat",
    "lon",
    "posizione",
    "ente_gestore",
    "partner",
    "apertura",
    "fonte",
    "dimostrativo",
)
OBBLIGATORIE = ("id", "nome", "codice_istat", "stato", "lat", "lon", "fonte", "dimostrativo")
# The city has 33 quartieri; thousands of points means a wrong file. The same limit holds for
# data/punti.csv, an import and the register in the database (all read through carica_punti).
MAX_PUNTI = 5000


def schema(codici_quartiere: set[str]) -> pa.DataFrameSchema:
    lon0, lat0, lon1, lat1 = BBOX_BRESCIA
    testo = pa.Column(str, nullable=True)
    return pa.DataFrameSchema(
        {
            "id": pa.Column(
                str,
                pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$", error="id non valido: solo minuscole, cifre e trattini"),
                unique=True,
                report_duplicates="all",
            ),
            "nome": pa.Column(str),
            "codice_istat": pa.Column(
                str,
                pa.Check.isin(
                    sorted(codici_quartiere), error="codice ISTAT di quartiere sconosciuto (17029001-17029033)"
                ),
            ),
            "stato": pa.Column(str, pa.Check.isin(STATI, error="stato non valido: ammessi «attivo» o «in_apertura»")),
            "indirizzo": testo,
            "lat": pa.Column(
                float, pa.Check.in_range(lat0, lat1, error=f"latitudine fuori da Brescia ({lat0}-{lat1})"), coerce=True
            ),
            "lon": pa.Column(
                float, pa.Check.in_range(lon0, lon1, error=f"longitudine fuori da Brescia ({lon0}-{lon1})"), coerce=True
            ),
            "posizione": pa.Column(
                str,
                pa.Check.isin(POSIZIONI, error="posizione non valida: «indirizzo» o «centro_quartiere»"),
                nullable=True,
            ),
            "ente_gestore": testo,
            "partner": testo,
            "apertura": pa.Column(
                str,
                pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="data non valida: usare AAAA-MM-GG"),
                nullable=True,
            ),
            "fonte": pa.Column(
                str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni punto deve citare la sua fonte")
            ),
            "dimostrativo": pa.Column(str, pa.Check.isin([*SI_NO, ""], error=MESSAGGIO_SI_NO), nullable=True),
        },
        strict=True,
    )


def carica_punti(path: Path, quartieri: gpd.GeoDataFrame) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check the register against `quartieri`; return (frame, warnings) or raise DatiNonValidi.

    Shape: one row per point in file order; columns riga (the row number messages use), the COLONNE of the
    file with id (str, unique), codice_istat (a code of `quartieri`), stato ("attivo" |
    "in_apertura"), lat/lon (float, WGS84 degrees, inside Brescia), apertura (datetime.date or None),
    dimostrativo (bool: «sì»/«no» and their spellings in core.vocabolario), posizione ("indirizzo" |
    "centro_quartiere", the default when empty).

    Errors: every problem at once, in Italian, naming file, row and column (unknown quartiere, bad
    status, duplicate id, coordinates outside Brescia or swapped, impossible dates, …). Warnings:
    what csvio had to guess (Excel's `;` separator, Windows-1252, decimal commas).
    """
    frame, avvisi = leggi_csv(path, COLONNE, OBBLIGATORIE, numeriche=("lat", "lon"), max_righe=MAX_PUNTI, cosa="punti")
    frame["dimostrativo"] = frame["dimostrativo"].str.lower()
    typed = valida(frame, schema(set(quartieri["codice_istat"])), path.name)
    apertura = pd.to_datetime(typed["apertura"], format="%Y-%m-%d", errors="coerce")
    bad_dates = typed["apertura"].notna() & apertura.isna()
    if bad_dates.any():
        raise DatiNonValidi(
            Problema(path.name, f"data inesistente «{typed.at[i, 'apertura']}»", riga=int(i), colonna="apertura")
            for i in typed.index[bad_dates]
        )
    typed["apertura"] = apertura.dt.date
    typed["dimostrativo"] = typed["dimostrativo"].fillna("no").isin(SI)
    typed["posizione"] = typed["posizione"].fillna("centro_quartiere")
    return typed.rename_axis("riga").reset_index(), avvisi
