"""loaders/punti.py on bad files: Italian messages naming file, row and column; nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from tests.conftest import DATA, replace_in


@pytest.fixture(scope="module")
def quartieri():
    return carica_quartieri(DATA / "quartieri.geojson")[0]


def problemi(exc: pytest.ExceptionInfo[DatiNonValidi]) -> list[tuple[int | None, str | None, str]]:
    return [(p.riga, p.colonna, p.messaggio) for p in exc.value.problemi]


def test_missing_column(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    path.write_text(
        "id,nome,codice_istat,lat,lon,fonte,dimostrativo\nx,Punto,17029001,45.5,10.2,fonte nota,no\n", encoding="utf-8"
    )
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    assert (1, "stato", "colonna obbligatoria mancante") in problemi(exc)
    assert "punti.csv, riga 1, colonna «stato»: colonna obbligatoria mancante" in str(exc.value)


def test_unknown_quartiere_bad_status_and_duplicate_id_are_all_reported(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(
        path,
        "don-bosco,Punto di comunità Don Bosco,17029006,attivo",
        "don-bosco,Punto di comunità Don Bosco,17029099,attivo",
    )
    replace_in(
        path,
        "mompiano,Punto di comunità Mompiano,17029011,attivo",
        "mompiano,Punto di comunità Mompiano,17029011,chiuso",
    )
    replace_in(path, "primo-maggio,Punto", "mompiano,Punto")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    found = problemi(exc)
    assert (2, "codice_istat", "codice ISTAT di quartiere sconosciuto (17029001-17029033) (valore «17029099»)") in found
    assert (3, "stato", "stato non valido: ammessi «attivo» o «in_apertura» (valore «chiuso»)") in found
    assert (3, "id", "valore «mompiano» ripetuto: deve essere unico") in found
    assert (4, "id", "valore «mompiano» ripetuto: deve essere unico") in found


def test_coordinates_outside_brescia(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "45.52132,10.20841", "41.90278,12.49637")  # Rome
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    cols = {(r, c) for r, c, _ in problemi(exc)}
    assert cols == {(5, "lat"), (5, "lon")}
    assert "latitudine fuori da Brescia" in str(exc.value)


def test_non_numeric_coordinate_and_bad_date(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "45.52132,10.20841", "quarantacinque,10.20841")
    replace_in(path, "2025-10-23", "23/10/2025")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    found = problemi(exc)
    assert (5, "lat", "«quarantacinque» non è un numero") in found
    assert (4, "apertura", "data non valida: usare AAAA-MM-GG (valore «23/10/2025»)") in found


def test_row_with_extra_field_names_its_line(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "Cooperativa Anemone,", "Cooperativa, Anemone,")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    assert problemi(exc)[0][0] == 4
    assert "14 campi ma l'intestazione ne ha 13" in problemi(exc)[0][2]


def test_excel_semicolon_latin1_file_is_read_with_warnings(data_copy: Path, quartieri):
    good, _ = carica_punti(DATA / "punti.csv", quartieri)
    path = data_copy / "punti.csv"
    frame = good.drop(columns="riga").copy()
    frame["dimostrativo"] = frame["dimostrativo"].map({True: "sì", False: "no"})
    frame["lat"] = frame["lat"].map(lambda v: f"{v:.5f}".replace(".", ","))
    frame["lon"] = frame["lon"].map(lambda v: f"{v:.5f}".replace(".", ","))
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")
    punti, avvisi = carica_punti(path, quartieri)
    assert punti["lat"].tolist() == good["lat"].tolist()
    assert punti["nome"].tolist() == good["nome"].tolist()  # accents decoded right
    testi = [str(a) for a in avvisi]
    assert any("non è in UTF-8" in t and t.startswith("punti.csv, riga 2") for t in testi)
    assert any("separatore «;»" in t for t in testi)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "il file è vuoto"),
        (b"id,nome\n", "colonna obbligatoria mancante"),
        (b"PK\x03\x04\x00\x00binary", "non è testo"),
    ],
)
def test_empty_header_only_and_binary_files(data_copy: Path, quartieri, content: bytes, message: str):
    path = data_copy / "punti.csv"
    path.write_bytes(content)
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(path, quartieri)
    assert message in str(exc.value)


def test_huge_file_is_refused_before_parsing(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    with path.open("ab") as fh:
        fh.write(b"#" * (6 * 1024 * 1024))
    with pytest.raises(DatiNonValidi, match="file troppo grande"):
        carica_punti(path, quartieri)
