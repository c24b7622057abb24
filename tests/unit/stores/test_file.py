"""The data store: all-or-nothing reloads, last good data kept in memory and on disk."""

from __future__ import annotations

from pathlib import Path

from cittadelnoi.stores.file import FILES, DataStore
from tests.conftest import replace_in


def test_reload_only_when_a_file_changes_and_keep_last_good(data_copy: Path, tmp_path: Path):
    store = DataStore(data_copy, tmp_path / "copia")
    first, errors = store.get()
    assert errors == [] and first is not None
    again, _ = store.get()
    assert again is first, "an unchanged data/ must not be parsed again"

    # A bad desk slot: the points file is fine, but nothing from this edit may be served.
    replace_in(data_copy / "punti.csv", "Punto di comunità Don Bosco", "Punto di comunità Don Bosco NUOVO")
    replace_in(data_copy / "sportelli.csv", "lamarmora,mer,15:30,17:30", "lamarmora,mer,17:30,15:30")
    snap, errors = store.get()
    assert snap is first
    assert [(p.file, p.riga) for p in errors][:1] == [("sportelli.csv", 2)]
    assert "NUOVO" not in " ".join(snap.punti["nome"])

    replace_in(data_copy / "sportelli.csv", "lamarmora,mer,17:30,15:30", "lamarmora,mer,15:30,17:30")
    fixed, errors = store.get()
    assert errors == [] and fixed is not first
    assert "Punto di comunità Don Bosco NUOVO" in set(fixed.punti["nome"])
    assert fixed.versione != first.versione


def test_saved_copy_is_the_last_good_one(data_copy: Path, tmp_path: Path):
    copy = tmp_path / "copia"
    store = DataStore(data_copy, copy)
    store.get()
    assert sorted(p.name for p in copy.iterdir()) == sorted(FILES)
    good = (copy / "punti.csv").read_bytes()

    (data_copy / "punti.csv").write_text("rotto", encoding="utf-8")
    store.get()
    assert (copy / "punti.csv").read_bytes() == good
    assert not list(tmp_path.glob("copia.*")), "no half-written copy left behind"

    fresh = DataStore(data_copy, copy)  # a restart while the file is still broken
    snap, errors = fresh.get()
    assert snap is not None and snap.da_copia
    assert errors and errors[0].file == "punti.csv"


def test_no_data_at_all(tmp_path: Path):
    snap, errors = DataStore(tmp_path / "vuota", tmp_path / "copia").get()
    assert snap is None
    assert {p.file for p in errors} >= {"quartieri.geojson", "finanziamenti.csv"}
    assert all(p.messaggio == "file mancante nella cartella dei dati" for p in errors)
