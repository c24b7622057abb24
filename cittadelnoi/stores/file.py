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
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders.finanziamenti import carica_finanziamenti
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.sportelli import carica_sportelli
from cittadelnoi.stores.base import Archivio, Snapshot

FILES = ("quartieri.geojson", "punti.csv", "sportelli.csv", "finanziamenti.csv")


def carica(directory: Path) -> Snapshot:
    """Load and validate every file in `directory`; raise DatiNonValidi with all problems found."""
    errori: list[Problema] = []
    avvisi: list[Problema] = []

    def step(fn, *args):
        try:
            value, warn = fn(*args)
        except DatiNonValidi as exc:
            errori.extend(exc.problemi)
            return None
        avvisi.extend(warn)
        return value

    quartieri = step(carica_quartieri, directory / "quartieri.geojson")
    punti = step(carica_punti, directory / "punti.csv", quartieri) if quartieri is not None else None
    sportelli = step(carica_sportelli, directory / "sportelli.csv", set(punti["id"])) if punti is not None else None
    finanziamenti = step(carica_finanziamenti, directory / "finanziamenti.csv")
    if errori:
        raise DatiNonValidi(errori)
    return Snapshot(
        quartieri=quartieri,
        punti=punti,
        sportelli=sportelli,
        finanziamenti=finanziamenti,
        versione=_hash(directory),
        caricato_il=dt.datetime.now(dt.UTC),
        avvisi=tuple(avvisi),
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
        try:
            snap = carica(self.directory)
        except DatiNonValidi as exc:
            self._errori = exc.problemi
            if self._snapshot is None:
                self._snapshot = self._da_copia()
            return
        self._errori = []
        self._snapshot = snap
        self._salva_copia()

    def _da_copia(self) -> Snapshot | None:
        if self.copia_valida is None or not self.copia_valida.is_dir():
            return None
        try:
            snap = carica(self.copia_valida)
        except DatiNonValidi:
            return None
        return dataclasses.replace(snap, da_copia=True)

    def _salva_copia(self) -> None:
        """Copy the good files next to the old copy, then swap: a crash leaves one whole copy."""
        if self.copia_valida is None:
            return
        target = self.copia_valida
        tmp = target.with_name(target.name + ".nuova")
        old = target.with_name(target.name + ".vecchia")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in FILES:
            shutil.copy2(self.directory / name, tmp / name)
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
