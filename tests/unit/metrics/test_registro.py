"""Completeness of the register against the published count, and the points to confirm again."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.metrics.registro import completezza, conteggio_pubblicato, da_riconfermare, frase_conteggio
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
