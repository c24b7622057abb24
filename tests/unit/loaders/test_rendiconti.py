"""loaders.rendiconti: the monthly reports read and checked like every file (file, row, column)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.rendiconti import (
    COLONNE,
    carica_rendiconti,
    csv_rendiconti,
    modello_xlsx,
    ore_nel_mese,
    rendiconti_da_caricamento,
)

OGGI = dt.date(2026, 12, 8)
IDS = {"don-bosco", "mompiano"}
TESTA = ",".join(COLONNE) + "\n"


def carica(righe: str, nome: str = "rendiconti.csv"):
    return carica_rendiconti((nome, (TESTA + righe).encode("utf-8")), IDS, OGGI)


def problemi(righe: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(DatiNonValidi) as exc:
        carica(righe)
    return [(p.riga, p.colonna, p.messaggio) for p in exc.value.problemi]


def test_a_good_file_gives_typed_figures_and_unknown_stays_unknown():
    frame, avvisi = carica(
        'don-bosco,2026-11,"26,5",4,80,31,,registro presenze,inviato\nmompiano,2026-10,,,,12,,registro presenze,\n'
    )
    assert avvisi == []
    r0, r1 = frame.to_dict("records")
    assert (r0["ore_sportello"], r0["volontari"], r0["ore_volontariato"], r0["accessi"]) == (26.5, 4, 80.0, 31)
    assert r1["ore_sportello"] != r1["ore_sportello"]  # NaN: not reported, never 0
    assert frame["volontari"].isna().tolist() == [False, True] and str(frame["volontari"].dtype) == "Int64"
    assert r1["stato"] == "inviato"  # empty state: sent
    assert list(frame["riga"]) == [2, 3]


@pytest.mark.parametrize(
    ("mese", "parola"),
    [
        ("2026-13", "mese non valido"),
        ("11/2026", "mese non valido"),
        ("1999-05", "mese non valido"),
        ("2027-01", "non è ancora iniziato"),
    ],
)
def test_bad_months_are_refused_naming_row_and_column(mese: str, parola: str):
    trovati = problemi(f"don-bosco,{mese},10,2,20,5,,registro,inviato\n")
    assert any(r == 2 and c == "mese" and parola in m for r, c, m in trovati), trovati


def test_negative_or_non_numeric_figures_are_refused():
    trovati = problemi("don-bosco,2026-11,-3,due,10,5,,registro,inviato\n")
    assert {c for _, c, _ in trovati} == {"ore_sportello", "volontari"}
    assert all(r == 2 for r, _, _ in trovati)


def test_impossible_figures_are_refused():
    # November has 30 days = 720 hours; 2 volunteers cannot give more than 1,440 person-hours.
    assert ore_nel_mese(2026, 11) == 720 and ore_nel_mese(2024, 2) == 29 * 24
    trovati = problemi("don-bosco,2026-11,721,2,1441,5,,registro,inviato\n")
    assert [(c, "cifra impossibile" in m) for _, c, m in trovati] == [
        ("ore_sportello", True),
        ("ore_volontariato", True),
    ]
    assert not problemi_or_none("don-bosco,2026-11,720,2,1440,5,,registro,inviato\n")


def problemi_or_none(righe: str):
    try:
        carica(righe)
    except DatiNonValidi as exc:
        return exc.problemi
    return None


def test_duplicates_unknown_points_empty_reports_and_states():
    trovati = problemi(
        "don-bosco,2026-11,10,2,20,5,,registro,inviato\n"
        "don-bosco,2026-11,12,2,20,5,,registro,bozza\n"
        "nessuno,2026-11,10,2,20,5,,registro,inviato\n"
        "mompiano,2026-11,,,,,,registro,inviato\n"
        "mompiano,2026-10,10,2,20,5,,registro,spedito\n"
    )
    assert (3, "mese") in {(r, c) for r, c, _ in trovati}
    assert any("riga 2" in m for r, c, m in trovati if r == 3)
    assert (4, "id_punto") in {(r, c) for r, c, _ in trovati}
    assert any(r == 5 and "nessuna cifra" in m for r, _, m in trovati)
    assert any(r == 6 and c == "stato" for r, c, _ in trovati)


def test_a_missing_source_is_refused():
    assert any(c == "fonte" for _, c, _ in problemi("don-bosco,2026-11,10,2,20,5,,,inviato\n"))


def test_excel_cells_are_quoted_as_excel_shows_them():
    """A month typed as a date and time in Excel is quoted «10/12/2025 09:30», not Python's ISO text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "rendiconti"
    ws.append(list(COLONNE))
    ws.append(["don-bosco", dt.datetime(2025, 12, 10, 9, 30), 10, 2, 20, 5, None, "registro", "inviato"])
    ws.cell(2, 2).number_format = "dd/mm/yyyy hh:mm"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DatiNonValidi) as exc:
        rendiconti_da_caricamento("marzo.xlsx", buf.getvalue(), IDS, OGGI)
    (p,) = exc.value.problemi
    assert (p.file, p.riga, p.colonna) == ("marzo.xlsx (foglio rendiconti)", 2, "mese")
    assert "«10/12/2025 09:30»" in p.messaggio and "2025-12-10" not in p.messaggio


