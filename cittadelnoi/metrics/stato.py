"""Derived status of each quartiere and the overview's key figures.

A quartiere is "attivo" if it has at least one active point, "in_apertura" if it has only
opening points, "mancante" if it has none: the goal is one point in each of the 33 quartieri.

"mancante" is a claim about the whole city: it holds only when the register is complete (it holds
as many active points as the latest published count, or officials marked it complete). Until then
a quartiere with no point in the register is "non_documentato": it may have one of the points the
register does not locate yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from cittadelnoi.core.i18n import N_, _
from cittadelnoi.loaders.popolazione import ultime

STATI_QUARTIERE = ("attivo", "in_apertura", "mancante", "non_documentato")
SENZA_PUNTO = ("mancante", "non_documentato")
ETICHETTE = {
    "attivo": N_("attivo"),
    "in_apertura": N_("in apertura"),
    "mancante": N_("mancante"),
    "non_documentato": N_("nessun punto documentato"),
}


def etichetta(stato: str) -> str:
    return _(ETICHETTE[stato])


def stato_quartieri(
    quartieri: gpd.GeoDataFrame,
    punti: pd.DataFrame,
    completo: bool = True,
    popolazione: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """`quartieri` plus stato, n_attivi, n_in_apertura, n_dimostrativi, the points' names and the
    latest residents figure (residenti, anno_residenti: Int64, <NA> when unknown; fonte_residenti)."""
    da_verificare = (
        punti["quartiere_da_verificare"] if "quartiere_da_verificare" in punti else pd.Series(False, index=punti.index)
    )
    punti = punti.assign(
        nome=punti["nome"].where(~da_verificare.astype(bool), punti["nome"] + " (" + _("quartiere da verificare") + ")")
    )
    per_q = punti.groupby("codice_istat").agg(
        n_attivi=("stato", lambda s: int((s == "attivo").sum())),
        n_in_apertura=("stato", lambda s: int((s == "in_apertura").sum())),
        n_dimostrativi=("dimostrativo", "sum"),
        punti=("nome", lambda s: "; ".join(s)),
    )
    out = quartieri.merge(per_q, left_on="codice_istat", right_index=True, how="left")
    for col in ("n_attivi", "n_in_apertura", "n_dimostrativi"):
        out[col] = out[col].fillna(0).astype(int)
    out["punti"] = out["punti"].fillna("")
    out["stato"] = "mancante" if completo else "non_documentato"
    out.loc[out["n_in_apertura"] > 0, "stato"] = "in_apertura"
    out.loc[out["n_attivi"] > 0, "stato"] = "attivo"
    ult = ultime(popolazione if popolazione is not None else pd.DataFrame(columns=["codice_istat", "anno"]))
    out["residenti"] = out["codice_istat"].map(ult["residenti"]).astype("Int64")
    out["anno_residenti"] = out["codice_istat"].map(ult["anno"]).astype("Int64")
    out["fonte_residenti"] = out["codice_istat"].map(ult["fonte"]).astype(object)
    out["fonte_residenti"] = out["fonte_residenti"].where(out["fonte_residenti"].notna(), None)
    return out


@dataclass(frozen=True)
class Kpi:
    punti_attivi: int
    punti_in_apertura: int
    quartieri_coperti: int  # with at least one active point
    quartieri_in_apertura: int
    quartieri_mancanti: int
    quartieri_totali: int
    punti_dimostrativi: int

    @property
    def copertura(self) -> float:
        return self.quartieri_coperti / self.quartieri_totali if self.quartieri_totali else 0.0


def kpi(stati: pd.DataFrame, punti: pd.DataFrame, codici: set[str]) -> Kpi:
    sel = stati[stati["codice_istat"].isin(codici)]
    p = punti[punti["codice_istat"].isin(codici)]
    return Kpi(
        punti_attivi=int((p["stato"] == "attivo").sum()),
        punti_in_apertura=int((p["stato"] == "in_apertura").sum()),
        quartieri_coperti=int((sel["stato"] == "attivo").sum()),
        quartieri_in_apertura=int((sel["stato"] == "in_apertura").sum()),
        quartieri_mancanti=int(sel["stato"].isin(SENZA_PUNTO).sum()),
        quartieri_totali=len(sel),
        punti_dimostrativi=int(p["dimostrativo"].sum()),
    )
