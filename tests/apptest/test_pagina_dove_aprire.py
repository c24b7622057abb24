"""'Dove aprire il prossimo punto' through dashboard.py: ranking (by residents × distance when every
ranked quartiere has a figure of one year, else by distance, saying why), filter, method, notices."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.apptest.app import apri
from tests.conftest import DATA

PAGINA = "pages/dove_aprire.py"


def classifica(at):
    (tabella,) = [d.value for d in at.dataframe]
    return tabella


def test_only_quartieri_without_a_point_ranked_by_residents_far_from_a_point():
    at = apri(PAGINA)
    t = classifica(at)
    assert len(t) == 12  # the 12 quartieri with no point; Chiesanuova (opening) is not ranked
    assert "Chiesanuova" not in set(t["Quartiere"])
    assert t["Priorità"].tolist() == list(range(1, 13))
    # 11.690 residents at 1,55 km beat Villaggio Badia's 7.760 at 1,90 km.
    assert t.iloc[0]["Quartiere"] == "San Rocchino"
    assert t.iloc[0]["Distanza dal punto attivo più vicino"] == "1,55 km"
    assert t.iloc[0]["Residenti"] == "11.690 (2024)"
    assert t.iloc[0]["Fonte dei residenti"] == "esempio: cifra fittizia"
    assert any("residenti 2024 × distanza" in c.value for c in at.caption)
    assert not at.warning or all("non ancora nel registro" not in w.value for w in at.warning)


@pytest.fixture
def residenti_parziali(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cartella = tmp_path / "dati"
    shutil.copytree(DATA, cartella)
    righe = (cartella / "popolazione.csv").read_text(encoding="utf-8").splitlines()
    # Without San Rocchino's (17029029) and with Casazza's (17029027) of another year.
    tenute = [
        r.replace(",2024,", ",2013,") if r.startswith("17029027") else r for r in righe if not r.startswith("17029029")
    ]
    (cartella / "popolazione.csv").write_text("\n".join(tenute) + "\n", encoding="utf-8")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(cartella))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    return cartella


def test_a_missing_or_other_year_figure_keeps_the_distance_order_and_says_which(residenti_parziali):
    at = apri(PAGINA)
    t = classifica(at)
    assert t.iloc[0]["Quartiere"] == "Villaggio Badia"  # 1,90 km from the nearest active point
    assert t.iloc[0]["Distanza dal punto attivo più vicino"] == "1,90 km"
    assert t.set_index("Quartiere").at["San Rocchino", "Residenti"] == "non noto"
    [motivo] = [i.value for i in at.info if "Residenti non usati" in i.value]
    assert "mancano le cifre dei residenti di San Rocchino" in motivo
    assert "anni diversi (2013, 2024)" in motivo


def test_filter_by_zona_and_english():
    at = apri(PAGINA, {"zona": "Nord", "lang": "en"})
    t = classifica(at)
    assert t["Neighbourhood"].tolist() == ["San Rocchino", "Sant'Eustacchio", "Casazza"]
    assert t.iloc[0]["Distance to the nearest active point"] == "1.55 km"
    assert t.iloc[0]["Residents"] == "11,690 (2024)"


def test_a_quartiere_with_a_point_has_nothing_to_rank():
    at = apri(PAGINA, {"quartiere": "lamarmora"})
    assert not at.dataframe
    assert at.success and "ha già un punto" in at.success[0].value
