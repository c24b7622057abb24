"""Weekly desk hours (metrics/ore.py): every metric against hand-checked numbers on the sample
register and on small frames, and the hours page's table in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from cittadelnoi.metrics import ore as m_ore
from tests.conftest import ROOT
from tests.unit.metrics.fasce import fasce as fascie

FACTS = ROOT.parent / "shared" / "data" / "facts.csv"
NON_DOCUMENTATI = {"don-bosco", "mompiano", "primo-maggio"}


@pytest.fixture(scope="module")
def ore(sportelli, punti, ore_minime):
    return m_ore.ore_settimanali(sportelli, punti, ore_minime).set_index("id")


# --- real data -----------------------------------------------------------------------------------


def test_lamarmora_ha_4_ore_sotto_il_minimo(ore, sportelli):
    lam = ore.loc["lamarmora"]
    assert lam["ore"] == 4.0
    assert lam["fasce"] == 2
    assert bool(lam["sotto_minimo"]) is True
    assert lam["orario"] == m_ore.ORARIO_DOCUMENTATO
    assert lam["ore_volontario"] == 10  # 2 volunteers x 2 h + 3 volunteers x 2 h (sample data)
    righe = sportelli[sportelli["id_punto"] == "lamarmora"]
    assert list(zip(righe["giorno"], righe["inizio"], righe["fine"], strict=False)) == [
        ("mer", "15:30", "17:30"),
        ("ven", "09:30", "11:30"),
    ]
    assert righe["volontari"].tolist() == [2, 3]
    assert not righe["dimostrativo"].any()
    assert righe["fonte"].str.startswith("esempio").all()


def test_punti_documentati_senza_orario_non_sono_zero(ore, sportelli):
    assert NON_DOCUMENTATI.isdisjoint(set(sportelli["id_punto"]))
    for id_punto in NON_DOCUMENTATI:
        riga = ore.loc[id_punto]
        assert riga["orario"] == m_ore.ORARIO_NON_DOCUMENTATO
        assert pd.isna(riga["ore"])
        assert pd.isna(riga["sotto_minimo"])  # neither below nor above the minimum
        assert riga["fasce"] == 0


def test_righe_dimostrative_marcate(sportelli, punti, ore, ore_minime):
    demo = sportelli[sportelli["id_punto"].str.startswith("demo-")]
    assert demo["dimostrativo"].all()
    assert demo["fonte"].str.startswith("esempio").all()
    assert demo["volontari"].notna().all()
    attivi_demo = set(punti.loc[punti["id"].str.startswith("demo-") & (punti["stato"] == "attivo"), "id"])
    assert set(demo["id_punto"]) == attivi_demo
    ore_demo = ore.loc[sorted(attivi_demo), "ore"]
    assert ore_demo.between(4, 10).all()
    assert 1 <= (ore_demo < ore_minime).sum() <= 5  # a few below the minimum, so the check shows
    assert (ore.loc[sorted(attivi_demo), "orario"] == m_ore.ORARIO_DIMOSTRATIVO).all()


def test_punto_in_apertura_senza_orario_escluso(ore):
    assert "demo-chiesanuova" not in ore.index  # in_apertura and no slots: not expected to be open
    assert len(ore) == 20  # the 20 active points of December 2025


def test_ore_totali_reali(ore):
    # 4 (Lamarmora) + 112 of demo hours; by hand from data/sportelli.csv
    assert ore["ore"].sum() == 116.0
    assert set(ore.index[ore["sotto_minimo"].fillna(False).astype(bool)]) == {
        "lamarmora",
        "demo-caionvico",
        "demo-porta-milano",
        "demo-fornaci",
    }


def test_ore_minime_come_in_facts(ore_minime):
    if not FACTS.exists():
        pytest.skip("facts.csv condiviso non disponibile")
    facts = pd.read_csv(FACTS, dtype=str).set_index("id")
    assert float(facts.at["ore_minime_sportello", "valore"]) == ore_minime == 6.0
    assert "Fondazione Cariplo, Welfare in azione, 02/03/2017" in facts.at["ore_minime_sportello", "fonte"]


# --- heatmap -------------------------------------------------------------------------------------


def test_matrice_lamarmora_da_sola(sportelli):
    m = m_ore.matrice_oraria(sportelli[sportelli["id_punto"] == "lamarmora"])
    assert m.shape == (7, 24)
    assert list(m.index) == ["lun", "mar", "mer", "gio", "ven", "sab", "dom"]
    # mer 15:30-17:30
    assert m.at["mer", 14] == 0.0
    assert m.at["mer", 15] == 0.5  # 15:30-16:00
    assert m.at["mer", 16] == 1.0  # 16:00-17:00
    assert m.at["mer", 17] == 0.5  # 17:00-17:30
    assert m.at["mer", 18] == 0.0
    # ven 09:30-11:30
    assert (m.at["ven", 9], m.at["ven", 10], m.at["ven", 11]) == (0.5, 1.0, 0.5)
    assert m.to_numpy().sum() == 4.0
    assert m.loc[["lun", "mar", "gio", "sab", "dom"]].to_numpy().sum() == 0.0


def test_matrice_somma_sui_punti():
    s = fascie(
        [
            ("a", "lun", "10:15", "10:45"),
            ("b", "lun", "10:00", "12:00"),
            ("a", "dom", "23:30", "24:00"),
            ("c", "lun", "10:30", "11:00"),
        ]
    )
    m = m_ore.matrice_oraria(s)
    assert m.at["lun", 10] == 0.5 + 1.0 + 0.5
    assert m.at["lun", 11] == 1.0
    assert m.at["dom", 23] == 0.5
    assert m.to_numpy().sum() == 0.5 + 2 + 0.5 + 0.5


def test_matrice_reale_somma_le_ore(sportelli, ore):
    assert m_ore.matrice_oraria(sportelli).to_numpy().sum() == pytest.approx(ore["ore"].sum())


# --- totals per zona and filter --------------------------------------------------------------------


@pytest.fixture
def piccolo():
    quartieri = pd.DataFrame(
        {"codice_istat": ["1", "2", "3", "4"], "zona": ["Sud", "Sud", "Nord", "Est"], "nome": ["Q1", "Q2", "Q3", "Q4"]}
    )
    punti = pd.DataFrame(
        {
            "id": ["doc", "demo", "ignoto", "nuovo", "nord"],
            "nome": ["Doc", "Demo", "Ignoto", "Nuovo", "Nord"],
            "codice_istat": ["1", "2", "2", "1", "3"],
            "stato": ["attivo", "attivo", "attivo", "in_apertura", "attivo"],
        }
    )
    s = fascie(
        [
            ("doc", "mer", "15:30", "17:30"),
            ("doc", "ven", "09:30", "11:30"),  # 4 h, below
            ("demo", "lun", "09:00", "12:00"),
            ("demo", "gio", "14:30", "19:00"),  # 7.5 h, demo
            ("nord", "sab", "10:00", "16:00"),  # 6 h: exactly the minimum is not below it
        ],
        dimostrativo={"demo"},
    )
    return quartieri, punti, s


def test_totali_per_zona(piccolo, ore_minime):
    quartieri, punti, s = piccolo
    t = m_ore.totali_per_zona(s, punti, quartieri, ore_minime).set_index("zona")
    assert list(t.index) == ["Nord", "Sud", "Est"]  # Centro/Ovest absent from the frame, Est kept with zeros
    assert t.at["Sud", "ore"] == 11.5
    assert t.at["Sud", "ore_documentate"] == 4.0
    assert t.at["Sud", "ore_dimostrative"] == 7.5
    assert t.at["Sud", "punti_con_orario"] == 2
    assert t.at["Sud", "punti_non_documentati"] == 1  # "ignoto"; "nuovo" is in_apertura, not counted
    assert t.at["Sud", "punti_sotto_minimo"] == 1
    assert (t.at["Nord", "ore"], t.at["Nord", "punti_sotto_minimo"], t.at["Nord", "punti_con_orario"]) == (6.0, 0, 1)
    assert t.loc["Est"].tolist() == [0, 0, 0, 0, 0, 0]


def test_ore_volontario():
    punti = pd.DataFrame(
        {"id": ["a", "b"], "nome": ["A", "B"], "codice_istat": ["1", "1"], "stato": ["attivo", "attivo"]}
    )
    s = fascie(
        [
            ("a", "lun", "09:00", "11:00"),
            ("a", "mar", "09:00", "10:30"),
            ("b", "lun", "09:00", "10:00"),
            ("b", "mar", "09:00", "10:00"),
        ],
        volontari={0: 3, 1: 2, 2: 4},
    )
    o = m_ore.ore_settimanali(s, punti, 6.0).set_index("id")
    assert o.at["a", "ore_volontario"] == 2 * 3 + 1.5 * 2
    assert pd.isna(o.at["b", "ore_volontario"])  # one slot without a count: the total is unknown


def test_filtra(piccolo, sportelli, punti):
    quartieri, p, s = piccolo
    pf, sf = m_ore.filtra(p, s, {"1"})
    assert set(pf["id"]) == {"doc", "nuovo"}
    assert set(sf["id_punto"]) == {"doc"}
    pf, sf = m_ore.filtra(punti, sportelli, {"17029010"})  # Lamarmora
    assert list(pf["id"]) == ["lamarmora"] and len(sf) == 2
    pf, sf = m_ore.filtra(punti, sportelli, set())
    assert pf.empty and sf.empty


def test_tabella_punti(sportelli, punti, quartieri, ore_minime):
    o = m_ore.ore_settimanali(sportelli, punti, ore_minime)
    t = m_ore.tabella_punti(o, sportelli, quartieri, aperti=["lamarmora"], minimo=ore_minime).set_index("Punto")
    lam = t.loc["Punto di comunità Lamarmora"]
    assert lam["Ore a settimana"] == "4"
    assert lam["Minimo settimanale"] == "sotto il minimo (6 h)"
    assert lam["Fasce orarie"] == "mer 15:30-17:30; ven 09:30-11:30"
    assert lam["Ore-volontario a settimana"] == "10"
    assert lam["Aperto adesso"] == "sì"
    assert lam["Dati"] == "documentati"
    assert list(t.reset_index().columns[:2]) == ["Punto", "Dati"]
    assert (lam["Quartiere"], lam["Zona"]) == ("Lamarmora", "Sud")
    db = t.loc["Punto di comunità Don Bosco"]
    assert (db["Ore a settimana"], db["Minimo settimanale"], db["Dati"], db["Aperto adesso"]) == (
        "orari non documentati",
        "non valutabile",
        "non documentati",
        "—",
    )
    bt = t.loc["Punto di comunità Borgo Trento (dimostrativo)"]
    assert (bt["Ore a settimana"], bt["Dati"], bt["Minimo settimanale"]) == ("7,5", "dimostrativi", "raggiunto")


# --- English -------------------------------------------------------------------------------------


def test_tabella_punti_in_inglese(sportelli, punti, quartieri, ore_minime, inglese):
    o = m_ore.ore_settimanali(sportelli, punti, ore_minime)
    t = m_ore.tabella_punti(o, sportelli, quartieri, aperti=["lamarmora"], minimo=ore_minime).set_index("Point")
    assert list(t.reset_index().columns) == [
        "Point",
        "Data",
        "Neighbourhood",
        "Zone",
        "Hours per week",
        "Weekly minimum",
        "Open now",
        "Next opening",
        "Time slots",
        "Volunteer-hours per week",
        "Source of the hours",
    ]
    lam = t.loc["Punto di comunità Lamarmora"]
    assert (lam["Weekly minimum"], lam["Time slots"], lam["Open now"], lam["Data"]) == (
        "below the minimum (6 h)",
        "Wed 15:30-17:30; Fri 09:30-11:30",
        "yes",
        "documented",
    )
    assert lam["Zone"] == "Sud"  # zona names are data
    bt = t.loc["Punto di comunità Borgo Trento (demo)"]
    assert (bt["Hours per week"], bt["Data"], bt["Weekly minimum"]) == ("7.5", "demo", "met")
    db = t.loc["Punto di comunità Don Bosco"]
    assert (db["Hours per week"], db["Weekly minimum"]) == ("opening hours not documented", "cannot be assessed")
