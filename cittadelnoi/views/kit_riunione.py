"""The meeting kit: the overview's current view as ONE self-contained HTML file.

Filters, "Stato al" date, KPIs, the map (Leaflet and topojson-client inlined, in an <iframe srcdoc>),
the chart of points over time (plotly.js inlined), the tables, the sources, the licence and the
export time. It opens from a USB key with no server and no network, and prints on A4 (@page).
Every text from the data is escaped here; the map shows it with textContent (mapview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from cittadelnoi.core import fmt, i18n, palette, pubblicazione, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.metrics.filtri import Filtro, slug
from cittadelnoi.metrics.panoramica import tabella_quartieri
from cittadelnoi.metrics.registro import (
    aggiornati_referente,
    fonte_punto,
    testi_conferma,
)
from cittadelnoi.metrics.stato import etichetta, kpi


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


_CSS_MODELLO = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 sans-serif; color: #000; background: #fff; max-width: 186mm; margin: 8mm auto; padding: 0 4mm; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; }
.sotto { color: #333; margin: 0 0 8pt; }
dl.filtri { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 6pt 0; }
dl.filtri dt { font-weight: bold; } dl.filtri dd { margin: 0; }
.kpi { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6pt; margin: 8pt 0; }
.kpi div { border: 1px solid #777; border-radius: 4px; padding: 5pt 7pt; }
.kpi .v { display: block; font-size: 16pt; font-weight: bold; }
.avviso { border-left: 4px solid ARANCIO; padding: 4pt 8pt; background: #fff7e6; margin: 6pt 0; }
iframe.mappa { width: 100%; height: 125mm; border: 1px solid #777; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; }
.fonti li, .piede { font-size: 8.5pt; color: #222; }
.piede { margin-top: 14pt; border-top: 1px solid #999; padding-top: 6pt; }
section { break-inside: avoid-page; }
section.tabella { break-inside: auto; } tr { break-inside: avoid; } thead { display: table-header-group; }
@media print { body { margin: 0; padding: 0; max-width: none; } .schermo { display: none; } }
"""
_CSS = _CSS_MODELLO.replace("ARANCIO", palette.ARANCIO)


def _tabella(frame: pd.DataFrame) -> str:
    e = testo_html

    def cella(v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return "<td>—</td>"
        if isinstance(v, bool):
            return f"<td>{e(_('sì') if v else _('no'))}</td>"
        if isinstance(v, (int, float)):
            testo = fmt.numero(v, 2) if isinstance(v, float) and not float(v).is_integer() else fmt.numero(v)
            return f"<td class='n'>{e(testo)}</td>"
        return f"<td>{e(str(v))}</td>"

    testa = "".join(f"<th scope='col'>{e(str(c))}</th>" for c in frame.columns)
    corpo = "".join("<tr>" + "".join(cella(v) for v in riga) + "</tr>" for riga in frame.itertuples(index=False))
    return f"<table><thead><tr>{testa}</tr></thead><tbody>{corpo}</tbody></table>"


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
    e = testo_html
    lic = impostazioni().licenza
    stato_al = (
        _("Stato al {data}: dati come risultavano dal registro in quel giorno.").format(data=fmt.data(c.stato_al))
        if c.stato_al
        else _("Dati attuali.")
    )
    filtri = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in c.filtri)
    kpi = "".join(f"<div>{e(k)}<span class='v'>{e(v)}</span></div>" for k, v in c.kpi)
    avvisi = "".join(f"<p class='avviso'>{e(a)}</p>" for a in c.avvisi)
    grafico = ""
    if c.grafico is not None:
        note = "".join(f"<li>{e(n)}</li>" for n in c.note_grafico)
        grafico = (
            f"<section><h2>{e(_('Punti di comunità nel tempo'))}</h2>{_grafico(c.grafico)}"
            + (f"<ul class='fonti'>{note}</ul>" if note else "")
            + "</section>"
        )
    tabelle = "".join(
        f"<section class='tabella'><h2>{e(titolo)}</h2>{_tabella(frame)}</section>" for titolo, frame in c.tabelle
    )
    fonti = "".join(f"<li>{e(f)}</li>" for f in c.fonti)
    ora = c.esportato.strftime("%H:%M")
    piede = _(
        "Esportato il {data} alle {ora} dal cruscotto Brescia Città del Noi · versione dei dati {versione}."
    ).format(data=fmt.data(c.esportato.date()), ora=ora, versione=c.versione[:8])
    licenza = _("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome)
    mappa_titolo = _("Mappa dei quartieri e dei punti di comunità")
    return f"""<!DOCTYPE html>
<html lang="{e(i18n.lingua())}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(c.titolo)}</title>
<style>{_CSS}</style></head><body>
<header><h1>{e(c.titolo)}</h1><p class="sotto">{e(c.ambito)} {e(stato_al)}</p>
<dl class="filtri">{filtri}</dl></header>
<section><h2>{e(_("In cifre"))}</h2><div class="kpi">{kpi}</div>{avvisi}</section>
<section><h2>{e(mappa_titolo)}</h2>
<iframe class="mappa" title="{e(mappa_titolo)}" srcdoc="{e(c.mappa)}"></iframe></section>
{grafico}
{tabelle}
<section><h2>{e(_("Fonti"))}</h2><ul class="fonti">{fonti}</ul></section>
<p class="piede">{e(licenza)} (<span>{e(lic.url)}</span>)<br>{e(piede)}</p>
</body></html>
"""


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
            _("{n} punti dimostrativi: segnaposto con orari dimostrativi, segnati nella tabella dei punti.").format(
                n=k.punti_dimostrativi
            )
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
