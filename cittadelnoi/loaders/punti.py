"""Load and check data/punti.csv, the register of community points.

A quartiere's status is derived from its points (see `stato.py`); "mancante" is never stored,
so the register cannot contradict itself.

Places, not guesses: a point has a position only when it is documented (`posizione=indirizzo`
with `lat`/`lon`, which must fall inside the point's own quartiere). Without one
(`posizione=centro_quartiere`, or `lat`/`lon` left empty) the point is drawn at its quartiere's
representative point, recomputed here from the boundaries, and shown as "posizione indicativa".

`apertura`, `prima_attestazione` (the earliest date a source shows the point active) and
`conferma` (the latest date a source shows the point active) are written at day
(AAAA-MM-GG) or month (AAAA-MM) precision and kept as written; `conferma_fino` is the last day
they can stand for (the month's last day), used to find points to confirm again.
"""

from __future__ import annotations

import calendar
import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.vocabolario import MESSAGGIO_SI_NO, SI, SI_NO
from cittadelnoi.loaders.csvio import File, leggi_csv
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
    "prima_attestazione",
    "fonte",
    "dimostrativo",
    "conferma",
    "sportello",
    "quartiere_da_verificare",
    "nota",
)
OBBLIGATORIE = ("id", "nome", "codice_istat", "stato", "fonte")
DATA_PARZIALE = r"^\d{4}-\d{2}(-\d{2})?$"
# The city has 33 quartieri; thousands of points means a wrong file. The same limit holds for
# data/punti.csv, an import and the register in the database (all read through carica_punti).
MAX_PUNTI = 5000
# Characters of one text field (name, address, source, note…): every save writes the whole record
# into the append-only history, so a field is bounded like the register (the longest source of
# the documented points is about 450 characters).
MAX_TESTO = 2000


def schema(codici_quartiere: set[str]) -> pa.DataFrameSchema:
    lon0, lat0, lon1, lat1 = BBOX_BRESCIA
    lungo = pa.Check.str_length(
        max_value=MAX_TESTO, error=f"testo troppo lungo: al massimo {MAX_TESTO} caratteri per campo"
    )
    testo = pa.Column(str, lungo, nullable=True)
    return pa.DataFrameSchema(
        {
            "id": pa.Column(
                str,
                pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$", error="id non valido: solo minuscole, cifre e trattini"),
                unique=True,
                report_duplicates="all",
            ),
            "nome": pa.Column(str, lungo),
            "codice_istat": pa.Column(
                str,
                pa.Check.isin(
                    sorted(codici_quartiere), error="codice ISTAT di quartiere sconosciuto (17029001-17029033)"
                ),
            ),
            "stato": pa.Column(str, pa.Check.isin(STATI, error="stato non valido: ammessi «attivo» o «in_apertura»")),
            "indirizzo": testo,
            "lat": pa.Column(
                float,
                pa.Check.in_range(lat0, lat1, error=f"latitudine fuori da Brescia ({lat0}-{lat1})"),
                coerce=True,
                nullable=True,
            ),
            "lon": pa.Column(
                float,
                pa.Check.in_range(lon0, lon1, error=f"longitudine fuori da Brescia ({lon0}-{lon1})"),
                coerce=True,
                nullable=True,
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
                pa.Check.str_matches(DATA_PARZIALE, error="data non valida: usare AAAA-MM-GG o AAAA-MM"),
                nullable=True,
            ),
            "prima_attestazione": pa.Column(
                str,
                pa.Check.str_matches(DATA_PARZIALE, error="data non valida: usare AAAA-MM-GG o AAAA-MM"),
                nullable=True,
            ),
            "conferma": pa.Column(
                str,
                pa.Check.str_matches(DATA_PARZIALE, error="data non valida: usare AAAA-MM-GG o AAAA-MM"),
                nullable=True,
            ),
            "sportello": testo,
            "quartiere_da_verificare": pa.Column(
                str,
                pa.Check.isin([*SI_NO, ""], error=MESSAGGIO_SI_NO),
                nullable=True,
            ),
            "nota": testo,
            "fonte": pa.Column(
                str,
                [pa.Check.str_length(min_value=3, error="fonte mancante: ogni punto deve citare la sua fonte"), lungo],
            ),
            "dimostrativo": pa.Column(str, pa.Check.isin([*SI_NO, ""], error=MESSAGGIO_SI_NO), nullable=True),
        },
        strict=True,
    )


