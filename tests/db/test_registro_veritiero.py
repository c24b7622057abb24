"""Issue 11 on both backends: migration 0003 on a database with data, the register marked complete,
residents imported, a position refused outside its quartiere."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.stores.db import DbStore
from tests.conftest import amministratore


def _alembic(engine, verso: str, revisione: str) -> None:
    from alembic.config import Config

    from alembic import command
    from cittadelnoi.core.paths import ROOT

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verso)(cfg, revisione)


def test_migration_0003_keeps_every_desk_slot_and_date(engine, store: DbStore, data_copy: Path):
    with engine.connect() as conn:
        fasce_prima = conn.execute(sa.text("SELECT count(*) FROM sportelli")).scalar_one()
    assert fasce_prima > 40
    _alembic(engine, "downgrade", "0002")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM sportelli")).scalar_one() == fasce_prima
    _alembic(engine, "upgrade", "head")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM sportelli")).scalar_one() == fasce_prima
    # Month-precision opening dates came back as the first day of the month through DATE; the rest intact.
    snap, errori = DbStore(engine, data_copy).get()
    assert errori == [] and len(snap.sportelli) == fasce_prima
    assert snap.punti.set_index("id").at["don-bosco", "apertura"] == "2016-01-10"


def test_seeded_register_keeps_confirmation_notes_and_flags(store: DbStore):
    snap, _ = store.get()
    p = snap.punti.set_index("id")
    assert p.at["don-bosco", "conferma"] == "2024-01"
    assert p.at["mompiano", "apertura"] == "2017-02"
    assert p.at["demo-chiusure", "quartiere_da_verificare"]
    assert p.at["lamarmora", "nota"].startswith("Punto fittizio")
    assert len(snap.popolazione) == 33


def test_marking_the_register_complete_is_a_recorded_revision(store: DbStore):
    snap, _ = store.get()
    assert not snap.segnato_completo
    assert store.segna_completo(True, amministratore("mrossi"))
    assert not store.segna_completo(True, amministratore("mrossi"))  # already so: nothing written
    snap2, _ = store.get()
    assert snap2.segnato_completo and snap2.versione != snap.versione
    with store.engine.connect() as conn:
        descr = conn.execute(sa.text("SELECT chi, descrizione FROM revisioni ORDER BY id DESC LIMIT 1")).one()
    assert descr.chi == "mrossi" and "completo" in descr.descrizione


def test_residents_import_replaces_the_file_figures_all_or_nothing(store: DbStore):
    buono = b"quartiere,anno,residenti,fonte\nLamarmora,2024,9.100,Comune di Brescia 2025\n"
    frame, _ = store.importa_popolazione("residenti.csv", buono, amministratore("mrossi"), scrivi=False)
    assert frame["residenti"].tolist() == [9100]
    assert len(store.get()[0].popolazione) == 33  # a preview writes nothing
    store.importa_popolazione("residenti.csv", buono, amministratore("mrossi"))
    pop = store.get()[0].popolazione
    assert pop[["codice_istat", "anno", "residenti"]].values.tolist() == [["17029010", 2024, 9100]]
    with pytest.raises(DatiNonValidi):
        store.importa_popolazione(
            "residenti.csv", b"quartiere,anno,residenti,fonte\nAtlantide,2024,1,x\n", amministratore("mrossi")
        )
    assert len(store.get()[0].popolazione) == 1


def test_position_outside_its_quartiere_is_refused_and_nothing_is_written(store: DbStore):
    rec, orario, versione = store.punto("lamarmora")
    # Don Bosco's sample coordinates: a different quartiere.
    with pytest.raises(DatiNonValidi) as exc:
        store.salva_punto(
            "lamarmora", {**rec, "lat": "45.52802", "lon": "10.20539"}, orario, versione, amministratore("mrossi")
        )
    assert "«Don Bosco», ma il punto è nel quartiere «Lamarmora»" in str(exc.value)
    assert store.punto("lamarmora")[2] == versione
    # Back to indicative: the coordinates of the quartiere's centre, computed, not typed.
    store.salva_punto(
        "lamarmora",
        {**rec, "lat": None, "lon": None, "posizione": "centro_quartiere"},
        orario,
        versione,
        amministratore("mrossi"),
    )
    assert store.get()[0].punti.set_index("id").at["lamarmora", "posizione"] == "centro_quartiere"
