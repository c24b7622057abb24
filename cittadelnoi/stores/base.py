"""What every data store offers the pages: a `Snapshot` of validated data and the `Archivio` interface.

Two stores implement `Archivio`: `stores.file.DataStore` (the read-only files of data/) and
`stores.db.DbStore` (the register in a database, with edits and history). The pages ask the
interface, never the concrete class, what the store can do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd

from cittadelnoi.core.errors import Problema
from cittadelnoi.loaders.popolazione import frame_vuoto as popolazione_vuota
from cittadelnoi.loaders.rendiconti import frame_vuoto as rendiconti_vuoti
from cittadelnoi.metrics.registro import Completezza, completezza
from cittadelnoi.metrics.stato import stato_quartieri


@dataclass(frozen=True)
class Snapshot:
    """One consistent, fully validated set of data, as every page reads it.

    - `quartieri`: GeoDataFrame, one row per quartiere (33 in Brescia), EPSG:4326, columns
      codice_istat (str, ISTAT sub-municipal code), numero (int), nome, zona, area_km2 (km², computed
      in UTM 32N), fonte, geometry (Polygon/MultiPolygon). Source: Comune di Brescia, confini dei quartieri.
    - `punti`: DataFrame, one row per community point of the register (see loaders.punti.COLONNE),
      lat/lon in degrees WGS84, stato "attivo" | "in_apertura", conferma_fino (the last day the
      last confirmation stands for, or None), aggiornato_referente (datetime.date, Europe/Rome, of
      the latest change by the point's referente, from the database's history; always None in
      the file store: no file can set it).
    - `sportelli`: DataFrame, one row per weekly desk slot (loaders.sportelli.COLONNE), times HH:MM
      local (Europe/Rome).
    - `finanziamenti`: DataFrame of the known figures (loaders.finanziamenti.COLONNE), each with its fonte.
    - `versione`: hash of the data; changes exactly when the data do (a cache key).
    - `caricato_il`: aware datetime (UTC) of the load.
    - `popolazione`: residents per quartiere and year (loaders.popolazione), possibly partial.
    - `segnato_completo`: officials marked the register complete (Gestione page).
    - `rendiconti`: the points' monthly reports (loaders.rendiconti: one row per point and month,
      hours, counts, fonte, stato), empty when none.
    - `valore_orario`: (euro per volunteer hour, its source) as an amministratore set it on the
      Gestione page; None until set (the volunteers' value is then "non stimato").
    """

    quartieri: gpd.GeoDataFrame
    punti: pd.DataFrame
    sportelli: pd.DataFrame
    finanziamenti: pd.DataFrame
    versione: str  # hash of the files' bytes: a cache key that changes exactly when the data does
    caricato_il: dt.datetime
    avvisi: tuple[Problema, ...] = ()
    da_copia: bool = False  # served from the last-good copy because data/ is broken
    popolazione: pd.DataFrame = field(default_factory=popolazione_vuota)
    segnato_completo: bool = False
    al: dt.date | None = None  # a past day ("Stato al"): None for the live data
    rendiconti: pd.DataFrame = field(default_factory=rendiconti_vuoti)
    valore_orario: tuple[float, str] | None = None

    @cached_property
    def completezza(self) -> Completezza:
        """Against the latest count published by then: on a past day, the count of that time."""
        return completezza(self.punti, self.finanziamenti, self.segnato_completo, self.al)

    @cached_property
    def stati(self) -> gpd.GeoDataFrame:
        return stato_quartieri(self.quartieri, self.punti, self.completezza.completo, self.popolazione)


def con_aggiornati_referente(punti: pd.DataFrame, aggiornati: dict[str, dt.date]) -> pd.DataFrame:
    """`punti` with the column `aggiornato_referente`: point id -> day of its referente's latest
    change in `aggiornati`, None for the others (object column of datetime.date or None)."""
    valori = pd.Series([aggiornati.get(i) for i in punti["id"]], index=punti.index, dtype=object)
    return punti.assign(aggiornato_referente=valori)


class Archivio:
    """The interface of a data store. Subclasses implement `get` and `versione_dati`; a store that
    keeps a history (the database) sets `ha_storico = True` and overrides the history methods,
    which otherwise answer "no history" (None)."""

    ha_storico: bool = False
    modificabile: bool = False

    def get(self) -> tuple[Snapshot | None, list[Problema]]:
        """(the last good snapshot or None when there never was one, the current load problems)."""
        raise NotImplementedError

    def versione_dati(self) -> tuple:
        """A token that changes when the data change."""
        snap, _ = self.get()
        return (snap.versione if snap is not None else None,)

    def database_raggiungibile(self) -> bool | None:
        """True/False when the store lives in a database and it answers/does not; None without one."""
        return None

    def sola_lettura(self) -> bool:
        """True when the store's database can be read but not written (served as it is)."""
        return False

    def snapshot_al(self, giorno: dt.date, *, confronto: bool = False) -> Snapshot | None:
        """The data as they were at the end of `giorno` (Europe/Rome); with `confronto`, the data a
        change figure compares (undated facts never new); None without history."""
        return None

    def punti_senza_data(self) -> frozenset[str]:
        """Ids of the points whose opening date is not documented; empty without history."""
        return frozenset()

    def punti_nel_tempo(self, oggi: dt.date | None = None) -> pd.DataFrame | None:
        """Points per status per day with the documented counts; None without history."""
        return None

    def primo_giorno(self) -> dt.date | None:
        """The first day of the history; None without history."""
        return None
