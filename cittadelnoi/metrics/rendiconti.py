"""What the points reported month by month ("rendiconti"): the monthly minimum, per month, per point
or zona, the year's totals and the value of the volunteers' hours.

Computed from the checked frame of `loaders.rendiconti` (id_punto, mese "AAAA-MM", ore_sportello,
volontari, ore_volontariato, accessi, note, fonte, stato). Only reports in state `inviato` count:
a draft (`bozza`) is "non rendicontato" like a missing month. A point or month without a report
is never 0 and never silently left out: every table says how many points were expected and how
many reported.

The monthly minimum turns the weekly minimum (finanziamenti.csv, row ore_minime_sportello) into
a month's hours by its weeks: ore_minime × giorni del mese / 7 (31 days, 6 h/week: 26,6 h).
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders.quartieri import ZONE

CIFRE_SOMMA = ("ore_sportello", "ore_volontariato", "accessi")


def settimane(mese: str) -> float:
    """Weeks in the month 'AAAA-MM': its days / 7 (February 2025: 4.0; a 31-day month: 4.43)."""
    anno, m = (int(x) for x in mese.split("-"))
    return calendar.monthrange(anno, m)[1] / 7


def ore_minime_mese(mese: str, ore_settimanali: float) -> float:
    """The desk hours a month should have: weekly minimum (hours) × the month's weeks."""
    return ore_settimanali * settimane(mese)


def ultimi_mesi(oggi: dt.date, n: int = 12) -> list[str]:
    """The `n` months before `oggi`'s (the current month is still being reported), oldest first."""
    anno, mese = oggi.year, oggi.month
    out = []
    for _volta in range(n):
        mese -= 1
        if mese == 0:
            anno, mese = anno - 1, 12
        out.append(f"{anno:04d}-{mese:02d}")
    return out[::-1]


def mese_precedente(oggi: dt.date) -> str:
    """'AAAA-MM' of the month before `oggi`'s: the month a referente reports by default."""
    return ultimi_mesi(oggi, 1)[0]


def inviati(rendiconti: pd.DataFrame) -> pd.DataFrame:
    """The reports that count: state `inviato`."""
    return rendiconti[rendiconti["stato"] == "inviato"]


def attesi(punti: pd.DataFrame, rendiconti: pd.DataFrame) -> pd.DataFrame:
    """The points expected to report: every active point and any other point that reported.
    Columns id, nome, codice_istat."""
    scelti = punti[(punti["stato"] == "attivo") | punti["id"].isin(set(rendiconti["id_punto"]))]
    return scelti[["id", "nome", "codice_istat"]]


def tabella_mesi(
    rendiconti: pd.DataFrame, punti: pd.DataFrame, mesi: list[str], ore_settimanali: float
) -> pd.DataFrame:
    """One row per expected point and month of `mesi`: id, nome, codice_istat, mese, rendicontato
    (bool), ore_sportello, minimo (hours, the month's minimum), sotto_minimo (boolean, <NA> when
    not reported or the desk hours are not given), volontari, ore_volontariato, accessi (NaN/<NA>
    when not reported)."""
    base = attesi(punti, rendiconti)
    griglia = base.merge(pd.DataFrame({"mese": mesi}), how="cross")
    rep = inviati(rendiconti)[["id_punto", "mese", "ore_sportello", "volontari", "ore_volontariato", "accessi"]]
    out = griglia.merge(rep, left_on=["id", "mese"], right_on=["id_punto", "mese"], how="left", indicator=True)
    out["rendicontato"] = out["_merge"] == "both"
    out = out.drop(columns=["_merge", "id_punto"])
    out["minimo"] = out["mese"].map(lambda m: ore_minime_mese(m, ore_settimanali)).astype(float)
    sotto = pd.array([pd.NA] * len(out), dtype="boolean")
    noto = out["ore_sportello"].notna().to_numpy()
    sotto[noto] = (out["ore_sportello"] < out["minimo"]).to_numpy()[noto]
    out["sotto_minimo"] = sotto
    return out.reset_index(drop=True)


def _riassunto(gruppi) -> pd.DataFrame:
    agg = pd.DataFrame(
        {
            "attesi": gruppi.size(),
            "rendicontati": gruppi["rendicontato"].sum().astype(int),
            "sotto_minimo": gruppi["sotto_minimo"].sum().astype(int),
            "minimo": gruppi["minimo"].sum(),
        }
    )
    for c in CIFRE_SOMMA:
        # min_count=1: a group with no report of this figure is unknown (NaN), never 0.
        agg[c] = gruppi[c].sum(min_count=1).astype(float)
    agg["ore_sportello_note"] = gruppi["ore_sportello"].count().astype(int)
    agg["non_rendicontati"] = agg["attesi"] - agg["rendicontati"]
    return agg


