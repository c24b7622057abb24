"""Weekly desk hours of the points (the hours page): per point, per zona, per hour of the week.

Computed from the checked slots of `loaders.sportelli` (frame columns id_punto, giorno, inizio,
fine, volontari, fonte, dimostrativo, inizio_min, fine_min, ore). A point with no slot has *no
documented schedule*: it is reported as "non documentato", never as 0 hours and never as below
the minimum. Hours are counted per slot, so a point open 15:30-17:30 has 2 hours whatever the
number of volunteers.

The text the page shows goes through `_()` and weekday names come from Babel in the run's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cittadelnoi.core import fmt, i18n
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.core.tempo import GIORNI, giorni
from cittadelnoi.loaders.quartieri import ZONE
from cittadelnoi.metrics.aperture import fasce_minuti

# Values of the `orario` column of ore_settimanali; translate with `_()` where shown.
ORARIO_DOCUMENTATO = N_("documentato")
ORARIO_DIMOSTRATIVO = N_("dimostrativo")
ORARIO_NON_DOCUMENTATO = N_("non documentato")
# Points made up for the demo carry this suffix in their name (punti.csv).
SUFFISSO_DIMOSTRATIVO = " (dimostrativo)"


def nome_punto(nome: str) -> str:
    """A point's name as written in punti.csv, with only the demo marker translated."""
    if nome.endswith(SUFFISSO_DIMOSTRATIVO):
        return nome.removesuffix(SUFFISSO_DIMOSTRATIVO) + " ({})".format(_("dimostrativo"))
    return nome


def durate(sportelli: pd.DataFrame) -> pd.Series:
    """Each slot's length in hours (float, same index as `sportelli`): 15:30-17:30 -> 2.0."""
    return (sportelli["fine_min"] - sportelli["inizio_min"]).astype(float) / 60


