"""The register of points as records, checked by exactly the loaders that check data/.

A record is the CSV form of one row: column -> text (or None for an empty cell), the way an
official writes it in punti.csv or sportelli.csv. Whatever reaches the database (an edit on the
admin page, an imported CSV or XLSX file, the first seed from data/) is written out as the text of
those files and read back through `punti.carica_punti` and `sportelli.carica_sportelli` (in memory,
as (name, bytes)), so it passes the same checks, and its problems are the same Italian messages
naming file, row and column. Excel files are turned into that text by `loaders.xlsx`; what changed
between two registers is described by `loaders.differenze`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from cittadelnoi.core.celle import neutralizza
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import csvio
from cittadelnoi.loaders import punti as mod_punti
from cittadelnoi.loaders import sportelli as mod_sportelli
from cittadelnoi.loaders.csvio import File
from cittadelnoi.loaders.storico import Record

COLONNE_PUNTI: tuple[str, ...] = tuple(mod_punti.COLONNE)
COLONNE_FASCE: tuple[str, ...] = tuple(mod_sportelli.COLONNE)
# A schedule as edited on the admin page: the point is implied.
COLONNE_ORARIO: tuple[str, ...] = tuple(c for c in COLONNE_FASCE if c != "id_punto")
FILE_PUNTI = "punti.csv"
FILE_SPORTELLI = "sportelli.csv"


# --- values -------------------------------------------------------------------------------------


def testo(valore: object) -> str | None:
    """A cell as text: None for empty/NaN, 'sì'/'no' for booleans, ISO for dates, shortest float."""
    if valore is None:
        return None
    if isinstance(valore, float) and math.isnan(valore):
        return None
    if valore is pd.NA or valore is pd.NaT:
        return None
    if isinstance(valore, (bool, np.bool_)):
        return "sì" if valore else "no"
    if isinstance(valore, dt.datetime):
        if valore.time() == dt.time(0):
            return valore.date().isoformat()
        return valore.isoformat(sep=" ")
    if isinstance(valore, dt.date):
        return valore.isoformat()
    if isinstance(valore, dt.time):
        return valore.strftime("%H:%M")
    if isinstance(valore, float):
        return str(int(valore)) if valore.is_integer() and abs(valore) < 1e15 else repr(valore)
    s = str(valore).strip()
    return s or None


def record(valori: dict, colonne: Sequence[str]) -> Record:
    return {c: testo(valori.get(c)) for c in colonne}


def per_id(records: Iterable[Record], campo: str = "id") -> dict[str, Record]:
    """Records keyed by their id (or by `campo`), in order. Records that passed the loaders always
    have one: a missing id is a programming error, not a data problem."""
    out: dict[str, Record] = {}
    for r in records:
        chiave = r.get(campo)
        if chiave is None:
            raise ValueError(f"record senza «{campo}»: {r!r}")
        out[chiave] = r
    return out


def record_da_frame(frame: pd.DataFrame, colonne: Sequence[str]) -> list[Record]:
    """Records of a frame produced by the loaders (typed values back to their CSV form)."""
    return [record(r, colonne) for r in frame.to_dict("records")]


# --- CSV ----------------------------------------------------------------------------------------


def csv_testo(records: Iterable[Record], colonne: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(colonne)
    for r in records:
        w.writerow(
            [
                "" if r.get(c) is None else neutralizza(str(r.get(c)).replace("\r", " ").replace("\n", " "))
                for c in colonne
            ]
        )
    return buf.getvalue()


# --- validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registro:
    """A checked register: the loaders' frames and the normalised records to store."""

    punti: pd.DataFrame
    sportelli: pd.DataFrame
    punti_rec: list[Record]
    fasce_rec: list[Record]
    avvisi: tuple[Problema, ...] = ()


def frame_sportelli_vuoto() -> pd.DataFrame:
    """The loader's frame with no slot (a register where no point has a schedule yet)."""
    return pd.DataFrame(
        {
            "riga": pd.Series(dtype=int),
            "id_punto": pd.Series(dtype=object),
            "giorno": pd.Series(dtype=object),
            "inizio": pd.Series(dtype=object),
            "fine": pd.Series(dtype=object),
            "volontari": pd.Series(dtype="Int64"),
            "fonte": pd.Series(dtype=object),
            "dimostrativo": pd.Series(dtype=bool),
            "inizio_min": pd.Series(dtype=int),
            "fine_min": pd.Series(dtype=int),
        }
    )


def frame_punti_vuoto() -> pd.DataFrame:
    cols = {"riga": int, **{c: object for c in COLONNE_PUNTI}, "lat": float, "lon": float, "dimostrativo": bool}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def nome_sicuro(nome: str) -> str:
    """An uploaded file's name as the messages show it: no folder, no odd characters, 120 at most."""
    base = re.split(r"[\\/]", nome)[-1].strip() or "file"
    return re.sub(r"[^\w .()«»,-]", "_", base)[:120]


