"""The citizen pages: one small server-rendered HTML page for the city, each quartiere and each point.

    /quartieri               the 33 quartieri by zona, with their status and counts
    /quartieri/<codice>      a quartiere: status, small map (views.mappa_svg), its points and desks
    /punti/<id>              a point: address, managing body, desk hours, last confirmation, sources

What the QR code of a meeting opens on a phone: no JavaScript needed (templates/cittadino/,
autoescaped: views.modelli). The desk's weekly schedule is in the page; a few lines of script
(static/cittadino.js) add "open now / next opening" in Brescia's time zone (`core.tempo.FUSO`, given
to the script by the page) at the moment the page is read, so a page cached for the whole data
version still says it right. The words and symbols of a status are the map's (metrics.stato,
views.mapview_stile). The printable sheet of a quartiere (views.esporta.scheda_quartiere) is the
quartiere page itself with its print style.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd

from cittadelnoi.core import fmt, i18n, pubblicazione, tempo, vista
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.metrics.aperture import fasce_minuti
from cittadelnoi.metrics.filtri import Filtro, in_vista, slug
from cittadelnoi.metrics.registro import fonte_punto, testo_conferma
from cittadelnoi.metrics.stato import etichetta
from cittadelnoi.views import mappa_svg, modelli
from cittadelnoi.views.mapview_stile import SIMBOLI
from cittadelnoi.views.piede import piede
from cittadelnoi.views.segnala import url_segnala

SCRIPT = "/app/static/cittadino.js"  # static/cittadino.js, served by Streamlit's static serving


class Dati(Protocol):
    """What the pages read of a `stores.base.Snapshot` (views do not import the stores)."""

    @property
    def quartieri(self) -> gpd.GeoDataFrame: ...
    @property
    def punti(self) -> pd.DataFrame: ...
    @property
    def sportelli(self) -> pd.DataFrame: ...
    @property
    def stati(self) -> gpd.GeoDataFrame: ...
    @property
    def caricato_il(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Indirizzi:
    """Where the links of a page go: `base` '' (same site) or the public address, no trailing slash."""

    base: str = ""
    lingua: str = i18n.PREDEFINITA

    def url(self, percorso: str, **params: str | None) -> str:
        pieni = {k: v for k, v in params.items() if v is not None}
        if self.lingua != i18n.PREDEFINITA:
            pieni["lang"] = self.lingua
        return self.base + percorso + (("?" + urlencode(pieni)) if pieni else "")


def stato_testo(stato: str) -> str:
    """'✓ attivo' / '◐ in apertura' / 'mancante': the map's symbol and word."""
    simbolo = SIMBOLI.get(stato)
    return f"{simbolo} {etichetta(stato)}" if simbolo else etichetta(stato)


def _testo(v: object) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def _orari(sportelli: pd.DataFrame) -> list[tuple[str, str]]:
    """(weekday name, '15:30–17:30') of each slot, Monday first."""
    nomi = tempo.giorni("wide")
    righe = sportelli.assign(_g=sportelli["giorno"].map(tempo.GIORNI.index)).sort_values(["_g", "inizio_min"])
    return [(nomi[g], f"{a}–{b}") for g, a, b in zip(righe["_g"], righe["inizio"], righe["fine"], strict=True)]


