"""How complete and how fresh the register is: the published count of active points against the
points in the register, and the points whose last confirmation is old.

The published count is a figure of data/finanziamenti.csv (rows `punti_attivi_AAAA_MM`, each with
its source); the latest one is the reference. The register is complete when it holds at least that
many active points, or when officials mark it complete on the Gestione page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _

_ID_CONTEGGIO = re.compile(r"^punti_attivi_(\d{4})_(\d{2})$")
MESI_RICONFERMA = 12


@dataclass(frozen=True)
class ConteggioPubblicato:
    attivi: int
    mese: str  # AAAA-MM
    fonte: str


@dataclass(frozen=True)
class Completezza:
    pubblicato: ConteggioPubblicato | None
    nel_registro: int  # active points in the register
    segnato_completo: bool  # marked complete by officials

    @property
    def completo(self) -> bool:
        return self.segnato_completo or self.pubblicato is None or self.nel_registro >= self.pubblicato.attivi

    @property
    def non_nel_registro(self) -> int:
        """Active points of the published count that the register does not hold yet (0 when complete)."""
        if self.pubblicato is None or self.completo:
            return 0
        return self.pubblicato.attivi - self.nel_registro


def conteggio_pubblicato(finanziamenti: pd.DataFrame, al: dt.date | None = None) -> ConteggioPubblicato | None:
    """The latest published number of active points, with its month and source; None if none.
    With `al` (a past day), only the counts known by then: a count of month M from M's last day
    (the sources give the month)."""
    trovati = []
    for id_, riga in finanziamenti.iterrows():
        m = _ID_CONTEGGIO.match(str(id_))
        if not m or pd.isna(riga["valore"]):
            continue
        anno, mese = int(m.group(1)), int(m.group(2))
        if al is None or dt.date(anno, mese, calendar.monthrange(anno, mese)[1]) <= al:
            trovati.append((f"{m.group(1)}-{m.group(2)}", int(riga["valore"]), str(riga["fonte"])))
    if not trovati:
        return None
    quando, attivi, fonte = max(trovati)
    return ConteggioPubblicato(attivi, quando, fonte)


def completezza(
    punti: pd.DataFrame, finanziamenti: pd.DataFrame, segnato_completo: bool = False, al: dt.date | None = None
) -> Completezza:
    return Completezza(
        conteggio_pubblicato(finanziamenti, al), int((punti["stato"] == "attivo").sum()), segnato_completo
    )


def da_riconfermare(punti: pd.DataFrame, oggi: dt.date, mesi: int = MESI_RICONFERMA) -> pd.DataFrame:
    """Points whose last confirmation is older than `mesi` months, or unknown, oldest first.

    Columns: id, nome, codice_istat, conferma (as written, None when unknown), mesi (whole months
    since the end of the confirmation's period, <NA> when unknown)."""
    limite = _mesi_prima(oggi, mesi)
    fino = punti["conferma_fino"] if "conferma_fino" in punti else pd.Series(None, index=punti.index, dtype=object)
    vecchia = fino.map(lambda d: d is None or pd.isna(d) or d < limite)
    sel = punti.loc[vecchia, ["id", "nome", "codice_istat"]].copy()
    sel["conferma"] = punti.loc[vecchia, "conferma"] if "conferma" in punti else None
    sel["conferma"] = sel["conferma"].where(sel["conferma"].notna(), None)
    sel["mesi"] = pd.array(
        [None if d is None or pd.isna(d) else _mesi_tra(d, oggi) for d in fino[vecchia]], dtype="Int64"
    )
    sel["_ordine"] = [dt.date.min if d is None or pd.isna(d) else d for d in fino[vecchia]]
    return sel.sort_values("_ordine", kind="stable").drop(columns="_ordine").reset_index(drop=True)


def _mesi_prima(giorno: dt.date, mesi: int) -> dt.date:
    anno, mese = divmod(giorno.year * 12 + giorno.month - 1 - mesi, 12)
    return dt.date(anno, mese + 1, min(giorno.day, calendar.monthrange(anno, mese + 1)[1]))


def _mesi_tra(prima: dt.date, dopo: dt.date) -> int:
    return (dopo.year - prima.year) * 12 + dopo.month - prima.month - (1 if dopo.day < prima.day else 0)


def frase_conteggio(c: Completezza) -> str | None:
    """'20 punti attivi (dicembre 2025, fonte: …), di cui 10 nel registro.'; None without a count."""
    if c.pubblicato is None:
        return None
    return _("{n} punti attivi ({mese}, fonte: {fonte}), di cui {r} nel registro.").format(
        n=fmt.numero(c.pubblicato.attivi),
        mese=fmt.data_parziale(c.pubblicato.mese),
        fonte=c.pubblicato.fonte,
        r=fmt.numero(c.nel_registro),
    )


def frase_incompleto(c: Completezza) -> str | None:
    """Why a quartiere without a point is not called "mancante" yet; None when the register is complete."""
    if c.completo:
        return None
    return _(
        "{k} punti attivi non sono ancora nel registro: le fonti pubbliche non dicono in quali quartieri siano. "
        "Per questo un quartiere senza punti nel registro è indicato come «nessun punto documentato», non "
        "«mancante»: potrebbe avere uno di quei punti."
    ).format(k=fmt.numero(c.non_nel_registro))
