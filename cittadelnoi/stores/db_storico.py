"""The history side of the database store (a part of `DbStore`, stores/db.py): the events of the
append-only `storico`, the register as it was on a day, points over time, the list of changes.

Points whose opening date is not documented are left out of the past views and never counted as
new in a change figure (loaders/storico.py: eventi_documentati, eventi_per_confronto)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cittadelnoi.core import tempo
from cittadelnoi.core.errors import Problema
from cittadelnoi.core.ruoli import Ruolo
from cittadelnoi.core.tempo import giorno_locale
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.storico import (
    Evento,
    carica_conteggi,
    conteggi_nel_tempo,
    eventi_documentati,
    eventi_per_confronto,
    fine_giorno,
    punti_nel_tempo,
    punti_senza_data,
    stato_al,
)
from cittadelnoi.stores.base import Snapshot, con_aggiornati_referente
from cittadelnoi.stores.errori_db import traduci
from cittadelnoi.stores.schema import revisioni, storico
from cittadelnoi.stores.scrittura import versione_dati


def aggiornati_referente(conn: Connection, fino: dt.datetime | None = None) -> dict[str, dt.date]:
    """Point id -> the day (Europe/Rome) of the latest revision by a referente that changed it
    (revisioni.ruolo = 'referente', joined through storico.revisione), up to `fino`. One query,
    from the history only: nothing in an imported file can set it."""
    ultima = sa.func.max(revisioni.c.quando).label("quando")
    q = (
        sa.select(storico.c.id_punto, ultima)
        .join(revisioni, revisioni.c.id == storico.c.revisione)
        .where(revisioni.c.ruolo == Ruolo.REFERENTE.value)
        .group_by(storico.c.id_punto)
    )
    if fino is not None:
        q = q.where(revisioni.c.quando <= fino)
    return {r.id_punto: giorno_locale(r.quando) for r in conn.execute(q) if r.quando is not None}


class StoricoDb:
    """History methods of DbStore; they use its engine, data folder, lock and caches."""

    engine: Engine
    data_dir: Path
    _lock: threading.RLock
    _eventi: tuple
    _cache_al: dict

    if TYPE_CHECKING:

        def prepara(self) -> None: ...

        def get(self) -> tuple[Snapshot | None, list[Problema]]: ...

    @traduci(scrittura=False)
    def eventi(self) -> list[Evento]:
        """Every event of the history, oldest first (cached per data version)."""
        self.prepara()
        with self.engine.connect() as conn, conn.begin():
            versione = versione_dati(conn)
            if self._eventi[0] == versione:
                return self._eventi[1]
            righe = conn.execute(
                sa.select(
                    storico.c.quando, storico.c.oggetto, storico.c.id_punto, storico.c.dopo, storico.c.data_ignota
                ).order_by(storico.c.quando, storico.c.id)
            ).all()
        eventi = [Evento(r.quando, r.oggetto, r.id_punto, r.dopo, bool(r.data_ignota)) for r in righe]
        self._eventi = (versione, eventi)
        return eventi

    def primo_giorno(self) -> dt.date | None:
        """The first day of the documented history (the slider's start)."""
        ev = eventi_documentati(self.eventi())
        return giorno_locale(ev[0].quando) if ev else None

    def punti_senza_data(self) -> frozenset[str]:
        """Ids of the points whose opening date is not documented (left out of the past views)."""
        return punti_senza_data(self.eventi())

    def snapshot_al(self, giorno: dt.date, *, confronto: bool = False) -> Snapshot | None:
        """The register as it was at the end of `giorno` (Brescia time), with the current
        reference files: same fields as get()'s snapshot, `versione` ends with '@<giorno>'.

        Points not yet in the history on that day are absent, and so are the points whose opening
        date is not documented (storico.eventi_documentati). With `confronto`, the register a
        change figure compares instead: undated facts present as first recorded
        (storico.eventi_per_confronto), so that no change counts them as new. None when no data
        can be served."""
        snap, _ = self.get()
        if snap is None:
            return None
        chiave = (snap.versione, giorno, confronto)
        with self._lock:
            if chiave in self._cache_al:
                return self._cache_al[chiave]
        eventi = eventi_per_confronto(self.eventi()) if confronto else eventi_documentati(self.eventi())
        punti_al, orari_al = stato_al(eventi, fine_giorno(giorno))
        ordine = {i: n for n, i in enumerate(snap.punti["id"])}
        ids = sorted(punti_al, key=lambda i: (ordine.get(i, len(ordine)), i))
        punti_rec = [punti_al[i] for i in ids]
        fasce_rec = [{**f, "id_punto": i} for i in ids for f in orari_al.get(i, [])]
        if punti_rec:
            reg = registro.valida_record(punti_rec, fasce_rec, snap.quartieri)
            frame_p, frame_s = reg.punti, reg.sportelli
        else:
            frame_p, frame_s = registro.frame_punti_vuoto(), registro.frame_sportelli_vuoto()
        with self.engine.connect() as conn:
            frame_p = con_aggiornati_referente(frame_p, aggiornati_referente(conn, fine_giorno(giorno)))
        al = dataclasses.replace(
            snap,
            punti=frame_p,
            sportelli=frame_s,
            versione=f"{snap.versione}@{giorno.isoformat()}",
            al=giorno,
            caricato_il=min(snap.caricato_il, fine_giorno(giorno)),
            avvisi=(),
        )
        with self._lock:
            if len(self._cache_al) > 64:
                self._cache_al.clear()
            self._cache_al[chiave] = al
        return al

    def punti_nel_tempo(self, oggi: dt.date | None = None) -> pd.DataFrame:
        """Points over time: the register's counts after each change (points with an undocumented
        opening date left out: see punti_senza_data) and the documented counts of
        data/conteggi_punti.csv with their sources (see storico.punti_nel_tempo)."""
        oggi = oggi or tempo.oggi()
        reg = conteggi_nel_tempo(eventi_documentati(self.eventi()), fino_al=oggi)
        path = self.data_dir / "conteggi_punti.csv"
        if path.exists():
            doc, _ = carica_conteggi(leggi_file(path))
        else:
            doc = pd.DataFrame(columns=["data", "attivi", "in_apertura", "fonte", "nota"])
        return punti_nel_tempo(reg, doc)

    @traduci(scrittura=False)
    def modifiche(self, id_punto: str | None = None, limite: int = 500) -> pd.DataFrame:
        """The history, newest first: quando, chi, punto, oggetto, azione, modifiche, nota, revisione,
        registrata (when the revision was written), utente and ruolo (the account and its role
        then; None for changes made before roles existed and by the first fill)."""
        self.prepara()
        q = (
            sa.select(
                storico.c.quando,
                storico.c.chi,
                storico.c.id_punto.label("punto"),
                storico.c.oggetto,
                storico.c.azione,
                storico.c.modifiche,
                storico.c.nota,
                storico.c.revisione,
                revisioni.c.quando.label("registrata"),
                revisioni.c.utente,
                revisioni.c.ruolo,
            )
            .join(revisioni, revisioni.c.id == storico.c.revisione)
            .order_by(storico.c.revisione.desc(), storico.c.quando.desc(), storico.c.id.desc())
            .limit(limite)
        )
        if id_punto:
            q = q.where(storico.c.id_punto == id_punto)
        with self.engine.connect() as conn:
            righe = conn.execute(q).mappings().all()
        return pd.DataFrame(
            [dict(r) for r in righe],
            columns=[
                "quando",
                "chi",
                "punto",
                "oggetto",
                "azione",
                "modifiche",
                "nota",
                "revisione",
                "registrata",
                "utente",
                "ruolo",
            ],
        )
