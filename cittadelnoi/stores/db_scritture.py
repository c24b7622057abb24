"""The writing side of the database store (a part of `DbStore`, stores/db.py): one point saved from
a form, an import checked then written all or nothing, a revision undone, the register's settings
and residents. Each write is checked against its author's role (core.ruoli) and runs in one
transaction, queued behind the others (an advisory lock on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import differenze, registro, xlsx
from cittadelnoi.loaders.popolazione import popolazione_da_caricamento
from cittadelnoi.loaders.registro import COLONNE_PUNTI
from cittadelnoi.loaders.storico import Record
from cittadelnoi.stores.annulla import annulla
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.stores.engine import _CHIAVE_LOCK
from cittadelnoi.stores.errori_db import traduci
from cittadelnoi.stores.schema import impostazioni, popolazione
from cittadelnoi.stores.scrittura import (
    REGISTRO_COMPLETO,
    Anteprima,
    Conflitto,
    Esito,
    adesso_utc,
    da_chi,
    impostazione,
    leggi_registro,
    nuova_revisione,
    orari_per_punto,
    scrivi,
    ultima_modifica,
    versione_dati,
)


class ScrittureDb:
    """Write methods of DbStore; they use its engine, lock and reference files."""

    engine: Engine
    _lock: threading.RLock

    if TYPE_CHECKING:

        def get(self) -> tuple[Snapshot | None, list[Problema]]: ...

        def _carica_statici(self): ...

    @contextmanager
    def _scrittura(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_LOCK})
                yield conn

    def quartieri_di_riferimento(self) -> gpd.GeoDataFrame:
        return self._quartieri()

    def _quartieri(self) -> gpd.GeoDataFrame:
        """The quartieri to check edits against: the reference file, even when the register in the
        database cannot be served (so that an official can always repair it from the Gestione page)."""
        snap, errori = self.get()
        if snap is not None:
            return snap.quartieri
        with self._lock:
            statici = self._carica_statici()
        if statici is None:
            raise DatiNonValidi(errori or [Problema("database", "nessun dato da modificare")])
        return statici.quartieri

    @traduci(scrittura=True)
    def salva_punto(
        self,
        id_punto: str | None,
        punto: Record,
        orario: Sequence[Record],
        versione_attesa: int | None,
        autore: Autore,
    ) -> Esito:
        """Save one point and its schedule as edited on the admin page.

        `id_punto` None (and `versione_attesa` None) creates a point with id `punto['id']`.
        Otherwise the point must still be at `versione_attesa`, the version the official started
        from: if someone saved it in between, Conflitto is raised and nothing is written. The
        whole register is checked as files (DatiNonValidi with the form's problems). The id of an
        existing point cannot change. `autore` must be allowed to change the point
        (core.ruoli: a referente only its own points, never a new one): else NonAutorizzato and
        nothing is written.
        """
        autore.richiedi_punto(id_punto)
        quartieri = self._quartieri()
        nuovo_id = (punto.get("id") or "").strip() if id_punto is None else id_punto
        punto = {**{c: punto.get(c) for c in COLONNE_PUNTI}, "id": nuovo_id}
        with self._scrittura() as conn:
            prima_p, prima_f, info = leggi_registro(conn)
            if id_punto is None:
                if nuovo_id in info:
                    raise DatiNonValidi(
                        [
                            Problema(
                                f"punto «{nuovo_id}»",
                                "esiste già un punto con questo id: sceglierne un altro",
                                colonna="id",
                            )
                        ]
                    )
            elif id_punto not in info:
                ultimo = ultima_modifica(conn, id_punto)
                raise Conflitto(f"il punto «{id_punto}» non è più nel registro" + da_chi(*ultimo), None, *ultimo)
            elif info[id_punto]["versione"] != versione_attesa:
                ultimo = ultima_modifica(conn, id_punto)
                attuale = next(r for r in prima_p if r["id"] == id_punto)
                raise Conflitto(
                    f"il punto «{id_punto}» è stato modificato da un'altra persona mentre lo stavi modificando"
                    f"{da_chi(*ultimo)}: le tue modifiche non sono state salvate. Ricarica il punto e ripeti le modifiche.",
                    attuale,
                    *ultimo,
                )
            reg = registro.valida_modifica(prima_p, prima_f, nuovo_id, punto, list(orario), quartieri)
            descr = f"{'Nuovo punto' if id_punto is None else 'Modifica del punto'} «{nuovo_id}» dalla pagina Gestione"
            return scrivi(conn, reg, prima_p, prima_f, info, autore, descr, adesso_utc(), solo={nuovo_id})

    @traduci(scrittura=False)
    def anteprima_import(
        self, nome: str, contenuto: bytes, nome_sportelli: str | None = None, contenuto_sportelli: bytes | None = None
    ) -> Anteprima:
        """Check an uploaded register (CSV, or XLSX with sheets «punti» and optionally «sportelli»)
        and say what it would change. Writes nothing. Without a desk-slots file, the current slots
        of the points that stay are kept."""
        quartieri = self._quartieri()
        with self.engine.connect() as conn, conn.begin():
            versione = versione_dati(conn)
            prima_p, prima_f, _ = leggi_registro(conn)
        try:
            file_p, file_s = xlsx.file_da_caricamento(nome, contenuto)
            if contenuto_sportelli is not None:
                file_s2, _ = xlsx.file_da_caricamento(nome_sportelli or "sportelli.csv", contenuto_sportelli)
                file_s = file_s2
            reg = registro.valida_file(file_p, file_s, quartieri, sportelli_esistenti=prima_f if file_s is None else ())
        except DatiNonValidi as exc:
            return Anteprima(nome, tuple(exc.problemi), versione_base=versione)
        prima = registro.per_id(prima_p)
        dopo = registro.per_id(reg.punti_rec)
        orari_a, orari_b = orari_per_punto(prima_f), orari_per_punto(reg.fasce_rec)
        modificati = {
            i: differenze.descrivi_differenze(differenze.differenze(prima[i], r, COLONNE_PUNTI))
            for i, r in dopo.items()
            if i in prima and prima[i] != r
        }
        orari = {
            i: differenze.descrivi_orari(orari_a.get(i, []), orari_b.get(i, []))
            for i in dopo
            if orari_a.get(i, []) != orari_b.get(i, [])
        }
        return Anteprima(
            file=nome,
            problemi=(),
            avvisi=reg.avvisi,
            nuovi=tuple(i for i in dopo if i not in prima),
            modificati=modificati,
            rimossi=tuple(i for i in prima if i not in dopo),
            orari=orari,
            versione_base=versione,
            registro=reg,
            sportelli_nel_file=file_s is not None,
        )

    @traduci(scrittura=True)
    def applica_import(self, anteprima: Anteprima, autore: Autore) -> Esito:
        """Write a checked import, all or nothing. Refused (Conflitto) if the register changed
        after the preview: the official must look at a new preview; NonAutorizzato unless
        `autore` is an amministratore."""
        autore.richiedi_amministratore("importare il registro")
        if not anteprima.valida or anteprima.registro is None:
            raise DatiNonValidi(anteprima.problemi or [Problema(anteprima.file, "importazione non valida")])
        with self._scrittura() as conn:
            if versione_dati(conn) != anteprima.versione_base:
                raise Conflitto(
                    "il registro è stato modificato dopo l'anteprima: nulla è stato importato. "
                    "Ricaricare il file per vedere una nuova anteprima."
                )
            prima_p, prima_f, info = leggi_registro(conn)
            return scrivi(
                conn,
                anteprima.registro,
                prima_p,
                prima_f,
                info,
                autore,
                f"Importazione del registro dal file «{anteprima.file}»",
                adesso_utc(),
            )

    @traduci(scrittura=True)
    def annulla(self, revisione: int, autore: Autore) -> Esito:
        """Undo one revision of the register in one step, as a new recorded revision
        (stores.annulla: amministratore only; refused when a later change touched the same points)."""
        quartieri = self._quartieri()
        with self._scrittura() as conn:
            return annulla(conn, revisione, autore, quartieri, adesso_utc())

    # -- settings and residents (Gestione page) --

    def segna_completo(self, completo: bool, autore: Autore) -> bool:
        """Mark the register complete (it holds every active point) or not; recorded as a revision.
        Returns False when the setting already had that value (nothing written). Amministratore only."""
        autore.richiedi_amministratore("segnare il registro come completo")
        valore = "sì" if completo else "no"
        with self._scrittura() as conn:
            if (impostazione(conn, REGISTRO_COMPLETO) or "no") == valore:
                return False
            descr = (
                "Registro segnato come completo: contiene tutti i punti attivi"
                if completo
                else "Registro segnato come non completo: mancano punti attivi"
            )
            rev = nuova_revisione(conn, autore, descr, adesso_utc())
            conn.execute(impostazioni.delete().where(impostazioni.c.chiave == REGISTRO_COMPLETO))
            conn.execute(impostazioni.insert().values(chiave=REGISTRO_COMPLETO, valore=valore, revisione=rev))
        return True

    def importa_popolazione(
        self, nome: str, contenuto: bytes, autore: Autore, scrivi: bool = True
    ) -> tuple[pd.DataFrame, int]:
        """Check a residents table (CSV or XLSX, first sheet or sheet «popolazione») with the loader
        of data/popolazione.csv and, with `scrivi`, replace the residents in the database with it,
        all or nothing. Returns (the checked frame, revision or 0). Raises DatiNonValidi, and
        NonAutorizzato unless `autore` is an amministratore."""
        autore.richiedi_amministratore("importare i residenti")
        quartieri = self._quartieri()
        frame = popolazione_da_caricamento(nome, contenuto, quartieri)
        if not scrivi:
            return frame, 0
        with self._scrittura() as conn:
            rev = nuova_revisione(
                conn,
                autore,
                f"Importazione dei residenti per quartiere dal file «{nome}» ({len(frame)} righe)",
                adesso_utc(),
            )
            conn.execute(popolazione.delete())
            conn.execute(
                popolazione.insert(),
                [
                    {
                        "codice_istat": r["codice_istat"],
                        "anno": int(r["anno"]),
                        "residenti": int(r["residenti"]),
                        "fonte": r["fonte"],
                        "revisione": rev,
                    }
                    for r in frame.to_dict("records")
                ],
            )
        return frame, rev
