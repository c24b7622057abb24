"""The history helpers of ui.py inside a Streamlit run: what the overview's time slider uses."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest


def _pagina():
    import datetime as dt

    import streamlit as st

    from cittadelnoi import ui
    from cittadelnoi.metrics.stato import kpi
    from cittadelnoi.views.charts_storico import fonti_documentate, grafico_punti_nel_tempo

    giorno = st.slider(
        "Stato al",
        min_value=ui.primo_giorno_storico(),
        max_value=dt.date(2026, 1, 1),
        value=dt.date(2017, 12, 20),
        format="DD/MM/YYYY",
    )
    snap = ui.snapshot_al(giorno)
    k = kpi(snap.stati, snap.punti, set(snap.quartieri["codice_istat"]))
    st.metric("Punti attivi", k.punti_attivi)
    st.metric("Punti in apertura", k.punti_in_apertura)
    st.write(len(ui.layer_mappa(snap)["quartieri"]))
    serie = ui.punti_nel_tempo()
    st.plotly_chart(grafico_punti_nel_tempo(serie, al=giorno))
    st.caption(" · ".join(fonti_documentate(serie)))


def test_time_slider_redraws_figures_as_of_the_date():
    at = AppTest.from_function(_pagina, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["14", "2"]
    at.slider[0].set_value(dt.date(2017, 3, 2)).run()
    assert [m.value for m in at.metric] == ["12", "4"]
    at.slider[0].set_value(dt.date(2020, 10, 3)).run()
    assert [m.value for m in at.metric] == ["15", "2"]
    assert "Fondazione Cariplo" in at.caption[0].value
