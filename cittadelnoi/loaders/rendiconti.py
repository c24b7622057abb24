"""Monthly reports of the points ("rendiconti"): data/rendiconti.csv, an upload or a form, read and checked.

One row per point and month: id_punto, mese (AAAA-MM), ore_sportello (hours the desk was open that
month), volontari (active volunteers), ore_volontariato (person-hours given by them), accessi
(people who came to the desk), note, fonte, stato (`bozza` | `inviato`; empty: `inviato`). Counts
only: no column holds the name of a volunteer or of a citizen. A figure left empty is unknown,
never 0. What is computed from the checked rows (the monthly minimum, totals) is in
`cittadelnoi.metrics.rendiconti`.

Validation messages stay Italian: they are for the officials and referenti who edit the files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders.csvio import File, leggi_csv
from cittadelnoi.loaders.validation import valida

COLONNE = (
    "id_punto",
    "mese",
    "ore_sportello",
    "volontari",
    "ore_volontariato",
    "accessi",
    "note",
    "fonte",
    "stato",
)
OBBLIGATORIE = ("id_punto", "mese", "fonte")
CIFRE = ("ore_sportello", "volontari", "ore_volontariato", "accessi")
INTERI = ("volontari", "accessi")
STATI = ("bozza", "inviato")
FILE = "rendiconti.csv"
# Twelve months for each of MAX_PUNTI points over ten years: more means a wrong file.
MAX_RENDICONTI = 100_000
MAX_VOLONTARI = 999
MAX_ACCESSI = 100_000  # people served by one desk in one month: far above any real desk
MAX_NOTA = 500
_MESE = re.compile(r"^(\d{4})-(\d{2})$")
_NUMERO = re.compile(r"^\d{1,6}(\.\d{1,2})?$")
_INTERO = re.compile(r"^\d{1,6}$")


def mese_valido(testo: object) -> tuple[int, int] | None:
    """'2025-11' -> (2025, 11); None when the text is not AAAA-MM with a month 01-12 from 2000."""
    if not isinstance(testo, str):
        return None
    m = _MESE.match(testo.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        return None
    return int(m.group(1)), int(m.group(2))


def ore_nel_mese(anno: int, mese: int) -> int:
    """Hours in a calendar month (days × 24): the ceiling of any desk's open hours in it."""
    return calendar.monthrange(anno, mese)[1] * 24


SCHEMA = pa.DataFrameSchema(
    {
        "id_punto": pa.Column(str),
        "mese": pa.Column(
            str,
            pa.Check(
                lambda v: mese_valido(v) is not None,
                element_wise=True,
                error="mese non valido: scrivere AAAA-MM, per esempio 2025-11",
            ),
        ),
        **{
            c: pa.Column(
                str,
                pa.Check.str_matches(
                    _NUMERO.pattern,
                    error="ore non valide: scrivere un numero non negativo (al massimo due decimali) o lasciare vuoto",
                ),
                nullable=True,
            )
            for c in ("ore_sportello", "ore_volontariato")
        },
        **{
            c: pa.Column(
                str,
                pa.Check.str_matches(
                    _INTERO.pattern, error="scrivere un numero intero non negativo (un conteggio) o lasciare vuoto"
                ),
                nullable=True,
            )
            for c in INTERI
        },
        "note": pa.Column(
            str,
            pa.Check.str_length(max_value=MAX_NOTA, error=f"nota troppo lunga: al massimo {MAX_NOTA} caratteri"),
            nullable=True,
        ),
        "fonte": pa.Column(
            str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni rendiconto deve citare la sua fonte")
        ),
        "stato": pa.Column(
            str, pa.Check.isin(STATI, error="stato non valido: scrivere «bozza» o «inviato»"), nullable=True
        ),
    },
)


