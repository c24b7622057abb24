"""metrics.rendiconti: the monthly minimum, per month/point/zona, totals, value of volunteering."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cittadelnoi.loaders.rendiconti import frame_da_record
from cittadelnoi.metrics import rendiconti as m


def test_the_weekly_minimum_becomes_a_month_s_hours_by_its_weeks():
    assert m.settimane("2025-02") == 4.0
    assert m.ore_minime_mese("2025-02", 6) == 24.0
    assert m.ore_minime_mese("2025-01", 6) == pytest.approx(6 * 31 / 7)  # 26,57 h
    assert m.ore_minime_mese("2024-02", 6) == pytest.approx(6 * 29 / 7)


def test_last_months_end_with_the_previous_month():
    mesi = m.ultimi_mesi(dt.date(2026, 1, 15))
    assert len(mesi) == 12 and mesi[0] == "2025-01" and mesi[-1] == "2025-12"
    assert m.mese_precedente(dt.date(2026, 1, 1)) == "2025-12"


PUNTI = pd.DataFrame(
    {
        "id": ["a", "b", "c"],
        "nome": ["Punto A", "Punto B", "Punto C"],
        "codice_istat": ["1", "2", "3"],
        "stato": ["attivo", "attivo", "in_apertura"],
    }
)


def _rendiconti(*righe: tuple) -> pd.DataFrame:
    colonne = ("id_punto", "mese", "ore_sportello", "volontari", "ore_volontariato", "accessi", "stato")
    return frame_da_record([dict(zip(colonne, r, strict=True)) | {"fonte": "registro"} for r in righe])


def test_a_point_or_month_without_a_report_is_not_reported_never_zero():
    r = _rendiconti(
        ("a", "2025-02", 20.0, 3, 50.0, 10, "inviato"),  # under 24 h
        ("a", "2025-03", 30.0, 3, None, 12, "inviato"),
        ("b", "2025-03", 40.0, 2, 70.0, None, "bozza"),  # a draft does not count
    )
    t = m.tabella_mesi(r, PUNTI, ["2025-02", "2025-03"], 6)
    assert len(t) == 4  # the two active points × two months; c is not active and did not report
    assert t["rendicontato"].sum() == 2
    assert t.set_index(["id", "mese"]).loc[("a", "2025-02"), "sotto_minimo"]
    assert pd.isna(t.set_index(["id", "mese"]).loc[("b", "2025-03"), "sotto_minimo"])
    pm = m.per_mese(t)
    assert list(pm["attesi"]) == [2, 2] and list(pm["rendicontati"]) == [1, 1]
    assert list(pm["ore_sportello"]) == [20.0, 30.0]
    assert pd.isna(pm.loc["2025-03", "ore_volontariato"])  # nobody gave it: unknown, not 0
    assert pm.loc["2025-02", "sotto_minimo"] == 1
    pp = m.per_punto(t)
    assert pp.loc["b", "rendicontati"] == 0 and pd.isna(pp.loc["b", "ore_sportello"])
    mostrata = m.tabella_riassunto(pp, "Punto", list(pp["nome"]))
    assert mostrata.set_index("Punto").loc["Punto B", "Ore di sportello"] == "non rendicontato"


def test_per_zona_counts_every_expected_point():
    quartieri = pd.DataFrame({"codice_istat": ["1", "2", "3"], "zona": ["Nord", "Sud", "Sud"]})
    r = _rendiconti(("a", "2025-02", 20.0, 3, 50.0, 10, "inviato"))
    t = m.tabella_mesi(r, PUNTI, ["2025-02"], 6)
    pz = m.per_zona(t, quartieri)
    assert list(pz.index) == ["Nord", "Sud"]
    assert list(pz["attesi"]) == [1, 1] and list(pz["rendicontati"]) == [1, 0]


def test_year_totals_and_the_value_of_volunteering():
    r = _rendiconti(
        ("a", "2025-02", 20.0, 3, 50.0, 10, "inviato"),
        ("b", "2025-12", 10.0, 1, 10.5, None, "inviato"),
        ("a", "2026-01", 30.0, 3, 60.0, 12, "inviato"),
        ("b", "2025-05", 30.0, 3, 99.0, 12, "bozza"),
    )
    tot = m.totali_anno(r, 2025)
    assert tot == {
        "rendiconti": 2,
        "punti": 2,
        "mesi": 2,
        "ore_sportello": 30.0,
        "ore_volontariato": 60.5,
        "accessi": 10.0,
    }
    assert m.anni(r) == [2026, 2025]
    assert m.valore_volontariato(60.5, 15.0) == 907.5
    assert m.valore_volontariato(60.5, None) is None and m.valore_volontariato(None, 15.0) is None
    assert m.totali_anno(r, 2024)["ore_volontariato"] is None