def _punto(p: dict, sportelli: pd.DataFrame, fasce: dict, nomi_q: dict, ind: Indirizzi, oggi: dt.date) -> dict:
    pid = str(p["id"])
    suoi = sportelli[sportelli["id_punto"] == pid]
    orari = _orari(suoi)
    return {
        "id": pid,
        "url": ind.url(f"/punti/{pid}"),
        "nome": p["nome"],
        "stato": stato_testo(p["stato"]),
        "quartiere": nomi_q.get(p["codice_istat"]),
        "quartiere_url": ind.url(f"/quartieri/{p['codice_istat']}"),
        "indirizzo": _testo(p.get("indirizzo")),
        "ente_gestore": _testo(p.get("ente_gestore")),
        "orari": orari,
        # Without slots in the register, what punti.csv says of the desk (as the printable sheet did).
        "sportello": None if orari else _testo(p.get("sportello")),
        "orari_demo": bool(suoi["dimostrativo"].any()) if "dimostrativo" in suoi else False,
        "fasce": json.dumps(fasce.get(pid, []), separators=(",", ":")),
        "conferma": testo_conferma(_testo(p.get("conferma")), oggi),
        "fonte": fonte_punto(p.get("fonte"), p.get("aggiornato_referente")),
        "fonti_orari": sorted(set(suoi["fonte"].dropna().astype(str))) if "fonte" in suoi else [],
        "dimostrativo": bool(p.get("dimostrativo")),
        "da_verificare": bool(p.get("quartiere_da_verificare")),
        "calendario": _calendario(ind, punto=pid),
        "segnala": url_segnala(punto=pid, lingua=ind.lingua, base=ind.base),
    }


def _calendario(ind: Indirizzi, **params: str) -> str:
    # /dati/orari.ics takes no lang: the calendar is the same file in both languages.
    return ind.base + "/dati/orari.ics" + (("?" + urlencode(params)) if params else "")


def _cruscotto(dati: Dati, filtro: Filtro, ind: Indirizzi) -> str:
    link = vista.a_query(in_vista(filtro, dati.quartieri, lingua=ind.lingua))
    return ind.base + "/" + (("?" + urlencode(link)) if link else "")


