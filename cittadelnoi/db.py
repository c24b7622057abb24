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
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi import paths, registro
from cittadelnoi.errors import DatiNonValidi, Problema
from cittadelnoi.finanziamenti import carica_finanziamenti
from cittadelnoi.quartieri import carica_quartieri
from cittadelnoi.registro import COLONNE_FASCE, COLONNE_ORARIO, COLONNE_PUNTI, Registro
from cittadelnoi.storico import (FUSO, Evento, Record, carica_conteggi, carica_storico_punti, conteggi_nel_tempo,
                                 eventi_seme, fine_giorno, giorno_locale, punti_nel_tempo, stato_al)
from cittadelnoi.store import Snapshot

ROOT = paths.ROOT
FILE_STATICI = ("quartieri.geojson", "finanziamenti.csv")
CHI_SISTEMA = "sistema (creazione dai file in data/)"
# pg_advisory_xact_lock key taken by every write and by migrations: writes are few, and one at a
# time keeps the data version (revisioni.id) in commit order.
_CHIAVE_LOCK = 0x43444E  # "CDN"

# --- schema (kept identical to alembic/versions; tests/db checks it) -------------------------------


class UtcDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime in every backend (SQLite keeps no time zone: store naive UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware one")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

revisioni = sa.Table(
    "revisioni", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("quando", UtcDateTime, nullable=False),
    sa.Column("chi", sa.String(200), nullable=False),
    sa.Column("descrizione", sa.Text, nullable=False),
)

punti = sa.Table(
    "punti", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("nome", sa.Text, nullable=False),
    sa.Column("codice_istat", sa.String(8), nullable=False),
    sa.Column("stato", sa.String(20), nullable=False),
    sa.Column("indirizzo", sa.Text),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("posizione", sa.String(20), nullable=False),
    sa.Column("ente_gestore", sa.Text),
    sa.Column("partner", sa.Text),
    sa.Column("apertura", sa.Date),
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("dimostrativo", sa.Boolean, nullable=False),
    sa.Column("ordine", sa.Integer, nullable=False),
    sa.Column("versione", sa.Integer, nullable=False),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False),
)

sportelli = sa.Table(
    "sportelli", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id_punto", sa.String(64), sa.ForeignKey("punti.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("ordine", sa.Integer, nullable=False),
    sa.Column("giorno", sa.String(3), nullable=False),
    sa.Column("inizio", sa.String(5), nullable=False),
    sa.Column("fine", sa.String(5), nullable=False),
    sa.Column("volontari", sa.Integer),
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("dimostrativo", sa.Boolean, nullable=False),
)

storico = sa.Table(
    "storico", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False, index=True),
    sa.Column("quando", UtcDateTime, nullable=False, index=True),  # when the change took effect
    sa.Column("chi", sa.String(200), nullable=False),
    sa.Column("oggetto", sa.String(10), nullable=False),  # punto | orario
    sa.Column("id_punto", sa.String(64), nullable=False, index=True),
    sa.Column("azione", sa.String(10), nullable=False),  # crea | modifica | elimina
    sa.Column("prima", sa.JSON),
    sa.Column("dopo", sa.JSON),
    sa.Column("modifiche", sa.Text, nullable=False),
    sa.Column("nota", sa.Text),
)

_COLONNE_PUNTO_DB = [c for c in COLONNE_PUNTI]
_COLONNE_FASCIA_DB = [c for c in COLONNE_ORARIO]


# --- engine -------------------------------------------------------------------------------------


def url_predefinito() -> str:
    """The embedded database: var/cittadelnoi.sqlite next to the code (git-ignored)."""
    return f"sqlite:///{ROOT / 'var' / 'cittadelnoi.sqlite'}"


