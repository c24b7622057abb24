"""The monthly reports in the database (a part of `DbStore`, stores/db.py): one report saved from a
form, a file of reports imported all or nothing, the hourly value of volunteering, the first fill
from data/rendiconti.csv. Every write is checked by `loaders.rendiconti` (the checks of the file)
and against its author's role (core.ruoli: a referente only the reports of its own points), and is
recorded as a revision, which makes every viewer reload."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cittadelnoi.core import paths
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import rendiconti as mod
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.stores.errori_db import traduci
from cittadelnoi.stores.schema import impostazioni, punti, rendiconti
from cittadelnoi.stores.scrittura import adesso_utc, impostazione, nuova_revisione

VALORE_ORARIO = "valore_orario_volontariato"  # impostazioni: euro per hour, as text "15.5"
FONTE_VALORE_ORARIO = "valore_orario_volontariato_fonte"
MAX_VALORE_ORARIO = 1000.0  # euro per hour: more is a typing slip


def leggi_rendiconti(conn: Connection) -> pd.DataFrame:
    """Every stored report as the frame of loaders.rendiconti."""
    righe = conn.execute(sa.select(*[rendiconti.c[c] for c in mod.COLONNE])).mappings().all()
    return mod.frame_da_record([dict(r) for r in righe])


def leggi_valore_orario(conn: Connection) -> tuple[float, str] | None:
    """(euro per volunteer hour, its source) as set on the Gestione page, or None."""
    valore, fonte = impostazione(conn, VALORE_ORARIO), impostazione(conn, FONTE_VALORE_ORARIO)
    if valore is None or fonte is None:
        return None
    return float(valore), fonte


def _righe(frame: pd.DataFrame, rev: int) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        riga = {c: (None if pd.isna(r[c]) else r[c]) for c in mod.COLONNE}
        for c in mod.INTERI:
            v = riga[c]
            riga[c] = None if v is None else int(v)
        for c in ("ore_sportello", "ore_volontariato"):
            v = riga[c]
            riga[c] = None if v is None else float(v)
        out.append(riga | {"revisione": rev})
    return out


def _scrivi(conn: Connection, frame: pd.DataFrame, autore: Autore | str, descrizione: str) -> int:
    """Replace the reports of the frame's (point, month) pairs with its rows, as one revision."""
    rev = nuova_revisione(conn, autore, descrizione, adesso_utc())
    for r in frame[["id_punto", "mese"]].to_dict("records"):
        conn.execute(
            rendiconti.delete().where((rendiconti.c.id_punto == r["id_punto"]) & (rendiconti.c.mese == r["mese"]))
        )
    conn.execute(rendiconti.insert(), _righe(frame, rev))
    return rev


def semina_rendiconti(conn: Connection, data_dir: Path, autore: str) -> bool:
    """Fill an empty table from data/rendiconti.csv (esempio/ in the sample mode) when the file
    exists; False when there is nothing to do. Raises DatiNonValidi."""
    file = data_dir / mod.FILE
    if not file.exists() or conn.execute(sa.select(sa.func.count()).select_from(rendiconti)).scalar():
        return False
    ids = set(conn.execute(sa.select(punti.c.id)).scalars())
    frame, _ = mod.carica_rendiconti(leggi_file(file), ids, ignoti_ammessi=True, vuote_ammesse=True)
    _scrivi(conn, frame, autore, f"Rendiconti mensili dal file {paths.cita(data_dir, mod.FILE)}")
    return True


