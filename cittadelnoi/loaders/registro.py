"""The register of points as records, checked by exactly the loaders that check data/.

A record is the CSV form of one row: column -> text (or None for an empty cell), the way an
official writes it in punti.csv or sportelli.csv. Whatever reaches the database (an edit on the
admin page, an imported CSV or XLSX file, the first seed from data/) is written out as those files
and read back through `punti.carica_punti` and `sportelli.carica_sportelli`, so it passes the same
checks, and its problems are the same Italian messages naming file, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.core.celle import cella_xlsx, neutralizza
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import csvio
from cittadelnoi.loaders import punti as mod_punti
from cittadelnoi.loaders import sportelli as mod_sportelli
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


def differenze(
    prima: Record | None, dopo: Record | None, colonne: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """column -> (old, new) for every column that changed."""
    prima = prima or {}
    dopo = dopo or {}
    return {c: (prima.get(c), dopo.get(c)) for c in colonne if prima.get(c) != dopo.get(c)}


def descrivi_differenze(diff: dict[str, tuple[str | None, str | None]]) -> str:
    """'stato: in_apertura → attivo; nome: … → …' (empty values shown as «—»)."""
    return "; ".join(f"{c}: {a or '—'} → {b or '—'}" for c, (a, b) in diff.items())


# What orario_testo shows of a slot; the other fields of a slot (volontari, fonte, dimostrativo…)
# are described by descrivi_orari only where they change.
_CAMPI_ORA = ("giorno", "inizio", "fine")
# The fields of a slot more are compared with these (one that is not a demo shows no
# «dimostrativo: — → no») and shown as set from «—».
_FASCIA_ASSENTE: Record = {"dimostrativo": "no"}
_TESTO_LIBERO = frozenset({"fonte"})  # free text, shown between «» so its commas are not separators


def _fascia_testo(f: Record) -> str:
    return f"{f.get('giorno')} {f.get('inizio')}-{f.get('fine')}"


def orario_testo(fasce: Sequence[Record]) -> str:
    """'mer 15:30-17:30; ven 09:30-11:30' (day and hours of each slot, in order) or 'nessuna fascia'."""
    return "; ".join(_fascia_testo(f) for f in fasce) or "nessuna fascia"


def _valore_fascia(campo: str, valore: str | None) -> str:
    if valore is None:
        return "—"
    return f"«{valore}»" if campo in _TESTO_LIBERO else valore


def _chiavi(fasce: Sequence[Record]) -> list[tuple[str | None, ...]]:
    """Each slot's day and hours, numbered when repeated (the loaders refuse overlaps)."""
    visti: dict[tuple[str | None, ...], int] = {}
    out = []
    for f in fasce:
        k = tuple(f.get(c) for c in _CAMPI_ORA)
        visti[k] = visti.get(k, 0) + 1
        out.append((*k, str(visti[k])))
    return out


def _coppie(prima: Sequence[Record], dopo: Sequence[Record]) -> list[tuple[Record | None, Record]]:
    """Each slot of `dopo` with the slot of `prima` it continues: the one with the same day and
    hours, else one left over on the same day, else any left over (in order), else None (a slot
    more)."""
    ka, kb = _chiavi(prima), _chiavi(dopo)
    comuni = set(ka) & set(kb)
    per_chiave = dict(zip(ka, prima, strict=True))
    avanzi = [f for k, f in zip(ka, prima, strict=True) if k not in comuni]
    scelte: list[Record | None] = [per_chiave.get(k) for k in kb]
    for stesso_giorno in (True, False):
        for j, b in enumerate(dopo):
            if scelte[j] is not None:
                continue
            a = next((f for f in avanzi if not stesso_giorno or f.get("giorno") == b.get("giorno")), None)
            if a is not None:
                avanzi.remove(a)
                scelte[j] = a
    return list(zip(scelte, dopo, strict=True))


