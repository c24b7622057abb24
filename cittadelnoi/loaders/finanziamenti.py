"""Funding figures of Brescia's welfare (data/finanziamenti.csv) and the metrics computed from them.

Each row is one figure with its source. `tipo` says how far to trust it on screen: `documentato`
(printed in the source), `derivato` (computed by us, labelled so) or `non_stimato` (the source says
it was not estimated: no value, shown as "non stimato", never as zero).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core import fmt, i18n
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.loaders import csvio
from cittadelnoi.loaders.validation import valida

COLONNE = ["id", "valore", "unita", "riferimento", "descrizione", "fonte", "nota", "tipo"]
OBBLIGATORIE = ["id", "valore", "unita", "descrizione", "fonte", "tipo"]
TIPI = ("documentato", "derivato", "non_stimato")

TOTALE = "spesa_welfare_totale_2016"
FAMIGLIE = "spesa_welfare_famiglie_2016"
ALTRE_FONTI = "spesa_welfare_altre_fonti_2016"
COMUNE_2013 = "spesa_comunale_effettiva_2013"
COMUNE_2016 = "spesa_comunale_effettiva_2016"
VOLONTARIATO = "volontariato_valore_2016"
EROGATORI = "erogatori_welfare"
SERVIZI = "servizi_welfare"
QUOTA_COMUNALE = "quota_servizi_gestione_comunale"
CITTADINI_SEGUITI = "cittadini_seguiti_servizi_comunali"
BUDGET = "budget_progetto"
CARIPLO = "contributo_cariplo"
POPOLAZIONE = "popolazione_brescia_2024"
# Minimum weekly opening of a volunteer-run desk (hours): the hours page, its chart, the map and the
# printable sheet all read it from here, never from a constant in the code.
ORE_MINIME = "ore_minime_sportello"

# The page's figures, in the order of the table of sources.
IDS_PAGINA = (
    TOTALE,
    FAMIGLIE,
    ALTRE_FONTI,
    COMUNE_2013,
    COMUNE_2016,
    VOLONTARIATO,
    EROGATORI,
    SERVIZI,
    QUOTA_COMUNALE,
    CITTADINI_SEGUITI,
    BUDGET,
    CARIPLO,
    POPOLAZIONE,
)
# Rows the file must have: the page's figures (the number of citizens followed may be missing)
# and the desk minimum.
RICHIESTI = (*(i for i in IDS_PAGINA if i != CITTADINI_SEGUITI), ORE_MINIME)
# The source writes "oltre 3 mln": the value is a lower bound and must read as one.
VALORI_MINIMI = frozenset({BUDGET})
NON_STIMATO = N_("non stimato")
# A derived euro figure may differ from its formula by rounding in the file, not by more.
TOLLERANZA_EUR = 0.5

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
# Units that count whole things: a value with a fraction is a mistake in the file.
UNITA_CONTEGGI = frozenset({"enti", "servizi", "persone", "abitanti", "punti"})

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(
            str,
            pa.Check.str_matches(
                r"^[a-z0-9_]+$", error="identificativo non valido: solo lettere minuscole, cifre e «_»"
            ),
            unique=True,
            nullable=False,
        ),
        "valore": pa.Column(
            float, pa.Check.ge(0, error="il valore non può essere negativo"), nullable=True, coerce=True
        ),
        "unita": pa.Column(str, nullable=False),
        "riferimento": pa.Column(str, nullable=True),
        "descrizione": pa.Column(str, nullable=False),
        "fonte": pa.Column(
            str,
            pa.Check(
                lambda s: s.str.strip().str.lower() != "come sopra",
                error="fonte «come sopra»: scrivere la fonte per esteso",
            ),
            nullable=False,
        ),
        "nota": pa.Column(str, nullable=True),
        "tipo": pa.Column(
            str,
            pa.Check.isin(TIPI, error="tipo sconosciuto: usare documentato, derivato o non_stimato"),
            nullable=False,
        ),
    },
)


@dataclass(frozen=True)
class Cifra:
    """One figure with its source, as the page shows it."""

    id: str
    valore: float | None
    unita: str
    riferimento: str | None
    descrizione: str
    fonte: str
    nota: str | None
    tipo: str

    @property
    def derivato(self) -> bool:
        return self.tipo == "derivato"

    @property
    def non_stimato(self) -> bool:
        return self.tipo == "non_stimato"


def carica_finanziamenti(path: Path) -> tuple[pd.DataFrame, list[Problema]]:
    """The figures indexed by id (with the file row in `riga`) and csvio's warnings.

    Shape: index id (str, unique); columns riga, valore (float in `unita`: EUR, ore/settimana, punti,
    persone…; NaN only for tipo "non_stimato"), unita, riferimento (year or date the figure refers
    to, as written), descrizione, fonte, nota, tipo ("documentato" | "derivato" | "non_stimato").
    Every id of RICHIESTI must be present with a value (VOLONTARIATO may be "non_stimato"), e.g.
    ORE_MINIME, the weekly minimum of a desk that the hours page and the printable sheet read.

    Raises DatiNonValidi naming file, row and column for anything the page cannot trust.
    """
    nome = path.name
    grezzo, avvisi = csvio.leggi_csv(path, COLONNE, OBBLIGATORIE)
    scritto = grezzo["valore"].copy()
    grezzo["valore"] = csvio.punto_decimale(grezzo["valore"])
    tipizzato = valida(grezzo, SCHEMA, nome)
    errori = _tipo_incoerente(tipizzato, nome) + _non_interi(tipizzato, scritto, nome)
    if errori:
        raise DatiNonValidi(errori)
    frame = tipizzato.reset_index().set_index("id")
    errori = [
        Problema(nome, f"manca la riga con id «{i}», necessaria alla pagina Finanziamenti", colonna="id")
        for i in RICHIESTI
        if i not in frame.index
    ]
    if not errori:
        errori = _incoerenze(frame, nome)
    if errori:
        raise DatiNonValidi(errori)
    return frame, avvisi


def _tipo_incoerente(frame: pd.DataFrame, nome: str) -> list[Problema]:
    """`tipo` must agree with the row. Checked here, not as a pandera frame-wide check, so an
    official gets one message on the cell to fix rather than one per column of the row."""
    errori: list[Problema] = []
    for riga, r in frame.iterrows():
        vuoto = pd.isna(r["valore"])
        if vuoto and r["tipo"] != "non_stimato":
            errori.append(
                Problema(
                    nome, "valore vuoto: se la fonte non lo stima, scrivere tipo «non_stimato»", int(riga), "valore"
                )
            )
        elif not vuoto and r["tipo"] == "non_stimato":
            errori.append(
                Problema(
                    nome,
                    f"tipo «non_stimato» ma c'è un valore («{fmt.numero(r['valore'])}»): "
                    "un dato non stimato va lasciato vuoto, mai 0",
                    int(riga),
                    "valore",
                )
            )
        derivato = str(r["fonte"]).strip().lower().startswith("derivato")
        if derivato != (r["tipo"] == "derivato"):
            errori.append(
                Problema(
                    nome,
                    "tipo «derivato» solo se la fonte comincia con «derivato: <calcolo>» (e viceversa)",
                    int(riga),
                    "tipo",
                )
            )
    return errori


def _non_interi(frame: pd.DataFrame, scritto: pd.Series, nome: str) -> list[Problema]:
    """A count (unit in UNITA_CONTEGGI) with a fraction is refused, quoting the cell as written,
    never rounded or truncated."""
    return [
        Problema(
            nome,
            f"«{scritto[riga]}» non è un numero intero: un valore in «{r['unita']}» è un conteggio, senza decimali",
            int(riga),
            "valore",
        )
        for riga, r in frame.iterrows()
        if r["unita"] in UNITA_CONTEGGI and pd.notna(r["valore"]) and not float(r["valore"]).is_integer()
    ]


def _incoerenze(frame: pd.DataFrame, nome: str) -> list[Problema]:
    errori: list[Problema] = []
    for i in RICHIESTI:
        if i != VOLONTARIATO and pd.isna(frame.at[i, "valore"]):
            errori.append(
                Problema(
                    nome,
                    f"«{i}» non ha un valore ma la pagina lo mostra come cifra",
                    int(frame.at[i, "riga"]),
                    "valore",
                )
            )
    if errori:
        return errori
    atteso = resto(frame)
    if abs(frame.at[ALTRE_FONTI, "valore"] - atteso) > TOLLERANZA_EUR:
        errori.append(
            Problema(
                nome,
                f"«{ALTRE_FONTI}» deve essere totale − famiglie = {fmt.numero(atteso)}",
                int(frame.at[ALTRE_FONTI, "riga"]),
                "valore",
            )
        )
    if frame.at[FAMIGLIE, "valore"] > frame.at[TOTALE, "valore"]:
        errori.append(
            Problema(nome, "la quota delle famiglie supera il totale", int(frame.at[FAMIGLIE, "riga"]), "valore")
        )
    if frame.at[POPOLAZIONE, "valore"] <= 0:
        errori.append(
            Problema(nome, "la popolazione deve essere maggiore di zero", int(frame.at[POPOLAZIONE, "riga"]), "valore")
        )
    return errori


def cifra(frame: pd.DataFrame, id_: str) -> Cifra:
    r = frame.loc[id_]
    testo = lambda v: None if pd.isna(v) else str(v)  # noqa: E731 - pandas gives NaN for empty cells
    return Cifra(
        id=id_,
        valore=None if pd.isna(r["valore"]) else float(r["valore"]),
        unita=str(r["unita"]),
        riferimento=testo(r["riferimento"]),
        descrizione=str(r["descrizione"]),
        fonte=str(r["fonte"]),
        nota=testo(r["nota"]),
        tipo=str(r["tipo"]),
    )


def valore(frame: pd.DataFrame, id_: str) -> float:
    """The number for `id_`; a not-estimated figure has none, and asking for one is a bug."""
    v = frame.at[id_, "valore"]
    if pd.isna(v):
        raise ValueError(f"«{id_}» non è stimato: non ha un valore numerico")
    return float(v)


def fonte(frame: pd.DataFrame, id_: str) -> str:
    """The source of the figure `id_`, as written in the file."""
    return str(frame.at[id_, "fonte"])


def ore_minime(frame: pd.DataFrame) -> float:
    """Minimum weekly hours of a desk (row `ore_minime_sportello`, a required figure)."""
    return valore(frame, ORE_MINIME)


# --- Metrics. All are derived: the page labels them so. ---


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
