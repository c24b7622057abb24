"""The register in a database: SQLite file by default, PostgreSQL for several app replicas.

`DbStore` offers what `store.DataStore` offers (`get() -> (Snapshot | None, problems)`), so every
page works on either, plus what only a database can do:

- writes from the admin page and from imported files, all-or-nothing, each checked by the same
  loaders as data/ (see `registro.py`);
- a version number per point: an edit based on an old version is refused (`Conflitto`) instead of
  overwriting someone else's change;
- an append-only history (`storico`: who, when, old -> new; UPDATE and DELETE are refused by
  triggers) from which `snapshot_al(date)` rebuilds the register as it was on a date;
- a data version (`revisioni`) that every viewer's store checks on each page run, so a change
  reaches everyone within seconds without a restart.

The points and their desk slots live in the database; the quartieri and the funding figures
(data/quartieri.geojson, data/finanziamenti.csv) are reference files and are still read from
data/. On first start an empty database is created (Alembic migrations in alembic/) and seeded
from data/ (punti.csv, sportelli.csv, storico_punti.csv).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi.core import paths
from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio, Problema, problema_imprevisto
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.finanziamenti import carica_finanziamenti
from cittadelnoi.loaders.popolazione import carica_popolazione
from cittadelnoi.loaders.popolazione import frame_vuoto as popolazione_vuota
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.storico import (
    Evento,
    Record,
)
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.account import RegistroAccount
from cittadelnoi.stores.base import Archivio, Snapshot, con_aggiornati_referente
from cittadelnoi.stores.db_rendiconti import RendicontiDb, leggi_rendiconti, leggi_valore_orario, semina_rendiconti
from cittadelnoi.stores.db_scritture import ScrittureDb
from cittadelnoi.stores.db_storico import StoricoDb, aggiornati_referente
from cittadelnoi.stores.engine import (
    FILE_STATICI,
    aggiorna_schema,
    configura,
    controlla_versione,
    sola_lettura,
    versioni_codice,
)
from cittadelnoi.stores.errori_db import (
    DANNEGGIATO,
    DISCO,
    IRRAGGIUNGIBILE,
    OCCUPATO,
    PIENO,
    SOLA_LETTURA,
    causa_db,
    problema_db,
    traduci,
)
from cittadelnoi.stores.esportazione import Esportazione, apri, autore_attuale
from cittadelnoi.stores.schema import (
    popolazione,
    revisioni,
    sessioni,
)
from cittadelnoi.stores.scrittura import (
    REGISTRO_COMPLETO,
    adesso_utc,
    impostazione,
    leggi_registro,
    orari_per_punto,
    versione_dati,
)
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni
from cittadelnoi.stores.semina import semina

_log = logging.getLogger(__name__)


# --- the store ----------------------------------------------------------------------------------


@dataclass
class _Statici:
    quartieri: gpd.GeoDataFrame
    finanziamenti: pd.DataFrame
    avvisi: tuple[Problema, ...]
    firma: tuple
    hash: str
    popolazione: pd.DataFrame = dataclasses.field(default_factory=popolazione_vuota)


class DbStore(StoricoDb, ScrittureDb, RendicontiDb, Archivio):
    """The data store on a database. Thread-safe; one per process (see ui.archivio)."""

    ha_storico = True

    def __init__(self, engine: Engine, data_dir: Path, *, migra: bool = True):
        self.engine = configura(engine)
        self.data_dir = Path(data_dir)
        self.migra = migra
        self._lock = threading.RLock()
        self._pronto = False
        self._migrato = False
        self._statici: _Statici | None = None
        self._errori_statici: list[Problema] = []
        self._snapshot: Snapshot | None = None
        self._versione_db: tuple | None = None
        self._errori: list[Problema] = []
        self._eventi: tuple[tuple | None, list[Evento]] = (None, [])
        self._cache_al: dict[tuple, Snapshot] = {}

    @property
    def modificabile(self) -> bool:  # type: ignore[override]
        """False when the database is a read-only SQLite file (served as it is, no edit)."""
        return not self.sola_lettura()

    def sola_lettura(self) -> bool:
        """True when the SQLite file could only be opened read-only (stores.engine.configura):
        e.g. a restored backup left read-only. Never raises (False when it cannot be opened)."""
        try:
            return sola_lettura(self.engine)
        except (SQLAlchemyError, OSError):
            return False

    # -- reading --

    def prepara(self) -> None:
        """Create or upgrade the schema and seed an empty database (done by the first get())."""
        with self._lock:
            if self._pronto:
                return
            statici = self._carica_statici()
            if statici is None:
                raise DatiNonValidi(self._errori_statici)
            try:
                self._assicura_schema()
                if self.sola_lettura():
                    if not self._ha_registro():
                        raise ErroreArchivio(f"{SOLA_LETTURA} e non contiene alcun registro da mostrare")
                else:
                    with self._scrittura() as conn:
                        semina(conn, self.data_dir, statici.quartieri, adesso_utc())
                        semina_rendiconti(conn, self.data_dir, f"sistema (file in {paths.cita(self.data_dir)})")
            except (SQLAlchemyError, OSError) as exc:
                self._non_preparato(exc)
            self._pronto = True

    def _non_preparato(self, exc: SQLAlchemyError | OSError) -> None:
        """A failed migration or seeding at start, by the drivers' codes (stores.errori_db): a
        read-only or locked database that already holds a register is still served; a damaged, full
        or unreachable one is reported as by any read (re-raised); any other failure (a migration
        that cannot run on a writable database) stops the app: ErroreArchivio."""
        causa, _ = causa_db(exc)
        if causa in (DANNEGGIATO, DISCO, IRRAGGIUNGIBILE, PIENO) or (
            causa in (SOLA_LETTURA, OCCUPATO) and not self._ha_registro()
        ):
            raise exc
        if causa not in (SOLA_LETTURA, OCCUPATO):
            _log.error("aggiornamento del database non riuscito: %s", exc)
            raise ErroreArchivio(
                f"il database non è stato portato allo schema di questo programma ({causa}): l'app non si "
                "avvia su uno schema aggiornato a metà. Ripristinare la copia di sicurezza fatta prima "
                "dell'aggiornamento (README, «Copie di sicurezza») o avvisare chi gestisce il server."
            ) from None
        _log.warning("database non scrivibile all'avvio: %s", exc)

    def _assicura_schema(self) -> None:
        """Migrate to the code's schema; a read-only file is only checked (never newer than the
        code: SchemaSconosciuto, as for a writable one)."""
        with self._lock:
            if self._migrato:
                return
            if self.sola_lettura() or not self.migra:
                with self.engine.connect() as conn:
                    versione = controlla_versione(conn)
                ultima = versioni_codice()[-1]
                if self.migra and versione != ultima:
                    raise ErroreArchivio(
                        f"{SOLA_LETTURA} ed è alla versione di schema {versione or 'nessuna'}, mentre questo "
                        f"programma richiede la {ultima}: ripristinarlo in una cartella scrivibile perché sia aggiornato"
                    )
            else:
                aggiorna_schema(self.engine)
            self._migrato = True

    @traduci(scrittura=False)
    def registro_accessi(self) -> RegistroAccessi:
        """Sessions and access log of the Gestione page, on this database (schema migrated
        first, data or not: the login works whatever state the register is in)."""
        try:
            self._assicura_schema()
        except (SQLAlchemyError, OSError):
            # A read-only or locked database already migrated still answers logins it can read.
            with self.engine.connect() as conn:
                conn.execute(sa.select(sa.func.count()).select_from(sessioni))
        return RegistroAccessi(self.engine)

    def registro_account(self) -> RegistroAccount:
        """The accounts and roles stored in this database (schema migrated as for registro_accessi)."""
        self.registro_accessi()
        return RegistroAccount(self.engine)

    @traduci(scrittura=False)
    def segnalazioni(self) -> RegistroSegnalazioni:
        """Citizens' reports (/segnala, the Gestione queue) on this database, schema migrated first."""
        self._assicura_schema()
        return RegistroSegnalazioni(self.engine)

    @traduci(scrittura=False)
    def esporta_tutto(self, autore: Autore, id_sessione: str) -> AbstractContextManager[Esportazione]:
        """Every table for «Scarica tutto» (stores.esportazione.apri), to read inside the returned
        `with` block: NonAutorizzato unless session `id_sessione` is still live and its account,
        as the database says now (active, role), an amministratore; reserved columns left out."""
        self.prepara()
        return apri(self.engine, autore_attuale(self.engine, autore, id_sessione, adesso_utc()))

    def _ha_registro(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return bool(versione_dati(conn)[0])
        except (SQLAlchemyError, OSError):
            return False

    def get(self, *, interroga_db: bool = True) -> tuple[Snapshot | None, list[Problema]]:
        """The snapshot to serve and the current problems (empty when all is well). Cheap when
        nothing changed: one stat() per reference file and one small query. With
        `interroga_db=False` (the process's watcher, stores.sorvegliante, between two signals of
        a change) the database is not asked once a snapshot exists."""
        with self._lock:
            try:
                self.prepara()
                statici_prima = self._statici
                statici = self._carica_statici()
                versione: tuple | None
                if interroga_db or self._snapshot is None:
                    with self.engine.connect() as conn:
                        versione = versione_dati(conn)
                else:
                    versione = self._versione_db
                if statici is not None and (
                    versione != self._versione_db or statici is not statici_prima or self._snapshot is None
                ):
                    self._snapshot = self._costruisci(statici)
                self._errori = list(self._errori_statici)
            except DatiNonValidi as exc:
                self._errori = list(exc.problemi)
            except ErroreArchivio as exc:  # SchemaSconosciuto, or a read-only file that cannot be served
                self._errori = [Problema("database", exc.messaggio)]
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("lettura del database: %s", exc)
                self._errori = [problema_db(exc)]
            except Exception as exc:  # a loader bug: a message, and the last good data
                _log.exception("lettura del database")
                self._errori = [problema_imprevisto("database", exc)]
            return self._snapshot, list(self._errori)

    def database_raggiungibile(self) -> bool:
        """One `SELECT 1` (for /salute): False on any database error, never an exception."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except (SQLAlchemyError, OSError):
            return False

    @traduci(scrittura=False)
    def versione_dati(self) -> tuple:
        with self.engine.connect() as conn:
            return versione_dati(conn)

    def _carica_statici(self) -> _Statici | None:
        firma = _firma(self.data_dir)
        if self._statici is not None and self._statici.firma == firma:
            return self._statici
        errori: list[Problema] = []
        avvisi: list[Problema] = []
        valori = []
        for fn, nome in ((carica_quartieri, "quartieri.geojson"), (carica_finanziamenti, "finanziamenti.csv")):
            try:
                v, a = fn(leggi_file(self.data_dir / nome))
                valori.append(v)
                avvisi.extend(a)
            except DatiNonValidi as exc:
                errori.extend(exc.problemi)
        popolazione = popolazione_vuota()
        if not errori and (self.data_dir / "popolazione.csv").exists():
            try:
                popolazione, a = carica_popolazione(leggi_file(self.data_dir / "popolazione.csv"), valori[0])
                avvisi.extend(a)
            except DatiNonValidi as exc:
                errori.extend(exc.problemi)
        self._errori_statici = errori
        if errori:
            return self._statici  # keep serving the last good reference files
        h = hashlib.sha256()
        for nome in FILE_STATICI:
            if (self.data_dir / nome).exists():
                h.update((self.data_dir / nome).read_bytes())
        self._statici = _Statici(valori[0], valori[1], tuple(avvisi), firma, h.hexdigest()[:8], popolazione)
        return self._statici

    def _costruisci(self, statici: _Statici) -> Snapshot:
        with self.engine.connect() as conn, conn.begin():
            versione = versione_dati(conn)
            punti_rec, fasce_rec, _ = leggi_registro(conn)
            ultima = conn.execute(
                sa.select(revisioni.c.quando, revisioni.c.chi).order_by(revisioni.c.id.desc()).limit(1)
            ).first()
            completo = impostazione(conn, REGISTRO_COMPLETO) == "sì"
            aggiornati = aggiornati_referente(conn)
            rendiconti = leggi_rendiconti(conn)
            valore_orario = leggi_valore_orario(conn)
            pop_db = pd.DataFrame(
                conn.execute(
                    sa.select(
                        popolazione.c.codice_istat, popolazione.c.anno, popolazione.c.residenti, popolazione.c.fonte
                    )
                ).all(),
                columns=["codice_istat", "anno", "residenti", "fonte"],
            )
        reg = registro.valida_record(punti_rec, fasce_rec, statici.quartieri)
        self._versione_db = versione
        return Snapshot(
            quartieri=statici.quartieri,
            punti=con_aggiornati_referente(reg.punti, aggiornati),
            sportelli=reg.sportelli,
            finanziamenti=statici.finanziamenti,
            versione=f"db{versione[0]}.{versione[1]}-{statici.hash}",
            caricato_il=ultima.quando if ultima else adesso_utc(),
            avvisi=statici.avvisi + reg.avvisi,
            popolazione=pop_db.astype({"anno": int, "residenti": int}) if not pop_db.empty else statici.popolazione,
            segnato_completo=completo,
            rendiconti=rendiconti,
            valore_orario=valore_orario,
        )

    @traduci(scrittura=False)
    def registro_attuale(self) -> tuple[list[Record], list[Record], dict[str, dict]]:
        """(point records, slot records, id -> {versione, ordine, revisione}) as now in the database."""
        self.prepara()
        with self.engine.connect() as conn, conn.begin():
            return leggi_registro(conn)

    def punto(self, id_punto: str) -> tuple[Record, list[Record], int] | None:
        """(record, schedule, version) of one point, or None if there is no such point."""
        punti_rec, fasce_rec, info = self.registro_attuale()
        rec = next((r for r in punti_rec if r["id"] == id_punto), None)
        if rec is None:
            return None
        return rec, orari_per_punto(fasce_rec).get(id_punto, []), info[id_punto]["versione"]

    # -- history --


def _firma(directory: Path) -> tuple[tuple[str, int | None, int | None], ...]:
    """Size and mtime of each file of data/ the database does not hold (None: missing)."""
    out: list[tuple[str, int | None, int | None]] = []
    for nome in FILE_STATICI:
        try:
            s = (directory / nome).stat()
            out.append((nome, s.st_size, s.st_mtime_ns))
        except FileNotFoundError:
            out.append((nome, None, None))
    return tuple(out)
