"""History of the register: the state of the points at a date and the number of points over time.

The history is a list of events, oldest first. Each event sets one object of one point to a new
value: the point's record ("punto", the CSV form of a row of punti.csv, or None when the point is
removed) or its desk schedule ("orario", the list of its rows of sportelli.csv). Replaying the
events up to an instant gives the register as it was then; the database keeps them in its
append-only table `storico` (see `db.py`).

Two files in data/ seed the history (see data/SOURCES.md):

- `storico_punti.csv`: dated changes of status of the points before the database existed
  (data, id_punto, stato, fonte, dimostrativo), chosen so that the register matches the counts that
  public sources document on those dates;
- `conteggi_punti.csv`: those documented counts (data, attivi, in_apertura, fonte, nota), shown on
  the chart of points over time with their sources.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core import tempo
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.tempo import FUSO, giorno_locale
from cittadelnoi.core.vocabolario import MESSAGGIO_SI_NO, SI, SI_NO
from cittadelnoi.loaders.csvio import File, leggi_csv
from cittadelnoi.loaders.validation import valida

OBIETTIVO = 33  # facts.csv, obiettivo_punti: one point in each of the 33 quartieri

Record = dict[str, str | None]
Oggetto = Literal["punto", "orario"]


@dataclass(frozen=True)
class Evento:
    quando: dt.datetime  # timezone-aware
    oggetto: Oggetto
    id_punto: str
    dopo: Record | list[Record] | None  # None: the point was removed (or has no schedule)
    # True: `quando` is the day the fact entered the register, not a documented date (a point with
    # no opening date or first attestation, the desk hours of the first fill). Never "new".
    data_ignota: bool = False


# --- undocumented dates -------------------------------------------------------------------------
#
# A point whose opening is not documented is in the register, but WHEN it opened is unknown. Two
# views of the history follow from that, and every page uses one of them:
#
# - eventi_documentati: what the history can show of the past (the "Stato al" map, the chart of
#   points over time): such points are left out altogether, and the page says which;
# - eventi_per_confronto: what a change figure compares ("+1 dal 01/09/2026"): such facts are taken
#   as they were first recorded, on both sides of the comparison, so they are never counted as new.

SEMPRE = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)  # before any documented date: "since an unknown day"


def punti_senza_data(eventi: Iterable[Evento]) -> frozenset[str]:
    """Ids of the points whose first event in the history has no documented date."""
    primi: dict[str, Evento] = {}
    for ev in eventi:
        if ev.oggetto == "punto":
            primi.setdefault(ev.id_punto, ev)
    return frozenset(i for i, ev in primi.items() if ev.data_ignota)


def eventi_documentati(eventi: Iterable[Evento]) -> list[Evento]:
    """The history without the points whose opening date is unknown (oldest first, as given)."""
    eventi = list(eventi)
    esclusi = punti_senza_data(eventi)
    return [ev for ev in eventi if ev.id_punto not in esclusi]


def eventi_per_confronto(eventi: Iterable[Evento]) -> list[Evento]:
    """The history with every undated event moved to the beginning (`SEMPRE`), so that a register
    replayed at any two instants has each undated fact on both sides or on neither."""
    eventi = list(eventi)
    senza = [dataclasses.replace(ev, quando=SEMPRE) for ev in eventi if ev.data_ignota]
    return senza + [ev for ev in eventi if not ev.data_ignota]


def inizio_giorno(giorno: dt.date) -> dt.datetime:
    """Midnight of `giorno` in Brescia, as an aware datetime."""
    return dt.datetime.combine(giorno, dt.time(0), tzinfo=FUSO)


def fine_giorno(giorno: dt.date) -> dt.datetime:
    """The first instant after `giorno` in Brescia: the register "al <giorno>" is the state before it."""
    return inizio_giorno(giorno + dt.timedelta(days=1))


# --- replay -------------------------------------------------------------------------------------


def stato_al(
    eventi: Iterable[Evento], prima_di: dt.datetime | None = None
) -> tuple[dict[str, Record], dict[str, list[Record]]]:
    """Replay `eventi` (oldest first) up to, excluding, the instant `prima_di` (all when None).

    Returns (points by id, schedules by point id); a removed point and its schedule are absent,
    and so is the schedule of a point that did not exist yet.
    """
    punti: dict[str, Record] = {}
    orari: dict[str, list[Record]] = {}
    for ev in eventi:
        if prima_di is not None and ev.quando >= prima_di:
            continue
        tabella = punti if ev.oggetto == "punto" else orari
        if ev.dopo is None:
            tabella.pop(ev.id_punto, None)
        else:
            tabella[ev.id_punto] = ev.dopo  # type: ignore[assignment]
    return punti, {k: v for k, v in orari.items() if k in punti and v}


def conteggi_nel_tempo(eventi: Iterable[Evento], fino_al: dt.date | None = None) -> pd.DataFrame:
    """Points by status after each day on which the register changed, from the events.

    Columns: data (date), attivi, in_apertura, dimostrativi (points marked demo among them).
    One row per day whose end-of-day counts differ from the previous row; with `fino_al`, a last
    row for that day carries the counts forward (so a chart runs up to today).
    """
    ordinati = sorted(eventi, key=lambda e: e.quando)
    righe: list[dict] = []
    punti: dict[str, Record] = {}

    def conta(giorno: dt.date) -> None:
        stati = [p.get("stato") for p in punti.values()]
        riga = {
            "data": giorno,
            "attivi": stati.count("attivo"),
            "in_apertura": stati.count("in_apertura"),
            "dimostrativi": sum(1 for p in punti.values() if (p.get("dimostrativo") or "no") in ("sì", "si")),
        }
        if righe and all(righe[-1][k] == riga[k] for k in ("attivi", "in_apertura", "dimostrativi")):
            return
        if righe and righe[-1]["data"] == giorno:
            righe[-1] = riga
        else:
            righe.append(riga)

    giorno_corrente: dt.date | None = None
    for ev in ordinati:
        giorno = giorno_locale(ev.quando)
        if giorno_corrente is not None and giorno != giorno_corrente:
            conta(giorno_corrente)
        giorno_corrente = giorno
        if ev.oggetto != "punto":
            continue
        if ev.dopo is None:
            punti.pop(ev.id_punto, None)
        else:
            punti[ev.id_punto] = ev.dopo  # type: ignore[assignment]
    if giorno_corrente is not None:
        conta(giorno_corrente)
    if fino_al is not None and righe and righe[-1]["data"] < fino_al:
        righe.append({**righe[-1], "data": fino_al})
    return pd.DataFrame(righe, columns=["data", "attivi", "in_apertura", "dimostrativi"])


# --- seed files ---------------------------------------------------------------------------------

COLONNE_STORICO = ("data", "id_punto", "stato", "fonte", "dimostrativo")
STATI_STORICO = ("attivo", "in_apertura")
_DATA = pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="data non valida: usare AAAA-MM-GG")


def _date(frame: pd.DataFrame, nome: str) -> pd.Series:
    date = pd.to_datetime(frame["data"], format="%Y-%m-%d", errors="coerce")
    brutte = frame["data"].notna() & date.isna()
    if brutte.any():
        raise DatiNonValidi(
            Problema(nome, f"data inesistente «{frame.at[i, 'data']}»", riga=int(i), colonna="data")
            for i in frame.index[brutte]
        )
    return date.dt.date


def carica_storico_punti(
    file: File, punti_attuali: Mapping[str, str | None], oggi: dt.date | None = None
) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check data/storico_punti.csv, `file` (name, bytes), against the register
    (`punti_attuali`: id -> stato).

    Every point must exist in the register; dates are not in the future; a point's last status in
    the file must be its status in the register (the history ends where the register starts).
    """
    nome = file[0]
    frame, avvisi = leggi_csv(file, COLONNE_STORICO)
    frame["dimostrativo"] = frame["dimostrativo"].map(lambda v: v.lower() if isinstance(v, str) else v)
    schema = pa.DataFrameSchema(
        {
            "data": pa.Column(str, _DATA),
            "id_punto": pa.Column(
                str, pa.Check.isin(sorted(punti_attuali), error="punto non presente nel registro dei punti (punti.csv)")
            ),
            "stato": pa.Column(
                str, pa.Check.isin(STATI_STORICO, error="stato non valido: ammessi «attivo» o «in_apertura»")
            ),
            "fonte": pa.Column(
                str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni riga deve citare la sua fonte")
            ),
            "dimostrativo": pa.Column(str, pa.Check.isin(SI_NO, error=MESSAGGIO_SI_NO)),
        }
    )
    typed = valida(frame, schema, nome)
    typed["data"] = _date(typed, nome)
    oggi = oggi or tempo.oggi()
    problemi = [
        Problema(nome, f"data nel futuro «{d}»", riga=int(i), colonna="data")
        for i, d in typed["data"].items()
        if d > oggi
    ]
    ordinato = typed.sort_values(["id_punto", "data"], kind="stable")
    for id_punto, gruppo in ordinato.groupby("id_punto", sort=False):
        doppie = gruppo["data"].duplicated(keep=False)
        for i in gruppo.index[doppie]:
            problemi.append(
                Problema(nome, f"due righe dello stesso giorno per il punto «{id_punto}»", riga=int(i), colonna="data")
            )
        ultima = gruppo.index[-1]
        if gruppo.at[ultima, "stato"] != punti_attuali[id_punto]:
            problemi.append(
                Problema(
                    nome,
                    f"l'ultimo stato di «{id_punto}» ({gruppo.at[ultima, 'stato']}) non è quello del registro "
                    f"({punti_attuali[id_punto]}): la storia deve finire nello stato attuale",
                    riga=int(ultima),
                    colonna="stato",
                )
            )
    if problemi:
        raise DatiNonValidi(sorted(problemi, key=lambda p: (p.riga or 0, p.colonna or "")))
    typed["dimostrativo"] = typed["dimostrativo"].isin(SI)
    return typed.rename_axis("riga").reset_index(), avvisi


