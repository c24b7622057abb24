"""The site's footer at the bottom of every Streamlit page (AgID's guidelines): the same partial
as the HTML routes (views/templates/piede.html, links and texts from views.piede), so the
dashboard and /segnala, /mappa, /accessibilita, /privacy show one footer.

Left out in presentation mode: a projected page must fit one screen, and the audience reads the
footer on their own phones. dashboard.py calls it after the page ran. A page that stops early calls
`ferma_pagina()`, never st.stop() alone: Streamlit draws nothing after a stop, not even from a
`finally` (tests/apptest/test_piede.py counts one footer on every page, the login gates included)."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

import streamlit as st

from cittadelnoi.views import modelli
from cittadelnoi.views import piede as piede_sito

# The partial's look inside Streamlit's page: a rule above, links in a row, the theme's colours.
_STILE = (
    "<style>.cdn-piede{border-top:1px solid #d0d4da;margin-top:2rem;padding-top:.5rem;font-size:.9rem}"
    ".cdn-piede ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}"
    ".cdn-piede li{margin:0;min-height:24px}.cdn-piede a{color:#0066cc}</style>"
)


def piede_pagina(aggiornati: dt.datetime | None, *, in_presentazione: bool = False) -> None:
    """The footer, in the run's language; `aggiornati`: when the data shown were last updated
    (Snapshot.caricato_il), None when there are no valid data (the footer says it is not known)."""
    if in_presentazione:
        return
    html = modelli.pagina("piede.html", piede=piede_sito.piede(aggiornati))
    st.html(_STILE + "<footer>" + html + "</footer>")


def ferma_pagina() -> NoReturn:
    """st.stop() with the footer drawn first (a login gate, a page that cannot be shown): after a
    stop, dashboard.py's own call draws nothing."""
    from cittadelnoi.ui.archivio import dati_se_ci_sono
    from cittadelnoi.ui.presentazione import in_presentazione

    snap = dati_se_ci_sono()
    piede_pagina(snap.caricato_il if snap is not None else None, in_presentazione=in_presentazione())
    st.stop()
    raise AssertionError("st.stop() returned")  # for the type checker
