"""The overview page through dashboard.py: figures, filter from sidebar and link, bad data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.app import ROOT, apri, metriche
from tests.conftest import replace_in


def test_city_view_counts_and_demo_notice():
    at = apri()
    assert at.title[0].value == "Punti di comunità nei quartieri"
    assert metriche(at) == {
        "Punti attivi": "20",
        "Punti in apertura": "1",
        "Quartieri senza punto": "12",
        "Copertura": "20/33 · 61%",
    }
    assert not at.warning or all("Dati dimostrativi" not in w.value for w in at.warning)
    # The published count stays visible, with its source, apart from the register.
    assert any(
        m.value.startswith("20 punti attivi (dicembre 2025, fonte: elivebrescia.tv")
        and "di cui 20 nel registro" in m.value
        for m in at.markdown
    )
    assert at.query_params.get("zona") is None
    # The register was read from esempio/ (the tests run the sample mode): the map's source says so.
    fonte = [c.value for c in at.caption if c.value.startswith("Fonte: Comune di Brescia, confini")]
    assert len(fonte) == 1 and "registro dei punti in esempio/punti.csv" in fonte[0], fonte


def test_zona_from_sidebar_changes_figures_and_url():
    at = apri()
    at.selectbox(key="filtro_zona").set_value("Sud").run()
    assert not at.exception
    assert metriche(at)["Copertura"] == "5/7 · 71%"
    assert metriche(at)["Quartieri senza punto"] == "1"
    assert at.query_params["zona"] == "Sud"
    # The quartiere list now only offers the zona's seven quartieri (plus "all").
    assert len(at.selectbox(key="filtro_quartiere").options) == 8


def test_shared_link_opens_the_same_view():
    at = apri(query={"quartiere": "lamarmora"})
    assert at.selectbox(key="filtro_zona").value == "Sud"
    assert at.selectbox(key="filtro_quartiere").value == "17029010"
    assert metriche(at)["Punti attivi"] == "1"
    assert metriche(at)["Copertura"] == "1/1 · 100%"
    assert not at.warning or all("17 dei punti" not in w.value for w in at.warning)


def test_filter_survives_a_page_change():
    at = apri(query={"zona": "Nord"})
    at.switch_page("pages/ore_volontariato.py").run()
    at.switch_page("pages/panoramica.py").run()
    assert not at.exception
    assert at.selectbox(key="filtro_zona").value == "Nord"
    # Nord: Borgo Trento, Villaggio Prealpino, San Bartolomeo (demo) and Mompiano have a point;
    # Casazza, Sant'Eustacchio and San Rocchino do not.
    assert metriche(at)["Copertura"] == "4/7 · 57%"
    assert at.query_params["zona"] == "Nord"


def test_unknown_quartiere_in_link_is_reported_and_ignored():
    at = apri(query={"quartiere": "atlantide"})
    assert any("Quartiere «atlantide» sconosciuto" in w.value for w in at.sidebar.warning)
    assert metriche(at)["Copertura"] == "20/33 · 61%"


def test_broken_file_keeps_last_good_data(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(data_copy))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")  # the files of data/ as the store, edited by hand
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert metriche(at)["Punti attivi"] == "20"

    # An official sets a status that does not exist and saves.
    replace_in(
        data_copy / "punti.csv",
        "lamarmora,Punto Melograno (esempio),17029010,attivo",
        "lamarmora,Punto Melograno (esempio),17029010,aperto",
    )
    at.run()
    assert not at.exception
    assert "I file dei dati contengono errori" in at.error[0].value
    assert "Continuo a mostrare gli ultimi dati validi" in at.error[0].value
    assert any("punti.csv, riga 5, colonna «stato»" in m.value for m in at.markdown)
    assert metriche(at)["Punti attivi"] == "20"  # still the last good register

    # Fixed: the new data is served and the message goes away.
    replace_in(data_copy / "punti.csv", ",17029010,aperto", ",17029010,in_apertura")
    at.run()
    assert not at.error
    # 19 active points, fewer than the 20 published: the register is incomplete and says so.
    assert metriche(at)["Punti attivi nel registro"] == "19"
    assert metriche(at)["Punti in apertura"] == "2"
    assert "Quartieri senza punto documentato" in metriche(at)


def test_restart_with_broken_files_serves_the_saved_copy(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st

    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(data_copy))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    apri()  # a good start saves the last-good copy
    (data_copy / "quartieri.geojson").write_text("{not json", encoding="utf-8")
    st.cache_resource.clear()  # what a restart of the server does
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "quartieri.geojson" in " ".join(m.value for m in at.markdown)
    assert metriche(at)["Punti attivi"] == "20"
    assert any("copia di riserva" in c.value for c in at.sidebar.caption)


def test_english_on_request_with_english_numbers():
    at = apri(query={"lang": "en", "zona": "Sud"})
    assert at.title[0].value == "Community points in the neighbourhoods"
    assert metriche(at) == {
        "Active points": "5",
        "Opening points": "1",
        "Neighbourhoods without a point": "1",
        "Coverage": "5/7 · 71%",
    }
    assert at.selectbox(key="filtro_zona").label == "Zone"
    assert at.query_params["lang"] == "en"
    # Switching back with the sidebar radio is a browser test (tests/browser/test_presentazione_lingua.py):
    # AppTest replays select boxes by their displayed labels, which the switch itself changes.


def test_presentation_mode_from_link_and_exit():
    at = apri(query={"presenta": "1", "giro": "20"})
    assert at.toggle(key="presentazione").value is True
    assert any("Giro automatico: pagina successiva tra 20 secondi." in c.value for c in at.caption)
    assert at.query_params["presenta"] == "1" and at.query_params["giro"] == "20"
    at.button(key="esci_presentazione").click().run()
    assert at.toggle(key="presentazione").value is False
    assert "presenta" not in at.query_params


def test_time_slider_redraws_figures_as_of_a_past_date():
    import datetime as dt
    from zoneinfo import ZoneInfo

    at = apri()
    slider = at.slider(key="stato_al")
    assert slider.value == dt.datetime.now(ZoneInfo("Europe/Rome")).date()  # today: the live register
    # The history chart runs only inside its open expander.
    assert not [c for c in at.caption if "20 dicembre 2017" in c.value]
    at.session_state["apri_storico"] = True
    # December 2017: 14 active and 2 opening (Fondazione Cariplo, Welfare in azione, 20/12/2017).
    slider.set_value(dt.date(2017, 12, 31)).run()
    assert not at.exception
    assert metriche(at)["Punti attivi"] == "14"
    assert metriche(at)["Punti in apertura"] == "2"
    assert any("Stato al 31 dicembre 2017" in i.value for i in at.info)
    # The history chart cites the documented counts.
    assert any("20 dicembre 2017: 14 attivi, 2 in apertura" in c.value for c in at.caption)
    at.slider(key="stato_al").set_value(dt.date(2025, 11, 1)).run()
    assert metriche(at)["Punti attivi"] == "19"


def test_closed_expanders_send_no_chart_table_or_export():
    """Closed, the history chart, the table and the exports are not built or sent: the browser
    would otherwise load plotly.js and the data grid while it draws the map."""
    at = apri()
    assert not at.get("plotly_chart") and not at.dataframe and not at.get("download_button")
    at.session_state["apri_storico"] = True
    at.session_state["apri_tabella"] = True
    at.session_state["apri_scarica"] = True
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    (tabella,) = [d.value for d in at.dataframe]
    assert len(tabella) == 33
    etichette = [b.proto.label for b in at.get("download_button")]
    assert "Mappa in GeoJSON (quartieri e punti)" in etichette
    assert any(e.startswith("Scheda stampabile: ") for e in etichette)


def _mostrato(dataframe) -> pd.DataFrame:
    """The table as the grid shows it (the Styler's display values), not the numbers behind it."""
    import pyarrow as pa

    return pa.ipc.open_stream(dataframe.proto.arrow_data.styler.display_values).read_pandas()


def test_a_chosen_quartiere_keeps_its_table_closed_until_asked():
    """Picking a quartiere redraws the map only: an open table would make the browser load the data
    grid's code first (issue 14). Opened, the table shows that quartiere."""
    at = apri(query={"quartiere": "lamarmora"})
    assert not at.dataframe
    at.session_state["apri_tabella"] = True
    at.run()
    (tabella,) = [d.value for d in at.dataframe]
    assert len(tabella) == 1
    assert tabella["Area (km²)"].iloc[0] == 2.63  # a number: sorting and exports stay numeric
    assert _mostrato(at.dataframe[0])["Area (km²)"].iloc[0] == "2,63"
    en = apri(query={"quartiere": "lamarmora", "lang": "en"})
    en.session_state["apri_tabella"] = True
    en.run()
    assert _mostrato(en.dataframe[0])["Area (km²)"].iloc[0] == "2.63"
    # Also when the quartiere is picked later in the session.
    at = apri()
    at.selectbox(key="filtro_quartiere").set_value("17029010").run()
    assert not at.exception
    assert not at.dataframe
    at.session_state["apri_tabella"] = True
    at.run()
    (tabella,) = [d.value for d in at.dataframe]
    assert list(tabella["Quartiere"]) == ["Lamarmora"]