def descrivi_orari(prima: Sequence[Record], dopo: Sequence[Record]) -> str:
    """What changes from one schedule of a point to another, as one line of text.

    `prima`, `dopo`: slot records (column -> text or None, the columns of COLONNE_ORARIO), in
    order. The line starts with days and hours, 'mer 15:30-17:30 → mer 15:30-18:00', or, when
    those are the same, 'giorni e orari invariati (mer 15:30-17:30)'. Then, after « · », every
    other field (volontari, fonte, dimostrativo…) that changes, grouped by equal change:
    'volontari della fascia mer 15:30-17:30: — → 3 · fonte delle fasce mer 15:30-17:30,
    ven 09:30-11:30: «A» → «B»' (slots named as after the change, empty values as «—»). A slot
    whose day or hours change is compared with the slot it replaces (`_coppie`); a slot more
    shows what it has ('— → 3'; not demo: nothing). Two different schedules never give the same
    text on both sides of «→»; two equal schedules give ''.
    """
    if list(prima) == list(dopo):
        return ""
    testo_a, testo_b = orario_testo(prima), orario_testo(dopo)
    parti = [f"{testo_a} → {testo_b}" if testo_a != testo_b else f"giorni e orari invariati ({testo_a})"]
    coppie = _coppie(prima, dopo)
    altri = [c for c in dict.fromkeys(k for f in (*prima, *dopo) for k in f) if c not in _CAMPI_ORA]
    # (campo, prima, dopo) -> the slots (as 'mer 15:30-17:30') with that change, in order of `dopo`
    gruppi: dict[tuple[str, str | None, str | None], list[str]] = {}
    for campo in altri:
        for a, b in coppie:
            if (a if a is not None else _FASCIA_ASSENTE).get(campo) != b.get(campo):
                va = None if a is None else a.get(campo)  # a slot more had nothing
                gruppi.setdefault((campo, va, b.get(campo)), []).append(_fascia_testo(b))
    for (campo, va, vb), fasce in gruppi.items():
        dove = f"della fascia {fasce[0]}" if len(fasce) == 1 else f"delle fasce {', '.join(fasce)}"
        parti.append(f"{campo} {dove}: {_valore_fascia(campo, va)} → {_valore_fascia(campo, vb)}")
    return " · ".join(parti)


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
            "ore": pd.Series(dtype=float),
        }
    )


def frame_punti_vuoto() -> pd.DataFrame:
    cols = {"riga": int, **{c: object for c in COLONNE_PUNTI}, "lat": float, "lon": float, "dimostrativo": bool}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def _nome_sicuro(nome: str) -> str:
    """A file name to show in messages and to write in a temporary folder: no path, no odd characters."""
    base = re.split(r"[\\/]", nome)[-1].strip() or "file"
    return re.sub(r"[^\w .()«»,-]", "_", base)[:120]


def valida_file(
    punti: tuple[str, bytes],
    sportelli: tuple[str, bytes] | None,
    quartieri: gpd.GeoDataFrame,
    sportelli_esistenti: Sequence[Record] = (),
) -> Registro:
    """Check files as given (uploaded bytes, named as uploaded): rows and columns in the problems
    are those of the official's own file. Without `sportelli`, `sportelli_esistenti` (records) are
    kept for the points that remain. Raises DatiNonValidi with every problem of both files.

    What this accepts is what the store will load: the result is checked once more exactly as the
    database store reads it back (`valida_record`), so an import can never leave a register that
    the app cannot load at its next start."""
    for nome, contenuto in (punti, sportelli) if sportelli is not None else (punti,):
        if len(contenuto) > csvio.MAX_BYTES:
            raise DatiNonValidi([csvio.troppo_grande(_nome_sicuro(nome), len(contenuto))])
    reg = _valida_file(punti, sportelli, quartieri, sportelli_esistenti)
    riletto = valida_record(reg.punti_rec, reg.fasce_rec, quartieri)
    return replace(riletto, avvisi=reg.avvisi)


def _valida_file(
    punti: tuple[str, bytes],
    sportelli: tuple[str, bytes] | None,
    quartieri: gpd.GeoDataFrame,
    sportelli_esistenti: Sequence[Record],
) -> Registro:
    with tempfile.TemporaryDirectory(prefix="cdn-registro-") as tmp:
        d = Path(tmp)
        nome_p = _nome_sicuro(punti[0])
        (d / "p").mkdir()
        path_p = d / "p" / nome_p
        path_p.write_bytes(punti[1])
        path_s: Path | None = None
        if sportelli is not None:
            (d / "s").mkdir()
            path_s = d / "s" / _nome_sicuro(sportelli[0])
            path_s.write_bytes(sportelli[1])
        return _valida(path_p, path_s, quartieri, sportelli_esistenti, d)


