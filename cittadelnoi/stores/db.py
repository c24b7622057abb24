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
import datetime as dt
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi.core import tempo
from cittadelnoi.core.errors import DatiNonValidi, Problema, problema_imprevisto
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.core.tempo import giorno_locale
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.finanziamenti import carica_finanziamenti
from cittadelnoi.loaders.popolazione import carica_popolazione
from cittadelnoi.loaders.popolazione import frame_vuoto as popolazione_vuota
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.registro import COLONNE_PUNTI
from cittadelnoi.loaders.storico import (
    Evento,
    Record,
    carica_conteggi,
    conteggi_nel_tempo,
    eventi_documentati,
    eventi_per_confronto,
    fine_giorno,
    punti_nel_tempo,
    punti_senza_data,
    stato_al,
)
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.account import RegistroAccount
from cittadelnoi.stores.annulla import annulla
from cittadelnoi.stores.base import Archivio, Snapshot
from cittadelnoi.stores.engine import (
    _CHIAVE_LOCK,
    FILE_STATICI,
    aggiorna_schema,
    configura,
)
from cittadelnoi.stores.errori_db import errore_lettura, errore_scrittura, problema_db
from cittadelnoi.stores.schema import (
    impostazioni,
    popolazione,
    revisioni,
    sessioni,
    storico,
)
from cittadelnoi.stores.scrittura import (
    REGISTRO_COMPLETO,
    Anteprima,
    Conflitto,
    Esito,
    _da_chi,
    _impostazione,
    _leggi_registro,
    _nuova_revisione,
    _orari_per_punto,
    _scrivi,
    _ultima_modifica,
    _versione_dati,
    semina,
)
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni

_log = logging.getLogger(__name__)


