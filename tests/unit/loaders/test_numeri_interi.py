"""Validation never changes a value silently, in every loader (issue 21, point 8).

A number with a fraction where a whole number is expected is refused, with one Italian message naming
file, row and column and quoting the cell as written (as Excel shows it for an .xlsx file), never
truncated or rounded. A missing value is one message, «valore mancante», never a second one quoting
«None». Every whole-number column of every loader is listed here; a loader that gains one adds it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from openpyxl import Workbook

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import csvio, registro, xlsx
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.loaders import popolazione as pop
from cittadelnoi.loaders import punti as pt
from cittadelnoi.loaders import quartieri as qt
from cittadelnoi.loaders import sportelli as sp
from cittadelnoi.loaders import storico as st
from cittadelnoi.loaders.csvio import File, leggi_file
from tests.conftest import DATA


@pytest.fixture(scope="module")
def quartieri() -> gpd.GeoDataFrame:
    return qt.carica_quartieri(leggi_file(DATA / "quartieri.geojson"))[0]


@pytest.fixture(scope="module")
def caricatori(quartieri) -> dict[str, Callable[[File], object]]:
    punti, _ = pt.carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    stati = dict(zip(punti["id"], punti["stato"], strict=True))
    return {
        "quartieri.geojson": qt.carica_quartieri,
        "punti.csv": lambda f: pt.carica_punti(f, quartieri),
        "sportelli.csv": lambda f: sp.carica_sportelli(f, set(punti["id"])),
        "finanziamenti.csv": fin.carica_finanziamenti,
        "popolazione.csv": lambda f: pop.carica_popolazione(f, quartieri),
        "conteggi_punti.csv": st.carica_conteggi,
        "storico_punti.csv": lambda f: st.carica_storico_punti(f, stati),
    }


def _cambia_csv(cartella: Path, file: str, colonna: str, valore: str, id_riga: str | None = None) -> tuple[Path, int]:
    """esempio/`file` with `colonna` set to `valore` in the first data row (or the row whose first
    cell is `id_riga`); returns the path and the file row changed."""
    righe = list(csv.reader(io.StringIO((DATA / file).read_text(encoding="utf-8"))))
    n = next(i for i, r in enumerate(righe) if i and (id_riga is None or r[0] == id_riga))
    righe[n][righe[0].index(colonna)] = valore
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(righe)
    path = cartella / file
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, n + 1


def _cambia_geojson(cartella: Path, colonna: str, valore: object, elemento: int = 5) -> Path:
    dati = json.loads((DATA / "quartieri.geojson").read_text(encoding="utf-8"))
    dati["features"][elemento - 1]["properties"][colonna] = valore
    path = cartella / "quartieri.geojson"
    path.write_text(json.dumps(dati), encoding="utf-8")
    return path


def _problemi(carica: Callable[[File], object], path: Path) -> list[Problema]:
    with pytest.raises(DatiNonValidi) as exc:
        carica(leggi_file(path))
    return exc.value.problemi


# Every whole-number column: (file, column, the row's id when not the first data row).
INTERI = [
    ("sportelli.csv", "volontari", None),
    ("popolazione.csv", "anno", None),
    ("popolazione.csv", "residenti", None),
    ("conteggi_punti.csv", "attivi", None),
    ("conteggi_punti.csv", "in_apertura", None),
    # finanziamenti.csv: `valore` of a count (enti, servizi, persone, abitanti, punti)
    ("finanziamenti.csv", "valore", fin.EROGATORI),
    ("finanziamenti.csv", "valore", fin.POPOLAZIONE),
    ("finanziamenti.csv", "valore", "obiettivo_punti"),
]


@pytest.mark.parametrize("scritto", ["12.5", "12,5"])
@pytest.mark.parametrize("file, colonna, id_riga", INTERI)
def test_a_fraction_in_a_whole_number_column_is_refused_quoting_the_cell(
    tmp_path: Path, caricatori, file: str, colonna: str, id_riga: str | None, scritto: str
):
    if colonna == "anno":
        scritto = scritto.replace("12", "2024")
    path, riga = _cambia_csv(tmp_path, file, colonna, scritto, id_riga)
    problemi = _problemi(caricatori[file], path)
    assert [(p.file, p.riga, p.colonna) for p in problemi] == [(file, riga, colonna)], [str(p) for p in problemi]
    assert f"«{scritto}»" in problemi[0].messaggio


def test_a_count_of_finanziamenti_may_be_whole_written_with_a_fraction_point_zero(tmp_path: Path):
    path, _ = _cambia_csv(tmp_path, "finanziamenti.csv", "valore", "318.0", fin.EROGATORI)
    frame, _ = fin.carica_finanziamenti(leggi_file(path))
    assert frame.at[fin.EROGATORI, "valore"] == 318


def test_euro_hours_and_percentages_keep_their_fractions(tmp_path: Path):
    path, _ = _cambia_csv(tmp_path, "finanziamenti.csv", "valore", "6,5", fin.ORE_MINIME)
    frame, _ = fin.carica_finanziamenti(leggi_file(path))
    assert fin.ore_minime(frame) == 6.5


@pytest.mark.parametrize(
    "valore, scritto",
    [(5.5, "5.5"), ("5.5", "5.5"), (True, "true"), ([5], "[5]")],
    ids=["numero-5.5", "testo-5.5", "true", "lista"],
)
def test_a_quartiere_number_that_is_not_whole_is_refused_not_truncated(tmp_path: Path, valore: object, scritto: str):
    # Before: 5.5 was served as 5, reported "ok" and kept as the last good copy; true became 1.
    problemi = _problemi(qt.carica_quartieri, _cambia_geojson(tmp_path, "numero", valore))
    assert [str(p) for p in problemi] == [
        f"quartieri.geojson, elemento 5, colonna «numero»: «{scritto}» non è un numero intero"
    ]


def test_a_quartiere_number_written_5_0_is_the_whole_number_5(tmp_path: Path):
    numero = json.loads((DATA / "quartieri.geojson").read_text(encoding="utf-8"))["features"][4]["properties"]["numero"]
    gdf, _ = qt.carica_quartieri(leggi_file(_cambia_geojson(tmp_path, "numero", float(numero))))
    assert numero in gdf["numero"].tolist() and gdf["numero"].dtype.kind == "i"


def test_an_area_written_true_is_refused(tmp_path: Path):
    problemi = _problemi(qt.carica_quartieri, _cambia_geojson(tmp_path, "area_km2", True))
    assert [(p.riga, p.colonna, p.messaggio) for p in problemi] == [(5, "area_km2", "«true» non è un numero")]


# Every column that must have a value, per loader; the message when it is empty.
OBBLIGATORIE = [
    *[("quartieri.geojson", c, "valore mancante") for c in qt.COLONNE],
    *[("punti.csv", c, "valore mancante") for c in pt.OBBLIGATORIE],
    *[("sportelli.csv", c, "valore mancante") for c in sp.OBBLIGATORIE],
    *[
        ("finanziamenti.csv", c, "valore vuoto: se la fonte non lo stima" if c == "valore" else "valore mancante")
        for c in fin.OBBLIGATORIE
    ],
    *[("popolazione.csv", c, "valore mancante") for c in pop.COLONNE_FILE],
    *[("conteggi_punti.csv", c, "valore mancante") for c in ("data", "attivi", "fonte")],
    *[("storico_punti.csv", c, "valore mancante") for c in st.COLONNE_STORICO],
]


@pytest.mark.parametrize("file, colonna, messaggio", OBBLIGATORIE)
def test_a_missing_value_is_one_message(tmp_path: Path, caricatori, file: str, colonna: str, messaggio: str):
    if file == "quartieri.geojson":
        path, riga = _cambia_geojson(tmp_path, colonna, None), 5
    else:
        path, riga = _cambia_csv(tmp_path, file, colonna, "")
    problemi = _problemi(caricatori[file], path)
    # Before: a quartiere without `numero` got «None» non è un numero intero as well.
    assert [(p.riga, p.colonna) for p in problemi] == [(riga, colonna)], [str(p) for p in problemi]
    assert problemi[0].messaggio.startswith(messaggio)
    assert "None" not in problemi[0].messaggio


# --- imports on the Gestione page: CSV and XLSX ---------------------------------------------------


def _xlsx(fogli: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for nome, righe in fogli.items():
        ws = wb.create_sheet(nome)
        for riga in righe:
            ws.append(riga)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _righe_csv(file: str) -> list[list[object]]:
    return list(csv.reader(io.StringIO((DATA / file).read_text(encoding="utf-8"))))


def _importa(nome: str, contenuto: bytes, quartieri) -> list[Problema]:
    punti, sportelli = xlsx.file_da_caricamento(nome, contenuto)
    with pytest.raises(DatiNonValidi) as exc:
        registro.valida_file(punti, sportelli, quartieri)
    return exc.value.problemi


@pytest.mark.parametrize("valore, scritto", [(2.5, "2.5"), (0.1 + 0.2, "0.3"), ("2,5", "2,5")])
def test_xlsx_import_refuses_a_fraction_of_volunteers_quoting_what_excel_shows(quartieri, valore, scritto):
    fasce = _righe_csv("sportelli.csv")
    fasce[1][fasce[0].index("volontari")] = valore
    contenuto = _xlsx({"punti": _righe_csv("punti.csv"), "sportelli": fasce})
    problemi = _importa("r.xlsx", contenuto, quartieri)
    assert [(p.file, p.riga, p.colonna) for p in problemi] == [("r.xlsx (foglio sportelli)", 2, "volontari")]
    assert f"(valore «{scritto}»)" in problemi[0].messaggio


def test_csv_import_refuses_a_fraction_of_volunteers(quartieri):
    fasce = (DATA / "sportelli.csv").read_text(encoding="utf-8")
    fasce = fasce.replace("demo-brescia-antica,mar,10:00,13:00,2,", "demo-brescia-antica,mar,10:00,13:00,2.5,", 1)
    with pytest.raises(DatiNonValidi) as exc:
        registro.valida_file(
            ("punti.csv", (DATA / "punti.csv").read_bytes()), ("orari.csv", fasce.encode("utf-8")), quartieri
        )
    assert [(p.file, p.riga, p.colonna) for p in exc.value.problemi] == [("orari.csv", 4, "volontari")]
    assert "(valore «2.5»)" in exc.value.problemi[0].messaggio


def test_xlsx_import_a_missing_source_is_one_message(quartieri):
    fasce = _righe_csv("sportelli.csv")
    fasce[1][fasce[0].index("fonte")] = None
    problemi = _importa("r.xlsx", _xlsx({"punti": _righe_csv("punti.csv"), "sportelli": fasce}), quartieri)
    assert [str(p) for p in problemi] == ["r.xlsx (foglio sportelli), riga 2, colonna «fonte»: valore mancante"]


def _popolazione_xlsx(residenti: object) -> bytes:
    righe = _righe_csv("popolazione.csv")
    righe[1][righe[0].index("residenti")] = residenti
    righe[1][righe[0].index("anno")] = int(righe[1][righe[0].index("anno")])
    return _xlsx({"popolazione": righe})


def test_xlsx_residents_with_a_fraction_are_refused_not_read_as_thousands(quartieri):
    # Before: the number 12.522 in a cell became «12.522», then 12522 residents (Italian thousands).
    with pytest.raises(DatiNonValidi) as exc:
        pop.popolazione_da_caricamento("residenti.xlsx", _popolazione_xlsx(12.522), quartieri)
    assert [(p.file, p.riga, p.colonna) for p in exc.value.problemi] == [
        ("residenti.xlsx (foglio popolazione)", 2, "residenti")
    ]
    assert "(valore «12.522»)" in exc.value.problemi[0].messaggio


@pytest.mark.parametrize("residenti", [4890, 4890.0])
def test_xlsx_residents_as_whole_numbers_are_read(quartieri, residenti):
    frame = pop.popolazione_da_caricamento("residenti.xlsx", _popolazione_xlsx(residenti), quartieri)
    assert frame.loc[frame["riga"] == 2, "residenti"].tolist() == [4890]


def test_csv_residents_with_thousands_separators_still_read_as_italian_tables_write_them(quartieri):
    testo = (
        (DATA / "popolazione.csv").read_text(encoding="utf-8").replace("17029001,2024,4890,", "17029001,2024,4.890,")
    )
    frame = pop.popolazione_da_caricamento("residenti.csv", testo.encode("utf-8"), quartieri)
    assert frame.loc[frame["riga"] == 2, "residenti"].tolist() == [4890]


# --- the size limit ------------------------------------------------------------------------------


def test_a_file_between_5_mb_and_5_mib_is_refused_by_the_app_in_italian(quartieri):
    # Streamlit's uploader refuses (in English) files above 5,000,000 bytes: the app's limit is the
    # same number, or a 5.1 MB file would be refused in English while the app says nothing.
    grande = b"id\n" + b"x" * 5_100_000
    with pytest.raises(DatiNonValidi) as exc:
        registro.valida_file(("grande.csv", grande), None, quartieri)
    assert [str(p) for p in exc.value.problemi] == [
        "grande.csv: file troppo grande (5,2 MB, massimo 5 MB): è il file giusto?"
    ]
    assert csvio.MAX_BYTES == 5_000_000
