"""The data store: the last good, fully validated set of files, reloaded when a file changes.

Loading is all-or-nothing: the four files depend on each other (points name quartieri, desk
slots name points), so a snapshot is replaced only when every file passes. When an edit breaks a
file the app keeps serving the previous snapshot and reports the problems. A copy of the last
good files is kept on disk so that a restart with a broken file still has something to serve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cittadelnoi.core.errors import DatiNonValidi, Problema, problema_imprevisto
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.finanziamenti import carica_finanziamenti
from cittadelnoi.loaders.popolazione import carica_popolazione
from cittadelnoi.loaders.popolazione import frame_vuoto as popolazione_vuota
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.rendiconti import carica_rendiconti
from cittadelnoi.loaders.rendiconti import frame_vuoto as rendiconti_vuoti
from cittadelnoi.loaders.sportelli import carica_sportelli
from cittadelnoi.stores.base import Archivio, Snapshot, con_aggiornati_referente

FILES = ("quartieri.geojson", "punti.csv", "sportelli.csv", "finanziamenti.csv", "popolazione.csv", "rendiconti.csv")
_log = logging.getLogger(__name__)


def carica(directory: Path) -> Snapshot:
    """Load and validate every file in `directory`; raise DatiNonValidi with all problems found."""
    errori: list[Problema] = []
    avvisi: list[Problema] = []

    def step(fn, path: Path, *args):
        try:
            value, warn = fn(leggi_file(path), *args)
        except DatiNonValidi as exc:
            errori.extend(exc.problemi)
            return None
        except Exception as exc:  # a loader bug or a disk error is a message, never a traceback
            _log.exception("caricamento di %s", path.name)
            errori.append(problema_imprevisto(path.name, exc))
            return None
        if value is None:
            errori.append(Problema(path.name, "il file non ha prodotto dati"))
            return None
        avvisi.extend(warn)
        return value

    quartieri = step(carica_quartieri, directory / "quartieri.geojson")
    punti = step(carica_punti, directory / "punti.csv", quartieri) if quartieri is not None else None
    sportelli = step(carica_sportelli, directory / "sportelli.csv", set(punti["id"])) if punti is not None else None
    finanziamenti = step(carica_finanziamenti, directory / "finanziamenti.csv")
    popolazione = popolazione_vuota()
    if (directory / "popolazione.csv").exists() and quartieri is not None:  # optional file
        popolazione = step(carica_popolazione, directory / "popolazione.csv", quartieri)
    rendiconti = rendiconti_vuoti()
    if (directory / "rendiconti.csv").exists() and punti is not None:  # optional file
        rendiconti = step(carica_rendiconti, directory / "rendiconti.csv", set(punti["id"]), None, True, True)
    if errori or quartieri is None or punti is None or sportelli is None or finanziamenti is None:
        raise DatiNonValidi(errori)
    return Snapshot(
        quartieri=quartieri,
        punti=con_aggiornati_referente(punti, {}),  # only the database's history knows a referente
        sportelli=sportelli,
        finanziamenti=finanziamenti,
        versione=_hash(directory),
        caricato_il=dt.datetime.now(dt.UTC),
        avvisi=tuple(avvisi),
        popolazione=popolazione,
        rendiconti=rendiconti if rendiconti is not None else rendiconti_vuoti(),
    )


def _hash(directory: Path) -> str:
    h = hashlib.sha256()
    for name in FILES:
        path = directory / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


def _firma(directory: Path) -> tuple[tuple[str, int | None, int | None], ...]:
    """Cheap change detector, checked on every rerun: size and mtime of each file (None: missing)."""
    out: list[tuple[str, int | None, int | None]] = []
    for name in FILES:
        try:
            st = (directory / name).stat()
            out.append((name, st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            out.append((name, None, None))
    return tuple(out)


@dataclass
class DataStore(Archivio):
    directory: Path
    copia_valida: Path | None = None
    _snapshot: Snapshot | None = None
    _firma: tuple | None = None
    _errori: list[Problema] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> tuple[Snapshot | None, list[Problema]]:
        """The snapshot to serve and the problems of the current files (empty when they are good)."""
        with self._lock:
            firma = _firma(self.directory)
            if firma != self._firma:
                self._firma = firma
                self._ricarica()
            return self._snapshot, list(self._errori)

    def _ricarica(self) -> None:
        """Validate a copy of the files and, when every one passes, keep that very copy as the
        last good data: what is kept is exactly what was checked, never a file edited meanwhile,
        and a rejected file never replaces it."""
        avvisi: list[Problema] = []
        prova = None
        try:
            prova = self._copia_in_prova()
        except OSError as exc:  # disk full, read-only: validate in place, keep the old copy
            _log.warning("copia dei dati non riuscita: %s", exc)
            avvisi.append(_avviso_copia(exc))
        try:
            snap = carica(prova or self.directory)
        except DatiNonValidi as exc:
            self._errori = exc.problemi
        except Exception as exc:
            _log.exception("caricamento dei dati")
            self._errori = [problema_imprevisto("dati", exc)]
        else:
            self._errori = []
            if prova is not None:
                try:
                    self._promuovi(prova)
                    prova = None
                except OSError as exc:
                    _log.warning("copia dei dati non riuscita: %s", exc)
                    avvisi.append(_avviso_copia(exc))
            self._snapshot = dataclasses.replace(snap, avvisi=snap.avvisi + tuple(avvisi))
            return
        finally:
            if prova is not None:
                shutil.rmtree(prova, ignore_errors=True)
        if self._snapshot is None:
            self._snapshot = self._da_copia()

    def _da_copia(self) -> Snapshot | None:
        if self.copia_valida is None or not self.copia_valida.is_dir():
            return None
        try:
            snap = carica(self.copia_valida)
        except Exception:  # DatiNonValidi or unreadable: nothing to serve from it
            _log.exception("copia dei dati non leggibile")
            return None
        return dataclasses.replace(snap, da_copia=True)

    def _copia_in_prova(self) -> Path | None:
        """The files of data/ copied beside the last good copy, to be validated there."""
        if self.copia_valida is None:
            return None
        tmp = self.copia_valida.with_name(self.copia_valida.name + ".nuova")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            for name in FILES:
                if (self.directory / name).exists():
                    shutil.copy2(self.directory / name, tmp / name)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp

    def _promuovi(self, tmp: Path) -> None:
        """Swap the validated copy in: a crash leaves one whole copy."""
        assert self.copia_valida is not None
        target = self.copia_valida
        old = target.with_name(target.name + ".vecchia")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)


def _avviso_copia(exc: OSError) -> Problema:
    p = problema_imprevisto("copia di riserva dei dati", exc)
    return dataclasses.replace(
        p,
        messaggio=p.messaggio.replace(
            "il file non è stato caricato", "i dati sono mostrati, la copia di riserva non è aggiornata"
        ),
        gravita="avviso",
    )