def _comune(dati: Dati, ind: Indirizzi, titolo: str, percorso: str) -> dict[str, Any]:
    """What every citizen page has: language, title, the other language, the footer."""
    from cittadelnoi.views.esporta import filigrana

    lic = impostazioni().licenza
    altra = "en" if ind.lingua == "it" else "it"
    aggiornati = tempo.quando(dati.caricato_il)
    return {
        "lingua": ind.lingua,
        "titolo": titolo,
        "progetto": "Brescia Città del Noi",
        "script": SCRIPT,
        "fuso": tempo.FUSO.key,
        "testi_script": json.dumps(
            {
                "aperto_fino": _("aperto, fino alle {ora}"),
                "chiuso_apre": _("chiuso: apre {quando} alle {ora}"),
                "oggi": _("oggi"),
                "domani": _("domani"),
                "giorni": tempo.giorni("wide"),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "altra_lingua": {
            "codice": altra,
            "nome": i18n.LINGUE[altra],
            "url": Indirizzi(ind.base, altra).url(percorso),
        },
        "citta_url": ind.url("/quartieri"),
        "filigrana": filigrana(),
        "licenza": {
            "testo": _("Dati: {titolare}").format(titolare=pubblicazione.TITOLARE),
            "nome": lic.nome,
            "url": lic.url,
        },
        "aggiornati": _("Dati aggiornati il {data} alle {ora}").format(data=aggiornati.data, ora=aggiornati.ora),
        "segnala_generale": url_segnala(lingua=ind.lingua, base=ind.base),
        "piede": piede(dati.caricato_il),  # the site's footer (AgID): statement, report, privacy, licence
        "t": {
            "salta": _("Vai al contenuto"),
            "tutti": _("Tutti i quartieri"),
            "segnala": _("Segnala un errore"),
            "apri": _("Apri il cruscotto su questa vista"),
            "calendario": _("Orari nel calendario (.ics)"),
            "indirizzo": _("Indirizzo"),
            "ente": _("Ente gestore"),
            "orari": _("Orari dello sportello"),
            "senza_orari": _("orari non documentati"),
            "orari_demo": _("orari dimostrativi"),
            "conferma": _("Ultima conferma"),
            "fonte": _("Fonte"),
            "fonti_orari": _("Fonte degli orari"),
            "ignoto": _("non noto"),
            "demo": _("dati dimostrativi"),
            "da_verificare": _("quartiere da verificare"),
            "stato": _("Stato"),
            "quartiere": _("Quartiere"),
            "zona": _("Zona"),
            "punti": _("Punti di comunità"),
        },
    }


def _mappa(dati: Dati, codici: list[str], punti: pd.DataFrame, scelto: str | None, titolo: str) -> dict:
    disegno = mappa_svg.disegna(dati.stati, codici, punti, scelto)
    descrizione = "; ".join(f"{a.nome}: {etichetta(a.stato)}" for a in disegno.aree)
    if disegno.segni:
        descrizione += ". " + _("Punti segnati: {punti}.").format(
            punti="; ".join(f"{s.numero} {s.nome} ({etichetta(s.stato)})" for s in disegno.segni)
        )
    return {"disegno": disegno, "titolo": titolo, "descrizione": descrizione}


def pagina_citta(dati: Dati, ind: Indirizzi) -> str:
    """/quartieri: every quartiere by zona (zone and names in alphabetical order), status and counts."""
    stati = dati.stati.sort_values(["zona", "nome"])
    zone = []
    for zona, gruppo in stati.groupby("zona", sort=True):
        zone.append(
            {
                "nome": zona,
                "slug": slug(str(zona)),
                "quartieri": [
                    {
                        "nome": r["nome"],
                        "url": ind.url(f"/quartieri/{r['codice_istat']}"),
                        "stato": r["stato"],
                        "stato_testo": stato_testo(r["stato"]),
                        "attivi": fmt.numero(int(r["n_attivi"])),
                        "in_apertura": fmt.numero(int(r["n_in_apertura"])),
                    }
                    for r in gruppo.to_dict("records")
                ],
            }
        )
    conta = stati["stato"].value_counts()
    titolo = _("Punti di comunità nei quartieri di Brescia")
    return modelli.pagina(
        "cittadino/citta.html",
        **_comune(dati, ind, titolo, "/quartieri"),
        zone=zone,
        sintesi=_(
            "Quartieri con un punto attivo: {attivi} su {totale}; con un punto in apertura: {in_apertura}."
        ).format(
            attivi=fmt.numero(int(conta.get("attivo", 0))),
            totale=fmt.numero(len(stati)),
            in_apertura=fmt.numero(int(conta.get("in_apertura", 0))),
        ),
        mappa=_mappa(dati, list(stati["codice_istat"]), dati.punti.iloc[0:0], None, titolo),
        cruscotto=_cruscotto(dati, Filtro(), ind),
        calendario=_calendario(ind),
        intestazioni=[_("Quartiere"), _("Stato"), _("Punti attivi"), _("Punti in apertura")],
    )


def pagina_quartiere(
    dati: Dati,
    codice: str,
    ind: Indirizzi,
    oggi: dt.date,
    contesto: list[tuple[str, str, str]] | None = None,
    stile_stampa: bool = False,
    titolo: str | None = None,
    nota: str | None = None,
) -> str:
    """/quartieri/<codice>. KeyError when `codice` is not a quartiere. `oggi`: the day old
    confirmations are judged on. `contesto`: (label, value, source) rows of city-wide figures,
    shown under the points, `stile_stampa` (no script), `titolo` and `nota` (a line under the
    footer): the printable sheet downloaded from the dashboard (see `scheda`)."""
    q = dati.stati.set_index("codice_istat").loc[codice]
    punti = dati.punti[dati.punti["codice_istat"] == codice].sort_values("nome")
    nomi_q = dict(zip(dati.quartieri["codice_istat"], dati.quartieri["nome"], strict=True))
    fasce = fasce_minuti(dati.sportelli[dati.sportelli["id_punto"].isin(set(punti["id"]))])
    righe = [_punto(p, dati.sportelli, fasce, nomi_q, ind, oggi) for p in punti.to_dict("records")]
    titolo = titolo or _("Quartiere {nome}").format(nome=q["nome"])
    residenti = q.get("residenti")
    return modelli.pagina(
        "cittadino/quartiere.html",
        **_comune(dati, ind, titolo, f"/quartieri/{codice}"),
        codice=codice,
        zona=q["zona"],
        stato=q["stato"],
        stato_testo=stato_testo(q["stato"]),
        residenti=None
        if residenti is None or pd.isna(residenti)
        else _("{n} residenti ({anno}; fonte: {fonte})").format(
            n=fmt.numero(int(residenti)), anno=int(q["anno_residenti"]), fonte=q["fonte_residenti"]
        ),
        area=fmt.numero(q["area_km2"], 2),
        punti=righe,
        nessun_punto=_("Nessun punto di comunità in questo quartiere."),
        mappa=_mappa(
            dati,
            mappa_svg.vicini(dati.stati, codice),
            punti,
            codice,
            _("Mappa del quartiere {nome} e dei quartieri confinanti").format(nome=q["nome"]),
        ),
        cruscotto=_cruscotto(dati, Filtro(quartiere=codice), ind),
        calendario=_calendario(ind, quartiere=codice),
        segnala=url_segnala(quartiere=codice, lingua=ind.lingua, base=ind.base),
        contesto=contesto or [],
        stampa=stile_stampa,
        nota=nota,
        fonte_confini=_("Confini: {fonte}").format(fonte=q["fonte"]),
        tt={"contesto": _("Contesto cittadino"), "area": _("Area"), "codice": _("Codice ISTAT")},
    )


def pagina_punto(dati: Dati, pid: str, ind: Indirizzi, oggi: dt.date) -> str:
    """/punti/<id>. KeyError when `pid` is not a point of the register."""
    trovati = dati.punti[dati.punti["id"] == pid]
    if trovati.empty:
        raise KeyError(pid)
    p = trovati.iloc[0].to_dict()
    codice = str(p["codice_istat"])
    nomi_q = dict(zip(dati.quartieri["codice_istat"], dati.quartieri["nome"], strict=True))
    fasce = fasce_minuti(dati.sportelli[dati.sportelli["id_punto"] == pid])
    riga = _punto(p, dati.sportelli, fasce, nomi_q, ind, oggi)
    return modelli.pagina(
        "cittadino/punto.html",
        **_comune(dati, ind, str(p["nome"]), f"/punti/{pid}"),
        p=riga,
        mappa=_mappa(
            dati,
            mappa_svg.vicini(dati.stati, codice),
            trovati,
            codice,
            _("Mappa del quartiere {nome} con il punto").format(nome=nomi_q.get(codice, codice)),
        ),
        cruscotto=_cruscotto(dati, Filtro(quartiere=codice), ind),
        segnala=riga["segnala"],
    )


_SLOT = ["id_punto", "giorno", "inizio", "fine", "inizio_min", "fine_min", "fonte", "dimostrativo"]


@dataclass(frozen=True)
class _DatiScheda:
    quartieri: gpd.GeoDataFrame
    punti: pd.DataFrame
    sportelli: pd.DataFrame
    stati: gpd.GeoDataFrame
    caricato_il: dt.datetime


def scheda(
    stati: gpd.GeoDataFrame,
    punti: pd.DataFrame,
    orari: dict[str, str],
    contesto: list[tuple[str, str, str]],
    codice: str,
    generato: dt.datetime,
    oggi: dt.date,
) -> str:
    """The printable sheet of a quartiere (views.esporta.scheda_quartiere): its page, the desk hours
    as the text of `orari` (the dashboard's view may be a past day: its data, not today's slots)."""
    testi = punti.assign(
        sportello=[orari.get(str(i)) or s for i, s in zip(punti["id"], _colonna(punti, "sportello"), strict=True)]
    )
    dati = _DatiScheda(stati, testi, pd.DataFrame(columns=_SLOT), stati, generato)
    q = stati.set_index("codice_istat").loc[codice]
    lic = impostazioni().licenza
    return pagina_quartiere(
        dati,
        codice,
        Indirizzi((impostazioni().url_pubblico or "").rstrip("/")),
        oggi,
        contesto=contesto,
        stile_stampa=True,
        titolo=_("Scheda del quartiere {nome}").format(nome=q["nome"]),
        nota=_(
            "Brescia Città del Noi — generato il {data}. Fonte dei confini: Comune di Brescia, confini dei quartieri (2022)."
        ).format(data=tempo.quando(generato).data)
        + " "
        + _("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome),
    )


def _colonna(frame: pd.DataFrame, nome: str) -> list:
    return list(frame[nome]) if nome in frame else [None] * len(frame)
