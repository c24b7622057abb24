"""Failures on the pages are messages, never tracebacks; the Gestione page stays reachable
whatever state the data are in (issue 10, points 3 and 4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.app import ROOT


def _nessuna_traccia(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    testi = " ".join(str(e.value) for e in [*at.error, *at.warning, *at.markdown, *at.caption])
    assert "Traceback" not in testi and "/work/" not in testi and ".py" not in testi


def test_errore_in_una_pagina_e_un_messaggio(monkeypatch: pytest.MonkeyPatch):
    import cittadelnoi.metrics.priorita as priorita

    def guasto(*_a, **_k):
        raise RuntimeError("/srv/app/segreto.py: guasto")

    monkeypatch.setattr(priorita, "classifica", guasto)
    monkeypatch.delenv("CITTADELNOI_RILANCIA_ERRORI")  # as in production: the message only
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/dove_aprire.py")
    at.run()
    _nessuna_traccia(at)
    assert any("errore imprevisto in questa pagina" in e.value for e in at.error), [e.value for e in at.error]
    # The other pages still work.
    at.switch_page("pages/finanziamenti.py")
    at.run()
    _nessuna_traccia(at)
    assert not at.error


def test_registro_illeggibile_gestione_raggiungibile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A database whose register cannot be loaded (more points than the limit, written before the
    limit existed): every page says so, none crashes, the Gestione page opens with its login."""
    db = tmp_path / "registro.sqlite"
    monkeypatch.setenv("CITTADELNOI_DB_URL", f"sqlite:///{db}")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    from cittadelnoi.loaders.punti import MAX_PUNTI

    con = sqlite3.connect(db)
    colonne = [r[1] for r in con.execute("PRAGMA table_info(punti)")]
    riga = dict(zip(colonne, con.execute("SELECT * FROM punti LIMIT 1").fetchone(), strict=True))
    righe = [{**riga, "id": f"x{i}", "ordine": 10_000 + i} for i in range(MAX_PUNTI)]
    con.executemany(
        f"INSERT INTO punti ({','.join(colonne)}) VALUES ({','.join('?' * len(colonne))})",
        [tuple(r[c] for c in colonne) for r in righe],
    )
    con.execute("INSERT INTO revisioni (quando, chi, descrizione) VALUES (CURRENT_TIMESTAMP, 'test', 'troppi punti')")
    con.commit()
    con.close()

    from streamlit import cache_resource

    cache_resource.clear()  # a restart of the server
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    _nessuna_traccia(at)
    assert any("troppe righe" in m.value for m in at.markdown), [m.value for m in at.markdown][:5]
    at.switch_page("pages/gestione.py")
    at.run()
    _nessuna_traccia(at)
    assert any("Gestione" in t.value for t in at.title)


@pytest.mark.parametrize("archivio", ["file", "database"])
def test_colonne_facoltative_assenti_ogni_pagina_funziona(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archivio):
    """tests/casi: a register without «indirizzo» and desk slots without «dimostrativo», as the
    data files (file mode) or as the seed of the database: every page runs, no traceback."""
    from tests.casi.test_casi import cartella_dati

    dati = cartella_dati(tmp_path / "dati", "punti-senza-indirizzo.csv", "sportelli-senza-dimostrativo.csv")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(dati))
    if archivio == "file":
        monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    _nessuna_traccia(at)
    assert not at.error, [e.value for e in at.error]
    for pagina in ("pages/ore_volontariato.py", "pages/dove_aprire.py", "pages/finanziamenti.py"):
        at.switch_page(pagina)
        at.run()
        _nessuna_traccia(at)
        assert not at.error, (pagina, [e.value for e in at.error])


def test_database_in_sola_lettura_servito_con_un_solo_messaggio(tmp_path: Path, imposta):
    """Issue 26, point 3: a restored backup (VACUUM INTO: a plain, non-WAL SQLite file) that cannot
    be written is served; the public pages show no error, Gestione says edits are unavailable and
    why. The file is chmod 0444 and opened with mode=ro: tests may run as root, whom file
    permissions do not stop, while mode=ro makes SQLite refuse every write for root too, exactly
    as a 0444 file does for the service's own user (the WAL switch then fails the same way)."""
    from streamlit import cache_resource

    from cittadelnoi.ui.gestione_accesso import SOLA_LETTURA

    scrivibile = tmp_path / "registro.sqlite"
    imposta(DB_URL=f"sqlite:///{scrivibile}")
    cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    avvisi = [e.value for e in [*at.error, *at.warning]]  # e.g. the sample data's watermark
    copia = tmp_path / "copia.sqlite"
    con = sqlite3.connect(scrivibile)
    con.execute("VACUUM INTO ?", (str(copia),))
    con.close()
    copia.chmod(0o444)
    imposta(DB_URL=f"sqlite:///file:{copia}?mode=ro&uri=true")
    cache_resource.clear()  # a restart of the server on the restored copy
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    _nessuna_traccia(at)
    assert [e.value for e in [*at.error, *at.warning]] == avvisi, "no message on the public pages"
    assert at.metric, "the register is served"
    at.switch_page("pages/gestione.py")
    at.run()
    _nessuna_traccia(at)
    assert [w.value for w in at.warning if w.value not in avvisi] == [SOLA_LETTURA] and not at.error
    assert not at.text_input, "no login form: a login writes a session"
    assert sqlite3.connect(f"file:{copia}?mode=ro", uri=True).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    cache_resource.clear()