def _date_parziali(typed: pd.DataFrame, colonna: str, nome_file: str) -> list[Problema]:
    """Problems for dates that match the pattern but do not exist (2025-02-30, 2025-13)."""
    problemi = []
    for i, v in typed[colonna].items():
        if isinstance(v, str) and fine_periodo(v) is None:
            problemi.append(Problema(nome_file, f"data inesistente «{v}»", riga=int(i), colonna=colonna))
    return problemi


def inizio_periodo(testo: str | None) -> dt.date | None:
    """'2025-10-23' -> that day; '2025-10' -> 1 October 2025; None for an empty or impossible date."""
    fine = fine_periodo(testo)
    if fine is None or testo is None:
        return None
    return fine.replace(day=1) if len(testo) == 7 else fine


def _ordine_date(typed: pd.DataFrame, nome_file: str) -> list[Problema]:
    """Problems for dates in the wrong order: opening after the first attestation, first
    attestation after the last confirmation (each compared as the periods they stand for)."""
    problemi = []
    coppie = (
        ("apertura", "prima_attestazione", "la data di apertura «{a}» è dopo la prima attestazione «{b}»"),
        ("prima_attestazione", "conferma", "la prima attestazione «{a}» è dopo l'ultima conferma «{b}»"),
    )
    for prima, dopo, messaggio in coppie:
        for i, a, b in zip(typed.index, typed[prima], typed[dopo], strict=True):
            inizio, fine = inizio_periodo(a), fine_periodo(b)
            if inizio is not None and fine is not None and inizio > fine:
                problemi.append(Problema(nome_file, messaggio.format(a=a, b=b), riga=int(i), colonna=prima))
    return problemi


def data_storia(apertura: str | None, prima_attestazione: str | None) -> dt.date | None:
    """The day from which the history shows a point active: its opening, else its first
    attestation, as the last day the written period stands for ("active at the latest then");
    None when neither is documented (the opening date is unknown: never counted as new)."""
    return fine_periodo(apertura) or fine_periodo(prima_attestazione)


def fine_periodo(testo: str | None) -> dt.date | None:
    """'2025-10-23' -> that day; '2025-10' -> 31 October 2025 (the last day the month stands
    for); None for an empty or impossible date."""
    if not testo:
        return None
    try:
        if len(testo) == 7:
            anno, mese = int(testo[:4]), int(testo[5:7])
            return dt.date(anno, mese, calendar.monthrange(anno, mese)[1])
        return dt.date.fromisoformat(testo)
    except ValueError:
        return None


def _posizioni(typed: pd.DataFrame, quartieri: gpd.GeoDataFrame, nome_file: str) -> list[Problema]:
    """Fill indicative positions and check documented ones against the point's own quartiere."""
    geo = quartieri.set_index("codice_istat")
    centri = geo.geometry.representative_point()
    senza = typed["lat"].isna() | typed["lon"].isna()
    # A position typed without saying what it is counts as documented; none at all is indicative.
    typed.loc[typed["posizione"].isna(), "posizione"] = "centro_quartiere"
    typed.loc[~senza & typed["posizione"].eq("centro_quartiere") & typed["_posizione_vuota"], "posizione"] = "indirizzo"
    problemi = []
    for i in typed.index[senza & typed["posizione"].eq("indirizzo")]:
        problemi.append(
            Problema(nome_file, "posizione «indirizzo» senza latitudine e longitudine", riga=int(i), colonna="lat")
        )
    indicative = typed["posizione"].eq("centro_quartiere")
    centro = centri.reindex(typed.loc[indicative, "codice_istat"])
    # Python's round (correctly rounded), not numpy's: 45.540165 must stay 45.54016 as written before.
    typed.loc[indicative, "lat"] = [round(float(v), 5) for v in centro.y]
    typed.loc[indicative, "lon"] = [round(float(v), 5) for v in centro.x]
    documentate = typed[typed["posizione"].eq("indirizzo") & ~senza]
    lat, lon = documentate["lat"].astype(float), documentate["lon"].astype(float)
    trovati = quartieri_di(lat.to_numpy(), lon.to_numpy(), quartieri)
    for i, y, x, codice, trovato in zip(documentate.index, lat, lon, documentate["codice_istat"], trovati, strict=True):
        if trovato != codice and (problema := fuori_quartiere(y, x, codice, quartieri)):
            problemi.append(Problema(nome_file, problema, riga=int(i), colonna="lat"))
    return problemi


