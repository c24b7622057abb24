"""loaders/punti.py on bad files: Italian messages naming file, row and column; nothing half-loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from tests.conftest import DATA, replace_in


@pytest.fixture(scope="module")
def quartieri():
    return carica_quartieri(leggi_file(DATA / "quartieri.geojson"))[0]


def problemi(exc: pytest.ExceptionInfo[DatiNonValidi]) -> list[tuple[int | None, str | None, str]]:
    return [(p.riga, p.colonna, p.messaggio) for p in exc.value.problemi]


def test_missing_column(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    path.write_text(
        "id,nome,codice_istat,lat,lon,fonte,dimostrativo\nx,Punto,17029001,45.5,10.2,fonte nota,no\n", encoding="utf-8"
    )
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    assert (1, "stato", "colonna obbligatoria mancante") in problemi(exc)
    assert "punti.csv, riga 1, colonna «stato»: colonna obbligatoria mancante" in str(exc.value)


def test_unknown_quartiere_bad_status_and_duplicate_id_are_all_reported(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(
        path,
        "don-bosco,Punto Girasole (esempio),17029006,attivo",
        "don-bosco,Punto Girasole (esempio),17029099,attivo",
    )
    replace_in(
        path,
        "mompiano,Punto Quercia (esempio),17029011,attivo",
        "mompiano,Punto Quercia (esempio),17029011,chiuso",
    )
    replace_in(path, "primo-maggio,Punto", "mompiano,Punto")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    found = problemi(exc)
    assert (2, "codice_istat", "codice ISTAT di quartiere sconosciuto (17029001-17029033) (valore «17029099»)") in found
    assert (3, "stato", "stato non valido: ammessi «attivo» o «in_apertura» (valore «chiuso»)") in found
    assert (3, "id", "valore «mompiano» ripetuto: deve essere unico") in found
    assert (4, "id", "valore «mompiano» ripetuto: deve essere unico") in found


def test_coordinates_outside_brescia(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "45.52108,10.20974", "41.90278,12.49637")  # Rome
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    cols = {(r, c) for r, c, _ in problemi(exc)}
    assert cols == {(5, "lat"), (5, "lon")}
    assert "latitudine fuori da Brescia" in str(exc.value)


def test_non_numeric_coordinate_and_bad_date(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "45.52108,10.20974", "quarantacinque,10.20974")
    replace_in(path, "2018-03-12", "23/10/2025")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    found = problemi(exc)
    assert (5, "lat", "«quarantacinque» non è un numero") in found
    assert (4, "apertura", "data non valida: usare AAAA-MM-GG o AAAA-MM (valore «23/10/2025»)") in found


def test_row_with_extra_field_names_its_line(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    replace_in(path, "Circolo Immaginario del Borgo (fittizio),", "Circolo, Immaginario del Borgo (fittizio),")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    assert problemi(exc)[0][0] == 4
    assert "18 campi ma l'intestazione ne ha 17" in problemi(exc)[0][2]


def test_excel_semicolon_latin1_file_is_read_with_warnings(data_copy: Path, quartieri):
    good, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    path = data_copy / "punti.csv"
    frame = good.drop(columns="riga").copy()
    frame["dimostrativo"] = frame["dimostrativo"].map({True: "sì", False: "no"})
    frame["lat"] = frame["lat"].map(lambda v: f"{v:.5f}".replace(".", ","))
    frame["lon"] = frame["lon"].map(lambda v: f"{v:.5f}".replace(".", ","))
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")
    punti, avvisi = carica_punti(leggi_file(path), quartieri)
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
        carica_punti(leggi_file(path), quartieri)
    assert message in str(exc.value)


def test_huge_file_is_refused_before_parsing(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    with path.open("ab") as fh:
        fh.write(b"#" * (6 * 1024 * 1024))
    with pytest.raises(DatiNonValidi, match="file troppo grande"):
        carica_punti(leggi_file(path), quartieri)


# --- issue 11: places, not guesses; dates as precise as their source ------------------------------


def _righe(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_point_without_coordinates_is_indicative_at_its_quartiere(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    righe = _righe(path)
    testata = righe[0].split(",")
    i_lat, i_lon, i_pos = testata.index("lat"), testata.index("lon"), testata.index("posizione")
    campi = righe[4].split(",")  # lamarmora: no comma inside its fields
    campi[i_lat] = campi[i_lon] = campi[i_pos] = ""
    righe[4] = ",".join(campi)
    path.write_text("\n".join(righe) + "\n", encoding="utf-8")
    punti, _ = carica_punti(leggi_file(path), quartieri)
    lam = punti.set_index("id").loc["lamarmora"]
    centro = quartieri.set_index("codice_istat").geometry["17029010"].representative_point()
    assert lam["posizione"] == "centro_quartiere"
    assert (lam["lat"], lam["lon"]) == (round(centro.y, 5), round(centro.x, 5))


def test_position_outside_its_quartiere_is_refused_naming_both(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    # Lamarmora's point moved to Don Bosco's sample coordinates.
    replace_in(path, "45.52108,10.20974", "45.52802,10.20539")
    with pytest.raises(DatiNonValidi) as exc:
        carica_punti(leggi_file(path), quartieri)
    [p] = exc.value.problemi
    assert (p.riga, p.colonna) == (5, "lat")
    assert "è nel quartiere «Don Bosco», ma il punto è nel quartiere «Lamarmora»" in p.messaggio


def test_dates_at_month_precision_and_impossible_ones(data_copy: Path, quartieri):
    path = data_copy / "punti.csv"
    punti, _ = carica_punti(leggi_file(path), quartieri)
    borgo = punti.set_index("id").loc["don-bosco"]
    assert borgo["conferma"] == "2024-01" and borgo["conferma_fino"] == dt.date(2024, 1, 31)
    replace_in(path, ",2024-01,", ",2024-13,")
    with pytest.raises(DatiNonValidi, match="data inesistente «2024-13»"):
        carica_punti(leggi_file(path), quartieri)


def test_the_quartieri_of_many_points_at_once_are_those_of_one_point_at_a_time(quartieri) -> None:
    """quartieri_di (one spatial-index query, used to check a whole register) agrees with quartiere_di
    on points spread over and around the city, borders and outside included."""
    import numpy as np
    import shapely

    from cittadelnoi.loaders.punti import quartiere_di, quartieri_di

    minx, miny, maxx, maxy = quartieri.total_bounds
    rng = np.random.default_rng(7)
    lon = rng.uniform(minx - 0.01, maxx + 0.01, 400)
    lat = rng.uniform(miny - 0.01, maxy + 0.01, 400)
    # Vertices of the boundaries: on a border shared by two quartieri.
    vertici = shapely.get_coordinates(quartieri.geometry.iloc[0].boundary)[:20]
    lon, lat = np.concatenate([lon, vertici[:, 0]]), np.concatenate([lat, vertici[:, 1]])
    insieme = quartieri_di(lat, lon, quartieri)
    uno_per_uno = [quartiere_di(y, x, quartieri) for y, x in zip(lat, lon, strict=True)]
    assert insieme == uno_per_uno
    assert None in insieme and len({c for c in insieme if c}) > 20  # outside points and most quartieri seen
