"""The meeting kit: the overview's current view as ONE self-contained HTML file.

Filters, "Stato al" date, KPIs, the map (Leaflet and topojson-client inlined, in an <iframe srcdoc>),
the chart of points over time (plotly.js inlined), the tables, the sources, the licence and the
export time. It opens from a USB key with no server and no network, and prints on A4 (@page).
Written by the template templates/kit_riunione.html (views.modelli: autoescaped, so every text
from the data is text); the map shows it with textContent (mapview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from cittadelnoi.core import fmt, i18n, palette, pubblicazione, tempo
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.metrics.filtri import Filtro, slug
from cittadelnoi.metrics.panoramica import tabella_quartieri
from cittadelnoi.metrics.registro import (
    aggiornati_referente,
    fonte_punto,
    testi_conferma,
)
from cittadelnoi.metrics.stato import etichetta, kpi
from cittadelnoi.views import modelli


@dataclass
class Contenuto:
    """What the overview shows, already in the current language and formatted."""

    titolo: str
    ambito: str  # "Vista della zona Sud."
    filtri: list[tuple[str, str]]  # (label, value): zona, quartiere
    stato_al: dt.date | None  # None: today's data
    kpi: list[tuple[str, str]]  # (label, value)
    mappa: str  # the whole map page, vendor files inlined (mappa_pubblica.pagina_mappa(inline=True))
    tabelle: list[tuple[str, pd.DataFrame]]
    fonti: list[str]
    esportato: dt.datetime
    versione: str
    grafico: object | None = None  # a plotly Figure
    note_grafico: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)


def _tabella(frame: pd.DataFrame) -> dict[str, list]:
    """The frame as the template's table: column names, and each cell as (text, is a number)."""

    def cella(v: object) -> tuple[str, bool]:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return "—", False
        if isinstance(v, bool):
            return (_("sì") if v else _("no")), False
        if isinstance(v, (int, float)):
            return (fmt.numero(v, 2) if isinstance(v, float) and not float(v).is_integer() else fmt.numero(v)), True
        return str(v), False

    return {
        "colonne": [str(c) for c in frame.columns],
        "righe": [[cella(v) for v in riga] for riga in frame.itertuples(index=False)],
    }


def _grafico(fig) -> str:
    """The figure as a div with plotly.js inlined (no CDN), sized for an A4 page."""
    import plotly.graph_objects as go

    copia = go.Figure(fig)
    copia.update_layout(width=700, height=380, autosize=False)
    return copia.to_html(
        full_html=False,
        include_plotlyjs=True,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": False, "modeBarButtonsToRemove": ["toImage"]},
    )


