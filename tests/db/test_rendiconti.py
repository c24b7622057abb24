"""The monthly reports in the database (SQLite and PostgreSQL): first fill from the file, writes
checked by the loader and by the author's role, imports all or nothing, the hourly value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.core.ruoli import SISTEMA, Autore, NonAutorizzato, Ruolo
from cittadelnoi.loaders.rendiconti import COLONNE
from cittadelnoi.stores.db import DbStore

OGGI = dt.date(2026, 12, 8)
REFERENTE = Autore("rbianchi", "Rita Bianchi", Ruolo.REFERENTE, frozenset({"demo-fornaci"}))
ANNA = Autore("anna", "Anna", Ruolo.AMMINISTRATORE)


def _righe_file(data_copy: Path) -> int:
    return len((data_copy / "rendiconti.csv").read_text(encoding="utf-8").splitlines()) - 1


def test_the_first_fill_reads_the_reports_file(store: DbStore, data_copy: Path):
    snap, _ = store.get()
    assert len(snap.rendiconti) == _righe_file(data_copy) > 0
    assert set(snap.rendiconti["stato"]) == {"inviato", "bozza"}
    assert snap.valore_orario is None


def test_a_referente_writes_only_its_own_points_reports(store: DbStore):
    rec = {"id_punto": "demo-fornaci", "mese": "2026-11", "ore_sportello": 26, "fonte": "referente del punto"}
    rev = store.salva_rendiconto(rec, REFERENTE, OGGI)
    assert rev is not None
    assert store.salva_rendiconto(rec, REFERENTE, OGGI) is None  # nothing changed: no new revision
    snap, _ = store.get()
    riga = snap.rendiconti.set_index(["id_punto", "mese"]).loc[("demo-fornaci", "2026-11")]
    assert riga["ore_sportello"] == 26.0 and riga["stato"] == "inviato"
    with pytest.raises(NonAutorizzato):
        store.salva_rendiconto(rec | {"id_punto": "don-bosco"}, REFERENTE, OGGI)
    with pytest.raises(DatiNonValidi) as exc:
        store.salva_rendiconto(rec | {"ore_sportello": 1000}, REFERENTE, OGGI)
    assert exc.value.problemi[0].colonna == "ore_sportello"
    assert store.rendiconti_di("demo-fornaci").set_index("mese").loc["2026-11", "ore_sportello"] == 26.0


def _csv(*righe: str) -> bytes:
    return (",".join(COLONNE) + "\n" + "".join(r + "\n" for r in righe)).encode("utf-8")


def test_an_import_is_all_or_nothing_and_for_an_amministratore(store: DbStore):
    buono = "don-bosco,2026-11,30,3,60,20,,registro del punto,inviato"
    cattivo = "mompiano,2026-11,-1,3,60,20,,registro del punto,inviato"
    with pytest.raises(NonAutorizzato):
        store.importa_rendiconti("r.csv", _csv(buono), REFERENTE, oggi=OGGI)
    prima = store.rendiconti_di("don-bosco")
    with pytest.raises(DatiNonValidi) as exc:
        store.importa_rendiconti("r.csv", _csv(buono, cattivo), ANNA, oggi=OGGI)
    assert [(p.file, p.riga, p.colonna) for p in exc.value.problemi] == [("r.csv", 3, "ore_sportello")]
    assert store.rendiconti_di("don-bosco").equals(prima)  # nothing half-written
    frame, rev = store.importa_rendiconti("r.csv", _csv(buono), ANNA, oggi=OGGI)
    assert len(frame) == 1 and rev > 0
    assert store.rendiconti_di("don-bosco").set_index("mese").loc["2026-11", "ore_volontariato"] == 60.0


def test_the_hourly_value_needs_an_amministratore_and_a_source(store: DbStore):
    with pytest.raises(NonAutorizzato):
        store.imposta_valore_orario(15, "ISTAT", REFERENTE)
    with pytest.raises(DatiNonValidi):
        store.imposta_valore_orario(15, " ", ANNA)
    with pytest.raises(DatiNonValidi):
        store.imposta_valore_orario(0, "una fonte", ANNA)
    store.imposta_valore_orario(16.5, "una fonte documentata", SISTEMA)
    snap, _ = store.get()
    assert snap.valore_orario == (16.5, "una fonte documentata")
