"""Derived status of each quartiere and the overview's key figures.

A quartiere is "attivo" if it has at least one active point, "in_apertura" if it has only
opening points, "mancante" if it has none: the goal is one point in each of the 33 quartieri.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from cittadelnoi.core.i18n import N_, _

STATI_QUARTIERE = ("attivo", "in_apertura", "mancante")
ETICHETTE = {"attivo": N_("attivo"), "in_apertura": N_("in apertura"), "mancante": N_("mancante")}


def etichetta(stato: str) -> str:
    return _(ETICHETTE[stato])


def stato_quartieri(quartieri: gpd.GeoDataFrame, punti: pd.DataFrame) -> gpd.GeoDataFrame:
    """`quartieri` plus stato, n_attivi, n_in_apertura, n_dimostrativi and the points' names."""
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
    out["stato"] = "mancante"
    out.loc[out["n_in_apertura"] > 0, "stato"] = "in_apertura"
    out.loc[out["n_attivi"] > 0, "stato"] = "attivo"
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
        quartieri_mancanti=int((sel["stato"] == "mancante").sum()),
        quartieri_totali=len(sel),
        punti_dimostrativi=int(p["dimostrativo"].sum()),
    )