def configura(engine: Engine) -> Engine:
    """SQLite: foreign keys on, WAL, wait for locks, and real transactions (pysqlite's own
    transaction handling disabled; writes start with BEGIN IMMEDIATE so two writers queue
    instead of failing on lock upgrade). Call before the engine's first connection."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_cdn_configurato", False):
        return engine
    file_db = engine.url.database not in (None, "", ":memory:")
    if file_db:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _connetti(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        if file_db:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _inizia(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("cdn_scrittura") else "BEGIN")

    engine._cdn_configurato = True  # type: ignore[attr-defined]
    return engine


def crea_engine(url: str) -> Engine:
    return configura(sa.create_engine(url, pool_pre_ping=True))


def aggiorna_schema(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (idempotent; several replicas may call it
    at once: on PostgreSQL they queue on an advisory lock)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.connect() as conn:
        conn = conn.execution_options(cdn_scrittura=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


# --- errors -------------------------------------------------------------------------------------


class Conflitto(Exception):
    """The data changed since the official loaded it: nothing was written."""

    def __init__(self, messaggio: str, attuale: Record | None = None, chi: str | None = None,
                 quando: dt.datetime | None = None):
        super().__init__(messaggio)
        self.messaggio = messaggio
        self.attuale = attuale
        self.chi = chi
        self.quando = quando


@dataclass(frozen=True)
class Esito:
    revisione: int | None  # None: nothing changed, nothing written
    modifiche: tuple[str, ...]  # one line per changed object
    versioni: dict[str, int] = field(default_factory=dict)  # new version of each changed point


@dataclass(frozen=True)
class Anteprima:
    """What an import would change, computed before anything is written."""

    file: str
    problemi: tuple[Problema, ...]
    avvisi: tuple[Problema, ...] = ()
    nuovi: tuple[str, ...] = ()
    modificati: dict[str, str] = field(default_factory=dict)  # id -> 'campo: prima → dopo; …'
    rimossi: tuple[str, ...] = ()
    orari: dict[str, str] = field(default_factory=dict)  # id -> 'prima → dopo' of the schedule
    versione_base: tuple | None = None
    registro: Registro | None = None
    sportelli_nel_file: bool = False

    @property
    def valida(self) -> bool:
        return not self.problemi

    @property
    def n_modifiche(self) -> int:
        return len(self.nuovi) + len(self.modificati) + len(self.rimossi) + len(self.orari)


# --- reading ------------------------------------------------------------------------------------


def _valore(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    return v


def _leggi_registro(conn: Connection) -> tuple[list[Record], list[Record], dict[str, dict]]:
    """(point records in register order, slot records in order, point id -> {versione, ordine, revisione})."""
    righe_p = conn.execute(sa.select(punti).order_by(punti.c.ordine, punti.c.id)).mappings().all()
    righe_s = conn.execute(sa.select(sportelli).order_by(sportelli.c.id_punto, sportelli.c.ordine, sportelli.c.id)).mappings().all()
    ordine = {r["id"]: i for i, r in enumerate(righe_p)}
    punti_rec = [registro.record(dict(r), COLONNE_PUNTI) for r in righe_p]
    fasce = sorted(righe_s, key=lambda r: (ordine.get(r["id_punto"], 1 << 30), r["ordine"]))
    fasce_rec = [registro.record(dict(r), COLONNE_FASCE) for r in fasce]
    info = {r["id"]: {"versione": r["versione"], "ordine": r["ordine"], "revisione": r["revisione"]} for r in righe_p}
    return punti_rec, fasce_rec, info


def _versione_dati(conn: Connection) -> tuple:
    riga = conn.execute(sa.select(sa.func.count(), sa.func.max(revisioni.c.id)).select_from(revisioni)).one()
    return (int(riga[0]), riga[1])


def _orari_per_punto(fasce_rec: Sequence[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for f in fasce_rec:
        out.setdefault(f["id_punto"] or "", []).append({c: f.get(c) for c in COLONNE_ORARIO})
    return out


# --- writing ------------------------------------------------------------------------------------


def _nuova_revisione(conn: Connection, chi: str, descrizione: str, quando: dt.datetime) -> int:
    res = conn.execute(revisioni.insert().values(quando=quando, chi=chi, descrizione=descrizione))
    return int(res.inserted_primary_key[0])


def _riga_punto(frame_row: dict, ordine: int, versione: int, rev: int) -> dict:
    out = {c: _valore(frame_row.get(c)) for c in _COLONNE_PUNTO_DB}
    out["dimostrativo"] = bool(frame_row.get("dimostrativo"))
    out["lat"] = float(frame_row["lat"])
    out["lon"] = float(frame_row["lon"])
    return {**out, "ordine": ordine, "versione": versione, "revisione": rev}


def _righe_fasce(frame: pd.DataFrame, id_punto: str) -> list[dict]:
    sel = frame[frame["id_punto"] == id_punto]
    out = []
    for i, r in enumerate(sel.to_dict("records")):
        vol = _valore(r.get("volontari"))
        out.append({
            "id_punto": id_punto, "ordine": i, "giorno": r["giorno"], "inizio": r["inizio"], "fine": r["fine"],
            "volontari": None if vol is None else int(vol), "fonte": r["fonte"], "dimostrativo": bool(r["dimostrativo"]),
        })
    return out


def _scrivi(conn: Connection, reg: Registro, prima_p: list[Record], prima_f: list[Record], info: dict[str, dict],
            chi: str, descrizione: str, ora: dt.datetime, solo: set[str] | None = None) -> Esito:
    """Make the database hold `reg` (for the points in `solo`, or all), recording every change in
    `storico` under one new revision. Nothing is written when nothing changed."""
    dopo_p = {r["id"]: r for r in reg.punti_rec}
    prima_map = {r["id"]: r for r in prima_p}
    orari_prima = _orari_per_punto(prima_f)
    orari_dopo = _orari_per_punto(reg.fasce_rec)
    frame_p = reg.punti.set_index("id", drop=False)
    ids = list(dict.fromkeys([*prima_map, *dopo_p]))
    if solo is not None:
        ids = [i for i in ids if i in solo]

    cambi: list[tuple[str, str, str, object, object, str]] = []  # oggetto, id, azione, prima, dopo, testo
    for i in ids:
        a, b = prima_map.get(i), dopo_p.get(i)
        if a != b:
            if a is None:
                testo = f"nuovo punto «{b['nome']}» ({b['stato']})"
                cambi.append(("punto", i, "crea", None, b, testo))
            elif b is None:
                cambi.append(("punto", i, "elimina", a, None, f"punto «{a['nome']}» rimosso dal registro"))
            else:
                testo = registro.descrivi_differenze(registro.differenze(a, b, COLONNE_PUNTI))
                cambi.append(("punto", i, "modifica", a, b, testo))
        oa, ob = orari_prima.get(i, []), (orari_dopo.get(i, []) if b is not None else [])
        if oa != ob:
            azione = "crea" if not oa else ("elimina" if not ob else "modifica")
            cambi.append(("orario", i, azione, oa or None, ob or None,
                          f"orario: {registro.orario_testo(oa)} → {registro.orario_testo(ob)}"))
    if not cambi:
        return Esito(None, ())

    rev = _nuova_revisione(conn, chi, descrizione, ora)
    toccati = list(dict.fromkeys(c[1] for c in cambi))
    prossimo_ordine = max((v["ordine"] for v in info.values()), default=-1) + 1
    ordine_import = {r["id"]: n for n, r in enumerate(reg.punti_rec)} if solo is None else {}
    versioni: dict[str, int] = {}
    for i in toccati:
        a, b = prima_map.get(i), dopo_p.get(i)
        if b is None:
            conn.execute(sportelli.delete().where(sportelli.c.id_punto == i))
            conn.execute(punti.delete().where(punti.c.id == i))
            continue
        if a is None:
            ordine = ordine_import.get(i, prossimo_ordine)
            prossimo_ordine += 1
            conn.execute(punti.insert().values(**_riga_punto(frame_p.loc[i].to_dict(), ordine, 1, rev)))
            versioni[i] = 1
        else:
            versione = info[i]["versione"] + 1
            ordine = ordine_import.get(i, info[i]["ordine"])
            valori = _riga_punto(frame_p.loc[i].to_dict(), ordine, versione, rev)
            valori.pop("id")
            res = conn.execute(punti.update().where(punti.c.id == i, punti.c.versione == info[i]["versione"]).values(**valori))
            if res.rowcount != 1:
                raise Conflitto(f"il punto «{i}» è stato modificato nel frattempo: nulla è stato salvato")
            versioni[i] = versione
        if orari_prima.get(i, []) != orari_dopo.get(i, []):
            conn.execute(sportelli.delete().where(sportelli.c.id_punto == i))
            righe = _righe_fasce(reg.sportelli, i)
            if righe:
                conn.execute(sportelli.insert(), righe)
    if solo is None:  # an import may only reorder the register: keep the file's order
        for i, n in ordine_import.items():
            if i not in toccati and info.get(i, {}).get("ordine") != n:
                conn.execute(punti.update().where(punti.c.id == i).values(ordine=n))
    conn.execute(storico.insert(), [
        {"revisione": rev, "quando": ora, "chi": chi, "oggetto": o, "id_punto": i, "azione": az,
         "prima": pr, "dopo": do, "modifiche": t, "nota": None}
        for o, i, az, pr, do, t in cambi
    ])
    return Esito(rev, tuple(f"{i}: {t}" for _, i, _, _, _, t in cambi), versioni)


def semina(conn: Connection, data_dir: Path, quartieri: gpd.GeoDataFrame, ora: dt.datetime) -> bool:
    """Fill an empty database from data/: the register, its desk slots and the dated history of
    storico_punti.csv. Returns False when the database already has data. Raises DatiNonValidi."""
    if _versione_dati(conn)[0]:
        return False
    reg = registro.valida_file(("punti.csv", _leggi(data_dir / "punti.csv")),
                               ("sportelli.csv", _leggi(data_dir / "sportelli.csv")), quartieri)
    per_id = {r["id"]: r for r in reg.punti_rec}
    eventi: list[tuple[Evento, str]] = []
    seme = data_dir / "storico_punti.csv"
    if seme.exists():
        frame, _ = carica_storico_punti(seme, {i: r["stato"] for i, r in per_id.items()}, giorno_locale(ora))
        fonti = list(frame.sort_values("data", kind="stable")["fonte"])
        eventi = list(zip(eventi_seme(frame, per_id), fonti))
    rev = _nuova_revisione(conn, CHI_SISTEMA, "Creazione del database da data/punti.csv, data/sportelli.csv e data/storico_punti.csv", ora)
    for n, r in enumerate(reg.punti.to_dict("records")):
        conn.execute(punti.insert().values(**_riga_punto(r, n, 1, rev)))
    for i in per_id:
        righe = _righe_fasce(reg.sportelli, i)
        if righe:
            conn.execute(sportelli.insert(), righe)

    righe_storico = []
    ultimo: dict[str, Record] = {}
    for ev, fonte in eventi:
        prima = ultimo.get(ev.id_punto)
        testo = (f"nuovo punto «{ev.dopo['nome']}» ({ev.dopo['stato']})" if prima is None  # type: ignore[index]
                 else registro.descrivi_differenze(registro.differenze(prima, ev.dopo, COLONNE_PUNTI)))  # type: ignore[arg-type]
        righe_storico.append({"revisione": rev, "quando": ev.quando, "chi": "storico documentato (data/storico_punti.csv)",
                              "oggetto": "punto", "id_punto": ev.id_punto, "azione": "crea" if prima is None else "modifica",
                              "prima": prima, "dopo": ev.dopo, "modifiche": testo, "nota": f"fonte: {fonte}"})
        ultimo[ev.id_punto] = ev.dopo  # type: ignore[assignment]
    for i, r in per_id.items():
        if ultimo.get(i) != r:  # no dated history, or details that differ: the register as of today
            prima = ultimo.get(i)
            righe_storico.append({"revisione": rev, "quando": ora, "chi": CHI_SISTEMA, "oggetto": "punto", "id_punto": i,
                                  "azione": "crea" if prima is None else "modifica", "prima": prima, "dopo": r,
                                  "modifiche": f"nuovo punto «{r['nome']}» ({r['stato']})" if prima is None
                                  else registro.descrivi_differenze(registro.differenze(prima, r, COLONNE_PUNTI)),
                                  "nota": "data di apertura non documentata: presente dalla creazione del database"
                                  if prima is None else None})
    for i, orario in _orari_per_punto(reg.fasce_rec).items():
        righe_storico.append({"revisione": rev, "quando": ora, "chi": CHI_SISTEMA, "oggetto": "orario", "id_punto": i,
                              "azione": "crea", "prima": None, "dopo": orario,
                              "modifiche": f"orario: {registro.orario_testo(orario)}",
                              "nota": "orari precedenti non documentati"})
    conn.execute(storico.insert(), righe_storico)
    return True


def _leggi(path: Path) -> bytes:
    if not path.exists():
        raise DatiNonValidi([Problema(path.name, "file mancante nella cartella dei dati")])
    return path.read_bytes()


# --- the store ----------------------------------------------------------------------------------


@dataclass
class _Statici:
    quartieri: gpd.GeoDataFrame
    finanziamenti: pd.DataFrame
    avvisi: tuple[Problema, ...]
    firma: tuple
    hash: str


class DbStore:
    """The data store on a database. Thread-safe; one per process (see ui._store)."""

    def __init__(self, engine: Engine, data_dir: Path, *, migra: bool = True):
        self.engine = configura(engine)
        self.data_dir = Path(data_dir)
        self.migra = migra
        self._lock = threading.RLock()
        self._pronto = False
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
            if self.migra:
                aggiorna_schema(self.engine)
            with self._scrittura() as conn:
                semina(conn, self.data_dir, statici.quartieri, _adesso())
            self._pronto = True

    def get(self) -> tuple[Snapshot | None, list[Problema]]:
        """The snapshot to serve and the current problems (empty when all is well). Cheap when
        nothing changed: one stat() per reference file and one small query."""
        with self._lock:
            try:
                self.prepara()
                statici_prima = self._statici
                statici = self._carica_statici()
                with self.engine.connect() as conn:
                    versione = _versione_dati(conn)
                if statici is not None and (versione != self._versione_db or statici is not statici_prima or self._snapshot is None):
                    self._snapshot = self._costruisci(statici)
                self._errori = list(self._errori_statici)
            except DatiNonValidi as exc:
                self._errori = list(exc.problemi)
            except SQLAlchemyError as exc:
                self._errori = [_problema_db(exc)]
            return self._snapshot, list(self._errori)

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
        self._errori_statici = errori
        if errori:
            return self._statici  # keep serving the last good reference files
        h = hashlib.sha256()
        for nome in FILE_STATICI:
            h.update((self.data_dir / nome).read_bytes())
        self._statici = _Statici(valori[0], valori[1], tuple(avvisi), firma, h.hexdigest()[:8])
        return self._statici

    def _costruisci(self, statici: _Statici) -> Snapshot:
        with self.engine.connect() as conn, conn.begin():
            versione = _versione_dati(conn)
            punti_rec, fasce_rec, _ = _leggi_registro(conn)
            ultima = conn.execute(sa.select(revisioni.c.quando, revisioni.c.chi).order_by(revisioni.c.id.desc()).limit(1)).first()
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
        )

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

    def eventi(self) -> list[Evento]:
        """Every event of the history, oldest first (cached per data version)."""
        self.prepara()
        with self.engine.connect() as conn, conn.begin():
            versione = _versione_dati(conn)
            if self._eventi[0] == versione:
                return self._eventi[1]
            righe = conn.execute(sa.select(storico.c.quando, storico.c.oggetto, storico.c.id_punto, storico.c.dopo)
                                 .order_by(storico.c.quando, storico.c.id)).all()
        eventi = [Evento(r.quando, r.oggetto, r.id_punto, r.dopo) for r in righe]
        self._eventi = (versione, eventi)
        return eventi

    def primo_giorno(self) -> dt.date | None:
        """The first day of the history (the slider's start)."""
        ev = self.eventi()
        return giorno_locale(ev[0].quando) if ev else None

    def snapshot_al(self, giorno: dt.date) -> Snapshot | None:
        """The register as it was at the end of `giorno` (Brescia time), with the current
        reference files: same fields as get()'s snapshot, `versione` ends with '@<giorno>'.
        Points not yet in the history on that day are absent; None when no data can be served."""
        snap, _ = self.get()
        if snap is None:
            return None
        chiave = (snap.versione, giorno)
        with self._lock:
            if chiave in self._cache_al:
                return self._cache_al[chiave]
        punti_al, orari_al = stato_al(self.eventi(), fine_giorno(giorno))
        ordine = {i: n for n, i in enumerate(snap.punti["id"])}
        ids = sorted(punti_al, key=lambda i: (ordine.get(i, len(ordine)), i))
        punti_rec = [punti_al[i] for i in ids]
        fasce_rec = [{**f, "id_punto": i} for i in ids for f in orari_al.get(i, [])]
        if punti_rec:
            reg = registro.valida_record(punti_rec, fasce_rec, snap.quartieri)
            frame_p, frame_s = reg.punti, reg.sportelli
        else:
            frame_p, frame_s = registro.frame_punti_vuoto(), registro.frame_sportelli_vuoto()
        al = dataclasses.replace(snap, punti=frame_p, sportelli=frame_s, versione=f"{snap.versione}@{giorno.isoformat()}",
                                 caricato_il=min(snap.caricato_il, fine_giorno(giorno)), avvisi=())
        with self._lock:
            if len(self._cache_al) > 64:
                self._cache_al.clear()
            self._cache_al[chiave] = al
        return al

    def punti_nel_tempo(self, oggi: dt.date | None = None) -> pd.DataFrame:
        """Points over time: the register's counts after each change and the documented counts
        of data/conteggi_punti.csv with their sources (see storico.punti_nel_tempo)."""
        oggi = oggi or dt.datetime.now(FUSO).date()
        reg = conteggi_nel_tempo(self.eventi(), fino_al=oggi)
        path = self.data_dir / "conteggi_punti.csv"
        if path.exists():
            doc, _ = carica_conteggi(path)
        else:
            doc = pd.DataFrame(columns=["data", "attivi", "in_apertura", "fonte", "nota"])
        return punti_nel_tempo(reg, doc)

    def modifiche(self, id_punto: str | None = None, limite: int = 500) -> pd.DataFrame:
        """The history, newest first: quando, chi, punto, oggetto, azione, modifiche, nota, revisione."""
        self.prepara()
        q = (sa.select(storico.c.quando, storico.c.chi, storico.c.id_punto.label("punto"), storico.c.oggetto,
                       storico.c.azione, storico.c.modifiche, storico.c.nota, storico.c.revisione)
             .order_by(storico.c.revisione.desc(), storico.c.quando.desc(), storico.c.id.desc()).limit(limite))
        if id_punto:
            q = q.where(storico.c.id_punto == id_punto)
        with self.engine.connect() as conn:
            righe = conn.execute(q).mappings().all()
        return pd.DataFrame([dict(r) for r in righe],
                            columns=["quando", "chi", "punto", "oggetto", "azione", "modifiche", "nota", "revisione"])

    # -- writing --

    @contextmanager
    def _scrittura(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_LOCK})
                yield conn

    def _quartieri(self) -> gpd.GeoDataFrame:
        snap, errori = self.get()
        if snap is None:
            raise DatiNonValidi(errori or [Problema("database", "nessun dato da modificare")])
        return snap.quartieri

    def salva_punto(self, id_punto: str | None, punto: Record, orario: Sequence[Record], versione_attesa: int | None,
                    chi: str) -> Esito:
        """Save one point and its schedule as edited on the admin page.

        `id_punto` None (and `versione_attesa` None) creates a point with id `punto['id']`.
        Otherwise the point must still be at `versione_attesa`, the version the official started
        from: if someone saved it in between, Conflitto is raised and nothing is written. The
        whole register is checked as files (DatiNonValidi with the form's problems). The id of an
        existing point cannot change.
        """
        quartieri = self._quartieri()
        nuovo_id = (punto.get("id") or "").strip() if id_punto is None else id_punto
        punto = {**{c: punto.get(c) for c in COLONNE_PUNTI}, "id": nuovo_id}
        with self._scrittura() as conn:
            prima_p, prima_f, info = _leggi_registro(conn)
            if id_punto is None:
                if nuovo_id in info:
                    raise DatiNonValidi([Problema(f"punto «{nuovo_id}»", "esiste già un punto con questo id: sceglierne un altro", colonna="id")])
            elif id_punto not in info:
                ultimo = _ultima_modifica(conn, id_punto)
                raise Conflitto(f"il punto «{id_punto}» non è più nel registro" + _da_chi(*ultimo), None, *ultimo)
            elif info[id_punto]["versione"] != versione_attesa:
                ultimo = _ultima_modifica(conn, id_punto)
                attuale = next(r for r in prima_p if r["id"] == id_punto)
                raise Conflitto(
                    f"il punto «{id_punto}» è stato modificato da un'altra persona mentre lo stavi modificando"
                    f"{_da_chi(*ultimo)}: le tue modifiche non sono state salvate. Ricarica il punto e ripeti le modifiche.",
                    attuale, *ultimo)
            reg = registro.valida_modifica(prima_p, prima_f, nuovo_id, punto, list(orario), quartieri)
            descr = f"{'Nuovo punto' if id_punto is None else 'Modifica del punto'} «{nuovo_id}» dalla pagina Gestione"
            return _scrivi(conn, reg, prima_p, prima_f, info, chi, descr, _adesso(), solo={nuovo_id})

    def anteprima_import(self, nome: str, contenuto: bytes, nome_sportelli: str | None = None,
                         contenuto_sportelli: bytes | None = None) -> Anteprima:
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
        prima = {r["id"]: r for r in prima_p}
        dopo = {r["id"]: r for r in reg.punti_rec}
        orari_a, orari_b = _orari_per_punto(prima_f), _orari_per_punto(reg.fasce_rec)
        modificati = {i: registro.descrivi_differenze(registro.differenze(prima[i], r, COLONNE_PUNTI))
                      for i, r in dopo.items() if i in prima and prima[i] != r}
        orari = {i: f"{registro.orario_testo(orari_a.get(i, []))} → {registro.orario_testo(orari_b.get(i, []))}"
                 for i in dopo if orari_a.get(i, []) != orari_b.get(i, [])}
        return Anteprima(
            file=nome, problemi=(), avvisi=reg.avvisi,
            nuovi=tuple(i for i in dopo if i not in prima), modificati=modificati,
            rimossi=tuple(i for i in prima if i not in dopo), orari=orari,
            versione_base=versione, registro=reg, sportelli_nel_file=file_s is not None,
        )

    def applica_import(self, anteprima: Anteprima, chi: str) -> Esito:
        """Write a checked import, all or nothing. Refused (Conflitto) if the register changed
        after the preview: the official must look at a new preview."""
        if not anteprima.valida or anteprima.registro is None:
            raise DatiNonValidi(anteprima.problemi or [Problema(anteprima.file, "importazione non valida")])
        with self._scrittura() as conn:
            if _versione_dati(conn) != anteprima.versione_base:
                raise Conflitto("il registro è stato modificato dopo l'anteprima: nulla è stato importato. "
                                "Ricaricare il file per vedere una nuova anteprima.")
            prima_p, prima_f, info = _leggi_registro(conn)
            return _scrivi(conn, anteprima.registro, prima_p, prima_f, info, chi,
                           f"Importazione del registro dal file «{anteprima.file}»", _adesso())


def _ultima_modifica(conn: Connection, id_punto: str) -> tuple[str | None, dt.datetime | None]:
    r = conn.execute(sa.select(storico.c.chi, storico.c.quando).where(storico.c.id_punto == id_punto)
                     .order_by(storico.c.revisione.desc(), storico.c.id.desc()).limit(1)).first()
    return (r.chi, r.quando) if r else (None, None)


def _da_chi(chi: str | None, quando: dt.datetime | None) -> str:
    if not chi or not quando:
        return ""
    return f" (ultima modifica di {chi} alle {quando.astimezone(FUSO).strftime('%H:%M:%S del %d/%m/%Y')})"


def _problema_db(exc: SQLAlchemyError) -> Problema:
    dettaglio = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
    return Problema("database", f"database non raggiungibile o non valido ({type(exc).__name__}: {dettaglio}): "
                                "continuo a mostrare gli ultimi dati letti")


def _firma(directory: Path) -> tuple:
    out = []
    for nome in FILE_STATICI:
        try:
            s = (directory / nome).stat()
            out.append((nome, s.st_size, s.st_mtime_ns))
        except FileNotFoundError:
            out.append((nome, None, None))
    return tuple(out)


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
