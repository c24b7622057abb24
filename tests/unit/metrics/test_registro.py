"""Completeness of the register against the published count, and the points to confirm again."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.loaders.punti import fine_periodo
from cittadelnoi.metrics import registro as reg  # (its testo_*/testi_* would look like tests to pytest)
from cittadelnoi.metrics.registro import (
    MESI_RICONFERMA,
    aggiornati_referente,
    colonna_da_riconfermare,
    completezza,
    conta_da_riconfermare,
    conteggio_pubblicato,
    da_riconfermare,
    fonte_punto,
    frase_conferma,
    frase_conteggio,
    frase_da_riconfermare,
    regola_riconferma,
    va_riconfermato,
)
from cittadelnoi.stores.file import carica
from tests.conftest import DATA


def test_latest_published_count_with_its_source():
    snap = carica(DATA)
    c = conteggio_pubblicato(snap.finanziamenti)
    assert (c.attivi, c.mese) == (20, "2025-12") and c.fonte.startswith("elivebrescia.tv")
    assert (
        conteggio_pubblicato(
            snap.finanziamenti.drop(index=[i for i in snap.finanziamenti.index if i.startswith("punti_attivi")])
        )
        is None
    )


def test_incomplete_register_says_nessun_punto_documentato_until_complete(data_copy):
    snap = carica(data_copy)
    assert snap.completezza.completo  # the sample holds 20 active points: as many as published
    assert set(snap.stati["stato"]) == {"attivo", "in_apertura", "mancante"}
    meno = snap.punti[~snap.punti["id"].isin(["demo-fornaci", "demo-folzano"])]
    ridotto = dataclasses.replace(snap, punti=meno)
    c = ridotto.completezza
    assert (c.completo, c.nel_registro, c.non_nel_registro) == (False, 18, 2)
    assert "mancante" not in set(ridotto.stati["stato"])
    assert (ridotto.stati["stato"] == "non_documentato").sum() == 14
    assert frase_conteggio(c) == (
        "20 punti attivi (dicembre 2025, fonte: elivebrescia.tv, 'Lamarmora, aperto un nuovo punto comunita': "
        "la rete sale a 20'), di cui 18 nel registro."
    )
    # Officials mark it complete: "mancante" returns.
    segnato = dataclasses.replace(snap, punti=meno, segnato_completo=True)
    assert segnato.completezza.completo and (segnato.stati["stato"] == "mancante").sum() == 14
    assert not completezza(meno, snap.finanziamenti).completo


def test_points_to_confirm_again_older_than_12_months_or_unknown():
    punti = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "nome": ["A", "B", "C", "D"],
            "codice_istat": ["17029001"] * 4,
            "conferma": ["2025-11", "2025-11-29", None, "2025-12-01"],
            "conferma_fino": [dt.date(2025, 11, 30), dt.date(2025, 11, 29), None, dt.date(2025, 12, 1)],
        }
    )
    t = da_riconfermare(punti, dt.date(2026, 11, 30))
    # Unknown first, then the oldest; 2025-11 (to 30 November 2025) is exactly 12 months: not yet.
    assert t["id"].tolist() == ["c", "b"]
    assert pd.isna(t.loc[0, "mesi"]) and t.loc[1, "mesi"] == 12


def test_partial_dates_shown_as_precise_as_the_source():
    assert fmt.data_parziale("2025-10") == "ottobre 2025"
    assert fmt.data_parziale("2025-10-23") == "23/10/2025"
    assert fmt.data_parziale("2025-10", locale="en_GB") == "October 2025"
    # Day and month in figures would be read the other way round in the US: English names the month.
    assert fmt.data_parziale("2025-10-05", locale="en_GB") == "5 Oct 2025"
    assert fmt.data_parziale(None) is None


# --- issue 22, point 4: one rule and one wording for old confirmations -------------------------


def test_the_rule_older_than_12_months_or_missing():
    oggi = dt.date(2026, 12, 7)
    assert MESI_RICONFERMA == 12
    assert not va_riconfermato(dt.date(2025, 12, 7), oggi), "exactly 12 months: not older"
    assert va_riconfermato(dt.date(2025, 12, 6), oggi)
    assert not va_riconfermato(dt.date(2026, 12, 7), oggi)
    for ignota in (None, float("nan"), pd.NaT):
        assert va_riconfermato(ignota, oggi)
    # A month-only confirmation stands until the month's last day (loaders.punti.fine_periodo).
    assert not va_riconfermato(fine_periodo("2025-12"), oggi) and va_riconfermato(fine_periodo("2025-11"), oggi)
    # End of month: 12 months before 29 February 2028 is 28 February 2027.
    assert not va_riconfermato(dt.date(2027, 2, 28), dt.date(2028, 2, 29))
    assert va_riconfermato(dt.date(2027, 2, 27), dt.date(2028, 2, 29))


def test_the_frame_column_and_the_count_use_the_rule():
    punti = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "conferma": ["2019-10", "2026-11-30", None, "2025-12-07"],
        }
    )
    oggi = dt.date(2026, 12, 7)
    assert colonna_da_riconfermare(punti, oggi).tolist() == [True, False, True, False]
    assert conta_da_riconfermare(punti, oggi) == 2
    # With conferma_fino (as in a snapshot) the same answer.
    punti["conferma_fino"] = [fine_periodo(c) if isinstance(c, str) else None for c in punti["conferma"]]
    assert colonna_da_riconfermare(punti, oggi).tolist() == [True, False, True, False]


def test_wording_in_italian_at_month_and_day_precision_and_missing():
    oggi = dt.date(2026, 12, 7)
    assert frase_conferma("2019-10", oggi) == "ultima conferma: ottobre 2019 — da riconfermare"
    assert frase_conferma("2019-10-22", oggi) == "ultima conferma: 22/10/2019 — da riconfermare"
    assert frase_conferma(None, oggi) == "ultima conferma: non documentata — da riconfermare"
    assert frase_conferma(float("nan"), oggi) == "ultima conferma: non documentata — da riconfermare"
    assert frase_conferma("2026-10-23", oggi) == "ultima conferma: 23/10/2026"
    assert reg.testo_conferma("2026-10", oggi) == "ottobre 2026"
    assert reg.testi_conferma(pd.DataFrame({"id": ["x", "y"], "conferma": ["2019-10", None]}), oggi) == {
        "x": "ottobre 2019 — da riconfermare",
        "y": "non documentata — da riconfermare",
    }


def test_wording_in_english(inglese):
    oggi = dt.date(2026, 12, 7)
    assert frase_conferma("2019-10", oggi) == "last confirmed: October 2019 — to be reconfirmed"
    assert frase_conferma("2019-10-22", oggi) == "last confirmed: 22 Oct 2019 — to be reconfirmed"
    assert frase_conferma(None, oggi) == "last confirmed: not documented — to be reconfirmed"
    assert frase_conferma("2026-10-23", oggi) == "last confirmed: 23 Oct 2026"
    assert fonte_punto("Comune di Brescia", dt.date(2026, 12, 7)) == (
        "Comune di Brescia; updated by the point's contact person on 7 Dec 2026"
    )
    assert frase_da_riconfermare(7, 21) == "Points to reconfirm: 7 of 21"
    assert "12 months" in regola_riconferma()


def test_a_referente_change_as_a_source():
    assert reg.testo_aggiornato_referente(dt.date(2026, 12, 7)) == "aggiornato dal referente il 07/12/2026"
    assert fonte_punto("elivebrescia.tv", dt.date(2026, 12, 7)) == (
        "elivebrescia.tv; aggiornato dal referente il 07/12/2026"
    )
    for nessuna in (None, pd.NaT, float("nan")):
        assert reg.testo_aggiornato_referente(nessuna) is None
        assert fonte_punto("elivebrescia.tv", nessuna) == "elivebrescia.tv"
    punti = pd.DataFrame({"id": ["a", "b"], "aggiornato_referente": [dt.date(2026, 12, 7), None]})
    assert reg.testi_aggiornato_referente(punti) == {"a": "aggiornato dal referente il 07/12/2026"}
    assert aggiornati_referente(punti.drop(columns="aggiornato_referente")) == [None, None]
    assert frase_da_riconfermare(7, 21) == "Punti da riconfermare: 7 su 21"
    assert "12 mesi" in regola_riconferma()
