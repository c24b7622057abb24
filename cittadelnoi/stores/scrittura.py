"""Reading and writing the register in the database: all-or-nothing writes under one revision,
the append-only history, version conflicts, the first fill from data/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cittadelnoi.core.errors import Problema
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.core.tempo import FUSO
from cittadelnoi.loaders import differenze, registro
from cittadelnoi.loaders.punti import data_storia
from cittadelnoi.loaders.registro import COLONNE_FASCE, COLONNE_ORARIO, COLONNE_PUNTI, Registro
from cittadelnoi.loaders.storico import (
    Record,
    inizio_giorno,
)
from cittadelnoi.stores.engine import CANALE_DATI
from cittadelnoi.stores.schema import (
    _COLONNE_PUNTO_DB,
    impostazioni,
    punti,
    revisioni,
    sportelli,
    storico,
)


class Conflitto(Exception):
    """The data changed since the official loaded it: nothing was written."""

    def __init__(
        self, messaggio: str, attuale: Record | None = None, chi: str | None = None, quando: dt.datetime | None = None
    ):
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
    orari: dict[str, str] = field(
        default_factory=dict
    )  # id -> what changes in the schedule (differenze.descrivi_orari)
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


def leggi_registro(conn: Connection) -> tuple[list[Record], list[Record], dict[str, dict]]:
    """(point records in register order, slot records in order, point id -> {versione, ordine, revisione})."""
    righe_p = conn.execute(sa.select(punti).order_by(punti.c.ordine, punti.c.id)).mappings().all()
    righe_s = (
        conn.execute(sa.select(sportelli).order_by(sportelli.c.id_punto, sportelli.c.ordine, sportelli.c.id))
        .mappings()
        .all()
    )
    ordine = {r["id"]: i for i, r in enumerate(righe_p)}
    punti_rec = [registro.record(dict(r), COLONNE_PUNTI) for r in righe_p]
    fasce = sorted(righe_s, key=lambda r: (ordine.get(r["id_punto"], 1 << 30), r["ordine"]))
    fasce_rec = [registro.record(dict(r), COLONNE_FASCE) for r in fasce]
    info = {r["id"]: {"versione": r["versione"], "ordine": r["ordine"], "revisione": r["revisione"]} for r in righe_p}
    return punti_rec, fasce_rec, info


REGISTRO_COMPLETO = "registro_completo"


def adesso_utc() -> dt.datetime:
    """The current instant, aware, in UTC (what the database stores)."""
    return dt.datetime.now(dt.UTC)


NOTA_APERTURA_IGNOTA = "data di apertura non documentata: presente dalla creazione del database"


def impostazione(conn: Connection, chiave: str) -> str | None:
    return conn.execute(sa.select(impostazioni.c.valore).where(impostazioni.c.chiave == chiave)).scalar_one_or_none()


def versione_dati(conn: Connection) -> tuple:
    riga = conn.execute(sa.select(sa.func.count(), sa.func.max(revisioni.c.id)).select_from(revisioni)).one()
    return (int(riga[0]), riga[1])


def orari_per_punto(fasce_rec: Sequence[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for f in fasce_rec:
        out.setdefault(f["id_punto"] or "", []).append({c: f.get(c) for c in COLONNE_ORARIO})
    return out


# --- writing ------------------------------------------------------------------------------------


def nuova_revisione(conn: Connection, autore: Autore | str, descrizione: str, quando: dt.datetime) -> int:
    """A new revision by `autore` (its display name, account and role); a string: the installation
    itself (the first fill), with no account."""
    valori: dict[str, str | None]
    if isinstance(autore, Autore):
        valori = {"chi": autore.utente, "utente": autore.utente, "ruolo": str(autore.ruolo)}
    else:
        valori = {"chi": autore, "utente": None, "ruolo": None}
    res = conn.execute(revisioni.insert().values(quando=quando, descrizione=descrizione, **valori))
    chiave = res.inserted_primary_key
    if chiave is None:
        raise RuntimeError("il database non ha restituito il numero della nuova revisione")
    rev = int(chiave[0])
    if conn.dialect.name == "postgresql":
        # Delivered at commit to every replica's watcher (stores.sorvegliante), never before.
        conn.execute(sa.text("SELECT pg_notify(:canale, :rev)"), {"canale": CANALE_DATI, "rev": str(rev)})
    return rev


def _riga_storico(
    rev: int,
    ora: dt.datetime,
    chi: str,
    oggetto: str,
    id_punto: str,
    azione: str,
    prima,
    dopo,
    testo: str,
    *,
    gia_nel_registro: bool = False,
    punto_nuovo: bool = False,
) -> dict:
    """One history row of an edit or import. A new point takes effect on its documented date
    (opening, else first attestation) when that is earlier; with neither, the row says that the
    date is unknown (`data_ignota`), so no change figure counts the point as new. The desk hours
    given with a new point have no documented start: undated too (never "+N ore" of a new entry)."""
    quando, ignota, nota = ora, False, None
    if oggetto == "orario" and azione == "crea" and punto_nuovo:
        ignota, nota = True, "orari precedenti non documentati"
    if oggetto == "punto" and azione == "crea" and isinstance(dopo, dict) and not gia_nel_registro:
        dal = data_storia(dopo.get("apertura"), dopo.get("prima_attestazione"))
        if dal is None:
            ignota, nota = True, "data di apertura non documentata: presente dal giorno dell'inserimento"
        elif inizio_giorno(dal) < ora:
            quando, nota = (
                inizio_giorno(dal),
                f"in vigore dal {dal:%d/%m/%Y} (data documentata), inserito il {ora:%d/%m/%Y}",
            )
    row = {"revisione": rev, "quando": quando, "chi": chi, "oggetto": oggetto, "id_punto": id_punto}
    return row | {
        "azione": azione,
        "prima": prima,
        "dopo": dopo,
        "modifiche": testo,
        "nota": nota,
        "data_ignota": ignota,
    }


def riga_punto(frame_row: dict, ordine: int, versione: int, rev: int) -> dict:
    out = {c: _valore(frame_row.get(c)) for c in _COLONNE_PUNTO_DB}
    out["dimostrativo"] = bool(frame_row.get("dimostrativo"))
    out["quartiere_da_verificare"] = bool(frame_row.get("quartiere_da_verificare"))
    out["lat"] = float(frame_row["lat"])
    out["lon"] = float(frame_row["lon"])
    return {**out, "ordine": ordine, "versione": versione, "revisione": rev}


def fasce_per_punto(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """The `sportelli` rows of every point's desk slots in `frame`, by point id, each in its order
    (one pass over the frame: a register of thousands of points is written in one statement)."""
    out: dict[str, list[dict]] = {}
    for r in frame.to_dict("records"):
        vol = _valore(r.get("volontari"))
        proprie = out.setdefault(r["id_punto"], [])
        proprie.append(
            {
                "id_punto": r["id_punto"],
                "ordine": len(proprie),
                "giorno": r["giorno"],
                "inizio": r["inizio"],
                "fine": r["fine"],
                "volontari": None if vol is None else int(vol),
                "fonte": r["fonte"],
                "dimostrativo": bool(r["dimostrativo"]),
            }
        )
    return out


def _riscrivi_fasce(conn: Connection, ids: list[str], fasce: pd.DataFrame) -> None:
    """Replace the desk slots of the points `ids` with theirs in `fasce`, in a few statements."""
    for inizio in range(0, len(ids), 500):  # bounded IN lists
        conn.execute(sportelli.delete().where(sportelli.c.id_punto.in_(ids[inizio : inizio + 500])))
    per_punto = fasce_per_punto(fasce[fasce["id_punto"].isin(ids)])
    righe = [r for i in ids for r in per_punto.get(i, [])]
    if righe:
        conn.execute(sportelli.insert(), righe)


#: One change to record: (oggetto, id, azione, prima, dopo, testo).
Cambio = tuple[str, str, str, object, object, str]


def _cambi(
    ids: list[str],
    prima_map: dict[str, Record],
    dopo_p: dict[str, Record],
    orari_prima: dict[str, list],
    orari_dopo: dict[str, list],
) -> list[Cambio]:
    """The changes of the points `ids` and of their desk slots, in that order, each with its description."""
    cambi: list[Cambio] = []
    for i in ids:
        a, b = prima_map.get(i), dopo_p.get(i)
        if a != b:
            if a is None and b is not None:
                testo = f"nuovo punto «{b['nome']}» ({b['stato']})"
                cambi.append(("punto", i, "crea", None, b, testo))
            elif a is not None and b is None:
                cambi.append(("punto", i, "elimina", a, None, f"punto «{a['nome']}» rimosso dal registro"))
            else:
                testo = differenze.descrivi_differenze(differenze.differenze(a, b, COLONNE_PUNTI))
                cambi.append(("punto", i, "modifica", a, b, testo))
        oa, ob = orari_prima.get(i, []), (orari_dopo.get(i, []) if b is not None else [])
        if oa != ob:
            azione = "crea" if not oa else ("elimina" if not ob else "modifica")
            cambi.append(
                (
                    "orario",
                    i,
                    azione,
                    oa or None,
                    ob or None,
                    f"orario: {differenze.descrivi_orari(oa, ob)}",  # also volontari, fonte… (as in the preview)
                )
            )
    return cambi


def scrivi(
    conn: Connection,
    reg: Registro,
    prima_p: list[Record],
    prima_f: list[Record],
    info: dict[str, dict],
    autore: Autore,
    descrizione: str,
    ora: dt.datetime,
    solo: set[str] | None = None,
) -> Esito:
    """Make the database hold `reg` (for the points in `solo`, or all), recording every change in
    `storico` under one new revision. Nothing is written when nothing changed."""
    dopo_p = registro.per_id(reg.punti_rec)
    prima_map = registro.per_id(prima_p)
    orari_prima = orari_per_punto(prima_f)
    orari_dopo = orari_per_punto(reg.fasce_rec)
    frame_p = reg.punti.set_index("id", drop=False)
    ids = list(dict.fromkeys([*prima_map, *dopo_p]))
    if solo is not None:
        ids = [i for i in ids if i in solo]

    cambi = _cambi(ids, prima_map, dopo_p, orari_prima, orari_dopo)
    if not cambi:
        return Esito(None, ())

    rev = nuova_revisione(conn, autore, descrizione, ora)
    chi = autore.utente
    toccati = list(dict.fromkeys(c[1] for c in cambi))
    prossimo_ordine = max((v["ordine"] for v in info.values()), default=-1) + 1
    ordine_import = {i: n for n, i in enumerate(registro.per_id(reg.punti_rec))} if solo is None else {}
    versioni: dict[str, int] = {}
    nuovi: list[dict] = []
    orari_cambiati: list[str] = []
    for i in toccati:
        a, b = prima_map.get(i), dopo_p.get(i)
        if b is None:
            conn.execute(sportelli.delete().where(sportelli.c.id_punto == i))
            conn.execute(punti.delete().where(punti.c.id == i))
            continue
        if a is None:
            ordine = ordine_import.get(i, prossimo_ordine)
            prossimo_ordine += 1
            nuovi.append(riga_punto(frame_p.loc[i].to_dict(), ordine, 1, rev))
            versioni[i] = 1
        else:
            versione = info[i]["versione"] + 1
            ordine = ordine_import.get(i, info[i]["ordine"])
            valori = riga_punto(frame_p.loc[i].to_dict(), ordine, versione, rev)
            valori.pop("id")
            res = conn.execute(
                punti.update().where(punti.c.id == i, punti.c.versione == info[i]["versione"]).values(**valori)
            )
            if res.rowcount != 1:
                raise Conflitto(f"il punto «{i}» è stato modificato nel frattempo: nulla è stato salvato")
            versioni[i] = versione
        if orari_prima.get(i, []) != orari_dopo.get(i, []):
            orari_cambiati.append(i)
    if nuovi:  # one statement for all the new points (an import of thousands)
        conn.execute(punti.insert(), nuovi)
    _riscrivi_fasce(conn, orari_cambiati, reg.sportelli)
    if solo is None:  # an import may only reorder the register: keep the file's order
        for i, n in ordine_import.items():
            if i not in toccati and info.get(i, {}).get("ordine") != n:
                conn.execute(punti.update().where(punti.c.id == i).values(ordine=n))
    creati = [c[1] for c in cambi if c[0] == "punto" and c[2] == "crea"]
    # A point that was in the register before (removed, then imported or restored again) is dated today.
    con_storia = set(
        conn.execute(sa.select(storico.c.id_punto).where(storico.c.id_punto.in_(creati)).distinct()).scalars()
        if creati
        else ()
    )
    conn.execute(
        storico.insert(),
        [
            _riga_storico(rev, ora, chi, *c, gia_nel_registro=c[1] in con_storia, punto_nuovo=c[1] in creati)
            for c in cambi
        ],
    )
    return Esito(rev, tuple(f"{i}: {t}" for _, i, _, _, _, t in cambi), versioni)


def ultima_modifica(conn: Connection, id_punto: str) -> tuple[str | None, dt.datetime | None]:
    r = conn.execute(
        sa.select(storico.c.chi, storico.c.quando)
        .where(storico.c.id_punto == id_punto)
        .order_by(storico.c.revisione.desc(), storico.c.id.desc())
        .limit(1)
    ).first()
    return (r.chi, r.quando) if r else (None, None)


def da_chi(chi: str | None, quando: dt.datetime | None) -> str:
    if not chi or not quando:
        return ""
    return f" (ultima modifica di {chi} alle {quando.astimezone(FUSO).strftime('%H:%M:%S del %d/%m/%Y')})"
