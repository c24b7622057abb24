"""The Ore di volontariato page run headless through dashboard.py, for the whole city and with the
zona/quartiere filter set from the sidebar and from a link, in Italian and in English."""

from __future__ import annotations

import json
import re

from babel.dates import get_day_names
from streamlit.testing.v1 import AppTest

from cittadelnoi.core import fmt
from tests.apptest.app import apri, metriche
from tests.apptest.app import italiano_rimasto as rimasto

PAGINA = "pages/ore_volontariato.py"
FONTE_MINIMO = "Fondazione Cariplo, Welfare in azione, 02/03/2017"
# Words that give away Italian text left in an English page.
PAROLE_ITALIANE = {
    "ore",
    "punti",
    "punto",
    "sportello",
    "sportelli",
    "settimana",
    "minimo",
    "orari",
    "orario",
    "aperti",
    "aperto",
    "adesso",
    "sotto",
    "almeno",
    "zona",
    "quartiere",
    "dimostrativo",
    "dimostrativi",
    "documentati",
    "documentato",
    "nessun",
    "giorno",
    "della",
    "del",
    "dei",
    "di",
    "nella",
    "su",
    "mesi",
    "mese",
    "rendicontati",
    "rendicontato",
    "accessi",
    "effettuate",
    "volontariato",
}
NOMI_PROPRI = ("Fondazione Cariplo", "Welfare in azione")


def tabella(at: AppTest, colonna: str = "Ore a settimana"):
    tabelle = [df for df in at.dataframe if colonna in df.value.columns]
    assert len(tabelle) == 1
    return tabelle[0].value


def fonti(at: AppTest, prefisso: str = "Fonte: ") -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(prefisso)]


def figure(at: AppTest) -> list[dict]:
    """The page's plotly figures, their titles read as one line (ui.grafico splits them for a phone:
    views.titolo_grafico)."""
    out = []
    for g in at.get("plotly_chart"):
        fig = json.loads(g.proto.spec)
        for parte in (fig["layout"], fig["layout"].get("xaxis") or {}, fig["layout"].get("yaxis") or {}):
            titolo = parte.get("title")
            if isinstance(titolo, dict) and isinstance(titolo.get("text"), str):
                titolo["text"] = titolo["text"].replace("<br>", " ")
        out.append(fig)
    return out


TITOLI_RENDICONTI = (
    "Ore di sportello effettuate per mese",
    "Ore di volontariato e accessi per mese",
    "Ore di sportello per punto e mese",
    "Desk hours held per month",
    "Volunteer hours and visits per month",
    "Desk hours per point and month",
)


def figure_previste(at: AppTest) -> list[dict]:
    """The charts of the planned weekly slots («orario previsto»), after those of the reports."""
    return [f for f in figure(at) if not f["layout"]["title"]["text"].startswith(TITOLI_RENDICONTI)]


def fonti_previste(at: AppTest, prefisso: str = "Fonte: ") -> list[str]:
    return [f for f in fonti(at, prefisso) if "sportelli.csv" in f]


def scritte(fig: dict) -> list[str]:
    """Our own words in a chart: titles, axis titles, legend names, annotations, bar texts, hovers.
    Point and zona names (data) are left out."""
    layout = fig["layout"]
    testi = [layout["title"]["text"]]
    for asse in ("xaxis", "yaxis"):
        testi.append(((layout.get(asse) or {}).get("title") or {}).get("text") or "")
    testi += [a.get("text", "") for a in layout.get("annotations", [])]
    for traccia in fig["data"]:
        testi += [traccia.get("name") or "", traccia.get("hovertemplate") or ""]
        testi += [t for t in traccia.get("text") or [] if isinstance(t, str)]
        testi.append(((traccia.get("colorbar") or {}).get("title") or {}).get("text") or "")
    return [t for t in testi if t]


def italiano_rimasto(testi: list[str]) -> list[str]:
    trovati = rimasto(testi, PAROLE_ITALIANE, NOMI_PROPRI)
    return trovati


def test_tutta_la_citta():
    at = apri(PAGINA)
    m = metriche(at)
    assert m["Ore a settimana"] == "116"
    assert m["Punti sotto il minimo"] == "4 su 17"
    assert m["Punti aperti adesso"].isdigit()
    assert italiano_rimasto(list(m)) == list(m)  # the check the English test relies on sees Italian
    # The reports lead the page; the planned slots follow, what is documented first: here the 17
    # sample schedules, with volunteer-hours.
    assert [s.value for s in at.subheader][:3] == [
        "Ore effettuate: i rendiconti mensili",
        "Orario previsto: le fasce settimanali",
        "Cosa è documentato",
    ]
    assert any(
        "**Punto Melograno (esempio)**: mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)" in m.value
        for m in at.markdown
    )
    assert any("**Ore-volontario**" in m.value and "Punto Melograno (esempio) 10 h" in m.value for m in at.markdown)
    assert not at.warning or all("Dati dimostrativi" not in w.value for w in at.warning)
    assert any(
        "Orari non documentati:** Punto Girasole (esempio), Punto Glicine (esempio), Punto Quercia (esempio)" in i.value
        for i in at.info
    )
    assert len(figure_previste(at)) == 3 and len(figure(at)) == 6
    assert {f["layout"]["separators"] for f in figure(at)} == {",."}
    t = tabella(at)
    assert len(t) == 20
    assert set(t["Dati"]) == {"documentati", "non documentati"}
    lam = t.set_index("Punto").loc["Punto Melograno (esempio)"]
    assert (lam["Ore a settimana"], lam["Minimo settimanale"]) == ("4", "sotto il minimo (6 h)")
    # a source under each of the three charts and under the table, the minimum cited
    assert len(fonti_previste(at)) == 4
    assert FONTE_MINIMO in fonti_previste(at)[0] and "esempio: orario fittizio" in fonti_previste(at)[0]
    # The slots were read from esempio/ (the tests run the sample mode): each source names that file;
    # the reports' sources name esempio/rendiconti.csv.
    assert all("data/" not in f for f in fonti(at)), fonti(at)
    assert all("esempio/rendiconti.csv" in f for f in fonti(at) if f not in fonti_previste(at)), fonti(at)


