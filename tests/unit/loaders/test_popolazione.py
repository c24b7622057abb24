"""Residents per quartiere: the shipped partial table, the Comune's table with names, and its problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.popolazione import carica_popolazione, ultime
from cittadelnoi.loaders.quartieri import carica_quartieri
from tests.conftest import DATA


@pytest.fixture(scope="module")
def quartieri():
    return carica_quartieri(leggi_file(DATA / "quartieri.geojson"))[0]


def test_sample_table_has_every_quartiere(quartieri):
    pop, avvisi = carica_popolazione(leggi_file(DATA / "popolazione.csv"), quartieri)
    assert avvisi == [] and len(pop) == 33 and set(pop["anno"]) == {2024}
    assert (pop["residenti"] > 0).all()


def test_comune_table_with_names_thousands_and_two_years(tmp_path: Path, quartieri):
    path = tmp_path / "residenti.csv"
    path.write_text(
        "quartiere,anno,residenti,fonte\n"
        "Porta Cremona - Volta,2013,12.522,Comune\n"
        "porta cremona volta,2024,12 600,Comune\n"
        "Villaggio Violino,2024,3447,Comune\n",
        encoding="utf-8",
    )
    pop, _ = carica_popolazione(leggi_file(path), quartieri)
    assert pop["codice_istat"].tolist() == ["17029012", "17029012", "17029025"]
    assert pop["residenti"].tolist() == [12522, 12600, 3447]
    u = ultime(pop)
    assert u.at["17029012", "anno"] == 2024 and u.at["17029012", "residenti"] == 12600


def test_problems_name_row_and_column(tmp_path: Path, quartieri):
    path = tmp_path / "popolazione.csv"
    path.write_text(
        "codice_istat,anno,residenti,fonte\n"
        "17029099,2024,100,Comune\n"
        "17029001,24,100,Comune\n"
        "17029002,2024,tanti,Comune\n"
        "17029003,2024,100,\n"
        "17029004,2024,100,Comune\n"
        "17029004,2024,200,Comune\n",
        encoding="utf-8",
    )
    with pytest.raises(DatiNonValidi) as exc:
        carica_popolazione(leggi_file(path), quartieri)
    trovati = {(p.riga, p.colonna) for p in exc.value.problemi}
    assert {(2, "codice_istat"), (3, "anno"), (4, "residenti"), (5, "fonte")} <= trovati


def test_duplicate_quartiere_and_year(tmp_path: Path, quartieri):
    path = tmp_path / "popolazione.csv"
    path.write_text(
        "codice_istat,anno,residenti,fonte\n17029004,2024,100,Comune\n17029004,2024,200,Comune\n", encoding="utf-8"
    )
    with pytest.raises(DatiNonValidi, match="due righe per lo stesso quartiere"):
        carica_popolazione(leggi_file(path), quartieri)
