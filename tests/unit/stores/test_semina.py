"""The database's first fill names the folder it was filled from: its history is a source too."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.schema import revisioni
from tests.conftest import DATA


def _storico(data_dir: Path, tmp_path: Path):
    """The history after the first fill, and the description of the fill's revision (the first; a
    folder with rendiconti.csv adds a second one for the monthly reports, which must cite it)."""
    engine = crea_engine(f"sqlite:///{tmp_path / 'registro.sqlite'}")
    try:
        store = DbStore(engine, data_dir)
        snap, errori = store.get()
        assert errori == [] and snap is not None
        with engine.connect() as conn:
            descrizione, *altre = conn.execute(sa.select(revisioni.c.descrizione).order_by(revisioni.c.id)).scalars()
        cartella = data_dir.name + "/"
        attese = (
            [f"Rendiconti mensili dal file {cartella}rendiconti.csv"] if (data_dir / "rendiconti.csv").exists() else []
        )
        assert altre == attese
        return store.modifiche(limite=10_000), descrizione
    finally:
        engine.dispose()


def test_the_history_of_the_sample_register_cites_esempio(tmp_path: Path):
    """Filled from esempio/ (the sample mode), the history said "data/storico_punti.csv"."""
    storico, descrizione = _storico(DATA, tmp_path)  # read only: the fill writes nothing in the folder
    assert descrizione == (
        "Creazione del database da esempio/punti.csv, esempio/sportelli.csv e esempio/storico_punti.csv"
    )
    chi = set(storico["chi"])
    assert chi == {"storico documentato (esempio/storico_punti.csv)", "sistema (creazione dai file in esempio/)"}
    assert not any("data/" in str(v) for v in storico.to_numpy().ravel())


def test_a_folder_without_a_dated_history_is_not_cited_for_one(tmp_path: Path):
    cartella = tmp_path / "registro"
    shutil.copytree(DATA, cartella)
    (cartella / "storico_punti.csv").unlink()
    storico, descrizione = _storico(cartella, tmp_path)
    # Without storico_punti.csv the history starts each dated point at its opening in punti.csv
    # (issue 22: apertura, else prima_attestazione), citing that file, never a history file.
    assert set(storico["chi"]) == {
        "sistema (creazione dai file in registro/)",
        "storico documentato (registro/punti.csv, apertura)",
    }
    assert not storico["chi"].str.contains("storico_punti").any()
    assert descrizione == "Creazione del database da registro/punti.csv e registro/sportelli.csv"
