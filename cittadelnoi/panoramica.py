"""Tables and texts of the overview page, kept out of the page so they can be tested."""

from __future__ import annotations

import pandas as pd

from babel.dates import get_day_names

from cittadelnoi import fmt, i18n
from cittadelnoi.i18n import _
from cittadelnoi.stato import etichetta

GIORNI = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")


def orari_testo(sportelli: pd.DataFrame) -> dict[str, str]:
    """Point id -> 'mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)', days in week order."""
    out: dict[str, str] = {}
    # Babel numbers weekdays from Monday = 0, like GIORNI.
    nomi = get_day_names("abbreviated", locale=i18n.locale())
    giorni = [str(nomi[i]).rstrip(".") for i in range(7)]
    ordered = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    for pid, slots in ordered.groupby("id_punto", sort=False):
        testo = "; ".join(f"{giorni[GIORNI.index(r.giorno)]} {r.inizio}-{r.fine}" for r in slots.itertuples())
        ore = fmt.numero(slots["ore"].sum(), 1).removesuffix(",0").removesuffix(".0")
        demo = " — " + _("dimostrativo") if slots["dimostrativo"].any() else ""
        out[str(pid)] = testo + " " + _("({ore} h/settimana)").format(ore=ore) + demo
    return out


def tabella_quartieri(stati: pd.DataFrame, codici: set[str]) -> pd.DataFrame:
    sel = stati[stati["codice_istat"].isin(codici)].sort_values("numero")
    return pd.DataFrame({
        _("N."): sel["numero"],
        _("Quartiere"): sel["nome"],
        _("Zona"): sel["zona"],
        _("Stato"): sel["stato"].map(etichetta),
        _("Punti"): sel["punti"].replace("", "—"),
        _("Area (km²)"): sel["area_km2"],
        _("Codice ISTAT"): sel["codice_istat"],
    })


def contesto_cittadino(finanziamenti: pd.DataFrame) -> list[tuple[str, str, str]]:
    """City-wide figures for the printable summary: (label, formatted value, source)."""
    from cittadelnoi import finanziamenti as fin

    def riga(label: str, id_: str, valore: str) -> tuple[str, str, str]:
        return label, valore, str(finanziamenti.at[id_, "fonte"])

    return [
        riga(_("Risorse per il welfare cittadino, 2016"), fin.TOTALE, fmt.euro_compatto(fin.valore(finanziamenti, fin.TOTALE))),
        riga(_("di cui a carico delle famiglie"), fin.FAMIGLIE,
             f"{fmt.euro_compatto(fin.valore(finanziamenti, fin.FAMIGLIE))} ({fmt.percentuale(fin.quota_famiglie(finanziamenti))})"),
        riga(_("Spesa comunale effettiva per il welfare, 2016"), fin.COMUNE_2016,
             fmt.euro_compatto(fin.valore(finanziamenti, fin.COMUNE_2016))),
        riga(_("Budget del progetto (minimo)"), fin.BUDGET, fmt.euro_compatto(fin.valore(finanziamenti, fin.BUDGET))),
        riga(_("Contributo di Fondazione Cariplo"), fin.CARIPLO, fmt.euro_compatto(fin.valore(finanziamenti, fin.CARIPLO))),
        riga(_("Apertura minima dello sportello"), "ore_minime_sportello",
             _("{n} ore a settimana").format(n=fmt.numero(fin.valore(finanziamenti, "ore_minime_sportello")))),
    ]
