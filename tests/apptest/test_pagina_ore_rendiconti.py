"""The volunteer-hours page's reports («ore effettuate») on registers with 0, 1 and many reports:
a point or month without a report reads «non rendicontato», never 0, and is counted as expected."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cittadelnoi.core import fmt, tempo
from cittadelnoi.metrics.rendiconti import ultimi_mesi
from tests.apptest.app import ROOT, apri, metriche
from tests.apptest.test_pagina_ore_volontariato import figure, figure_previste

PAGINA = "pages/ore_volontariato.py"
INTESTAZIONE = "id_punto,mese,ore_sportello,volontari,ore_volontariato,accessi,note,fonte,stato\n"
ATTIVI = 20  # active points of the sample register (esempio/punti.csv)


def _tabella_mesi(at):
    tabelle = [df.value for df in at.dataframe if "Mese" in df.value.columns]
    assert len(tabelle) == 1
    return tabelle[0]


@pytest.fixture
def dati(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(data_copy))
    return data_copy


def test_nessun_rendiconto(dati: Path):
    (dati / "rendiconti.csv").unlink()
    at = apri(PAGINA)
    m = metriche(at)
    assert m["Ore di sportello effettuate"] == "non rendicontate"  # never "0"
    assert m["Ore di volontariato"] == "non rendicontate"
    assert m["Accessi allo sportello"] == "non rendicontati"
    assert m["Mesi rendicontati"] == f"0 su {ATTIVI * 12}"
    assert any("Nessun rendiconto inviato negli ultimi 12 mesi per i 20 punti" in i.value for i in at.info)
    assert figure(at) == figure_previste(at)  # no empty chart of reports
    assert m["Ore a settimana"] == "116"  # the planned slots are still there


def test_un_rendiconto(dati: Path):
    mese = ultimi_mesi(tempo.oggi())[-1]
    (dati / "rendiconti.csv").write_text(
        INTESTAZIONE
        + f"don-bosco,{mese},21.5,3,40,17,,registro del punto (esempio),inviato\n"
        # A draft is not counted: the month stays «non rendicontato» for that point.
        + f"mompiano,{mese},30,3,40,17,,registro del punto (esempio),bozza\n",
        encoding="utf-8",
    )
    at = apri(PAGINA)
    m = metriche(at)
    assert m["Ore di sportello effettuate"] == fmt.ore(21.5) == "21,5"
    assert m["Ore di volontariato"] == "40"
    assert m["Accessi allo sportello"] == "17"
    assert m["Mesi rendicontati"] == f"1 su {ATTIVI * 12}"
    t = _tabella_mesi(at)
    assert len(t) == 12
    assert list(t["Rendiconti"]) == [f"0 su {ATTIVI}"] * 11 + [f"1 su {ATTIVI}"]
    assert set(t["Ore di sportello"].iloc[:11]) == {"non rendicontato"}
    assert t["Ore di sportello"].iloc[-1] == "21,5"
    # 21,5 h is under the month's minimum (6 h × its weeks, at least 24 h): counted as such.
    assert t["Sotto il minimo"].iloc[-1] == "1"
    assert len(figure(at)) == len(figure_previste(at)) + 3


def _attesi_dal_file(file: Path, mesi: list[str]) -> tuple[float, int, int]:
    """Desk hours, visits and reports of the sent reports of `mesi`, read with the csv module."""
    ore, accessi, n = 0.0, 0, 0
    with file.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["mese"] in mesi and r["stato"] == "inviato":
                n += 1
                ore += float(r["ore_sportello"] or 0)
                accessi += int(r["accessi"] or 0)
    return ore, accessi, n


def test_molti_rendiconti_esempio():
    at = apri(PAGINA)
    m = metriche(at)
    mesi = ultimi_mesi(tempo.oggi())
    ore, accessi, n = _attesi_dal_file(ROOT / "esempio" / "rendiconti.csv", mesi)
    assert n > 100, "the sample has 18 months of reports"
    assert m["Ore di sportello effettuate"] == fmt.ore(ore)
    assert m["Accessi allo sportello"] == fmt.numero(accessi)
    assert m["Mesi rendicontati"] == f"{fmt.numero(n)} su {ATTIVI * 12}"
    assert n < ATTIVI * 12  # the sample leaves months out: they are counted as expected, not hidden
    t = _tabella_mesi(at)
    assert len(t) == 12 and "non rendicontato" not in set(t["Ore di sportello"])
    assert any("Totali del" in x.value for x in at.markdown)
    # Per zona as well as per point: every zona with an active point, its reports "n su m".
    at.radio(key="rendiconti_vista").set_value("per zona").run()
    zone = [df.value for df in at.dataframe if "Zona" in df.value.columns and "Rendiconti" in df.value.columns]
    assert len(zone) == 1 and set(zone[0]["Zona"]) <= {"Centro", "Nord", "Sud", "Est", "Ovest"}
    assert sum(int(r.split(" su ")[1]) for r in zone[0]["Rendiconti"]) == ATTIVI * 12


def test_in_inglese(inglese):
    at = apri(PAGINA, {"lang": "en"})
    m = metriche(at)
    assert m["Months reported"].endswith(f"of {ATTIVI * 12}")
    assert at.subheader[0].value == "Hours held: the monthly reports"