def valida_record(punti_rec: Sequence[Record], fasce_rec: Sequence[Record], quartieri: gpd.GeoDataFrame) -> Registro:
    """Check a whole register given as records (written as punti.csv and sportelli.csv)."""
    with tempfile.TemporaryDirectory(prefix="cdn-registro-") as tmp:
        d = Path(tmp)
        path_p = d / FILE_PUNTI
        path_p.write_text(csv_testo(punti_rec, COLONNE_PUNTI), encoding="utf-8")
        path_s = None
        if fasce_rec:
            path_s = d / FILE_SPORTELLI
            path_s.write_text(csv_testo(fasce_rec, COLONNE_FASCE), encoding="utf-8")
        return _valida(path_p, path_s, quartieri, (), d)


def _valida(
    path_p: Path, path_s: Path | None, quartieri: gpd.GeoDataFrame, sportelli_esistenti: Sequence[Record], tmp: Path
) -> Registro:
    errori: list[Problema] = []
    avvisi: list[Problema] = []
    frame_p = None
    try:
        frame_p, a = mod_punti.carica_punti(path_p, quartieri)
        avvisi.extend(a)
    except DatiNonValidi as exc:
        errori.extend(exc.problemi)
    ids = set(frame_p["id"]) if frame_p is not None else _ids_grezzi(path_p)

    frame_s = None
    if path_s is None and sportelli_esistenti:
        tenute = [f for f in sportelli_esistenti if f.get("id_punto") in ids]
        if tenute:
            path_s = tmp / FILE_SPORTELLI
            path_s.write_text(csv_testo(tenute, COLONNE_FASCE), encoding="utf-8")
    if path_s is not None:
        try:
            frame_s, a = mod_sportelli.carica_sportelli(path_s, ids)
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


def _ids_grezzi(path: Path) -> set[str]:
    """Point ids of a file that did not pass, so that its schedule is still checked against them."""
    try:
        frame, _ = mod_punti.leggi_csv(path, COLONNE_PUNTI, ("id",))
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


# --- XLSX ---------------------------------------------------------------------------------------


# An .xlsx file is a zip: what counts is the size once decompressed. A register of MAX_PUNTI points
# is a few MB of sheet XML; a "zip bomb" of 200 KB can declare 2 GB.
MAX_XLSX_DECOMPRESSO = 10 * csvio.MAX_BYTES
MAX_XLSX_VOCI = 200  # files inside the zip
MAX_COLONNE_XLSX = 60
# Texts in the workbook's shared-string table: a register at its limits (MAX_PUNTI points, MAX_FASCE
# desk slots) has well under this many distinct texts; 3 million short ones fit in 50 MB and take a
# minute of CPU to parse.
MAX_XLSX_TESTI = 400_000
_TESTO_XLSX = re.compile(rb"<(?:\w+:)?si[\s>/]")


def controlla_xlsx(nome: str, contenuto: bytes) -> None:
    """Sizes checked before anything is decompressed or parsed: the zip directory's entries and
    the sum of their uncompressed sizes (zipfile never yields more than an entry declares)."""

    def errore(msg: str) -> DatiNonValidi:
        return DatiNonValidi([Problema(nome, msg)])

    if len(contenuto) > csvio.MAX_BYTES:
        raise DatiNonValidi([csvio.troppo_grande(nome, len(contenuto))])
    try:
        archivio = zipfile.ZipFile(io.BytesIO(contenuto))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise errore(
            "file .xlsx non leggibile (non è un file Excel valido): salvarlo di nuovo da Excel come "
            "«Cartella di lavoro Excel (.xlsx)»"
        ) from None
    with archivio as z:
        voci = z.infolist()
        if len(voci) > MAX_XLSX_VOCI:
            raise errore(f"file .xlsx con {len(voci)} parti interne: non sembra un registro. Nulla è stato caricato.")
        totale = sum(v.file_size for v in voci)
        if totale > MAX_XLSX_DECOMPRESSO:
            raise errore(
                f"file .xlsx che decompresso occuperebbe {totale / 1e6:.0f} MB (massimo {MAX_XLSX_DECOMPRESSO / 1e6:.0f} MB): "
                "non sembra un registro, oppure contiene fogli enormi. Nulla è stato caricato."
            )
        if (testi := testi_condivisi(z)) > MAX_XLSX_TESTI:
            raise errore(
                f"file .xlsx con {fmt.numero(testi, locale='it')} testi distinti (massimo {fmt.numero(MAX_XLSX_TESTI, locale='it')}): "
                "non sembra un registro. Nulla è stato caricato."
            )


