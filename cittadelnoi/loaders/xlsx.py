"""Excel (.xlsx) files of the register: read as the CSV text of each sheet, within limits checked
before anything is decompressed or parsed, and written for an official to edit and import back.

Cells are read as Excel shows them (`testo_excel`): times as HH:MM, numbers with up to 15
significant digits, never Python's repr, so that a message quotes what the official sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence

from cittadelnoi.core import fmt
from cittadelnoi.core.celle import cella_xlsx, neutralizza
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import csvio
from cittadelnoi.loaders.csvio import File
from cittadelnoi.loaders.registro import COLONNE_FASCE, COLONNE_PUNTI, nome_sicuro, testo
from cittadelnoi.loaders.storico import Record

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
    if isinstance(valore, dt.datetime):
        return data_excel(valore, formato)
    if isinstance(valore, float) and not math.isnan(valore) and not valore.is_integer():
        return format(valore, ".15g")
    return testo(valore)


_CODICI_DATA = re.compile(r"y{4}|y{2}|m{1,2}|d{1,2}|h{1,2}|s{1,2}|am/pm", re.IGNORECASE)


def data_excel(valore: dt.datetime, formato: str | None = None) -> str:
    """A date or date-and-time cell as Excel shows it with its number format: `dd/mm/yyyy hh:mm`
    gives «10/12/2025 09:30», `yyyy-mm` «2025-12». Without a format (or one we do not read, such as
    a named month), Excel in Italian: dd/mm/yyyy, with hh:mm when the time is not midnight."""
    f = re.sub(r'"[^"]*"|\[[^\]]*\]|_.|\*.', "", (formato or "").lower().split(";")[0])
    f = re.sub(r"\\([^ymdhs])", r"\1", f).replace("\\", "")
    if f in ("", "general") or re.search(r"m{3,}|d{3,}|am/pm|e|g", f):
        return valore.strftime("%d/%m/%Y" + (" %H:%M" if valore.time() != dt.time(0) else ""))
    parti: list[str] = []
    fine = 0
    ultimo = ""
    for m in _CODICI_DATA.finditer(f):
        parti.append(f[fine : m.start()])
        codice = m.group(0)
        if codice.startswith("m"):
            # "m" after an hour or before seconds is minutes, as in Excel.
            minuti = ultimo.startswith("h") or bool(re.match(r"[^a-z]*s", f[m.end() :]))
            parti.append(f"{valore.minute:02d}" if minuti else f"{valore.month:0{len(codice)}d}")
        elif codice.startswith("y"):
            parti.append(f"{valore.year:04d}" if len(codice) == 4 else f"{valore.year % 100:02d}")
        elif codice.startswith("d"):
            parti.append(f"{valore.day:0{len(codice)}d}")
        elif codice.startswith("h"):
            parti.append(f"{valore.hour:0{len(codice)}d}")
        else:
            parti.append(f"{valore.second:0{len(codice)}d}")
        ultimo = codice.lower()
        fine = m.end()
    parti.append(f[fine:])
    return "".join(parti)


def _solo_ora(formato: str) -> bool:
    f = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", formato.lower())
    return "h" in f and not any(c in f for c in "dy")


def fogli_xlsx(contenuto: bytes, nome: str = "file Excel", max_dati: int | None = None) -> dict[str, str]:
    """Every sheet of an .xlsx file as CSV text (sheet name -> text), one CSV line per sheet row,
    so that the row numbers in the problems are the ones Excel shows. Sizes are checked first
    (`controlla_xlsx`), then each sheet's declared dimensions, then rows as they are read, against
    `max_dati` data rows (default: the register's limits, points or desk slots). Raises DatiNonValidi."""
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
    max_righe = (max_dati if max_dati is not None else max(MAX_PUNTI, MAX_FASCE)) + 1  # header
    formule = _formule(contenuto, max_righe)
    senza_valore: list[Problema] = []
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
                for j, c in enumerate(row, 1):
                    t = testo_excel(c.value, getattr(c, "number_format", None))
                    if t is None and (ws.title, n, j) in formule:
                        senza_valore.append(_senza_valore(foglio, n, j))
                    celle.append("" if t is None else neutralizza(t.replace("\r", " ").replace("\n", " ")))
                righe.append(celle)
            larghezza = max((len(r) for r in righe), default=0)
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(r + [""] * (larghezza - len(r)) for r in righe)
            out[ws.title] = buf.getvalue()
    finally:
        wb.close()
    if senza_valore:
        raise DatiNonValidi(senza_valore[:50])
    return out


def _formule(contenuto: bytes, max_righe: int) -> set[tuple[str, int, int]]:
    """(sheet, row, column) of every formula cell. A file written by a program (not saved by Excel)
    may hold formulas without their computed value, which openpyxl then reads as empty: such a cell
    must be refused, never read as «not reported». Read after `controlla_xlsx` and within the row
    limit, like the values."""
    from openpyxl import load_workbook

    out: set[tuple[str, int, int]] = set()
    wb = load_workbook(io.BytesIO(contenuto), read_only=True, data_only=False)
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()
            for n, row in enumerate(ws.iter_rows(max_row=max_righe, max_col=MAX_COLONNE_XLSX), 1):
                out.update(
                    (ws.title, n, j)
                    for j, c in enumerate(row, 1)
                    if isinstance(c.value, str) and c.value.startswith("=")
                )
    finally:
        wb.close()
    return out


def _senza_valore(foglio: str, riga: int, colonna: int) -> Problema:
    from openpyxl.utils import get_column_letter

    return Problema(
        foglio,
        "formula senza valore calcolato (il file non è stato salvato da Excel): aprirlo e salvarlo in Excel, "
        "o scrivere il valore",
        riga=riga,
        colonna=get_column_letter(colonna),
    )


def file_da_caricamento(nome: str, contenuto: bytes) -> tuple[File, File | None]:
    """An uploaded register as (points file, desk-slots file or None), both as CSV bytes.

    A CSV file is the points register. An .xlsx file gives its sheet «punti» (or the first sheet)
    and, when present, its sheet «sportelli». Names say where a problem is, e.g.
    «registro.xlsx (foglio punti)».
    """
    if not nome.lower().endswith((".xlsx", ".xlsm")):
        return (nome, contenuto), None
    fogli = fogli_xlsx(contenuto, nome_sicuro(nome))
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
