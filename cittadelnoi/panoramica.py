"""Tables and texts of the overview page, kept out of the page so they can be tested."""

from __future__ import annotations

import pandas as pd

from cittadelnoi.stato import ETICHETTE

GIORNI = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")


def orari_testo(sportelli: pd.DataFrame) -> dict[str, str]:
    """Point id -> 'mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)', days in week order."""
    out: dict[str, str] = {}
    ordered = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    for pid, slots in ordered.groupby("id_punto", sort=False):
        testo = "; ".join(f"{r.giorno} {r.inizio}-{r.fine}" for r in slots.itertuples())
        ore = slots["ore"].sum()
        ore_txt = f"{ore:g}".replace(".", ",")
        demo = " — dimostrativo" if slots["dimostrativo"].any() else ""
        out[str(pid)] = f"{testo} ({ore_txt} h/settimana){demo}"
    return out


def tabella_quartieri(stati: pd.DataFrame, codici: set[str]) -> pd.DataFrame:
    sel = stati[stati["codice_istat"].isin(codici)].sort_values("numero")
    return pd.DataFrame({
        "N.": sel["numero"],
        "Quartiere": sel["nome"],
        "Zona": sel["zona"],
        "Stato": sel["stato"].map(ETICHETTE),
        "Punti": sel["punti"].replace("", "—"),
        "Area (km²)": sel["area_km2"],
        "Codice ISTAT": sel["codice_istat"],
    })
