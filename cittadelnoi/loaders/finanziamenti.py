"""Funding figures of Brescia's welfare (data/finanziamenti.csv): read, checked, looked up.

Each row is one figure with its source. `tipo` says how far to trust it on screen: `documentato`
(printed in the source), `derivato` (computed by us, labelled so) or `non_stimato` (the source says
it was not estimated: no value, shown as "non stimato", never as zero). The ratios computed from
them and the page's texts are in `cittadelnoi.metrics.finanziamenti`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core import fmt
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import csvio
from cittadelnoi.loaders.csvio import File
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
# A derived euro figure may differ from its formula by rounding in the file, not by more.
TOLLERANZA_EUR = 0.5

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


def carica_finanziamenti(file: File) -> tuple[pd.DataFrame, list[Problema]]:
    """The figures of `file` (name, bytes) indexed by id (with the file row in `riga`) and csvio's warnings.

    Shape: index id (str, unique); columns riga, valore (float in `unita`: EUR, ore/settimana, punti,
    persone…; NaN only for tipo "non_stimato"), unita, riferimento (year or date the figure refers
    to, as written), descrizione, fonte, nota, tipo ("documentato" | "derivato" | "non_stimato").
    Every id of RICHIESTI must be present with a value (VOLONTARIATO may be "non_stimato"), e.g.
    ORE_MINIME, the weekly minimum of a desk that the hours page and the printable sheet read.

    Raises DatiNonValidi naming file, row and column for anything the page cannot trust.
    """
    nome = file[0]
    grezzo, avvisi = csvio.leggi_csv(file, COLONNE, OBBLIGATORIE)
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
    atteso = valore(frame, TOTALE) - valore(frame, FAMIGLIE)
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