def frame_vuoto() -> pd.DataFrame:
    """The frame of no reports, with the columns and types `carica_rendiconti` returns."""
    return pd.DataFrame(
        {
            "riga": pd.Series(dtype=int),
            "id_punto": pd.Series(dtype=object),
            "mese": pd.Series(dtype=object),
            "ore_sportello": pd.Series(dtype=float),
            "volontari": pd.Series(dtype="Int64"),
            "ore_volontariato": pd.Series(dtype=float),
            "accessi": pd.Series(dtype="Int64"),
            "note": pd.Series(dtype=object),
            "fonte": pd.Series(dtype=object),
            "stato": pd.Series(dtype=object),
        }
    )


def carica_rendiconti(
    file: File,
    id_punti: set[str],
    oggi: dt.date | None = None,
    ignoti_ammessi: bool = False,
    vuote_ammesse: bool = False,
) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check the monthly reports of `file` (name, bytes) against the register's point ids;
    return (frame, warnings) or raise DatiNonValidi with every error (file, row, column).

    The frame has one row per point and month: riga (file row), id_punto, mese ("AAAA-MM"),
    ore_sportello and ore_volontariato (float hours, NaN: not reported), volontari and accessi
    (Int64 counts, <NA>: not reported), note, fonte, stato ("bozza" | "inviato"). Refused: a month
    not AAAA-MM or after `oggi`'s month (default: today), a negative or non-numeric figure, more
    desk hours than the month has, more person-hours than the volunteers could give in the month,
    person-hours without volunteers, a row without any figure, a point and month given twice, a
    point not in `id_punti`. With `ignoti_ammessi` (data/ and the database's first fill: a closed
    point keeps its past reports) such a point is one warning instead, and its rows are kept. With
    `vuote_ammesse` (a file: the template has a row per point) a row without any figure nor note is
    left out with one warning (that point and month stay «non rendicontato»), not refused.
    """
    from cittadelnoi.core import tempo

    oggi = oggi or tempo.oggi()
    nome = file[0]
    frame, avvisi = leggi_csv(
        file,
        COLONNE,
        OBBLIGATORIE,
        numeriche=("ore_sportello", "ore_volontariato"),
        max_righe=MAX_RENDICONTI,
        cosa="rendiconti",
    )
    frame["stato"] = frame["stato"].map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    if vuote_ammesse:
        frame, avvisi = _senza_righe_vuote(frame, nome, avvisi)
    problemi: list[Problema] = []
    typed = None
    try:
        typed = valida(frame, SCHEMA, nome)
    except DatiNonValidi as exc:
        problemi.extend(exc.problemi)
    incrociati = _controlli_incrociati(frame, id_punti, nome, oggi)
    if ignoti_ammessi:
        ignoti = [p for p in incrociati if p.colonna == "id_punto" and "non presente nel registro" in p.messaggio]
        incrociati = [p for p in incrociati if p not in ignoti]
        for id_punto in sorted({str(i) for i in frame.loc[[p.riga for p in ignoti], "id_punto"]}):
            n = sum(1 for v in frame["id_punto"] if v == id_punto)
            avvisi.append(
                Problema(
                    nome,
                    f"punto «{id_punto}» non presente nel registro dei punti: i suoi {n} rendiconti sono letti "
                    "ma nessuna pagina li mostra",
                    colonna="id_punto",
                    gravita="avviso",
                )
            )
    problemi.extend(incrociati)
    if problemi or typed is None:
        raise DatiNonValidi(
            sorted(problemi, key=lambda p: (p.riga or 0, COLONNE.index(p.colonna) if p.colonna in COLONNE else 99))
        )
    for c in ("ore_sportello", "ore_volontariato"):
        typed[c] = pd.to_numeric(typed[c]).astype(float)
    for c in INTERI:
        typed[c] = pd.to_numeric(typed[c]).astype("Int64")
    typed["stato"] = typed["stato"].fillna("inviato").astype(object)
    typed["mese"] = typed["mese"].str.strip()
    return typed.rename_axis("riga").reset_index(), avvisi


def _senza_righe_vuote(frame: pd.DataFrame, nome: str, avvisi: list[Problema]) -> tuple[pd.DataFrame, list[Problema]]:
    """`frame` without the rows that give no figure and no note (a template's rows left blank), and
    the warnings with one more naming them; refuses a file where every row is blank."""
    vuota = ~frame[[*CIFRE, "note"]].apply(lambda c: c.map(lambda v: isinstance(v, str) and bool(v.strip()))).any(
        axis=1
    )
    if not vuota.any():
        return frame, avvisi
    if vuota.all():
        raise DatiNonValidi([Problema(nome, "nessun rendiconto compilato: ogni riga è senza cifre")])
    righe = [int(r) for r in frame.index[vuota]]
    elenco = ", ".join(map(str, righe[:10])) + (" …" if len(righe) > 10 else "")
    avviso = Problema(
        nome,
        f"{len(righe)} righe senza cifre lasciate fuori (righe {elenco}): quei punti restano «non rendicontato» "
        "per quel mese",
        gravita="avviso",
    )
    return frame[~vuota], [*avvisi, avviso]


def _numero(v: object) -> float | None:
    return float(v) if isinstance(v, str) and _NUMERO.match(v) else None


def _controlli_incrociati(frame: pd.DataFrame, id_punti: set[str], nome: str, oggi: dt.date) -> list[Problema]:
    """Unknown point, future month, impossible figures, no figure at all, a point and month twice."""
    problemi: list[Problema] = []
    visti: dict[tuple[str, str], int] = {}
    for riga, rec in zip(frame.index, frame.to_dict("records"), strict=False):
        riga = int(riga)

        def errore(colonna: str, messaggio: str, riga: int = riga) -> None:
            problemi.append(Problema(nome, messaggio, riga=riga, colonna=colonna))

        id_punto = rec["id_punto"]
        if isinstance(id_punto, str) and id_punto not in id_punti:
            errore("id_punto", f"punto «{id_punto}» non presente nel registro dei punti")
        if not any(isinstance(rec[c], str) and rec[c].strip() for c in CIFRE):
            errore("ore_sportello", "nessuna cifra: un rendiconto riporta almeno una tra ore, volontari e accessi")
        if (am := mese_valido(rec["mese"])) is None:
            continue  # reported by the schema
        if am > (oggi.year, oggi.month):
            errore("mese", f"il mese {rec['mese']} non è ancora iniziato: si rendiconta un mese passato o in corso")
        ore_mese = ore_nel_mese(*am)
        ore_sportello = _numero(rec["ore_sportello"])
        if ore_sportello is not None and ore_sportello > ore_mese:
            errore(
                "ore_sportello",
                f"{rec['ore_sportello']} ore di sportello in un mese che ne ha {ore_mese}: cifra impossibile",
            )
        ore_vol = _numero(rec["ore_volontariato"])
        volontari = (
            int(rec["volontari"]) if isinstance(rec["volontari"], str) and _INTERO.match(rec["volontari"]) else None
        )
        if volontari is not None and volontari > MAX_VOLONTARI:
            errore("volontari", f"{volontari} volontari attivi in un punto: al massimo {MAX_VOLONTARI}")
        if ore_vol is not None and volontari is not None and ore_vol > volontari * ore_mese:
            errore(
                "ore_volontariato",
                f"{rec['ore_volontariato']} ore di volontariato da {volontari} volontari in un mese di {ore_mese} ore: "
                "cifra impossibile (sono ore-persona: volontari × ore di ciascuno)",
            )
        acc = rec["accessi"]
        if isinstance(acc, str) and _INTERO.match(acc) and int(acc) > MAX_ACCESSI:
            errore("accessi", f"{acc} accessi in un mese: al massimo {MAX_ACCESSI}")
        if isinstance(id_punto, str):
            chiave = (id_punto, rec["mese"].strip())
            if chiave in visti:
                errore(
                    "mese",
                    f"rendiconto ripetuto: il punto «{id_punto}» ha già il mese {chiave[1]} alla riga {visti[chiave]}",
                )
            else:
                visti[chiave] = riga
    return problemi


def rendiconti_da_caricamento(
    nome: str, contenuto: bytes, id_punti: set[str], oggi: dt.date | None = None
) -> tuple[pd.DataFrame, list[Problema]]:
    """An uploaded file of reports (CSV, or XLSX: sheet «rendiconti» or the first one), checked by
    `carica_rendiconti`; an Excel cell is quoted as Excel shows it. Raises DatiNonValidi."""
    from cittadelnoi.loaders.registro import nome_sicuro
    from cittadelnoi.loaders.xlsx import fogli_xlsx

    if nome.lower().endswith((".xlsx", ".xlsm")):
        fogli = fogli_xlsx(contenuto, nome_sicuro(nome), max_dati=MAX_RENDICONTI)
        if not fogli:
            raise DatiNonValidi([Problema(nome, "il file Excel non contiene fogli")])
        per_nome = {k.strip().lower(): k for k in fogli}
        foglio = per_nome.get("rendiconti", next(iter(fogli)))
        nome, contenuto = f"{nome} (foglio {foglio})", fogli[foglio].encode("utf-8")
    return carica_rendiconti((nome_sicuro(nome), contenuto), id_punti, oggi, vuote_ammesse=True)


def record(rec: dict) -> dict[str, str | None]:
    """A report as the text of its CSV row (what the forms build and the database stores back)."""
    out: dict[str, str | None] = {}
    for c in COLONNE:
        v = rec.get(c)
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            out[c] = None
        elif isinstance(v, float):
            out[c] = f"{v:.2f}".rstrip("0").rstrip(".")
        else:
            out[c] = str(v).strip() or None
    return out


def csv_rendiconti(righe: list[dict]) -> bytes:
    """Reports as CSV bytes with the file's headers (text cells protected from spreadsheets)."""
    from cittadelnoi.loaders.registro import csv_testo

    return csv_testo([record(r) for r in righe], COLONNE).encode("utf-8")


def modello_xlsx(id_punti: list[str], mese: str) -> bytes:
    """The template offered for download: sheet «rendiconti» with the Italian headers and one row
    per point for `mese` (figures empty), then a sheet «istruzioni»."""
    from openpyxl import Workbook

    from cittadelnoi.core.celle import cella_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "rendiconti"
    for j, c in enumerate(COLONNE, 1):
        cella_xlsx(ws.cell(1, j), c)
    for i, id_punto in enumerate(id_punti, 2):
        cella_xlsx(ws.cell(i, 1), id_punto)
        cella_xlsx(ws.cell(i, 2), mese)
        cella_xlsx(ws.cell(i, 9), "bozza")
    istr = wb.create_sheet("istruzioni")
    for i, testo in enumerate(ISTRUZIONI, 1):
        cella_xlsx(istr.cell(i, 1), testo)
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ISTRUZIONI = (
    "Una riga per punto e mese. Solo conteggi: nessun nome di volontari o di persone accolte.",
    "id_punto: l'id del punto nel registro. mese: AAAA-MM, per esempio 2025-11 (scritto come testo).",
    "ore_sportello: ore in cui lo sportello è stato aperto nel mese. volontari: quanti volontari attivi.",
    "ore_volontariato: ore-persona (somma delle ore di tutti i volontari). accessi: persone venute allo sportello.",
    "Una cifra non nota si lascia vuota (non 0). fonte: chi rendiconta (es. «registro presenze del punto»).",
    "stato: «bozza» o «inviato».",
)


def frame_da_record(righe: list[dict]) -> pd.DataFrame:
    """Reports already checked (the database's rows) as the frame `carica_rendiconti` returns."""
    if not righe:
        return frame_vuoto()
    frame = pd.DataFrame([{c: r.get(c) for c in COLONNE} for r in righe], columns=list(COLONNE))
    for c in ("ore_sportello", "ore_volontariato"):
        frame[c] = pd.to_numeric(frame[c]).astype(float)
    for c in INTERI:
        frame[c] = pd.to_numeric(frame[c]).astype("Int64")
    frame = frame.astype({"id_punto": object, "mese": object, "note": object, "fonte": object, "stato": object})
    frame.insert(0, "riga", range(2, len(frame) + 2))
    return frame.sort_values(["id_punto", "mese"]).reset_index(drop=True)