def filtra(punti: pd.DataFrame, sportelli: pd.DataFrame, codici: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points in the quartieri `codici` and their slots."""
    punti_f = punti[punti["codice_istat"].isin(codici)]
    return punti_f, sportelli[sportelli["id_punto"].isin(set(punti_f["id"]))]


def ore_settimanali(sportelli: pd.DataFrame, punti: pd.DataFrame, minimo: float) -> pd.DataFrame:
    """One row per active point (and any other point that has slots).

    Columns: id, nome, codice_istat, stato, fasce, ore (NaN when not documented), orario
    ('documentato' / 'dimostrativo' / 'non documentato'), sotto_minimo (boolean, <NA> when not
    documented), ore_volontario (sum of hours x volunteers; <NA> unless every slot has volunteers).
    """
    ore_fascia = durate(sportelli)
    per_fascia = sportelli.assign(ore=ore_fascia, ore_vol=ore_fascia * sportelli["volontari"].astype("Float64"))
    gruppi = per_fascia.groupby("id_punto")
    agg = pd.DataFrame(
        {
            "fasce": gruppi.size(),
            "ore": gruppi["ore"].sum(),
            "dimostrativo_orario": gruppi["dimostrativo"].any(),
            "ore_volontario": gruppi["ore_vol"].sum(min_count=1).astype("Float64"),
            "volontari_mancanti": per_fascia["volontari"].isna().groupby(per_fascia["id_punto"]).any(),
        }
    )
    agg.loc[agg["volontari_mancanti"], "ore_volontario"] = pd.NA

    scelti = punti[(punti["stato"] == "attivo") | punti["id"].isin(agg.index)]
    out = scelti[["id", "nome", "codice_istat", "stato"]].merge(agg, left_on="id", right_index=True, how="left")
    documentato = out["fasce"].notna()
    out["fasce"] = out["fasce"].fillna(0).astype(int)
    out["ore"] = out["ore"].astype(float)
    out["orario"] = ORARIO_NON_DOCUMENTATO
    out.loc[documentato, "orario"] = ORARIO_DOCUMENTATO
    out.loc[documentato & out["dimostrativo_orario"].fillna(False).astype(bool), "orario"] = ORARIO_DIMOSTRATIVO
    out["sotto_minimo"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out.loc[documentato, "sotto_minimo"] = out.loc[documentato, "ore"] < minimo
    out["ore_volontario"] = out["ore_volontario"].astype("Float64")
    return out.drop(columns=["dimostrativo_orario", "volontari_mancanti"]).sort_values("nome").reset_index(drop=True)


def matrice_oraria(sportelli: pd.DataFrame) -> pd.DataFrame:
    """7 x 24 frame (index lun..dom, columns 0..23): for each hour, the sum over slots of the
    fraction of that hour they cover. 2.5 means e.g. two points open all hour and one for half."""
    valori = np.zeros((len(GIORNI), 24))
    if not sportelli.empty:
        giorno = sportelli["giorno"].map(GIORNI.index).to_numpy(dtype=int)
        inizio = sportelli["inizio_min"].to_numpy(dtype=float)
        fine = sportelli["fine_min"].to_numpy(dtype=float)
        for ora in range(24):
            coperto = np.minimum(fine, (ora + 1) * 60) - np.maximum(inizio, ora * 60)
            # Slot by slot, in file order (np.add.at does not buffer): the same sums as a loop.
            np.add.at(valori[:, ora], giorno[coperto > 0], coperto[coperto > 0] / 60)
    return pd.DataFrame(valori, index=pd.Index(GIORNI, name="giorno"), columns=pd.RangeIndex(24, name="ora"))


def totali_per_zona(
    sportelli: pd.DataFrame,
    punti: pd.DataFrame,
    quartieri: pd.DataFrame,
    minimo: float,
    ore: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per zona of `quartieri` (a zona without points gets zeros).

    Columns: zona, ore (documented + demo), ore_documentate, ore_dimostrative, punti_con_orario,
    punti_non_documentati, punti_sotto_minimo. Points join quartieri on codice_istat. `ore`: the
    same points' ore_settimanali(sportelli, punti, minimo) when the caller has it already.
    """
    if ore is None:
        ore = ore_settimanali(sportelli, punti, minimo)
    per_punto = ore.merge(quartieri[["codice_istat", "zona"]], on="codice_istat", how="inner")
    ore_note = per_punto["ore"].fillna(0.0)
    per_punto = per_punto.assign(
        ore=ore_note,
        ore_documentate=ore_note.where(per_punto["orario"] == ORARIO_DOCUMENTATO, 0.0),
        ore_dimostrative=ore_note.where(per_punto["orario"] == ORARIO_DIMOSTRATIVO, 0.0),
        punti_con_orario=(per_punto["orario"] != ORARIO_NON_DOCUMENTATO).astype(int),
        punti_non_documentati=(per_punto["orario"] == ORARIO_NON_DOCUMENTATO).astype(int),
        punti_sotto_minimo=per_punto["sotto_minimo"].fillna(False).astype(int),
    )
    colonne = [
        "ore",
        "ore_documentate",
        "ore_dimostrative",
        "punti_con_orario",
        "punti_non_documentati",
        "punti_sotto_minimo",
    ]
    presenti = list(dict.fromkeys(quartieri["zona"]))
    zone = [z for z in ZONE if z in presenti] + [z for z in presenti if z not in ZONE]
    tot = per_punto.groupby("zona")[colonne].sum().reindex(zone, fill_value=0)
    for col in colonne[3:]:
        tot[col] = tot[col].astype(int)
    return tot.rename_axis("zona").reset_index()


def fasce_testo(sportelli: pd.DataFrame) -> dict[str, str]:
    """id_punto -> 'mer 15:30-17:30; ven 09:30-11:30' (en 'Wed 15:30-17:30; …'), in weekday and time order."""
    ordinato = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    nomi = giorni()
    testi: dict[str, list[str]] = {}
    for id_punto, g, inizio, fine in zip(
        ordinato["id_punto"].tolist(),
        ordinato["_g"].tolist(),
        ordinato["inizio"].tolist(),
        ordinato["fine"].tolist(),
        strict=False,
    ):
        testi.setdefault(id_punto, []).append(f"{nomi[g]} {inizio}-{fine}")
    return {k: "; ".join(v) for k, v in testi.items()}


def fonti_per_punto(sportelli: pd.DataFrame) -> dict[str, str]:
    """id_punto -> the distinct sources of its slots, in file order, joined by '; '."""
    fonti: dict[str, dict[str, None]] = {}
    for pid, fonte in zip(sportelli["id_punto"].tolist(), sportelli["fonte"].tolist(), strict=True):
        fonti.setdefault(pid, {})[fonte] = None
    return {pid: "; ".join(f) for pid, f in fonti.items()}


@dataclass(frozen=True)
class PerPunto:
    """What the hours page reads of each point's slots, for a whole city at once (built once per
    data version and language: `cittadelnoi.ui.sportelli_per_punto`); a selection looks its
    points up. Keys are point ids."""

    fasce: dict[str, str]  # fasce_testo: 'mer 15:30-17:30; ven 09:30-11:30', in the run's language
    fonti: dict[str, str]  # fonti_per_punto
    minuti: dict[str, list[list[int]]]  # fasce_minuti: [[weekday, start minute, end minute], ...]


def per_punto(sportelli: pd.DataFrame) -> PerPunto:
    return PerPunto(fasce_testo(sportelli), fonti_per_punto(sportelli), fasce_minuti(sportelli))


def tabella_punti(
    ore: pd.DataFrame,
    sportelli: pd.DataFrame,
    quartieri: pd.DataFrame,
    aperti: list[str],
    minimo: float,
    prossime: dict[str, str] | None = None,
    gia_pronti: PerPunto | None = None,
    conferme: dict[str, str] | None = None,
    aggiornati: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The page's table: one row per point of `ore` (ore_settimanali), headers and numbers
    in the run's language; unknown values say so in words. Names, zone and sources stay as written.
    `gia_pronti`: per_punto() of these slots or of a wider set (the whole city), when the caller has it.
    `conferme`: point id -> its last confirmation as shown (metrics.registro.testo_conferma), a
    column «Ultima conferma» before the source; `aggiornati`: point id -> «aggiornato dal referente
    il …», added to the source of that point's row."""
    fasce = gia_pronti.fasce if gia_pronti is not None else fasce_testo(sportelli)
    fonti = gia_pronti.fonti if gia_pronti is not None else fonti_per_punto(sportelli)
    # Plain dicts and sets, looked up once per row (a column of a GeoDataFrame per row cost seconds
    # at 5,000 points, and a list of the open points a scan per row).
    q = quartieri.set_index("codice_istat")
    nomi_q, zone_q = q["nome"].to_dict(), q["zona"].to_dict()
    aperti_ora = set(aperti)
    prossime = prossime or {}
    parole_orario = {
        ORARIO_DOCUMENTATO: _("documentati"),
        ORARIO_DIMOSTRATIVO: _("dimostrativi"),
        ORARIO_NON_DOCUMENTATO: _("non documentati"),
    }
    # Words and the locale once, not once per row (a table of the whole synthetic city has 4,500 rows).
    loc = i18n.locale()
    sotto_il_minimo = _("sotto il minimo ({ore} h)").format(ore=fmt.ore(minimo, loc))
    non_valutabile, raggiunto, si, no = _("non valutabile"), _("raggiunto"), _("sì"), _("no")
    ore_ignote, ore_vol_ignote = _("orari non documentati"), _("non documentate")
    ordinate = ore.sort_values(["ore", "nome"], ascending=[False, True], na_position="last")
    righe = []
    # Lists, not Series: iterating a column of Arrow strings costs about 2 µs per value.
    for pid, nome, codice, orario, ore_punto, sotto, ore_vol in zip(
        ordinate["id"].tolist(),
        ordinate["nome"].tolist(),
        ordinate["codice_istat"].tolist(),
        ordinate["orario"].tolist(),
        ordinate["ore"].tolist(),
        ordinate["sotto_minimo"].tolist(),
        ordinate["ore_volontario"].tolist(),
        strict=True,
    ):
        documentato = orario != ORARIO_NON_DOCUMENTATO
        if not documentato:
            verifica = non_valutabile
        elif sotto:
            verifica = sotto_il_minimo
        else:
            verifica = raggiunto
        righe.append(
            [
                nome_punto(nome),
                parole_orario[orario],
                nomi_q.get(codice, codice),
                zone_q.get(codice, ""),
                fmt.ore(ore_punto, loc) if documentato else ore_ignote,
                verifica,
                (si if pid in aperti_ora else no) if documentato else "—",
                prossime.get(pid, "—"),
                fasce.get(pid, "—"),
                fmt.ore(ore_vol, loc) if pd.notna(ore_vol) else ore_vol_ignote,
                *([conferme.get(pid, "—")] if conferme is not None else []),
                "; ".join(f for f in (fonti.get(pid), (aggiornati or {}).get(pid)) if f) or "—",
            ]
        )
    # "Dati" right after the name: whether a row is demo must be visible without scrolling sideways.
    return pd.DataFrame(
        righe,
        columns=[
            _("Punto"),
            _("Dati"),
            _("Quartiere"),
            _("Zona"),
            _("Ore a settimana"),
            _("Minimo settimanale"),
            _("Aperto adesso"),
            _("Prossima apertura"),
            _("Fasce orarie"),
            _("Ore-volontario a settimana"),
            *([_("Ultima conferma")] if conferme is not None else []),
            _("Fonte dell'orario"),
        ],
    )


def fonti_documentate(sportelli: pd.DataFrame) -> list[str]:
    """Distinct sources of the non-demo slots, in file order."""
    return list(dict.fromkeys(sportelli.loc[~sportelli["dimostrativo"], "fonte"]))
