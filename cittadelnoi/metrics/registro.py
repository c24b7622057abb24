"""How complete and how fresh the register is: the published count of active points against the
points in the register, and the points whose last confirmation is old.

The published count is a figure of data/finanziamenti.csv (rows `punti_attivi_AAAA_MM`, each with
its source); the latest one is the reference. The register is complete when it holds at least that
many active points, or when officials mark it complete on the Gestione page.

Freshness has one rule, `va_riconfermato` (a last confirmation older than MESI_RICONFERMA months,
or none), and one wording, `testo_conferma` / `frase_conferma` («ultima conferma: ottobre 2019 —
da riconfermare»): the map's popup, /mappa, the tables, the downloads, the open data and the
Gestione page all use them. A change made by a point's referente is cited as a source
(`fonte_punto`: «aggiornato dal referente il 07/12/2026»), from the database's history only
(snapshot column `aggiornato_referente`, see stores.db).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.loaders.punti import fine_periodo

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


def va_riconfermato(conferma_fino: dt.date | None, oggi: dt.date, mesi: int = MESI_RICONFERMA) -> bool:
    """The one rule: True when a point's last confirmation is older than `mesi` months on `oggi`
    (Brescia's day), or unknown. `conferma_fino` is the last day the written confirmation stands
    for (loaders.punti.fine_periodo: a month-only '2025-11' stands for 30 November 2025); None, NaN
    or NaT: no confirmation. Exactly `mesi` months ago is not older: not yet to confirm."""
    if conferma_fino is None or pd.isna(conferma_fino):
        return True
    return conferma_fino < _mesi_prima(oggi, mesi)


def colonna_da_riconfermare(punti: pd.DataFrame, oggi: dt.date, mesi: int = MESI_RICONFERMA) -> pd.Series:
    """`va_riconfermato` of every row of a punti frame (bool Series on its index). Reads
    `conferma_fino`, or `conferma` when a frame has only the written date; neither: all True."""
    return pd.Series([va_riconfermato(d, oggi, mesi) for d in _fino(punti)], index=punti.index, dtype=bool)


def _fino(punti: pd.DataFrame) -> pd.Series:
    if "conferma_fino" in punti:
        return punti["conferma_fino"]
    if "conferma" in punti:
        return punti["conferma"].map(lambda c: fine_periodo(c) if isinstance(c, str) else None)
    return pd.Series(None, index=punti.index, dtype=object)


def conta_da_riconfermare(punti: pd.DataFrame, oggi: dt.date) -> int:
    """How many points of `punti` (already filtered to the view) are to confirm again on `oggi`."""
    return int(colonna_da_riconfermare(punti, oggi).sum())


def frase_da_riconfermare(n: int, totale: int) -> str:
    """'Punti da riconfermare: 7 su 21' (the overview's count under its figures)."""
    return _("Punti da riconfermare: {n} su {totale}").format(n=fmt.numero(n), totale=fmt.numero(totale))


def regola_riconferma(mesi: int = MESI_RICONFERMA) -> str:
    """The rule in words, for a help text."""
    return _(
        "Un punto è da riconfermare quando la sua ultima conferma (l'ultima data in cui una fonte, o il suo "
        "referente, lo mostra attivo) è più vecchia di {mesi} mesi, o non è documentata. Sulla mappa, nelle "
        "tabelle e nei file scaricati è segnato «da riconfermare»."
    ).format(mesi=fmt.numero(mesi))


def testo_conferma(conferma: object, oggi: dt.date) -> str:
    """A point's last confirmation as shown, in the run's language, as precise as its source:
    '23/10/2026' (recent: the date alone), 'ottobre 2019 — da riconfermare' (month precision, old),
    'non documentata — da riconfermare' (None, NaN or '')."""
    testo = conferma if isinstance(conferma, str) and conferma else None
    quando = fmt.data_parziale(testo)
    if testo is None or quando is None:
        return _("non documentata — da riconfermare")
    if va_riconfermato(fine_periodo(testo), oggi):
        return _("{data} — da riconfermare").format(data=quando)
    return quando


def frase_conferma(conferma: object, oggi: dt.date) -> str:
    """'ultima conferma: ottobre 2019 — da riconfermare' (see testo_conferma), for a line of text."""
    return _("ultima conferma: {testo}").format(testo=testo_conferma(conferma, oggi))


def testo_aggiornato_referente(giorno: object) -> str | None:
    """'aggiornato dal referente il 07/12/2026' (fmt.data_breve: '7 Dec 2026' in English) for the
    day (Europe/Rome) of the latest change a point's referente made; None when there is none."""
    if not isinstance(giorno, dt.date) or pd.isna(giorno):  # NaT is a datetime too
        return None
    return _("aggiornato dal referente il {data}").format(data=fmt.data_breve(giorno))


def fonte_punto(fonte: object, aggiornato_referente: object = None) -> str:
    """A point's source as shown: its `fonte` as written, then «aggiornato dal referente il …»
    when its referente changed it (snapshot column `aggiornato_referente`, a date or None)."""
    testo = str(fonte) if isinstance(fonte, str) else ""
    aggiunta = testo_aggiornato_referente(aggiornato_referente)
    if aggiunta is None:
        return testo
    return f"{testo}; {aggiunta}" if testo else aggiunta


def aggiornati_referente(punti: pd.DataFrame) -> list[dt.date | None]:
    """The `aggiornato_referente` column of a punti frame as a list (date or None per row); all None
    for a frame without it (the file store, a frame built by hand)."""
    if "aggiornato_referente" not in punti:
        return [None] * len(punti)
    return [v if isinstance(v, dt.date) and not pd.isna(v) else None for v in punti["aggiornato_referente"]]


def testi_conferma(punti: pd.DataFrame, oggi: dt.date) -> dict[str, str]:
    """Point id -> testo_conferma of its last confirmation on `oggi` (each written date formatted once)."""
    gia: dict[object, str] = {}
    conferme = punti["conferma"].tolist() if "conferma" in punti else [None] * len(punti)
    out = {}
    for pid, conferma in zip(punti["id"].tolist(), conferme, strict=True):
        chiave = conferma if isinstance(conferma, str) and conferma else None
        if chiave not in gia:
            gia[chiave] = testo_conferma(chiave, oggi)
        out[str(pid)] = gia[chiave]
    return out


def testi_aggiornato_referente(punti: pd.DataFrame) -> dict[str, str]:
    """Point id -> «aggiornato dal referente il …», only for the points a referente changed."""
    out = {}
    for pid, giorno in zip(punti["id"].tolist(), aggiornati_referente(punti), strict=True):
        if (testo := testo_aggiornato_referente(giorno)) is not None:
            out[str(pid)] = testo
    return out


def da_riconfermare(punti: pd.DataFrame, oggi: dt.date, mesi: int = MESI_RICONFERMA) -> pd.DataFrame:
    """Points whose last confirmation is older than `mesi` months, or unknown, oldest first.

    Columns: id, nome, codice_istat, conferma (as written, None when unknown), mesi (whole months
    since the end of the confirmation's period, <NA> when unknown)."""
    fino = _fino(punti)
    vecchia = colonna_da_riconfermare(punti, oggi, mesi)
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
    return ngettext(
        "{n} punto attivo ({mese}, fonte: {fonte}), di cui {r} nel registro.",
        "{n} punti attivi ({mese}, fonte: {fonte}), di cui {r} nel registro.",
        c.pubblicato.attivi,
    ).format(
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
