"""What leaves the dashboard from the overview: the meeting kit, the <iframe> of the public map,
the links to the open data, and the licence line of the sidebar."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from cittadelnoi.core import i18n, tempo, vista
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.metrics.filtri import Filtro, in_vista
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.archivio import layer_mappa, punti_nel_tempo, storico_disponibile
from cittadelnoi.ui.testo import md


def url_base() -> str:
    """The public address of the dashboard: the setting `url_pubblico`, else the one in the browser."""
    configurato = impostazioni().url_pubblico
    if configurato:
        return configurato
    parti = urlsplit(st.context.url or "")
    return f"{parti.scheme}://{parti.netloc}" if parti.scheme and parti.netloc else ""


def url_mappa(filtro: Filtro, quartieri: pd.DataFrame) -> str:
    params = vista.a_query(in_vista(filtro, quartieri, lingua=i18n.lingua()))
    return url_base() + "/mappa" + (("?" + urlencode(params)) if params else "")


def snippet_iframe(filtro: Filtro, quartieri: pd.DataFrame) -> str:
    titolo = _("Mappa dei punti di comunità di Brescia")
    return (
        f'<iframe src="{testo_html(url_mappa(filtro, quartieri))}" title="{testo_html(titolo)}" '
        'width="100%" height="480" style="border:0" loading="lazy"></iframe>'
    )


def kit_riunione(vista: Snapshot, filtro: Filtro, stato_al: dt.date | None, orari: dict[str, str]) -> bytes:
    """The meeting kit of the overview's current view (built only when the button is pressed)."""
    from cittadelnoi.views.kit_riunione import kit_panoramica
    from cittadelnoi.views.mappa_pubblica import pagina_mappa
    from cittadelnoi.views.mapview import Selezione

    codici = filtro.codici(vista.quartieri)
    mappa = pagina_mappa(
        layer_mappa(vista),
        vista.punti,
        orari,
        Selezione(frozenset(codici), filtro.quartiere),
        _("Mappa dei quartieri e dei punti di comunità"),
        inline=True,
        oggi=stato_al,
    )
    serie = punti_nel_tempo() if storico_disponibile() else None
    return kit_panoramica(vista, filtro, stato_al, orari, mappa, tempo.adesso(), serie).encode("utf-8")


def piede_licenza() -> None:
    """Sidebar footer: the licence of the data and the open-data catalogue."""
    lic = impostazioni().licenza
    st.sidebar.caption(
        _(
            "Dati aperti con licenza [{licenza}]({url}): [catalogo]({catalogo}), [mappa da incorporare]({mappa})."
        ).format(licenza=md(lic.nome), url=lic.url, catalogo="/dati/catalogo.jsonld", mappa="/mappa")
    )
