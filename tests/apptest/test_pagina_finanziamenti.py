"""The Finanziamenti page run headless through dashboard.py, with and without a zona/quartiere filter."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGINA = "pages/finanziamenti.py"

ATTESI = {
    "Risorse totali per il welfare": "173 mln €",
    "A carico delle famiglie": "71 mln €",
    "Altre fonti (derivato)": "102 mln €",
    "Valore del volontariato": "non stimato",
    "Spesa comunale effettiva 2016": "33 mln €",
    "Spesa comunale effettiva 2013": "29 mln €",
    "Erogatori oltre al Comune": "318",
    "Servizi di welfare censiti": "767",
    "Servizi a gestione comunale": "6%",
    "Cittadini seguiti dai servizi comunali": "5.300",
    "Budget del progetto": "oltre 3 mln €",
    "Contributo di Fondazione Cariplo": "1,4 mln €",
    "Welfare totale 2016 per residente": "871 €",
    "Quota delle famiglie per residente": "357 €",
    "Spesa comunale 2016 per residente": "166 €",
}
AVVISO_FILTRO = "Dati cittadini: il filtro per quartiere non si applica a questa pagina."


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(autouse=True)
def navigazione_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run pages through dashboard.py, as the real server does.

    AppTest resets PagesManager.uses_pages_directory before every run and it is then set to True
    because a `pages/` folder exists; the runner then executes the switched-to page on its own
    (old multipage mode), skipping dashboard.py and its sidebar filter. The real server sets the
    flag to False for good once dashboard.py calls st.navigation, so we do the same here.
    """
    init = PagesManager.__init__

    def init_v2(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_v2)


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
    assert at.sidebar.selectbox, "dashboard.py did not run around the page"
    return at


def metriche(at: AppTest) -> dict[str, str]:
    return {m.label: sp(m.value) for m in at.metric}


def test_pagina_senza_filtro() -> None:
    at = apri()
    assert at.title[0].value == "Finanziamenti del welfare cittadino"
    assert metriche(at) == ATTESI
    delta = {m.label: sp(m.delta) for m in at.metric if m.delta}
    assert delta == {
        "A carico delle famiglie": "41%",
        "Altre fonti (derivato)": "59%",
        "Spesa comunale effettiva 2016": "+13,8% dal 2013 (calcolato)",
    }
    assert AVVISO_FILTRO not in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 3
    fonti = [c.value for c in at.caption if c.value.startswith("Fonte: ")]
    assert len(fonti) == 5
    assert "Corriere della Sera Brescia, 14/07/2017" in fonti[0] and "derivato: 173 - 71" in fonti[0]
    assert "Giornale di Brescia" in fonti[-1]  # the population behind the per-resident figures
    assert any("198.688 residenti al 1° gennaio 2024" in c.value for c in at.caption)


def test_tabella_delle_fonti() -> None:
    at = apri()
    tabella, calcoli = (t.value for t in at.table)
    volontariato = tabella.set_index("Dato").loc["Valore economico del volontariato"]
    assert (volontariato["Valore"], volontariato["Tipo"]) == ("non stimato", "non stimato nella fonte")
    assert tabella["Fonte"].str.len().gt(0).all()
    assert "+13,8%" in set(calcoli["Risultato"])


@pytest.mark.parametrize("query", [{"zona": "Sud"}, {"zona": "Sud", "quartiere": "lamarmora"}])
def test_filtro_dal_link(query: dict[str, str]) -> None:
    at = apri(query)
    assert AVVISO_FILTRO in [i.value for i in at.info]
    assert metriche(at) == ATTESI  # city-wide figures do not change with the filter
    assert at.query_params["zona"] == "Sud"


def test_filtro_dalla_barra_laterale() -> None:
    at = apri()
    at.sidebar.selectbox[0].select("Nord").run()
    assert not at.exception
    assert AVVISO_FILTRO in [i.value for i in at.info]
    assert metriche(at)["Risorse totali per il welfare"] == "173 mln €"


def test_file_finanziamenti_non_valido(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_copy / "finanziamenti.csv"
    testo = path.read_text(encoding="utf-8")
    assert "volontariato_valore_2016,,EUR" in testo
    # volunteering "not estimated" written as 0: the app must refuse it, not show 0 €
    path.write_text(testo.replace("volontariato_valore_2016,,EUR", "volontariato_valore_2016,0,EUR"), encoding="utf-8")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(data_copy))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "I file dei dati contengono errori" in at.error[0].value
    elenco = " ".join(m.value for m in at.markdown)
    assert "finanziamenti.csv, riga 7, colonna «valore»" in elenco
    assert not [m for m in at.metric if m.label == "Valore del volontariato"]