def test_the_template_reads_back_and_a_csv_written_by_the_app_too():
    modello = modello_xlsx(["don-bosco", "mompiano"], "2026-11")
    with pytest.raises(DatiNonValidi) as exc:  # the template's figures are all empty: one message says so
        rendiconti_da_caricamento("modello.xlsx", modello, IDS, OGGI)
    assert [p.messaggio for p in exc.value.problemi] == ["nessun rendiconto compilato: ogni riga è senza cifre"]
    testo = csv_rendiconti(
        [{"id_punto": "don-bosco", "mese": "2026-11", "ore_sportello": 12.5, "note": "=1+1", "fonte": "registro"}]
    )
    frame, _ = carica_rendiconti(("r.csv", testo), IDS, OGGI)
    assert frame["note"].iloc[0] == "=1+1" and b"'=1+1" in testo  # never a live formula


def test_a_closed_point_s_reports_in_data_are_a_warning_not_a_refusal():
    testo = (
        TESTA + "chiuso,2026-10,10,2,20,5,,registro,inviato\nchiuso,2026-11,10,2,20,5,,registro,inviato\n"
    ).encode()
    with pytest.raises(DatiNonValidi):
        carica_rendiconti(("rendiconti.csv", testo), IDS, OGGI)
    frame, avvisi = carica_rendiconti(("rendiconti.csv", testo), IDS, OGGI, ignoti_ammessi=True)
    assert len(frame) == 2
    assert [(a.gravita, "i suoi 2 rendiconti" in a.messaggio) for a in avvisi] == [("avviso", True)]


def test_the_template_with_blank_rows_imports_the_filled_ones_and_names_the_rest() -> None:
    """The template has one row per point: rows left blank are «non rendicontato» (one warning
    naming them), not an error; a file with no filled row is refused."""
    from cittadelnoi.loaders.rendiconti import rendiconti_da_caricamento as leggi

    testa = "id_punto,mese,ore_sportello,volontari,ore_volontariato,accessi,note,fonte,stato\n"
    piena = "a,2025-10,24,3,30,40,,registro del punto,inviato\n"
    vuota = "b,2025-10,,,,,,,\n"
    frame, avvisi = leggi("modello.csv", (testa + piena + vuota).encode(), {"a", "b"}, dt.date(2025, 12, 1))
    assert list(frame["id_punto"]) == ["a"]
    assert any("righe senza cifre" in a.messaggio and "righe 3" in a.messaggio for a in avvisi)
    with pytest.raises(DatiNonValidi) as exc:
        leggi("modello.csv", (testa + vuota).encode(), {"a", "b"}, dt.date(2025, 12, 1))
    assert "nessun rendiconto compilato" in exc.value.problemi[0].messaggio


def test_a_formula_without_its_computed_value_is_refused_naming_the_cell() -> None:
    """A file written by a program keeps formulas without the value Excel would compute: openpyxl
    reads them as empty, which would pass as «not reported». Refused, naming sheet, row and column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "rendiconti"
    ws.append(
        ["id_punto", "mese", "ore_sportello", "volontari", "ore_volontariato", "accessi", "note", "fonte", "stato"]
    )
    ws.append(["don-bosco", "2026-10", "=10+2", 3, 30, 40, None, "registro del punto", "inviato"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DatiNonValidi) as exc:
        rendiconti_da_caricamento("calcolato.xlsx", buf.getvalue(), IDS, OGGI)
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (2, "C") and "formula senza valore calcolato" in p.messaggio