def quartieri_di(lat: np.ndarray, lon: np.ndarray, quartieri: gpd.GeoDataFrame) -> list[str | None]:
    """The ISTAT code of the quartiere containing each (lat, lon) (WGS84 degrees), None for a point in
    none of them; on a shared border, the first quartiere in `quartieri`'s order, as `quartiere_di`.
    One spatial-index query for all the points."""
    if len(lat) == 0:
        return []
    punti = shapely.points(lon, lat)
    dentro, poligono = quartieri.sindex.query(punti, predicate="covered_by")
    codici = quartieri["codice_istat"].to_numpy()
    out: list[str | None] = [None] * len(punti)
    for p, q in sorted(zip(dentro.tolist(), poligono.tolist(), strict=True), reverse=True):
        out[p] = str(codici[q])  # sorted from the last: the smallest polygon position wins
    return out


def quartiere_di(lat: float, lon: float, quartieri: gpd.GeoDataFrame) -> str | None:
    """The ISTAT code of the quartiere containing (lat, lon), None when it is in none of them."""
    punto = shapely.Point(lon, lat)
    dentro = quartieri.index[quartieri.geometry.covers(punto)]
    return str(quartieri.loc[dentro[0], "codice_istat"]) if len(dentro) else None


def fuori_quartiere(lat: float, lon: float, codice: str, quartieri: gpd.GeoDataFrame) -> str | None:
    """None when (lat, lon) is inside quartiere `codice`; else a message naming both quartieri."""
    trovato = quartiere_di(lat, lon, quartieri)
    if trovato == codice:
        return None
    nomi = quartieri.set_index("codice_istat")["nome"]
    atteso = nomi.get(codice, codice)
    if trovato is None:
        return (
            f"la posizione ({lat:.5f}, {lon:.5f}) non è dentro nessun quartiere, e il punto è nel quartiere "
            f"«{atteso}»: controllare le coordinate"
        )
    return (
        f"la posizione ({lat:.5f}, {lon:.5f}) è nel quartiere «{nomi[trovato]}», ma il punto è nel quartiere "
        f"«{atteso}»: correggere la posizione o il quartiere"
    )


def carica_punti(file: File, quartieri: gpd.GeoDataFrame) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check the register `file` (name, bytes) against `quartieri`; return (frame, warnings)
    or raise DatiNonValidi.

    Shape: one row per point in file order; columns riga (the row number messages use), the COLONNE of the
    file with id (str, unique), codice_istat (a code of `quartieri`), stato ("attivo" |
    "in_apertura"), lat/lon (float, WGS84 degrees, inside Brescia), apertura (datetime.date or None),
    dimostrativo (bool: «sì»/«no» and their spellings in core.vocabolario), posizione ("indirizzo" |
    "centro_quartiere", the default when empty).

    Errors: every problem at once, in Italian, naming file, row and column (unknown quartiere, bad
    status, duplicate id, coordinates outside Brescia or swapped, impossible dates, …). Warnings:
    what csvio had to guess (Excel's `;` separator, Windows-1252, decimal commas).
    """
    frame, avvisi = leggi_csv(file, COLONNE, OBBLIGATORIE, numeriche=("lat", "lon"), max_righe=MAX_PUNTI, cosa="punti")
    # An optional column absent from the file arrives as all-NaN floats: make it empty text.
    frame = frame.astype(object).where(frame.notna(), None)
    for col in ("dimostrativo", "quartiere_da_verificare"):
        frame[col] = frame[col].map(lambda v: v.lower() if isinstance(v, str) else v)
    vuota = frame["posizione"].isna()
    typed = valida(frame, schema(set(quartieri["codice_istat"])), file[0])
    typed["_posizione_vuota"] = vuota
    problemi = [p for c in ("apertura", "prima_attestazione", "conferma") for p in _date_parziali(typed, c, file[0])]
    if not problemi:
        problemi = _ordine_date(typed, file[0])
    problemi += _posizioni(typed, quartieri, file[0])
    if problemi:
        raise DatiNonValidi(sorted(problemi, key=lambda p: (p.riga or 0, p.colonna or "")))
    typed = typed.drop(columns="_posizione_vuota")
    typed["lat"] = typed["lat"].astype(float)
    typed["lon"] = typed["lon"].astype(float)
    typed["dimostrativo"] = typed["dimostrativo"].fillna("no").isin(SI)
    typed["quartiere_da_verificare"] = typed["quartiere_da_verificare"].fillna("no").isin(SI)
    typed["conferma_fino"] = typed["conferma"].map(fine_periodo)
    # The day the point was surely open: the date, or the last day of a month-only date.
    typed["apertura_data"] = typed["apertura"].map(fine_periodo)
    # The day the history starts the point from (opening, else first attestation); None: unknown.
    typed["data_storia"] = [
        data_storia(a, p) for a, p in zip(typed["apertura"], typed["prima_attestazione"], strict=True)
    ]
    return typed.rename_axis("riga").reset_index(), avvisi
