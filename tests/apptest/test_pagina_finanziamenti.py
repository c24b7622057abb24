"""The Finanziamenti page run headless through dashboard.py, with and without a zona/quartiere filter,
in Italian and in English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cittadelnoi.core import fmt
from tests.apptest.app import ROOT, apri, metriche
from tests.apptest.app import italiano_rimasto as rimasto

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
ATTESI_EN = {
    "Total welfare resources": "€173M",
    "Paid by families": "€71M",
    "Other sources (derived)": "€102M",
    "Value of volunteering": "not estimated",
    "Actual council spending 2016": "€33M",
    "Actual council spending 2013": "€29M",
    "Providers besides the City Council": "318",
    "Welfare services surveyed": "767",
    "Services run by the City Council": "6%",
    "Citizens followed by council services": "5,300",
    "Project budget": "over €3M",
    "Fondazione Cariplo's contribution": "€1.4M",
    "Total welfare 2016 per resident": "€871",
    "Families' share per resident": "€357",
    "Council spending 2016 per resident": "€166",
}
AVVISO_FILTRO = "Dati cittadini: il filtro per quartiere non si applica a questa pagina."
# Words that give away Italian text left in an English page (proper names removed first).
PAROLE_ITALIANE = {
    "il",
    "la",
    "le",
    "del",
    "della",
    "dei",
    "delle",
    "di",
    "nel",
    "dal",
    "spesa",
    "comunale",
    "famiglie",
    "welfare cittadino",
    "risorse",
    "fonti",
    "totale",
    "progetto",
    "residente",
    "calcolato",
    "derivato",
    "contributo",
    "oltre",
    "mln",
    "servizi",
    "erogatori",
    "cifre",
    "valore",
    "stimato",
}
NOMI_PROPRI = ("Brescia Città del Noi", "Fondazione Cariplo", "Welfare in azione", "Bilancio Sociale Partecipato")


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


def scritte_dei_grafici(at: AppTest) -> list[str]:
    """Titles, axis titles, legend names, annotations and the text templates of the page's charts."""
    testi: list[str] = []
    for grafico in at.get("plotly_chart"):
        fig = json.loads(grafico.proto.spec)
        layout = fig["layout"]
        testi.append(layout["title"]["text"])
        for asse in ("xaxis", "yaxis"):
            testi.append(((layout.get(asse) or {}).get("title") or {}).get("text") or "")
        testi += [a.get("text", "") for a in layout.get("annotations", [])]
        for traccia in fig["data"]:
            testi += [traccia.get("name") or "", traccia.get("texttemplate") or "", traccia.get("hovertemplate") or ""]
            if traccia["type"] == "treemap":
                testi += traccia["labels"]
            else:
                testi += [str(x) for x in traccia.get("x", [])]
    return [t for t in testi if t]


def italiano_rimasto(testi: list[str]) -> list[str]:
    trovati = rimasto(testi, PAROLE_ITALIANE, NOMI_PROPRI)
    # "welfare" is English too; only the Italian phrase counts.
    return trovati + [t for t in testi if t not in trovati and "welfare cittadino" in t.lower()]


def test_pagina_senza_filtro() -> None:
    at = apri(PAGINA)
    assert at.title[0].value == "Finanziamenti del welfare cittadino"
    assert metriche(at) == ATTESI
    assert italiano_rimasto(list(ATTESI)) == list(ATTESI)  # the check the English test relies on sees Italian
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
    at = apri(PAGINA)
    tabella, calcoli = (t.value for t in at.table)
    volontariato = tabella.set_index("Dato").loc["Valore economico del volontariato"]
    assert (volontariato["Valore"], volontariato["Tipo"]) == ("non stimato", "non stimato nella fonte")
    assert tabella["Fonte"].str.len().gt(0).all()
    assert "+13,8%" in set(calcoli["Risultato"])


@pytest.mark.parametrize("query", [{"zona": "Sud"}, {"zona": "Sud", "quartiere": "lamarmora"}])
def test_filtro_dal_link(query: dict[str, str]) -> None:
    at = apri(PAGINA, query)
    assert AVVISO_FILTRO in [i.value for i in at.info]
    assert metriche(at) == ATTESI  # city-wide figures do not change with the filter
    assert at.query_params["zona"] == "Sud"


def test_filtro_dalla_barra_laterale() -> None:
    at = apri(PAGINA)
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
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "I file dei dati contengono errori" in at.error[0].value
    elenco = " ".join(m.value for m in at.markdown)
    assert "finanziamenti.csv, riga 7, colonna «valore»" in elenco
    assert not [m for m in at.metric if m.label == "Valore del volontariato"]


def test_pagina_in_inglese(inglese) -> None:
    at = apri(PAGINA, {"lang": "en"})
    assert at.main.title[0].value == "Funding of the city's welfare"
    assert metriche(at) == ATTESI_EN
    # the same figures as fmt writes them in English (en_GB), not hand-made strings
    assert ATTESI_EN["Total welfare resources"] == fmt.euro_compatto(173e6, locale="en_GB")
    assert ATTESI_EN["Total welfare 2016 per resident"] == fmt.euro(173e6 / 198688, locale="en_GB")
    delta = {m.label: sp(m.delta) for m in at.metric if m.delta}
    assert delta == {
        "Paid by families": "41%",
        "Other sources (derived)": "59%",
        "Actual council spending 2016": "+13.8% since 2013 (calculated)",
    }
    assert any("198,688 residents on 1 January 2024" in c.value for c in at.caption)
    grafici = at.get("plotly_chart")
    assert len(grafici) == 3
    assert {json.loads(g.proto.spec)["layout"]["separators"] for g in grafici} == {".,"}
    testi = scritte_dei_grafici(at)
    assert "Welfare resources in 2016: €173M" in testi and any("+13.8%" in t for t in testi)
    etichette = list(metriche(at)) + [t.value for t in at.main.title] + [h.value for h in at.subheader] + testi
    assert italiano_rimasto(etichette) == []
    # the sources table: our labels and headers in English, the citations as written
    tabella, calcoli = (t.value for t in at.table)
    assert list(tabella.columns) == ["Figure", "Value", "Period", "Kind", "Source"]
    volontariato = tabella.set_index("Figure").loc["Economic value of volunteering"]
    assert (volontariato["Value"], volontariato["Kind"]) == ("not estimated", "not estimated in the source")
    assert "three years" in set(tabella["Period"])
    assert italiano_rimasto(list(tabella["Figure"]) + list(tabella["Kind"]) + list(calcoli.columns)) == []
    assert "+13.8%" in set(calcoli["Result"])
    assert any("Corriere della Sera Brescia" in f for f in tabella["Source"])


def test_italiano_dopo_inglese() -> None:
    # The language of one session's run does not leak into the next session (a context variable, per run).
    apri(query={"lang": "en"})
    at = apri(PAGINA)
    assert metriche(at) == ATTESI