def kit_riunione(c: Contenuto) -> str:
    lic = impostazioni().licenza
    stato_al = (
        _("Stato al {data}: dati come risultavano dal registro in quel giorno.").format(data=fmt.data(c.stato_al))
        if c.stato_al
        else _("Dati attuali.")
    )
    piede = _(
        "Esportato il {data} alle {ora} dal cruscotto Brescia Città del Noi · versione dei dati {versione}."
    ).format(data=fmt.data(c.esportato.date()), ora=c.esportato.strftime("%H:%M"), versione=c.versione[:8])
    return modelli.pagina(
        "kit_riunione.html",
        c=c,
        lingua=i18n.lingua(),
        arancio=palette.ARANCIO,
        stato_al=stato_al,
        grafico=None if c.grafico is None else modelli.html_fidato(_grafico(c.grafico)),
        tabelle=[(titolo, _tabella(frame)) for titolo, frame in c.tabelle],
        licenza=_("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome),
        licenza_url=lic.url,
        piede=piede,
        t={
            "in_cifre": _("In cifre"),
            "mappa": _("Mappa dei quartieri e dei punti di comunità"),
            "grafico": _("Punti di comunità nel tempo"),
            "fonti": _("Fonti"),
        },
    )


def nome_file(esportato: dt.datetime, parti: Sequence[str | None] = ()) -> str:
    """'cittadelnoi-riunione-sud-2026-11-30.html'."""
    pezzi = ["cittadelnoi-riunione", *[slug(p) for p in parti if p], esportato.date().isoformat()]
    return "-".join(p for p in pezzi if p) + ".html"


class DatiVista(Protocol):
    """What the kit reads of a `stores.base.Snapshot` (views do not import the stores)."""

    @property
    def quartieri(self) -> pd.DataFrame: ...
    @property
    def punti(self) -> pd.DataFrame: ...
    @property
    def versione(self) -> str: ...
    @property
    def stati(self) -> pd.DataFrame: ...


def kit_panoramica(
    vista: DatiVista,
    filtro: Filtro,
    stato_al: dt.date | None,
    orari: dict[str, str],
    mappa: str,
    esportato: dt.datetime,
    serie: pd.DataFrame | None = None,
) -> str:
    """The kit of the overview for `filtro`, on the data of `vista` (today's or those of `stato_al`);
    `mappa` is the map page with its files inlined, `serie` the points over time (None: no chart)."""
    from cittadelnoi.views.charts_storico import fonti_documentate, grafico_punti_nel_tempo

    q = vista.quartieri
    codici = filtro.codici(q)
    nomi = q.set_index("codice_istat")["nome"]
    k = kpi(vista.stati, vista.punti, codici)
    if filtro.quartiere:
        ambito = _("Vista del quartiere {nome}.").format(nome=nomi[filtro.quartiere])
    elif filtro.zona:
        ambito = _("Vista della zona {zona}.").format(zona=filtro.zona)
    else:
        ambito = _("Vista di tutta la città.")
    punti = vista.punti[vista.punti["codice_istat"].isin(codici)].sort_values(["codice_istat", "nome"])
    # Old confirmations are judged on the view's day: its «Stato al», else the day of the export.
    giorno = stato_al or tempo.giorno_locale(esportato)
    conferme = testi_conferma(punti, giorno)
    tabella_punti = pd.DataFrame(
        {
            _("Punto"): punti["nome"],
            _("Quartiere"): punti["codice_istat"].map(nomi),
            _("Stato"): punti["stato"].map(etichetta),
            _("Indirizzo"): punti["indirizzo"],
            _("Sportello"): punti["id"].map(orari).fillna(_("orari non documentati")),
            _("Dati dimostrativi"): punti["dimostrativo"],
            _("Ultima conferma"): [conferme[str(i)] for i in punti["id"]],
            _("Fonte"): [fonte_punto(f, a) for f, a in zip(punti["fonte"], aggiornati_referente(punti), strict=True)],
        }
    )
    avvisi = []
    if k.punti_dimostrativi:
        avvisi.append(
            ngettext(
                "{n} punto dimostrativo: segnaposto con orari dimostrativi, segnato nella tabella dei punti.",
                "{n} punti dimostrativi: segnaposto con orari dimostrativi, segnati nella tabella dei punti.",
                k.punti_dimostrativi,
            ).format(n=k.punti_dimostrativi)
        )
    contenuto = Contenuto(
        titolo=_("Punti di comunità nei quartieri") + " — Brescia Città del Noi",
        ambito=_("Obiettivo del progetto: un punto di comunità in ognuno dei {n} quartieri.").format(n=len(q))
        + " "
        + ambito,
        filtri=[
            (_("Zona"), filtro.zona or _("Tutte le zone")),
            (_("Quartiere"), str(nomi[filtro.quartiere]) if filtro.quartiere else _("Tutti i quartieri")),
            (_("Stato al"), fmt.data(stato_al or esportato.date())),
        ],
        stato_al=stato_al,
        kpi=[
            (_("Punti attivi"), fmt.numero(k.punti_attivi)),
            (_("Punti in apertura"), fmt.numero(k.punti_in_apertura)),
            (_("Quartieri senza punto"), fmt.numero(k.quartieri_mancanti)),
            (_("Copertura"), f"{k.quartieri_coperti}/{k.quartieri_totali} · {fmt.percentuale(k.copertura)}"),
        ],
        mappa=mappa,
        tabelle=[
            (_("Tabella dei quartieri"), tabella_quartieri(vista.stati, codici)),
            (_("Punti di comunità"), tabella_punti),
        ],
        fonti=[
            _("Confini e dati dei quartieri: {fonte}").format(fonte="; ".join(sorted(set(q["fonte"])))),
            _("Registro dei punti e orari degli sportelli: la fonte di ogni punto è nella tabella dei punti."),
            _("Dati aperti completi: /dati/catalogo.jsonld sul server del cruscotto."),
        ],
        esportato=esportato,
        versione=vista.versione,
        grafico=grafico_punti_nel_tempo(serie, al=stato_al) if serie is not None and not serie.empty else None,
        note_grafico=fonti_documentate(serie) if serie is not None and not serie.empty else [],
        avvisi=avvisi,
    )
    return kit_riunione(contenuto)
