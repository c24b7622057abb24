"""Desk hours: the loader on the real file, every metric against hand-checked numbers, and the
errors officials get for bad schedules (file, spreadsheet row, column; every error at once)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.core.tempo import FUSO
from cittadelnoi.loaders import sportelli as sp
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from tests.conftest import DATA, ROOT
from tests.registro_demo import come_demo

FACTS = ROOT.parent / "shared" / "data" / "facts.csv"
UTC = dt.UTC
NON_DOCUMENTATI = {"don-bosco", "mompiano", "primo-maggio"}


@pytest.fixture(scope="module")
def quartieri():
    q, _ = carica_quartieri(DATA / "quartieri.geojson")
    return q


@pytest.fixture(scope="module")
def _registro(quartieri):
    p, _ = carica_punti(DATA / "punti.csv", quartieri)
    s, avvisi = sp.carica_sportelli(DATA / "sportelli.csv", set(p["id"]))
    assert avvisi == []
    return come_demo(p, s, quartieri)


@pytest.fixture(scope="module")
def punti(_registro):
    return _registro[0]


@pytest.fixture(scope="module")
def sportelli(_registro):
    return _registro[1]


@pytest.fixture(scope="module")
def ore(sportelli, punti, ore_minime):
    return sp.ore_settimanali(sportelli, punti, ore_minime).set_index("id")


# --- real data -----------------------------------------------------------------------------------


def test_lamarmora_ha_4_ore_sotto_il_minimo(ore, sportelli):
    lam = ore.loc["lamarmora"]
    assert lam["ore"] == 4.0
    assert lam["fasce"] == 2
    assert bool(lam["sotto_minimo"]) is True
    assert lam["orario"] == sp.ORARIO_DOCUMENTATO
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
        assert riga["orario"] == sp.ORARIO_NON_DOCUMENTATO
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
    assert (ore.loc[sorted(attivi_demo), "orario"] == sp.ORARIO_DIMOSTRATIVO).all()


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
    m = sp.matrice_oraria(sportelli[sportelli["id_punto"] == "lamarmora"])
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
    m = sp.matrice_oraria(s)
    assert m.at["lun", 10] == 0.5 + 1.0 + 0.5
    assert m.at["lun", 11] == 1.0
    assert m.at["dom", 23] == 0.5
    assert m.to_numpy().sum() == 0.5 + 2 + 0.5 + 0.5


def test_matrice_reale_somma_le_ore(sportelli, ore):
    assert sp.matrice_oraria(sportelli).to_numpy().sum() == pytest.approx(ore["ore"].sum())


# --- open now ------------------------------------------------------------------------------------


def test_aperto_ora_mercoledi_inverno(sportelli):
    mercoledi = dt.date(2026, 1, 7)
    assert mercoledi.weekday() == 2
    assert "lamarmora" in sp.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 16, 0, tzinfo=FUSO))
    assert "lamarmora" not in sp.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 18, 0, tzinfo=FUSO))
    # 15:00 UTC is 16:00 in Rome in January (CET, UTC+1)
    assert "lamarmora" in sp.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 15, 0, tzinfo=UTC))
    assert "lamarmora" not in sp.aperto_ora(sportelli, dt.datetime(2026, 1, 7, 16, 45, tzinfo=UTC))  # 17:45 Rome


def test_aperto_ora_ora_legale(sportelli):
    # 8 July 2026 is a Wednesday; Rome is UTC+2: 13:40 UTC = 15:40 Rome (open), 13:20 UTC = 15:20 (closed)
    assert "lamarmora" in sp.aperto_ora(sportelli, dt.datetime(2026, 7, 8, 13, 40, tzinfo=UTC))
    assert "lamarmora" not in sp.aperto_ora(sportelli, dt.datetime(2026, 7, 8, 13, 20, tzinfo=UTC))


def test_aperto_ora_estremi_e_ora_locale():
    s = fascie([("a", "mer", "15:30", "17:30"), ("b", "mer", "17:30", "18:00"), ("c", "gio", "15:30", "17:30")])
    assert sp.aperto_ora(s, dt.datetime(2026, 1, 7, 15, 30, tzinfo=FUSO)) == ["a"]
    assert sp.aperto_ora(s, dt.datetime(2026, 1, 7, 17, 30, tzinfo=FUSO)) == ["b"]  # end excluded, start included
    assert sp.aperto_ora(s, dt.datetime(2026, 1, 7, 15, 29, tzinfo=FUSO)) == []
    assert sp.aperto_ora(s, dt.datetime(2026, 1, 7, 16, 0)) == ["a"]  # naive = Rome local time


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
    t = sp.totali_per_zona(s, punti, quartieri, ore_minime).set_index("zona")
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
    o = sp.ore_settimanali(s, punti, 6.0).set_index("id")
    assert o.at["a", "ore_volontario"] == 2 * 3 + 1.5 * 2
    assert pd.isna(o.at["b", "ore_volontario"])  # one slot without a count: the total is unknown


def test_filtra(piccolo, sportelli, punti):
    quartieri, p, s = piccolo
    pf, sf = sp.filtra(p, s, {"1"})
    assert set(pf["id"]) == {"doc", "nuovo"}
    assert set(sf["id_punto"]) == {"doc"}
    pf, sf = sp.filtra(punti, sportelli, {"17029010"})  # Lamarmora
    assert list(pf["id"]) == ["lamarmora"] and len(sf) == 2
    pf, sf = sp.filtra(punti, sportelli, set())
    assert pf.empty and sf.empty


def test_tabella_punti(sportelli, punti, quartieri, ore_minime):
    o = sp.ore_settimanali(sportelli, punti, ore_minime)
    t = sp.tabella_punti(o, sportelli, quartieri, aperti=["lamarmora"], minimo=ore_minime).set_index("Punto")
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


# --- bad input -----------------------------------------------------------------------------------

INTESTAZIONE = list(sp.COLONNE)
BUONA = {
    "id_punto": "lamarmora",
    "giorno": "mer",
    "inizio": "15:30",
    "fine": "17:30",
    "volontari": "",
    "fonte": "elivebrescia.tv",
    "dimostrativo": "no",
}
ID_PUNTI = {"lamarmora", "don-bosco"}


def scrivi(tmp_path: Path, righe: list[dict[str, str]], colonne: list[str] | None = None) -> Path:
    path = tmp_path / "sportelli.csv"
    colonne = colonne or INTESTAZIONE
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=colonne, extrasaction="ignore")
        w.writeheader()
        w.writerows(righe)
    return path


def problemi(tmp_path: Path, righe: list[dict[str, str]], colonne: list[str] | None = None):
    with pytest.raises(DatiNonValidi) as exc:
        sp.carica_sportelli(scrivi(tmp_path, righe, colonne), ID_PUNTI)
    assert all(p.file == "sportelli.csv" for p in exc.value.problemi)
    return [(p.riga, p.colonna) for p in exc.value.problemi], exc.value.problemi


def riga(**kw: str) -> dict[str, str]:
    return {**BUONA, **kw}


def test_file_buono_minimo(tmp_path):
    s, avvisi = sp.carica_sportelli(
        scrivi(tmp_path, [riga(), riga(giorno="Venerdì", inizio="9:30", fine="11:30")]), ID_PUNTI
    )
    assert avvisi == []
    assert list(s["giorno"]) == ["mer", "ven"]  # full day names accepted
    assert list(s["inizio"]) == ["15:30", "09:30"]  # normalised to HH:MM
    assert list(s["riga"]) == [2, 3]
    assert s["ore"].sum() == 4.0


def test_fasce_sovrapposte(tmp_path):
    dove, probs = problemi(
        tmp_path, [riga(), riga(giorno="ven", inizio="09:30", fine="11:30"), riga(inizio="17:00", fine="18:00")]
    )
    assert dove == [(4, "inizio")]
    assert "si sovrappone" in probs[0].messaggio and "riga 2" in probs[0].messaggio


def test_fasce_contigue_e_altri_punti_non_sovrapposte(tmp_path):
    righe = [riga(), riga(inizio="17:30", fine="18:00"), riga(id_punto="don-bosco", inizio="16:00", fine="17:00")]
    s, _ = sp.carica_sportelli(scrivi(tmp_path, righe), ID_PUNTI)
    assert len(s) == 3


def test_fascia_contenuta_in_una_precedente(tmp_path):
    # 09:00-13:00 contains 10:00-11:00 and overlaps 12:00-14:00: both are reported, against row 2
    righe = [riga(inizio="09:00", fine="13:00"), riga(inizio="10:00", fine="11:00"), riga(inizio="12:00", fine="14:00")]
    dove, probs = problemi(tmp_path, righe)
    assert dove == [(3, "inizio"), (4, "inizio")]
    assert all("riga 2" in p.messaggio for p in probs)


def test_fine_prima_di_inizio(tmp_path):
    dove, probs = problemi(
        tmp_path,
        [riga(), riga(giorno="ven", inizio="11:30", fine="09:30"), riga(giorno="sab", inizio="10:00", fine="10:00")],
    )
    assert dove == [(3, "fine"), (4, "fine")]
    assert "non è dopo" in probs[0].messaggio


def test_ora_25(tmp_path):
    dove, probs = problemi(tmp_path, [riga(fine="25:00"), riga(giorno="gio", inizio="24:00", fine="24:00")])
    assert dove == [(2, "fine"), (3, "inizio")]
    assert "fuori dall'intervallo" in probs[0].messaggio and "25:00" in probs[0].messaggio


def test_fine_24_ammessa(tmp_path):
    s, _ = sp.carica_sportelli(scrivi(tmp_path, [riga(inizio="22:00", fine="24:00")]), ID_PUNTI)
    assert s.at[0, "ore"] == 2.0 and s.at[0, "fine"] == "24:00"


def test_orario_malformato(tmp_path):
    dove, probs = problemi(tmp_path, [riga(inizio="15.30"), riga(giorno="gio", fine="17:75")])
    assert dove == [(2, "inizio"), (3, "fine")]
    assert all("HH:MM" in p.messaggio for p in probs)


def test_id_sconosciuto(tmp_path):
    dove, probs = problemi(tmp_path, [riga(), riga(id_punto="lamarmorra")])
    assert dove == [(3, "id_punto")]
    assert "lamarmorra" in probs[0].messaggio and "punti.csv" in probs[0].messaggio


def test_giorno_non_valido(tmp_path):
    dove, probs = problemi(tmp_path, [riga(giorno="mercoled")])
    assert dove == [(2, "giorno")]
    assert "lun, mar, mer" in probs[0].messaggio


def test_colonna_mancante(tmp_path):
    dove, probs = problemi(tmp_path, [riga()], colonne=[c for c in INTESTAZIONE if c != "giorno"])
    assert dove == [(1, "giorno")]
    assert "mancante" in probs[0].messaggio


def test_valori_mancanti_e_volontari(tmp_path):
    dove, _ = problemi(
        tmp_path, [riga(fonte=""), riga(giorno="gio", volontari="tre"), riga(giorno="sab", dimostrativo="forse")]
    )
    assert dove == [(2, "fonte"), (3, "volontari"), (4, "dimostrativo")]


def test_tutti_gli_errori_insieme(tmp_path):
    righe = [
        riga(),  # 2 ok
        riga(inizio="16:00", fine="17:00"),  # 3 overlaps row 2
        riga(giorno="ven", inizio="12:00", fine="11:00"),  # 4 end before start
        riga(giorno="gio", fine="25:00"),  # 5 hour out of range
        riga(id_punto="ignoto", giorno="sab"),  # 6 unknown id
        riga(giorno="xyz"),  # 7 bad weekday
    ]
    dove, probs = problemi(tmp_path, righe)
    assert dove == [(3, "inizio"), (4, "fine"), (5, "fine"), (6, "id_punto"), (7, "giorno")]
    assert all(str(p).startswith("sportelli.csv, riga ") for p in probs)


def test_csv_excel_italiano(tmp_path):
    path = tmp_path / "sportelli.csv"
    path.write_bytes(
        (
            "id_punto;giorno;inizio;fine;volontari;fonte;dimostrativo\r\nlamarmora;Mercoledì;15:30;17:30;;Comune;no\r\n"
        ).encode("cp1252")
    )
    s, avvisi = sp.carica_sportelli(path, ID_PUNTI)
    assert list(s["giorno"]) == ["mer"]
    assert len(avvisi) == 2 and all(a.gravita == "avviso" for a in avvisi)


# --- helpers -------------------------------------------------------------------------------------


def fascie(
    righe: list[tuple[str, str, str, str]],
    dimostrativo: set[str] = frozenset(),
    volontari: dict[int, int] | None = None,
) -> pd.DataFrame:
    """A frame shaped like carica_sportelli's output, built without a file."""
    volontari = volontari or {}
    df = pd.DataFrame(righe, columns=["id_punto", "giorno", "inizio", "fine"])
    df["inizio_min"] = df["inizio"].map(sp.minuti)
    df["fine_min"] = df["fine"].map(sp.minuti)
    df["ore"] = (df["fine_min"] - df["inizio_min"]) / 60
    df["volontari"] = pd.array([volontari.get(i) for i in range(len(df))], dtype="Int64")
    df["dimostrativo"] = df["id_punto"].isin(dimostrativo)
    df["fonte"] = "test"
    return df


# --- English -------------------------------------------------------------------------------------


def test_tabella_punti_in_inglese(sportelli, punti, quartieri, ore_minime, inglese):
    o = sp.ore_settimanali(sportelli, punti, ore_minime)
    t = sp.tabella_punti(o, sportelli, quartieri, aperti=["lamarmora"], minimo=ore_minime).set_index("Point")
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
