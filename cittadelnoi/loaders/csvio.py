"""Reading CSV files the way officials actually produce them.

Excel in an Italian locale saves "CSV" as `;`-separated, Windows-1252 text with decimal commas.
Rather than reject such a file we read it and say, as a warning, what we converted: the official
gets the data on screen and a note naming the file. Anything we cannot read unambiguously (a row
with the wrong number of fields, a missing column, an empty file) is an error naming row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cittadelnoi.core.celle import ripristina
from cittadelnoi.core.errors import DatiNonValidi, Problema

# A register of 33 quartieri and a few hundred desk slots is a few KB; 5 MB means a wrong file.
# The one home of the upload limit, in Streamlit's unit: .streamlit/config.toml's
# server.maxUploadSize must say MAX_MB (tests/unit/test_config.py) and the Gestione uploaders pass
# it to st.file_uploader. Streamlit's uploader counts a MB as 1,000,000 bytes (1,048,576 only in a
# browser on Windows), so the app's limit is MAX_MB million bytes: a file the uploader lets through
# reaches the app, which refuses it in Italian when too big, never a file the app would take refused
# by the uploader in English.
MAX_MB = 5
MAX_BYTES = MAX_MB * 1_000_000
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def troppo_grande(nome: str, size: int) -> Problema:
    """'file troppo grande (5,1 MB, massimo 5 MB)': the size rounded up to 0.1 MB, so that a file
    just over the limit never reads as within it («5,0 MB, massimo 5 MB»)."""
    from cittadelnoi.core import fmt

    mb = fmt.numero(math.ceil(size / 100_000) / 10, decimali=1, locale="it_IT")
    return Problema(nome, f"file troppo grande ({mb} MB, massimo {MAX_MB} MB): è il file giusto?")


def troppe_righe(nome: str, massimo: int, cosa: str) -> Problema:
    from cittadelnoi.core import fmt

    return Problema(
        nome,
        f"troppe righe: il registro ammette al massimo {fmt.numero(massimo, locale='it_IT')} {cosa}, il file ne ha di più. "
        "È il file giusto? Nulla è stato caricato.",
    )


# A data file as the loaders take it: its name (for the messages) and its bytes, whether it comes
# from data/ (`leggi_file`), an upload or a register written out as text.
File = tuple[str, bytes]


def leggi_file(path: Path) -> File:
    """(name, bytes) of a file of data/ for the loaders. Raises DatiNonValidi when it is missing or
    bigger than MAX_BYTES (checked before reading it)."""
    nome = path.name
    if not path.exists():
        raise DatiNonValidi([Problema(nome, "file mancante nella cartella dei dati")])
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DatiNonValidi([troppo_grande(nome, size)])
    return nome, path.read_bytes()


def leggi_testo(file: File) -> tuple[str, list[Problema]]:
    """The file's text and any warning about its encoding. Raises DatiNonValidi if unreadable."""
    nome, raw = file
    if len(raw) > MAX_BYTES:
        raise DatiNonValidi([troppo_grande(nome, len(raw))])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's «Testo Unicode» export: UTF-16 with its byte-order mark.
        try:
            testo = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DatiNonValidi(
                [Problema(nome, "file in UTF-16 non leggibile: salvarlo da Excel come «CSV UTF-8»")]
            ) from None
        avviso = Problema(
            nome,
            "il file è in UTF-16 («Testo Unicode» di Excel): letto; meglio salvarlo come «CSV UTF-8».",
            gravita="avviso",
        )
        return testo, [avviso]
    if b"\x00" in raw:
        raise DatiNonValidi(
            [
                Problema(
                    nome,
                    "il file non è testo (contiene byte nulli): forse è un .xlsx rinominato? Salvarlo come «CSV UTF-8»",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        riga = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        avviso = Problema(
            nome,
            "il file non è in UTF-8: letto come Windows-1252/Latin-1 (tipico di Excel). "
            "Controllare le lettere accentate; meglio salvare come «CSV UTF-8».",
            riga=riga,
            gravita="avviso",
        )
        return text, [avviso]


def _righe(
    reader, nome: str, campi: int, max_righe: int | None, cosa: str
) -> tuple[list[list[str]], list[int], list[Problema]]:
    """The data rows after the header (blank lines skipped), their file lines, and the rows with the
    wrong number of fields as errors; raises DatiNonValidi past `max_righe` rows."""
    rows: list[list[str]] = []
    lines: list[int] = []
    errori: list[Problema] = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue  # blank lines, e.g. a trailing empty line from Excel
        if max_righe is not None and len(rows) + len(errori) >= max_righe:
            raise DatiNonValidi([troppe_righe(nome, max_righe, cosa)])
        if len(record) != campi:
            errori.append(
                Problema(
                    nome,
                    f"la riga ha {len(record)} campi ma l'intestazione ne ha {campi} (virgola o virgolette fuori posto?)",
                    riga=reader.line_num,
                )
            )
            continue
        # The app's own files protect formula-like text with an apostrophe: read it back as written.
        rows.append([ripristina(cell.strip()) for cell in record])
        lines.append(reader.line_num)
    return rows, lines, errori


def _intestazione(
    nome: str, header: list[str], colonne: Sequence[str], obbligatorie: Sequence[str] | None, avvisi: list[Problema]
) -> list[Problema]:
    """The header's errors (a repeated or missing required column); unknown columns are added to `avvisi`."""
    errori: list[Problema] = []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            errori.append(Problema(nome, "colonna ripetuta nell'intestazione", riga=1, colonna=col))
        seen.add(col)
    for col in colonne if obbligatorie is None else obbligatorie:
        if col not in header:
            errori.append(Problema(nome, "colonna obbligatoria mancante", riga=1, colonna=col))
    for col in header:
        if col not in colonne:
            avvisi.append(Problema(nome, "colonna non prevista: ignorata", riga=1, colonna=col, gravita="avviso"))
    return errori


def leggi_csv(
    file: File,
    colonne: Sequence[str],
    obbligatorie: Sequence[str] | None = None,
    numeriche: Sequence[str] = (),
    max_righe: int | None = None,
    cosa: str = "righe",
) -> tuple[pd.DataFrame, list[Problema]]:
    """Read `file` (name, bytes) into a DataFrame of strings (empty cells are None) with exactly `colonne`.

    Columns in `colonne` but not in `obbligatorie` may be absent (filled with None). More than
    `max_righe` data rows (`cosa` names them in the message) is an error found while reading,
    before any row is checked. Returns the frame and the warnings; raises DatiNonValidi listing
    every structural error found.
    """
    nome = file[0]
    text, avvisi = leggi_testo(file)
    if not text.strip():
        raise DatiNonValidi([Problema(nome, "il file è vuoto")])

    header_line = text.splitlines()[0]
    sep = ";" if header_line.count(";") > header_line.count(",") else ","
    if sep == ";":
        avvisi.append(
            Problema(
                nome, "separatore «;» (CSV di Excel in italiano): letto con virgola decimale", riga=1, gravita="avviso"
            )
        )

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = [h.strip() for h in next(reader)]
        rows, lines, errori = _righe(reader, nome, len(header), max_righe, cosa)
    except csv.Error as exc:
        raise DatiNonValidi([Problema(nome, f"CSV non leggibile: {exc}", riga=reader.line_num)]) from exc
    errori += _intestazione(nome, header, colonne, obbligatorie, avvisi)
    if not rows and not errori:
        errori.append(Problema(nome, "il file non contiene righe di dati"))
    if errori:
        raise DatiNonValidi(errori)

    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    # An optional column absent from the file is a column of None, like an empty one: object
    # dtype, not the float NaN column reindex would make (the schema's text checks expect text).
    frame = frame.reindex(columns=list(colonne)).astype(object)
    frame = frame.where(frame.notna(), None).replace({"": None})
    for col in numeriche:
        frame[col] = punto_decimale(frame[col])
    # Keep the file line of each row so later checks can name it even for multi-line quoted cells.
    frame.index = pd.Index(lines, name="riga")
    return frame, avvisi


def punto_decimale(colonna: pd.Series) -> pd.Series:
    """A column of numbers as text with the decimal comma of Excel in Italian made a point:
    '12,5' -> '12.5'; anything else unchanged (thousands separators are never guessed here)."""
    return colonna.map(lambda v: v.replace(",", ".") if isinstance(v, str) and _DECIMAL_COMMA.match(v) else v)


def scrivi_csv_atomico(path: Path, colonne: Sequence[str], righe: list[dict[str, object]]) -> None:
    """Write beside the target and rename: the running app never reads a half-written file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(colonne))
        writer.writeheader()
        writer.writerows(righe)
    tmp.replace(path)
