"""The ratios computed from the funding figures and the Finanziamenti page's texts.

All are derived: the page labels them so. The figures come from `loaders.finanziamenti` (a frame
indexed by id, see `carica_finanziamenti`); formatting goes only through `core.fmt` and the
run's language through `core.i18n`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from cittadelnoi.core import fmt, i18n
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.loaders.finanziamenti import (
    ALTRE_FONTI,
    BUDGET,
    CARIPLO,
    CITTADINI_SEGUITI,
    COMUNE_2013,
    COMUNE_2016,
    EROGATORI,
    FAMIGLIE,
    IDS_PAGINA,
    POPOLAZIONE,
    QUOTA_COMUNALE,
    SERVIZI,
    TOTALE,
    VOLONTARIATO,
    Cifra,
    cifra,
    valore,
)

# The source writes "oltre 3 mln": the value is a lower bound and must read as one.
VALORI_MINIMI = frozenset({BUDGET})
NON_STIMATO = N_("non stimato")

ETICHETTE_TIPO = {
    "documentato": N_("documentato"),
    "derivato": N_("derivato (calcolato da noi)"),
    "non_stimato": N_("non stimato nella fonte"),
}

# The page's own name for each figure it shows. In Italian the table shows the file's `descrizione`
# (the officials' wording, data); in other languages it shows the translation of these labels, since
# the data files are not translated. An id not listed here keeps its `descrizione` in every language.
ETICHETTE = {
    TOTALE: N_("Risorse complessive per il welfare cittadino nel 2016"),
    FAMIGLIE: N_("Quota a carico di famiglie e privati"),
    ALTRE_FONTI: N_("Resto del totale (composizione non dettagliata nelle fonti)"),
    COMUNE_2013: N_("Spesa comunale effettiva per il welfare"),
    COMUNE_2016: N_("Spesa comunale effettiva per il welfare"),
    VOLONTARIATO: N_("Valore economico del volontariato"),
    EROGATORI: N_("Erogatori di welfare oltre al Comune (associazioni, cooperative, enti ecclesiastici, fondazioni)"),
    SERVIZI: N_("Servizi di welfare censiti"),
    QUOTA_COMUNALE: N_("Quota dei servizi a gestione comunale (il resto al terzo settore)"),
    CITTADINI_SEGUITI: N_("Cittadini seguiti dai servizi a gestione comunale"),
    BUDGET: N_("Budget del progetto Brescia Città del Noi"),
    CARIPLO: N_("Contributo di Fondazione Cariplo (Welfare in azione) in tre anni"),
    POPOLAZIONE: N_("Residenti nel Comune di Brescia"),
}
# Units and periods written in words in the file: shown translated when we know them, as written otherwise.
UNITA = {
    "enti": N_("enti"),
    "servizi": N_("servizi"),
    "persone": N_("persone"),
    "abitanti": N_("abitanti"),
    "punti": N_("punti"),
}
RIFERIMENTI = {"triennio": N_("triennio")}


def quota_famiglie(frame: pd.DataFrame) -> float:
    """Share of the 2016 welfare total paid by families: 71 / 173 = 0.4104."""
    return valore(frame, FAMIGLIE) / valore(frame, TOTALE)


def resto(frame: pd.DataFrame) -> float:
    """The part of the total not paid by families: 173 − 71 = 102 M€ (sources do not break it down)."""
    return valore(frame, TOTALE) - valore(frame, FAMIGLIE)


def quota_resto(frame: pd.DataFrame) -> float:
    return resto(frame) / valore(frame, TOTALE)


def crescita_spesa_comunale(frame: pd.DataFrame) -> float:
    """(33 − 29) / 29 = 0.1379: the press printed "+10%", which the two figures do not give."""
    prima, dopo = valore(frame, COMUNE_2013), valore(frame, COMUNE_2016)
    return (dopo - prima) / prima


def per_residente(importo: float, frame: pd.DataFrame) -> float:
    """Euro per resident, on the only population figure we have (1 January 2024)."""
    return importo / valore(frame, POPOLAZIONE)


def quota_servizi_comunali(frame: pd.DataFrame) -> float:
    return valore(frame, QUOTA_COMUNALE) / 100


# --- Text shown on the page, formatted only through fmt and translated through i18n. ---


def etichetta(c: Cifra) -> str:
    """What the figure is: the file's `descrizione` in Italian, the page's translated label otherwise."""
    if i18n.lingua() == i18n.PREDEFINITA or c.id not in ETICHETTE:
        return c.descrizione
    return _(ETICHETTE[c.id])


def testo_riferimento(riferimento: str | None) -> str:
    """'2016' stays; 'triennio' -> 'three years' in English; a full date '2024-01-01' -> '1 gennaio 2024'
    ('1 January 2024'); anything else as written."""
    if not riferimento:
        return ""
    if riferimento in RIFERIMENTI:
        return _(RIFERIMENTI[riferimento])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", riferimento):
        try:
            return fmt.data(dt.date.fromisoformat(riferimento))
        except ValueError:
            pass
    return riferimento


def testo_valore(c: Cifra, con_unita: bool = False) -> str:
    """'173 mln €', 'oltre 3 mln €', '6%', '318' ('318 enti' with the unit), 'non stimato'
    (en: '€173M', 'over €3M', '6%', '318 bodies', 'not estimated')."""
    if c.valore is None:
        return _(NON_STIMATO)
    if c.unita == "EUR":
        testo = fmt.euro_compatto(c.valore)
    elif c.unita == "percento":
        testo = fmt.percentuale(c.valore / 100)
    else:
        testo = fmt.numero(c.valore) + (" " + (_(UNITA[c.unita]) if c.unita in UNITA else c.unita) if con_unita else "")
    return _("oltre {valore}").format(valore=testo) if c.id in VALORI_MINIMI else testo


def testo_crescita(frazione: float) -> str:
    """0.1379 -> '+13,8%' (en '+13.8%'). One decimal: the point is that it is not +10%."""
    segno = "+" if frazione > 0 else ("−" if frazione < 0 else "")
    return segno + fmt.percentuale(abs(frazione), decimali=1)


def testo_per_residente(euro: float) -> str:
    """870.71 -> '871 €' (en '€871'). Compact currency does not round below a thousand: whole euros."""
    return fmt.euro(euro)


def fonti(frame: pd.DataFrame, ids: list[str] | tuple[str, ...]) -> str:
    """The distinct sources of `ids`, in order, for the caption under a chart."""
    viste: list[str] = []
    for i in ids:
        f = str(frame.at[i, "fonte"])
        # "Corriere …, 14/07/2017" and "Corriere …, 14/07/2017, 'Welfare, …'" are the same article.
        if not any(v.startswith(f) for v in viste):
            viste.append(f)
    return "; ".join(viste)


def tabella(frame: pd.DataFrame, ids: tuple[str, ...] = IDS_PAGINA) -> pd.DataFrame:
    """Every figure of the page with its period, kind and source, as text for the expander."""
    righe = []
    for i in ids:
        if i not in frame.index:
            continue  # optional figures (e.g. citizens followed) may be missing from a loaded file
        c = cifra(frame, i)
        righe.append(
            [
                etichetta(c),
                testo_valore(c, con_unita=True),
                testo_riferimento(c.riferimento),
                _(ETICHETTE_TIPO[c.tipo]),
                c.fonte,
            ]
        )
    # No `nota` column: the notes in facts.csv are instructions for whoever builds the app.
    return pd.DataFrame(righe, columns=[_("Dato"), _("Valore"), _("Riferimento"), _("Tipo"), _("Fonte")])


@dataclass(frozen=True)
class Calcolo:
    """A value we computed, with its formula, so the audience can check it."""

    nome: str
    testo: str
    formula: str


def calcoli(frame: pd.DataFrame) -> list[Calcolo]:
    n = fmt.euro_compatto
    tot, fam = valore(frame, TOTALE), valore(frame, FAMIGLIE)
    c13, c16 = valore(frame, COMUNE_2013), valore(frame, COMUNE_2016)
    pop = fmt.numero(valore(frame, POPOLAZIONE))

    def su_residenti(importo: float) -> str:
        return _("{importo} / {residenti} residenti al 1° gennaio 2024").format(importo=n(importo), residenti=pop)

    return [
        Calcolo(_("Quota a carico delle famiglie"), fmt.percentuale(quota_famiglie(frame)), f"{n(fam)} / {n(tot)}"),
        Calcolo(_("Altre fonti (resto del totale)"), n(resto(frame)), f"{n(tot)} − {n(fam)}"),
        Calcolo(
            _("Crescita della spesa comunale 2013→2016"),
            testo_crescita(crescita_spesa_comunale(frame)),
            f"({n(c16)} − {n(c13)}) / {n(c13)}",
        ),
        Calcolo(_("Welfare totale per residente"), testo_per_residente(per_residente(tot, frame)), su_residenti(tot)),
        Calcolo(
            _("Quota delle famiglie per residente"), testo_per_residente(per_residente(fam, frame)), su_residenti(fam)
        ),
        Calcolo(
            _("Spesa comunale 2016 per residente"), testo_per_residente(per_residente(c16, frame)), su_residenti(c16)
        ),
    ]