def valida_file(
    punti: File,
    sportelli: File | None,
    quartieri: gpd.GeoDataFrame,
    sportelli_esistenti: Sequence[Record] = (),
) -> Registro:
    """Check files as given (uploaded (name, bytes), named as uploaded): rows and columns in the
    problems are those of the official's own file. Without `sportelli`, `sportelli_esistenti`
    (records) are kept for the points that remain. Raises DatiNonValidi with every problem of both
    files.

    What this accepts is what the store will load: the result is checked once more exactly as the
    database store reads it back (`valida_record`), so an import can never leave a register that
    the app cannot load at its next start."""
    for nome, contenuto in (punti, sportelli) if sportelli is not None else (punti,):
        if len(contenuto) > csvio.MAX_BYTES:
            raise DatiNonValidi([csvio.troppo_grande(nome_sicuro(nome), len(contenuto))])
    file_s = (nome_sicuro(sportelli[0]), sportelli[1]) if sportelli is not None else None
    reg = _valida((nome_sicuro(punti[0]), punti[1]), file_s, quartieri, sportelli_esistenti)
    riletto = valida_record(reg.punti_rec, reg.fasce_rec, quartieri)
    return replace(riletto, avvisi=reg.avvisi)


def _file_csv(nome: str, records: Iterable[Record], colonne: Sequence[str]) -> File:
    return nome, csv_testo(records, colonne).encode("utf-8")


def valida_record(punti_rec: Sequence[Record], fasce_rec: Sequence[Record], quartieri: gpd.GeoDataFrame) -> Registro:
    """Check a whole register given as records, as the files punti.csv and sportelli.csv they write."""
    file_s = _file_csv(FILE_SPORTELLI, fasce_rec, COLONNE_FASCE) if fasce_rec else None
    return _valida(_file_csv(FILE_PUNTI, punti_rec, COLONNE_PUNTI), file_s, quartieri, ())


def _valida(
    file_p: File, file_s: File | None, quartieri: gpd.GeoDataFrame, sportelli_esistenti: Sequence[Record]
) -> Registro:
    errori: list[Problema] = []
    avvisi: list[Problema] = []
    frame_p = None
    try:
        frame_p, a = mod_punti.carica_punti(file_p, quartieri)
        avvisi.extend(a)
    except DatiNonValidi as exc:
        errori.extend(exc.problemi)
    ids = set(frame_p["id"]) if frame_p is not None else _ids_grezzi(file_p)

    frame_s = None
    if file_s is None and sportelli_esistenti:
        tenute = [f for f in sportelli_esistenti if f.get("id_punto") in ids]
        if tenute:
            file_s = _file_csv(FILE_SPORTELLI, tenute, COLONNE_FASCE)
    if file_s is not None:
        try:
            frame_s, a = mod_sportelli.carica_sportelli(file_s, ids)
            avvisi.extend(a)
        except DatiNonValidi as exc:
            errori.extend(exc.problemi)
    else:
        frame_s = frame_sportelli_vuoto()
    if errori:
        raise DatiNonValidi(errori)
    assert frame_p is not None and frame_s is not None
    return Registro(
        frame_p,
        frame_s,
        record_da_frame(frame_p, COLONNE_PUNTI),
        record_da_frame(frame_s, COLONNE_FASCE),
        tuple(avvisi),
    )


def _ids_grezzi(file: File) -> set[str]:
    """Point ids of a file that did not pass, so that its schedule is still checked against them."""
    try:
        frame, _ = csvio.leggi_csv(file, COLONNE_PUNTI, ("id",))
    except DatiNonValidi:
        return set()
    return {v for v in frame["id"] if isinstance(v, str)}


# --- one point edited on the admin page ---------------------------------------------------------


def problemi_del_modulo(
    problemi: Iterable[Problema], righe_punto: set[int], righe_fasce: dict[int, int], id_punto: str
) -> list[Problema]:
    """Reword problems found in the whole register after editing one point so that they name the
    form: «punto «x», colonna «stato»: …» and «orario di «x», fascia 2, colonna «fine»: …»."""
    out = []
    for p in problemi:
        if p.file == FILE_PUNTI and p.riga in righe_punto:
            out.append(replace(p, file=f"punto «{id_punto}»", riga=None))
        elif p.file == FILE_SPORTELLI and p.riga in righe_fasce:
            out.append(replace(p, file=f"orario di «{id_punto}»", riga=righe_fasce[p.riga], unita="fascia"))
        else:
            out.append(p)
    return out


def valida_modifica(
    tutti: Sequence[Record],
    fasce: Sequence[Record],
    id_punto: str,
    nuovo: Record,
    nuove_fasce: Sequence[Record],
    quartieri: gpd.GeoDataFrame,
) -> Registro:
    """The register with point `id_punto` replaced by `nuovo` (added if absent) and its schedule by
    `nuove_fasce`, checked as files; problems are worded for the form (see problemi_del_modulo)."""
    punti_rec = [r for r in tutti if r.get("id") != id_punto]
    pos = next((i for i, r in enumerate(tutti) if r.get("id") == id_punto), len(punti_rec))
    punti_rec.insert(pos, {c: nuovo.get(c) for c in COLONNE_PUNTI})
    riga_punto = pos + 2  # header is row 1
    altre = [f for f in fasce if f.get("id_punto") != id_punto]
    proprie = [{**{c: f.get(c) for c in COLONNE_ORARIO}, "id_punto": nuovo.get("id")} for f in nuove_fasce]
    fasce_rec = altre + proprie
    righe_fasce = {len(altre) + 2 + i: i + 1 for i in range(len(proprie))}
    try:
        return valida_record(punti_rec, fasce_rec, quartieri)
    except DatiNonValidi as exc:
        raise DatiNonValidi(problemi_del_modulo(exc.problemi, {riga_punto}, righe_fasce, id_punto)) from None
