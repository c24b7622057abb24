"""Tables and texts of the overview page, kept out of the page so they can be tested."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.core.tempo import GIORNI, giorni
from cittadelnoi.metrics.ore import durate
from cittadelnoi.metrics.registro import aggiornati_referente, fonte_punto
from cittadelnoi.metrics.stato import etichetta


def orari_testo(sportelli: pd.DataFrame) -> dict[str, str]:
    """Point id -> 'mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)', days in week order.

    Column operations and one groupby: a loop over rows took seconds with thousands of points."""
    if sportelli.empty:
        return {}
    nomi = dict(zip(GIORNI, giorni(), strict=True))
    fasce = sportelli.assign(
        ore=durate(sportelli),
        _g=sportelli["giorno"].map(GIORNI.index),
        _fascia=sportelli["giorno"].map(nomi)
        + " "
        + sportelli["inizio"].astype(str)
        + "-"
        + sportelli["fine"].astype(str),
    ).sort_values(["id_punto", "_g", "inizio_min"])
    per_punto = fasce.groupby("id_punto", sort=False).agg(
        testo=("_fascia", "; ".join), ore=("ore", "sum"), demo=("dimostrativo", "any")
    )
    modello, nota_demo = _("({ore} h/settimana)"), " — " + _("dimostrativo")
    return {
        str(pid): f"{testo} {modello.format(ore=fmt.ore(ore))}" + (nota_demo if demo else "")
        for pid, testo, ore, demo in zip(
            per_punto.index, per_punto["testo"], per_punto["ore"], per_punto["demo"], strict=False
        )
    }


def tabella_quartieri(stati: pd.DataFrame, codici: set[str]) -> pd.DataFrame:
    sel = stati[stati["codice_istat"].isin(codici)].sort_values("numero")
    return pd.DataFrame(
        {
            _("N."): sel["numero"],
            _("Quartiere"): sel["nome"],
            _("Zona"): sel["zona"],
            _("Stato"): sel["stato"].map(etichetta),
            _("Punti"): sel["punti"].replace("", "—"),
            _("Area (km²)"): sel["area_km2"],
            # Residents as text: an unknown figure reads "non noto", never an empty cell, 0 or "None".
            _("Residenti"): [testo_residenti(r) for r in _residenti(sel)],
            _("Fonte dei residenti"): [f if isinstance(f, str) else "—" for f in _colonna(sel, "fonte_residenti")],
            _("Codice ISTAT"): sel["codice_istat"],
        }
    )


def _colonna(sel: pd.DataFrame, nome: str) -> list:
    return list(sel[nome]) if nome in sel else [None] * len(sel)


def _residenti(sel: pd.DataFrame) -> list[tuple[object, object]]:
    return list(zip(_colonna(sel, "residenti"), _colonna(sel, "anno_residenti"), strict=True))


def testo_residenti(valori: tuple[Any, Any]) -> str:
    """(8195, 2013) -> '8.195 (2013)'; unknown -> 'non noto'."""
    residenti, anno = valori
    if residenti is None or pd.isna(residenti):
        return _("non noto")
    return f"{fmt.numero(int(residenti))} ({int(anno)})"


def contesto_cittadino(finanziamenti: pd.DataFrame) -> list[tuple[str, str, str]]:
    """City-wide figures for the printable summary: (label, formatted value, source)."""
    from cittadelnoi.loaders import finanziamenti as fin
    from cittadelnoi.metrics import finanziamenti as m_fin

    def riga(label: str, id_: str, valore: str) -> tuple[str, str, str]:
        return label, valore, str(finanziamenti.at[id_, "fonte"])

    return [
        riga(
            _("Risorse per il welfare cittadino, 2016"),
            fin.TOTALE,
            fmt.euro_compatto(fin.valore(finanziamenti, fin.TOTALE)),
        ),
        riga(
            _("di cui a carico delle famiglie"),
            fin.FAMIGLIE,
            f"{fmt.euro_compatto(fin.valore(finanziamenti, fin.FAMIGLIE))} ({fmt.percentuale(m_fin.quota_famiglie(finanziamenti))})",
        ),
        riga(
            _("Spesa comunale effettiva per il welfare, 2016"),
            fin.COMUNE_2016,
            fmt.euro_compatto(fin.valore(finanziamenti, fin.COMUNE_2016)),
        ),
        riga(_("Budget del progetto (minimo)"), fin.BUDGET, fmt.euro_compatto(fin.valore(finanziamenti, fin.BUDGET))),
        riga(
            _("Contributo di Fondazione Cariplo"),
            fin.CARIPLO,
            fmt.euro_compatto(fin.valore(finanziamenti, fin.CARIPLO)),
        ),
        riga(
            _("Apertura minima dello sportello"),
            fin.ORE_MINIME,
            _("{n} ore a settimana").format(n=fmt.ore(fin.ore_minime(finanziamenti))),
        ),
    ]


def documentato_per_punto(
    punti: pd.DataFrame, sportelli: pd.DataFrame, orari: dict[str, str]
) -> list[tuple[str, str, str]]:
    """(point name, desk hours, source) for every point whose desk hours a source documents:
    its slots (not demo rows), or else the hours as a source words them (punti.csv «sportello»);
    the source ends with «aggiornato dal referente il …» after a referente's change."""
    out = []
    reali = sportelli[~sportelli["dimostrativo"]] if not sportelli.empty else sportelli
    fonti = reali.groupby("id_punto")["fonte"].first().to_dict() if not reali.empty else {}
    # Columns, not to_dict("records"): a record per point of every column cost ~30 ms at 1,000 points.
    sportello = punti["sportello"].tolist() if "sportello" in punti else [None] * len(punti)
    for pid, nome, dimostrativo, testo, fonte, aggiornato in zip(
        punti["id"].tolist(),
        punti["nome"].tolist(),
        punti["dimostrativo"].tolist(),
        sportello,
        punti["fonte"].tolist(),
        aggiornati_referente(punti),
        strict=True,
    ):
        if dimostrativo:
            continue
        if pid in fonti and orari.get(pid):
            out.append((nome, orari[pid], fonte_punto(str(fonti[pid]), aggiornato)))
        elif isinstance(testo, str) and testo:
            out.append((nome, testo, fonte_punto(str(fonte), aggiornato)))
    return out