class RendicontiDb:
    """Report methods of DbStore; they use its engine and write lock."""

    engine: Engine
    _lock: threading.RLock

    if TYPE_CHECKING:

        def _scrittura(self) -> AbstractContextManager[Connection]: ...

    @traduci(scrittura=False)
    def rendiconti_di(self, id_punto: str) -> pd.DataFrame:
        """The stored reports of one point (any state), oldest month first."""
        with self.engine.connect() as conn:
            frame = leggi_rendiconti(conn)
        return frame[frame["id_punto"] == id_punto].sort_values("mese")

    @traduci(scrittura=True)
    def salva_rendiconto(self, rendiconto: dict, autore: Autore, oggi: dt.date | None = None) -> int | None:
        """Save one report (a dict of loaders.rendiconti.COLONNE, values as text or numbers) for its
        point and month, replacing the one stored. Returns the revision, None when nothing changed.
        Raises NonAutorizzato unless `autore` may change the point (a referente: its own points),
        DatiNonValidi with the form's problems (the file's checks), before writing anything."""
        rec = mod.record(rendiconto)
        id_punto = rec.get("id_punto")
        autore.richiedi_punto(id_punto)
        nome = f"rendiconto di {rec.get('mese') or '?'} del punto «{id_punto}»"
        with self._scrittura() as conn:
            ids = set(conn.execute(sa.select(punti.c.id)).scalars())
            frame, _ = mod.carica_rendiconti((nome, mod.csv_rendiconti([rec])), ids, oggi)
            prima = leggi_rendiconti(conn)
            prima = prima[(prima["id_punto"] == id_punto) & (prima["mese"] == frame["mese"].iloc[0])]
            if not prima.empty and _righe(prima, 0) == _righe(frame, 0):
                return None
            stato = "bozza" if frame["stato"].iloc[0] == "bozza" else "inviato"
            return _scrivi(
                conn, frame, autore, f"Rendiconto di {frame['mese'].iloc[0]} del punto «{id_punto}» ({stato})"
            )

    @traduci(scrittura=True)
    def importa_rendiconti(
        self, nome: str, contenuto: bytes, autore: Autore, scrivi: bool = True, oggi: dt.date | None = None
    ) -> tuple[pd.DataFrame, int]:
        """Check a file of reports (CSV or XLSX, sheet «rendiconti» or the first) and, with `scrivi`,
        store its rows all or nothing (each replaces the stored report of its point and month).
        Returns (the checked frame, revision or 0). Raises DatiNonValidi naming file, row and
        column, and NonAutorizzato unless `autore` is an amministratore."""
        autore.richiedi_amministratore("importare i rendiconti")
        with self.engine.connect() as conn:
            ids = set(conn.execute(sa.select(punti.c.id)).scalars())
        frame, _ = mod.rendiconti_da_caricamento(nome, contenuto, ids, oggi)
        if not scrivi:
            return frame, 0
        with self._scrittura() as conn:
            ids_ora = set(conn.execute(sa.select(punti.c.id)).scalars())
            if mancanti := sorted(set(frame["id_punto"]) - ids_ora):
                raise DatiNonValidi([Problema(nome, f"punto «{i}» non più nel registro") for i in mancanti])
            rev = _scrivi(conn, frame, autore, f"Importazione di {len(frame)} rendiconti dal file «{nome}»")
        return frame, rev

    @traduci(scrittura=True)
    def imposta_valore_orario(self, valore: float, fonte: str, autore: Autore) -> int:
        """Set the euro value of one volunteer hour and its source (the funding page's estimate).
        Amministratore only (NonAutorizzato); DatiNonValidi when the value is not in (0, 1000]
        or the source is shorter than 3 characters. Returns the revision."""
        autore.richiedi_amministratore("impostare il valore orario del volontariato")
        fonte = " ".join((fonte or "").split())
        problemi = []
        if not 0 < valore <= MAX_VALORE_ORARIO:
            problemi.append(
                Problema(
                    "valore orario", f"valore non valido: tra 0 e {MAX_VALORE_ORARIO:.0f} euro l'ora", colonna="valore"
                )
            )
        if len(fonte) < 3 or len(fonte) > mod.MAX_NOTA:
            problemi.append(
                Problema(
                    "valore orario", "fonte mancante o troppo lunga: citare da dove viene il valore", colonna="fonte"
                )
            )
        if problemi:
            raise DatiNonValidi(problemi)
        with self._scrittura() as conn:
            rev = nuova_revisione(
                conn, autore, f"Valore orario del volontariato: {valore:.2f} euro l'ora (fonte: {fonte})", adesso_utc()
            )
            for chiave, testo in ((VALORE_ORARIO, repr(float(valore))), (FONTE_VALORE_ORARIO, fonte)):
                conn.execute(impostazioni.delete().where(impostazioni.c.chiave == chiave))
                conn.execute(impostazioni.insert().values(chiave=chiave, valore=testo, revisione=rev))
        return rev