COLONNE_CONTEGGI = ("data", "attivi", "in_apertura", "fonte", "nota")


def carica_conteggi(file: File) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check data/conteggi_punti.csv, `file` (name, bytes): documented counts of points,
    each with its source.

    Columns: data (date), attivi (int), in_apertura (Int64, <NA> when the source does not say),
    fonte, nota (None when empty).
    """
    nome = file[0]
    frame, avvisi = leggi_csv(file, COLONNE_CONTEGGI, ("data", "attivi", "fonte"))
    conteggio = pa.Check.str_matches(
        r"^\d{1,3}$", error="numero di punti non valido: scrivere un numero intero da 0 a 999"
    )
    schema = pa.DataFrameSchema(
        {
            "data": pa.Column(str, _DATA, unique=True, report_duplicates="all"),
            "attivi": pa.Column(str, conteggio),
            "in_apertura": pa.Column(str, conteggio, nullable=True),
            "fonte": pa.Column(
                str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni conteggio deve citare la sua fonte")
            ),
            "nota": pa.Column(str, nullable=True),
        }
    )
    typed = valida(frame, schema, nome)
    typed["data"] = _date(typed, nome)
    typed["attivi"] = typed["attivi"].astype(int)
    typed["in_apertura"] = pd.to_numeric(typed["in_apertura"]).astype("Int64")
    return typed.sort_values("data").reset_index(drop=True), avvisi


def eventi_seme(storico: pd.DataFrame, punti: dict[str, Record]) -> list[Evento]:
    """The dated events of storico_punti.csv as point events: the register's record of each point
    with the status it had on that day. Oldest first."""
    eventi = []
    for rec in storico.sort_values("data", kind="stable").to_dict("records"):
        eventi.append(
            Evento(
                inizio_giorno(rec["data"]), "punto", rec["id_punto"], {**punti[rec["id_punto"]], "stato": rec["stato"]}
            )
        )
    return eventi


def punti_nel_tempo(conteggi_registro: pd.DataFrame, documentati: pd.DataFrame) -> pd.DataFrame:
    """One long table for the chart of points over time.

    Columns: data, serie ("registro": the register's history, "documentato": a count published by
    a source), attivi, in_apertura (Int64, <NA> when not documented), fonte (None for the register).
    """
    reg = conteggi_registro.assign(serie="registro", fonte=None)[["data", "serie", "attivi", "in_apertura", "fonte"]]
    doc = documentati.assign(serie="documentato")[["data", "serie", "attivi", "in_apertura", "fonte"]]
    out = pd.concat([reg.astype({"in_apertura": "Int64"}), doc], ignore_index=True)
    out["attivi"] = out["attivi"].astype(int)
    return out.sort_values(["data", "serie"], kind="stable").reset_index(drop=True)
