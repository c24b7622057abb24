"""Issue 22, point 1: a point whose opening date is not documented (no `apertura`, no
`prima_attestazione`: Mompiano and Villaggio Violino in the shipped data) is in the register, but
is never counted as new in any change figure: the overview's deltas, the chart of points over
time, "Stato al". Runs on the shipped register (data/), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cittadelnoi.core import tempo
from cittadelnoi.metrics.stato import kpi
from cittadelnoi.stores.db import DbStore
from tests.conftest import DATI_PUBBLICATI, amministratore
from tests.db.test_registro_veritiero import _alembic

SENZA_DATA = {"mompiano", "villaggio-violino"}


@pytest.fixture
def pubblicato(engine, tmp_path: Path) -> DbStore:
    cartella = tmp_path / "pubblicati"
    shutil.copytree(DATI_PUBBLICATI, cartella)
    s = DbStore(engine, cartella)
    snap, errori = s.get()
    assert errori == [] and snap is not None
    return s


def _delta(store: DbStore, dal: dt.date) -> dict[str, int]:
    """The overview's change figures for the whole city since `dal` (pages/panoramica.py)."""
    snap, _ = store.get()
    codici = set(snap.quartieri["codice_istat"])
    ora, prima = kpi(snap.stati, snap.punti, codici), store.snapshot_al(dal, confronto=True)
    k0 = kpi(prima.stati, prima.punti, codici)
    campi = ("punti_attivi", "punti_in_apertura", "quartieri_coperti", "quartieri_mancanti")
    return {c: getattr(ora, c) - getattr(k0, c) for c in campi}


def test_undated_points_are_known_and_never_new_in_the_deltas(pubblicato: DbStore):
    assert pubblicato.punti_senza_data() == SENZA_DATA
    oggi = tempo.oggi()
    # Nothing documented happened in the last 90 days: every delta is 0, although the database
    # (and so the two undated points) entered the register today.
    assert _delta(pubblicato, oggi - dt.timedelta(days=90)) == dict.fromkeys(
        ("punti_attivi", "punti_in_apertura", "quartieri_coperti", "quartieri_mancanti"), 0
    )
    # Since 01/12/2025 two documented points opened (Lamarmora 10/12/2025, San Polo Cimabue
    # 02/01/2026): +2, never +4.
    assert _delta(pubblicato, dt.date(2025, 12, 1)) == {
        "punti_attivi": 2,
        "punti_in_apertura": 0,
        "quartieri_coperti": 2,
        "quartieri_mancanti": -2,
    }


def test_past_views_and_the_chart_leave_undated_points_out(pubblicato: DbStore):
    oggi = tempo.oggi()
    ieri = oggi - dt.timedelta(days=1)
    assert not SENZA_DATA & set(pubblicato.snapshot_al(ieri).punti["id"])
    assert not SENZA_DATA & set(pubblicato.snapshot_al(oggi).punti["id"])
    # The register's line of the chart: the 10 dated points, no step on the day of the first fill.
    reg = pubblicato.punti_nel_tempo(oggi).query("serie == 'registro'")
    assert reg["attivi"].max() == 10 == reg["attivi"].iloc[-1]
    assert list(reg["attivi"]) == sorted(reg["attivi"]), "points only added by documented dates"
    # The history starts each dated point at its opening, else its first attestation.
    assert pubblicato.primo_giorno() == dt.date(2016, 2, 29)
    sereno = pubblicato.snapshot_al(dt.date(2017, 10, 21)).punti["id"]
    assert {"villaggio-sereno", "sanpolino"} <= set(sereno)
    assert "caionvico" not in set(pubblicato.snapshot_al(dt.date(2019, 10, 21)).punti["id"])


def test_a_point_added_without_a_date_is_never_new_and_one_with_a_date_starts_there(pubblicato: DbStore):
    oggi = tempo.oggi()
    rec, orario, _ = pubblicato.punto("caionvico")
    base = {**rec, "apertura": None, "prima_attestazione": None, "conferma": None}
    pubblicato.salva_punto(
        None,
        {**base, "id": "fornaci", "nome": "Punto di comunità Fornaci", "codice_istat": "17029009"},
        [],
        None,
        amministratore("anna"),
    )
    assert "fornaci" in set(pubblicato.get()[0].punti["id"])
    assert _delta(pubblicato, oggi - dt.timedelta(days=30))["punti_attivi"] == 0
    assert pubblicato.punti_senza_data() == SENZA_DATA | {"fornaci"}
    datato = {**base, "id": "folzano", "nome": "Punto di comunità Folzano", "codice_istat": "17029008"}
    pubblicato.salva_punto(None, {**datato, "prima_attestazione": "2019-03"}, [], None, amministratore("anna"))
    # Active at the latest at the end of March 2019: there in the past, and new since 2019, not today.
    assert "folzano" in set(pubblicato.snapshot_al(dt.date(2019, 3, 31)).punti["id"])
    assert "folzano" not in set(pubblicato.snapshot_al(dt.date(2019, 3, 30)).punti["id"])
    assert _delta(pubblicato, oggi - dt.timedelta(days=30))["punti_attivi"] == 0
    # Since 2019: San Bartolomeo, Caionvico, Chiusure, Don Bosco, Primo Maggio, Lamarmora, San Polo
    # Cimabue and Folzano; never Fornaci, Mompiano or Villaggio Violino.
    assert _delta(pubblicato, dt.date(2019, 1, 1))["punti_attivi"] == 8


def test_a_database_filled_before_0004_marks_its_undated_rows_on_upgrade(pubblicato: DbStore, engine):
    """A database of 0003 knew undated points only by the note its first fill wrote: the upgrade
    marks those rows, so the points are still never new."""
    _alembic(engine, "downgrade", "0003")
    _alembic(engine, "upgrade", "head")
    riletto = DbStore(engine, pubblicato.data_dir)
    assert riletto.punti_senza_data() == SENZA_DATA
    assert _delta(riletto, tempo.oggi() - dt.timedelta(days=90))["punti_attivi"] == 0


def test_the_desk_hours_given_with_a_new_point_are_never_new_hours(pubblicato: DbStore):
    """The hours page compares desk slots on the same register: the slots that come with a new
    point have no documented start, so they are on both sides of «Ore a settimana»'s change."""
    rec, _, _ = pubblicato.punto("caionvico")
    fasce = [
        {
            "giorno": "lun",
            "inizio": "09:00",
            "fine": "12:00",
            "volontari": None,
            "fonte": "prova",
            "dimostrativo": "no",
        },
        {
            "giorno": "gio",
            "inizio": "15:00",
            "fine": "18:00",
            "volontari": None,
            "fonte": "prova",
            "dimostrativo": "no",
        },
    ]
    nuovo = {**rec, "id": "fornaci", "nome": "Punto di comunità Fornaci", "codice_istat": "17029009"}
    pubblicato.salva_punto(None, {**nuovo, "apertura": "2019-03-01"}, fasce, None, amministratore())
    prima = pubblicato.snapshot_al(tempo.oggi() - dt.timedelta(days=30), confronto=True)
    assert (prima.sportelli["id_punto"] == "fornaci").sum() == 2