def test_filtro_zona_dalla_barra_laterale():
    at = apri(PAGINA)
    at.selectbox(key="filtro_zona").set_value("Sud").run()
    assert not at.exception, at.exception
    m = metriche(at)
    # Sud: Lamarmora 4 + Folzano 6 + Fornaci 5,5 + Porta Cremona 7,5; Don Bosco has no documented hours
    assert m["Ore a settimana"] == "23"
    assert m["Punti sotto il minimo"] == "2 su 4"
    assert any("Orari non documentati:** Punto Girasole (esempio)." in i.value for i in at.info)
    t = tabella(at)
    assert set(t["Zona"]) == {"Sud"} and len(t) == 5


def test_filtro_quartiere_da_link_lamarmora():
    at = apri(PAGINA, {"quartiere": "lamarmora"})
    m = metriche(at)
    assert m["Ore a settimana"] == "4"
    assert m["Punti sotto il minimo"] == "1 su 1"
    assert not any("Dati dimostrativi" in w.value for w in at.warning)  # only documented data in view
    t = tabella(at)
    assert list(t["Punto"]) == ["Punto Melograno (esempio)"]
    assert list(t["Dati"]) == ["documentati"]
    assert list(t["Fasce orarie"]) == ["mer 15:30-17:30; ven 09:30-11:30"]


def test_quartiere_con_orario_non_documentato():
    at = apri(PAGINA, {"quartiere": "mompiano"})
    m = metriche(at)
    assert m["Ore a settimana"] == "non documentate"  # never "0"
    assert m["Punti sotto il minimo"] == "—"
    assert list(tabella(at)["Ore a settimana"]) == ["orari non documentati"]
    assert len(figure_previste(at)) == 1  # no empty calendar or zona chart for unknown hours


def test_quartiere_senza_punti():
    at = apri(PAGINA, {"quartiere": "urago-mella"})
    assert metriche(at)["Ore a settimana"] == "nessun punto"
    assert any("Nessun punto di comunità attivo" in i.value for i in at.info)
    assert any("nessun rendiconto atteso" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0


def test_tutta_la_citta_in_inglese(inglese):
    at = apri(PAGINA, {"lang": "en"})
    assert at.main.title[0].value == "Volunteer hours at the help desks"
    m = metriche(at)
    assert set(m) == {
        "Desk hours held",
        "Volunteer hours",
        "Visits to the desk",
        "Months reported",
        "Hours per week",
        "Points below the minimum",
        "Points open now",
    }
    assert m["Hours per week"] == "116"
    assert m["Points below the minimum"] == "4 of 17"
    assert m["Points open now"].isdigit()
    assert any("Hours not documented:** Punto Girasole (esempio), Punto Glicine (esempio)" in i.value for i in at.info)
    assert at.subheader[2].value == "What is documented"
    assert any("0.5 = one point open for half an hour" in c.value for c in at.caption)
    figs = figure_previste(at)
    assert len(figs) == 3
    assert {f["layout"]["separators"] for f in figs} == {".,"}
    ore_punti, matrice, zone = figs
    assert ore_punti["layout"]["title"]["text"] == "Help desk hours per week by point"
    assert matrice["data"][0]["y"] == [get_day_names("wide", locale="en_GB")[i] for i in range(7)]
    assert matrice["data"][0]["y"][0] == "Monday"
    assert any(t == f"{fmt.numero(9.5, 1, locale='en_GB')} h" for t in ore_punti["data"][0]["text"])  # '9.5 h'
    testi = [t for f in figure(at) for t in scritte(f)]
    titoli = list(m) + [t.value for t in at.main.title] + [h.value for h in at.subheader]
    assert italiano_rimasto(titoli + testi) == []
    t = tabella(at, "Hours per week")
    assert list(t.columns[:2]) == ["Point", "Data"]
    assert set(t["Data"]) == {"documented", "not documented"}
    lam = t.set_index("Point").loc["Punto Melograno (esempio)"]  # names stay as written in punti.csv
    assert (lam["Hours per week"], lam["Weekly minimum"], lam["Time slots"]) == (
        "4",
        "below the minimum (6 h)",
        "Wed 15:30-17:30; Fri 09:30-11:30",
    )
    # A day further than tomorrow names its month ("Wednesday 9 Dec"): "9/12" reads as 12 September in the US.
    prossime = [v for v in t["Next opening"] if isinstance(v, str) and v]
    assert prossime and not any(re.search(r"\d/\d", v) for v in prossime), prossime
    assert FONTE_MINIMO in fonti_previste(at, "Source: ")[0]


def test_quartiere_con_orario_non_documentato_in_inglese(inglese):
    at = apri(PAGINA, {"lang": "en", "quartiere": "mompiano"})
    m = metriche(at)
    assert m["Hours per week"] == "not documented"
    assert list(tabella(at, "Hours per week")["Hours per week"]) == ["opening hours not documented"]