def _traduci(scrittura: bool) -> Callable:
    """Database and disk errors of a store method as ErroreArchivio: an Italian message saying what
    happened and what still works, never a traceback with server paths on the page."""

    def decora(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def avvolta(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("%s: %s", fn.__name__, exc)
                raise (errore_scrittura(exc) if scrittura else errore_lettura(exc)) from None

        return avvolta

    return decora


# --- the store ----------------------------------------------------------------------------------


@dataclass
class _Statici:
    quartieri: gpd.GeoDataFrame
    finanziamenti: pd.DataFrame
    avvisi: tuple[Problema, ...]
    firma: tuple
    hash: str
    popolazione: pd.DataFrame = dataclasses.field(default_factory=popolazione_vuota)


class DbStore(Archivio):
    """The data store on a database. Thread-safe; one per process (see ui.archivio)."""

    ha_storico = True
    modificabile = True

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
                with self._scrittura() as conn:
                    semina(conn, self.data_dir, statici.quartieri, _adesso())
            except (SQLAlchemyError, OSError) as exc:
                # A read-only or locked database that already holds a register still serves it.
                if not self._ha_registro():
                    raise
                _log.warning("database non scrivibile all'avvio: %s", exc)
            self._pronto = True

    def _assicura_schema(self) -> None:
        with self._lock:
            if self.migra and not self._migrato:
                aggiorna_schema(self.engine)
            self._migrato = True

    @_traduci(scrittura=False)
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

    @_traduci(scrittura=False)
    def segnalazioni(self) -> RegistroSegnalazioni:
        """Citizens' reports (/segnala, the Gestione queue) on this database, schema migrated first."""
        self._assicura_schema()
        return RegistroSegnalazioni(self.engine)

    def _ha_registro(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return bool(_versione_dati(conn)[0])
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
                        versione = _versione_dati(conn)
                else:
                    versione = self._versione_db
                if statici is not None and (
                    versione != self._versione_db or statici is not statici_prima or self._snapshot is None
                ):
                    self._snapshot = self._costruisci(statici)
                self._errori = list(self._errori_statici)
            except DatiNonValidi as exc:
                self._errori = list(exc.problemi)
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

    @_traduci(scrittura=False)
    def versione_dati(self) -> tuple:
        with self.engine.connect() as conn:
            return _versione_dati(conn)

    def _carica_statici(self) -> _Statici | None:
        firma = _firma(self.data_dir)
        if self._statici is not None and self._statici.firma == firma:
            return self._statici
        errori: list[Problema] = []
        avvisi: list[Problema] = []
        valori = []
        for fn, nome in ((carica_quartieri, "quartieri.geojson"), (carica_finanziamenti, "finanziamenti.csv")):
            try:
                v, a = fn(self.data_dir / nome)
                valori.append(v)
                avvisi.extend(a)
            except DatiNonValidi as exc:
                errori.extend(exc.problemi)
        popolazione = popolazione_vuota()
        if not errori and (self.data_dir / "popolazione.csv").exists():
            try:
                popolazione, a = carica_popolazione(self.data_dir / "popolazione.csv", valori[0])
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
            versione = _versione_dati(conn)
            punti_rec, fasce_rec, _ = _leggi_registro(conn)
            ultima = conn.execute(
                sa.select(revisioni.c.quando, revisioni.c.chi).order_by(revisioni.c.id.desc()).limit(1)
            ).first()
            completo = _impostazione(conn, REGISTRO_COMPLETO) == "sì"
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
            punti=reg.punti,
            sportelli=reg.sportelli,
            finanziamenti=statici.finanziamenti,
            versione=f"db{versione[0]}.{versione[1]}-{statici.hash}",
            caricato_il=ultima.quando if ultima else _adesso(),
            avvisi=statici.avvisi + reg.avvisi,
            popolazione=pop_db.astype({"anno": int, "residenti": int}) if not pop_db.empty else statici.popolazione,
            segnato_completo=completo,
        )

    @_traduci(scrittura=False)
    def registro_attuale(self) -> tuple[list[Record], list[Record], dict[str, dict]]:
        """(point records, slot records, id -> {versione, ordine, revisione}) as now in the database."""
        self.prepara()
        with self.engine.connect() as conn, conn.begin():
            return _leggi_registro(conn)

    def punto(self, id_punto: str) -> tuple[Record, list[Record], int] | None:
        """(record, schedule, version) of one point, or None if there is no such point."""
        punti_rec, fasce_rec, info = self.registro_attuale()
        rec = next((r for r in punti_rec if r["id"] == id_punto), None)
        if rec is None:
            return None
        return rec, _orari_per_punto(fasce_rec).get(id_punto, []), info[id_punto]["versione"]

    # -- history --

    @_traduci(scrittura=False)
    def eventi(self) -> list[Evento]:
        """Every event of the history, oldest first (cached per data version)."""
        self.prepara()
        with self.engine.connect() as conn, conn.begin():
            versione = _versione_dati(conn)
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
            doc, _ = carica_conteggi(path)
        else:
            doc = pd.DataFrame(columns=["data", "attivi", "in_apertura", "fonte", "nota"])
        return punti_nel_tempo(reg, doc)

    @_traduci(scrittura=False)
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

    # -- writing --

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

    @_traduci(scrittura=True)
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
            prima_p, prima_f, info = _leggi_registro(conn)
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
                ultimo = _ultima_modifica(conn, id_punto)
                raise Conflitto(f"il punto «{id_punto}» non è più nel registro" + _da_chi(*ultimo), None, *ultimo)
            elif info[id_punto]["versione"] != versione_attesa:
                ultimo = _ultima_modifica(conn, id_punto)
                attuale = next(r for r in prima_p if r["id"] == id_punto)
                raise Conflitto(
                    f"il punto «{id_punto}» è stato modificato da un'altra persona mentre lo stavi modificando"
                    f"{_da_chi(*ultimo)}: le tue modifiche non sono state salvate. Ricarica il punto e ripeti le modifiche.",
                    attuale,
                    *ultimo,
                )
            reg = registro.valida_modifica(prima_p, prima_f, nuovo_id, punto, list(orario), quartieri)
            descr = f"{'Nuovo punto' if id_punto is None else 'Modifica del punto'} «{nuovo_id}» dalla pagina Gestione"
            return _scrivi(conn, reg, prima_p, prima_f, info, autore, descr, _adesso(), solo={nuovo_id})

    @_traduci(scrittura=False)
    def anteprima_import(
        self, nome: str, contenuto: bytes, nome_sportelli: str | None = None, contenuto_sportelli: bytes | None = None
    ) -> Anteprima:
        """Check an uploaded register (CSV, or XLSX with sheets «punti» and optionally «sportelli»)
        and say what it would change. Writes nothing. Without a desk-slots file, the current slots
        of the points that stay are kept."""
        quartieri = self._quartieri()
        with self.engine.connect() as conn, conn.begin():
            versione = _versione_dati(conn)
            prima_p, prima_f, _ = _leggi_registro(conn)
        try:
            file_p, file_s = registro.file_da_caricamento(nome, contenuto)
            if contenuto_sportelli is not None:
                file_s2, _ = registro.file_da_caricamento(nome_sportelli or "sportelli.csv", contenuto_sportelli)
                file_s = file_s2
            reg = registro.valida_file(file_p, file_s, quartieri, sportelli_esistenti=prima_f if file_s is None else ())
        except DatiNonValidi as exc:
            return Anteprima(nome, tuple(exc.problemi), versione_base=versione)
        prima = registro.per_id(prima_p)
        dopo = registro.per_id(reg.punti_rec)
        orari_a, orari_b = _orari_per_punto(prima_f), _orari_per_punto(reg.fasce_rec)
        modificati = {
            i: registro.descrivi_differenze(registro.differenze(prima[i], r, COLONNE_PUNTI))
            for i, r in dopo.items()
            if i in prima and prima[i] != r
        }
        orari = {
            i: registro.descrivi_orari(orari_a.get(i, []), orari_b.get(i, []))
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

    @_traduci(scrittura=True)
    def applica_import(self, anteprima: Anteprima, autore: Autore) -> Esito:
        """Write a checked import, all or nothing. Refused (Conflitto) if the register changed
        after the preview: the official must look at a new preview; NonAutorizzato unless
        `autore` is an amministratore."""
        autore.richiedi_amministratore("importare il registro")
        if not anteprima.valida or anteprima.registro is None:
            raise DatiNonValidi(anteprima.problemi or [Problema(anteprima.file, "importazione non valida")])
        with self._scrittura() as conn:
            if _versione_dati(conn) != anteprima.versione_base:
                raise Conflitto(
                    "il registro è stato modificato dopo l'anteprima: nulla è stato importato. "
                    "Ricaricare il file per vedere una nuova anteprima."
                )
            prima_p, prima_f, info = _leggi_registro(conn)
            return _scrivi(
                conn,
                anteprima.registro,
                prima_p,
                prima_f,
                info,
                autore,
                f"Importazione del registro dal file «{anteprima.file}»",
                _adesso(),
            )

    @_traduci(scrittura=True)
    def annulla(self, revisione: int, autore: Autore) -> Esito:
        """Undo one revision of the register in one step, as a new recorded revision
        (stores.annulla: amministratore only; refused when a later change touched the same points)."""
        quartieri = self._quartieri()
        with self._scrittura() as conn:
            return annulla(conn, revisione, autore, quartieri, _adesso())

    # -- settings and residents (Gestione page) --

    def segna_completo(self, completo: bool, autore: Autore) -> bool:
        """Mark the register complete (it holds every active point) or not; recorded as a revision.
        Returns False when the setting already had that value (nothing written). Amministratore only."""
        autore.richiedi_amministratore("segnare il registro come completo")
        valore = "sì" if completo else "no"
        with self._scrittura() as conn:
            if (_impostazione(conn, REGISTRO_COMPLETO) or "no") == valore:
                return False
            descr = (
                "Registro segnato come completo: contiene tutti i punti attivi"
                if completo
                else "Registro segnato come non completo: mancano punti attivi"
            )
            rev = _nuova_revisione(conn, autore, descr, _adesso())
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
        frame = registro.popolazione_da_caricamento(nome, contenuto, quartieri)
        if not scrivi:
            return frame, 0
        with self._scrittura() as conn:
            rev = _nuova_revisione(
                conn,
                autore,
                f"Importazione dei residenti per quartiere dal file «{nome}» ({len(frame)} righe)",
                _adesso(),
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


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
