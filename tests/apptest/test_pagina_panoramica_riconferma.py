"""The overview counts the points whose last confirmation is older than 12 months (issue 22,
point 4), in the view of the filter, with the rule in its help; the hours table says which."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cittadelnoi.core import tempo
from tests.apptest.app import apri

# The sample register (esempio/punti.csv) on this day: 7 of its 21 points were last confirmed in
# 2024 (Don Bosco, Lamarmora, Porta Milano, Fiumicello, Porta Cremona-Volta, Villaggio Prealpino,
# Sant'Eufemia), 3 of them in the Sud zona (Don Bosco, Lamarmora, Porta Cremona-Volta).
OGGI = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def oggi_fisso(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempo, "oggi", lambda: OGGI)


def conteggio(at: AppTest, inizio: str = "Punti da riconfermare") -> tuple[str, str]:
    (c,) = [c for c in at.caption if c.value.startswith(inizio)]
    return c.value, c.proto.help


def test_the_overview_counts_the_points_to_reconfirm_in_the_view():
    at = apri()
    testo, aiuto = conteggio(at)
    assert testo == "Punti da riconfermare: 7 su 21"
    assert "più vecchia di 12 mesi, o non è documentata" in aiuto
    at.selectbox(key="filtro_zona").set_value("Sud").run()
    assert conteggio(at)[0] == "Punti da riconfermare: 3 su 6"
    at = apri(query={"quartiere": "17029011"})  # Mompiano, confirmed in February 2026
    assert conteggio(at)[0] == "Punti da riconfermare: 0 su 1"


def test_the_count_in_english(inglese):
    at = apri(query={"lang": "en"})
    testo, aiuto = conteggio(at, "Points to reconfirm")
    assert testo == "Points to reconfirm: 7 of 21" and "older than 12 months" in aiuto


def test_the_count_follows_the_days(monkeypatch: pytest.MonkeyPatch):
    # A year and two days after Mompiano's confirmation of 2 February 2026, it is old too.
    monkeypatch.setattr(tempo, "oggi", lambda: dt.date(2027, 2, 3))
    assert conteggio(apri())[0] == "Punti da riconfermare: 8 su 21"


def test_the_hours_table_says_which_point_to_reconfirm():
    at = apri("pages/ore_volontariato.py")
    (tabella,) = [d.value.set_index("Punto") for d in at.dataframe if "Ultima conferma" in d.value.columns]
    conferme = tabella["Ultima conferma"]
    assert conferme["Punto Girasole (esempio)"] == "gennaio 2024 — da riconfermare"  # Don Bosco, 2024-01
    assert conferme["Punto Quercia (esempio)"] == "02/02/2026"  # Mompiano
    assert (conferme.str.endswith("— da riconfermare")).sum() == 7
