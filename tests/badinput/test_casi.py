"""Every malformed input of tests/badinput/cases/ gets a clear Italian message naming file, row and
column, and the app keeps serving the last good data (in memory and in its copy on disk).

Each case: copy data/ (data_copy), load it once with the DataStore, put the case's file(s) in
place of the good ones, call get() again, and check the problems and the snapshot served.
Cases with `esito = "avviso"` are files the app reads anyway (Excel's encodings and separators,
an extra column): the new data is served and the warning says what was converted.
The fixtures are written by crea_casi.py; the two `generato = true` cases are built here.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from cittadelnoi.core.errors import Problema
from cittadelnoi.loaders.csvio import MAX_BYTES
from cittadelnoi.stores.file import FILES, DataStore

CASES = Path(__file__).resolve().parent / "cases"


def _casi() -> list[pytest.param]:
    casi = []
    for cartella in sorted(p for p in CASES.iterdir() if p.is_dir()):
        atteso = tomllib.loads((cartella / "atteso.toml").read_text(encoding="utf-8"))
        casi.append(pytest.param(cartella, atteso, id=cartella.name))
    return casi


def _genera(nome: str, data: Path) -> None:
    if nome == "punti-oltre-5-mb":
        testo = (data / "punti.csv").read_bytes()
        righe = testo.splitlines(keepends=True)
        with (data / "punti.csv").open("wb") as fh:
            fh.write(testo)
            while fh.tell() <= MAX_BYTES:
                fh.writelines(righe[1:] * 50)
    elif nome == "sportelli-14000-righe":
        testa = (data / "sportelli.csv").read_text(encoding="utf-8").splitlines()[0]
        punti = [r.split(",", 1)[0] for r in (data / "punti.csv").read_text(encoding="utf-8").splitlines()[1:]]
        righe = [testa]
        # 14,000 distinct 10-minute slots over the week: none overlaps another of the same point.
        for n in range(14_000):
            punto = punti[n % len(punti)]
            k = n // len(punti)
            giorno = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")[k % 7]
            inizio = (k // 7) * 10
            righe.append(
                f"{punto},{giorno},{inizio // 60:02d}:{inizio % 60:02d},{(inizio + 10) // 60:02d}:{(inizio + 10) % 60:02d},"
                "2,dimostrativo: generato dal test,sì"
            )
        righe[-1] = righe[-1].replace(righe[-1].split(",")[2], "25:00", 1)
        (data / "sportelli.csv").write_text("\n".join(righe) + "\n", encoding="utf-8")
    else:
        raise AssertionError(f"caso generato sconosciuto: {nome}")


def _applica(cartella: Path, atteso: dict, data: Path) -> None:
    if atteso.get("generato"):
        _genera(cartella.name, data)
    for nome in atteso.get("elimina", []):
        (data / nome).unlink()
    for file in cartella.iterdir():
        if file.name in FILES:
            shutil.copyfile(file, data / file.name)


def _corrisponde(p: Problema, atteso: dict) -> bool:
    return (
        p.file == atteso["file"]
        and p.riga == atteso.get("riga")
        and p.colonna == atteso.get("colonna")
        and atteso["messaggio"] in p.messaggio
    )


def test_every_case_has_a_complete_expectation():
    casi = _casi()
    assert len(casi) >= 40
    for caso in casi:
        cartella, atteso = caso.values
        assert {"descrizione", "file", "messaggio", "esito"} <= set(atteso), cartella.name
        assert atteso["esito"] in ("errore", "avviso"), cartella.name
        assert atteso["file"] in FILES, cartella.name
        files = [p.name for p in cartella.iterdir() if p.name != "atteso.toml"]
        assert files or atteso.get("generato") or atteso.get("elimina"), f"{cartella.name}: nessun file"
        assert set(files) <= set(FILES), f"{cartella.name}: file estranei {files}"


@pytest.mark.parametrize("cartella, atteso", _casi())
def test_bad_input(cartella: Path, atteso: dict, data_copy: Path, tmp_path: Path):
    copia = tmp_path / "ultimi-dati-validi"
    store = DataStore(data_copy, copia)
    prima, problemi = store.get()
    assert prima is not None and problemi == [], [str(p) for p in problemi]
    copia_prima = {f: (copia / f).read_bytes() for f in FILES}

    _applica(cartella, atteso, data_copy)
    snap, problemi = store.get()

    if atteso["esito"] == "errore":
        trovati = [p for p in problemi if _corrisponde(p, atteso)]
        assert trovati, (
            f"{atteso['descrizione']}: atteso {atteso['file']}, riga {atteso.get('riga')}, colonna {atteso.get('colonna')}: "
            f"«{atteso['messaggio']}»; ricevuto:\n" + "\n".join(str(p) for p in problemi)
        )
        assert all(p.gravita == "errore" for p in trovati)
        # One message per broken cell: a missing value is «valore mancante», never also a second
        # message quoting «None» (or «nan») for the same cell.
        stessa_cella = [
            p for p in problemi if (p.file, p.riga, p.colonna) == (trovati[0].file, trovati[0].riga, trovati[0].colonna)
        ]
        assert len(stessa_cella) == 1, [str(p) for p in stessa_cella]
        assert not any(v in p.messaggio for p in problemi for v in ("«None»", "«nan»", "«NaN»", "«<NA>»"))
        # What the official reads starts with the file (and row and column) to fix.
        assert str(trovati[0]).startswith(atteso["file"])
        # The last good data is still the data served, and still the copy kept on disk.
        assert snap is prima, "dopo un file sbagliato deve restare servito l'ultimo insieme valido"
        assert {f: (copia / f).read_bytes() for f in FILES} == copia_prima
        # A restart with the broken file serves the copy and reports the same problem.
        riavvio, problemi_riavvio = DataStore(data_copy, copia).get()
        assert riavvio is not None and riavvio.da_copia
        assert riavvio.versione == prima.versione
        assert any(_corrisponde(p, atteso) for p in problemi_riavvio)
    else:
        assert problemi == [], [str(p) for p in problemi]
        assert snap is not prima and snap.versione != prima.versione
        avvisi = [p for p in snap.avvisi if _corrisponde(p, atteso)]
        assert avvisi, "avvisi ricevuti:\n" + "\n".join(str(p) for p in snap.avvisi)
        assert all(p.gravita == "avviso" for p in avvisi)
        # Read with the conversion, the data are the same as before.
        assert snap.punti["nome"].tolist() == prima.punti["nome"].tolist()
        assert snap.punti[["lat", "lon"]].equals(prima.punti[["lat", "lon"]])