def testi_condivisi(z: zipfile.ZipFile) -> int:
    """Entries of the shared-string table of the open workbook `z`, counted while streaming it (never
    held whole in memory); the caller checked the sizes first, so the stream is bounded."""
    conta = 0
    for nome in (n for n in z.namelist() if n.lower().endswith("sharedstrings.xml")):
        with z.open(nome) as f:
            coda = b""
            while blocco := f.read(1 << 20):
                testo = coda + blocco
                # A tag that may be cut at the block's end is left for the next block, with its bytes.
                taglio = max(len(testo) - 16, 0)
                conta += sum(1 for m in _TESTO_XLSX.finditer(testo) if m.start() < taglio)
                coda = testo[taglio:]
            conta += len(_TESTO_XLSX.findall(coda))
    return conta


def testo_excel(valore: object, formato: str | None = None) -> str | None:
    """A cell's value as Excel shows it, for the register's text columns.

    Time and duration cells become HH:MM: `hh:mm` gives a time, `[h]:mm` a duration (24:00, the
    end of a day, is stored as one whole day), seconds are shown only when not zero. Numbers
    are shown with up to 15 significant digits, as Excel does, never Python's repr.
    """
    if isinstance(valore, dt.timedelta):
        secondi = round(valore.total_seconds())
        segno = "-" if secondi < 0 else ""
        ore, resto = divmod(abs(secondi), 3600)
        minuti, sec = divmod(resto, 60)
        return f"{segno}{ore:02d}:{minuti:02d}" + (f":{sec:02d}" if sec else "")
    if isinstance(valore, dt.time):
        return valore.strftime("%H:%M") + (f":{valore.second:02d}" if valore.second else "")
    if isinstance(valore, dt.datetime) and formato and _solo_ora(formato):
        # A time-only format on a value with a date part: Excel shows the time of day only.
        t = valore.time()
        return t.strftime("%H:%M") + (f":{t.second:02d}" if t.second else "")
    if isinstance(valore, float) and not math.isnan(valore) and not valore.is_integer():
        return format(valore, ".15g")
    return testo(valore)


def _solo_ora(formato: str) -> bool:
    f = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", formato.lower())
    return "h" in f and not any(c in f for c in "dy")


