"""The Ore di volontariato page run headless through dashboard.py, for the whole city and with the
zona/quartiere filter set from the sidebar and from a link."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGINA = "pages/ore_volontariato.py"
FONTE_MINIMO = "Fondazione Cariplo, Welfare in azione, 02/03/2017"


@pytest.fixture(autouse=True)
def store_isolato(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The data store is a process-wide cache_resource: start each test from a fresh one, and keep
    # the last-good copy out of the repository.
    monkeypatch.setenv("CITTADELNOI_LAST_GOOD_DIR", str(tmp_path / "ultimi-dati-validi"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def apri(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(PAGINA)
    at.run()
    assert not at.exception, at.exception
    return at


def metriche(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tabella(at: AppTest):
    tabelle = [df for df in at.dataframe if "Ore a settimana" in df.value.columns]
    assert len(tabelle) == 1
    return tabelle[0].value


def fonti(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Fonte: ")]


def test_tutta_la_citta():
    at = apri()
    m = metriche(at)
    assert m["Ore a settimana"] == "116"
    assert m["Punti sotto il minimo"] == "4 su 17"
    assert m["Punti aperti adesso"].isdigit()
    assert any("Dati dimostrativi" in w.value and "16 dei 17" in w.value and "Lamarmora" in w.value for w in at.warning)
    assert any("Orari non documentati:** Don Bosco, Mompiano, Primo Maggio" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 3
    t = tabella(at)
    assert len(t) == 20
    assert set(t["Dati"]) == {"documentati", "dimostrativi", "non documentati"}
    lam = t.set_index("Punto").loc["Punto di comunità Lamarmora"]
    assert (lam["Ore a settimana"], lam["Minimo settimanale"]) == ("4", "sotto il minimo (6 h)")
    # a source under each of the three charts and under the table, the minimum cited
    assert len(fonti(at)) == 4
    assert FONTE_MINIMO in fonti(at)[0] and "elivebrescia.tv" in fonti(at)[0]


def test_filtro_zona_dalla_barra_laterale():
    at = apri()
    at.selectbox(key="filtro_zona").set_value("Sud").run()
    assert not at.exception, at.exception
    m = metriche(at)
    # Sud: Lamarmora 4 + Folzano 6 + Fornaci 5,5 + Porta Cremona 7,5; Don Bosco has no documented hours
    assert m["Ore a settimana"] == "23"
    assert m["Punti sotto il minimo"] == "2 su 4"
    assert any("Orari non documentati:** Don Bosco." in i.value for i in at.info)
    t = tabella(at)
    assert set(t["Zona"]) == {"Sud"} and len(t) == 5


def test_filtro_quartiere_da_link_lamarmora():
    at = apri({"quartiere": "lamarmora"})
    m = metriche(at)
    assert m["Ore a settimana"] == "4"
    assert m["Punti sotto il minimo"] == "1 su 1"
    assert not any("Dati dimostrativi" in w.value for w in at.warning)  # only documented data in view
    t = tabella(at)
    assert list(t["Punto"]) == ["Punto di comunità Lamarmora"]
    assert list(t["Dati"]) == ["documentati"]
    assert list(t["Fasce orarie"]) == ["mer 15:30-17:30; ven 09:30-11:30"]


def test_quartiere_con_orario_non_documentato():
    at = apri({"quartiere": "mompiano"})
    m = metriche(at)
    assert m["Ore a settimana"] == "non documentate"  # never "0"
    assert m["Punti sotto il minimo"] == "—"
    assert list(tabella(at)["Ore a settimana"]) == ["orari non documentati"]
    assert len(at.get("plotly_chart")) == 1  # no empty calendar or zona chart for unknown hours


def test_quartiere_senza_punti():
    at = apri({"quartiere": "urago-mella"})
    assert metriche(at)["Ore a settimana"] == "nessun punto"
    assert any("Nessun punto di comunità attivo" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0