def per_mese(tabella: pd.DataFrame) -> pd.DataFrame:
    """Per month (index mese): attesi, rendicontati, non_rendicontati, sotto_minimo (reports under
    the month's minimum), minimo (sum over the expected points), ore_sportello, ore_volontariato,
    accessi (sums over the reports, NaN when none gave the figure), ore_sportello_note."""
    return _riassunto(tabella.groupby("mese", sort=True))


def per_punto(tabella: pd.DataFrame) -> pd.DataFrame:
    """Per point over the months of `tabella` (index id, with nome): the same columns as per_mese."""
    agg = _riassunto(tabella.groupby("id", sort=False))
    nomi = tabella.drop_duplicates("id").set_index("id")["nome"]
    return agg.assign(nome=nomi.reindex(agg.index)).sort_values("nome")


def per_zona(tabella: pd.DataFrame, quartieri: pd.DataFrame) -> pd.DataFrame:
    """Per zona (index in ZONE order, only zone with an expected point): the same columns as per_mese."""
    zona = quartieri.set_index("codice_istat")["zona"]
    t = tabella.assign(zona=tabella["codice_istat"].map(zona))
    agg = _riassunto(t.groupby("zona"))
    return agg.reindex([z for z in ZONE if z in agg.index])


def totali_anno(rendiconti: pd.DataFrame, anno: int) -> dict[str, float | int | None]:
    """The year's totals of the sent reports: rendiconti (count), punti (points that reported),
    mesi (distinct months), ore_sportello, ore_volontariato, accessi (None when no report gives it)."""
    r = inviati(rendiconti)
    r = r[r["mese"].str.startswith(f"{anno:04d}-")]
    out: dict[str, float | int | None] = {
        "rendiconti": len(r),
        "punti": int(r["id_punto"].nunique()),
        "mesi": int(r["mese"].nunique()),
    }
    for c in CIFRE_SOMMA:
        out[c] = float(r[c].sum()) if r[c].notna().any() else None
    return out


def anni(rendiconti: pd.DataFrame) -> list[int]:
    """The years with at least one sent report, newest first."""
    return sorted({int(m[:4]) for m in inviati(rendiconti)["mese"]}, reverse=True)


def valore_volontariato(ore_volontariato: float | None, valore_orario: float | None) -> float | None:
    """Estimated value (euro) of the reported person-hours at `valore_orario` €/hour; None when
    either is unknown (never a value we made up)."""
    if ore_volontariato is None or valore_orario is None:
        return None
    return ore_volontariato * valore_orario


def _cifra(valore: float, unita: str = "") -> str:
    if pd.isna(valore):
        return _("non rendicontato")
    return fmt.ore(float(valore)) + unita


def tabella_riassunto(agg: pd.DataFrame, prima: str, etichette: list[str]) -> pd.DataFrame:
    """A summary of per_mese/per_punto/per_zona as the page shows and exports it: column `prima`
    with `etichette` (one per row of `agg`), then reports received ("n su m"), desk hours, the
    minimum of the points that reported, reports under the minimum, person-hours, accessi.
    Unknown figures read «non rendicontato», never 0."""
    minimo_rendicontati = agg["minimo"] * agg["rendicontati"] / agg["attesi"].where(agg["attesi"] > 0)
    return pd.DataFrame(
        {
            prima: etichette,
            _("Rendiconti"): [
                _("{n} su {totale}").format(n=fmt.numero(r), totale=fmt.numero(a))
                for r, a in zip(agg["rendicontati"], agg["attesi"], strict=True)
            ],
            _("Ore di sportello"): [_cifra(v) for v in agg["ore_sportello"]],
            _("Minimo (punti rendicontati)"): [
                _cifra(v) if r else _("non rendicontato")
                for v, r in zip(minimo_rendicontati, agg["rendicontati"], strict=True)
            ],
            _("Sotto il minimo"): [
                fmt.numero(s) if r else _("non rendicontato")
                for s, r in zip(agg["sotto_minimo"], agg["rendicontati"], strict=True)
            ],
            _("Ore di volontariato"): [_cifra(v) for v in agg["ore_volontariato"]],
            _("Accessi"): [_("non rendicontato") if pd.isna(v) else fmt.numero(int(v)) for v in agg["accessi"]],
        }
    )