def fogli_xlsx(contenuto: bytes, nome: str = "file Excel") -> dict[str, str]:
    """Every sheet of an .xlsx file as CSV text (sheet name -> text), one CSV line per sheet row,
    so that the row numbers in the problems are the ones Excel shows. Sizes are checked first
    (`controlla_xlsx`), then each sheet's declared dimensions, then rows as they are read.
    Raises DatiNonValidi."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from cittadelnoi.loaders.punti import MAX_PUNTI
    from cittadelnoi.loaders.sportelli import MAX_FASCE

    controlla_xlsx(nome, contenuto)
    try:
        wb = load_workbook(io.BytesIO(contenuto), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
        raise DatiNonValidi(
            [
                Problema(
                    nome,
                    f"file .xlsx non leggibile ({type(exc).__name__}): salvarlo di nuovo da Excel come «Cartella di lavoro Excel (.xlsx)»",
                )
            ]
        ) from None
    max_righe = max(MAX_PUNTI, MAX_FASCE) + 1  # header
    out = {}
    try:
        for ws in wb.worksheets:
            foglio = f"{nome} (foglio {ws.title})"
            righe_dichiarate, colonne_dichiarate = ws.max_row or 0, ws.max_column or 0
            if righe_dichiarate > max_righe or colonne_dichiarate > MAX_COLONNE_XLSX:
                raise DatiNonValidi(
                    [
                        Problema(
                            foglio,
                            f"il foglio dichiara {righe_dichiarate} righe e {colonne_dichiarate} colonne, fino alla "
                            f"colonna {get_column_letter(max(colonne_dichiarate, 1))} (massimo "
                            f"{fmt.numero(max_righe - 1, locale='it')} righe oltre l'intestazione e "
                            f"{MAX_COLONNE_XLSX} colonne, fino alla {get_column_letter(MAX_COLONNE_XLSX)}): "
                            "nulla è stato caricato",
                        )
                    ]
                )
            # The declared dimension is only a first, cheap refusal: a file may declare less than it
            # holds, and openpyxl would then stop at the declared edge and drop the rest without a
            # word. Every row is read to its own last cell; the limits are checked as rows come.
            ws.reset_dimensions()
            righe: list[list[str]] = []
            for n, row in enumerate(ws.iter_rows(), 1):
                if n > max_righe:
                    raise DatiNonValidi([csvio.troppe_righe(foglio, max_righe - 1, "righe")])
                if len(row) > MAX_COLONNE_XLSX:  # the row's last cell, even an empty formatted one
                    raise DatiNonValidi(
                        [
                            Problema(
                                foglio,
                                "la riga ha celle (anche solo formattate) fino a questa colonna: il foglio può "
                                f"avere al massimo {MAX_COLONNE_XLSX} colonne, fino alla "
                                f"{get_column_letter(MAX_COLONNE_XLSX)}; nulla è stato caricato",
                                riga=n,
                                colonna=get_column_letter(len(row)),
                            )
                        ]
                    )
                celle = []
                for c in row:
                    t = testo_excel(c.value, getattr(c, "number_format", None))
                    celle.append("" if t is None else neutralizza(t.replace("\r", " ").replace("\n", " ")))
                righe.append(celle)
            larghezza = max((len(r) for r in righe), default=0)
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(r + [""] * (larghezza - len(r)) for r in righe)
            out[ws.title] = buf.getvalue()
    finally:
        wb.close()
    return out


def file_da_caricamento(nome: str, contenuto: bytes) -> tuple[tuple[str, bytes], tuple[str, bytes] | None]:
    """An uploaded register as (points file, desk-slots file or None), both as CSV bytes.

    A CSV file is the points register. An .xlsx file gives its sheet «punti» (or the first sheet)
    and, when present, its sheet «sportelli». Names say where a problem is, e.g.
    «registro.xlsx (foglio punti)».
    """
    if not nome.lower().endswith((".xlsx", ".xlsm")):
        return (nome, contenuto), None
    fogli = fogli_xlsx(contenuto, _nome_sicuro(nome))
    if not fogli:
        raise DatiNonValidi([Problema(nome, "il file Excel non contiene fogli")])
    per_nome = {k.strip().lower(): k for k in fogli}
    foglio_p = per_nome.get("punti", next(iter(fogli)))
    foglio_s = per_nome.get("sportelli")
    punti = (f"{nome} (foglio {foglio_p})", fogli[foglio_p].encode("utf-8"))
    sportelli = (f"{nome} (foglio {foglio_s})", fogli[foglio_s].encode("utf-8")) if foglio_s else None
    return punti, sportelli


def xlsx_registro(punti_rec: Sequence[Record], fasce_rec: Sequence[Record]) -> bytes:
    """The register as an .xlsx file with sheets «punti» and «sportelli», ready to edit and import."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "punti"
    ws2 = wb.create_sheet("sportelli")
    for foglio, colonne, righe in ((ws, COLONNE_PUNTI, punti_rec), (ws2, COLONNE_FASCE, fasce_rec)):
        for j, c in enumerate(colonne, 1):
            cella_xlsx(foglio.cell(1, j), c)
        for i, r in enumerate(righe, 2):
            for j, c in enumerate(colonne, 1):
                cella_xlsx(foglio.cell(i, j), r.get(c) or "")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- residents table ------------------------------------------------------------------------------


def popolazione_da_caricamento(nome: str, contenuto: bytes, quartieri: gpd.GeoDataFrame) -> pd.DataFrame:
    """An uploaded residents table (CSV, or XLSX: sheet «popolazione» or the first one), checked by
    the loader of data/popolazione.csv. Raises DatiNonValidi naming file, row and column."""
    from cittadelnoi.loaders.popolazione import carica_popolazione

    xlsx = nome.lower().endswith((".xlsx", ".xlsm"))
    if xlsx:
        fogli = fogli_xlsx(contenuto)
        if not fogli:
            raise DatiNonValidi([Problema(nome, "il file Excel non contiene fogli")])
        per_nome = {k.strip().lower(): k for k in fogli}
        foglio = per_nome.get("popolazione", next(iter(fogli)))
        nome, contenuto = f"{nome} (foglio {foglio})", fogli[foglio].encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="cdn-popolazione-") as tmp:
        path = Path(tmp) / _nome_sicuro(nome)
        path.write_bytes(contenuto)
        frame, _ = carica_popolazione(path, quartieri, migliaia=not xlsx)
    return frame
