"""Brescia Città del Noi: the server. Run with `bash scripts/run.sh` (= `streamlit run app.py`).

`st.App` serves the dashboard (dashboard.py stays the app script, run for every session) and, in
the same process:
- the routes of `cittadelnoi.web.rotte`: open data under /dati/, /salute, the public map /mappa
  (see README, "Open data and embedding") and /versione (the data version every open page checks).
  They read the very store the pages read
  (`ui.archivio`: one per process, created by whichever asks first), so they always serve the
  current validated data;
- the citizen pages `/quartieri`, `/quartieri/<codice_istat>`, `/punti/<id>` (`cittadelnoi.web.cittadino`):
  small server-rendered pages, what the meeting's QR code opens on a phone;
- `/segnala` (`cittadelnoi.web.segnala`): the form citizens report corrections with, no account
  needed; reports go to the Gestione page's queue (README, «Segnalazioni»);
- `/accessibilita` and `/privacy` (`cittadelnoi.web.informative`): the accessibility statement
  and the privacy and cookie page every page's footer links (README, «Accessibility», «Privacy»);
- the two routes of the Gestione login (`cittadelnoi.web.sessione`, under /auth/) that set and
  clear the HttpOnly session cookie, which a Streamlit script cannot do (README, «Sicurezza»);
- a middleware that serves Streamlit's page shell in the viewer's language (`<html lang>`, the
  skip link; `cittadelnoi.web.lingua_pagina`).
At start-up it logs the accounts' configuration problems (no account, a password in clear, the
demo account switched on or refused). `streamlit run dashboard.py` still serves the dashboard;
its Gestione login then lasts as long as the open page (no cookie at all).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni
from cittadelnoi.ui.rete import nessuna_richiesta_esterna
from cittadelnoi.ui.streamlit_interni import pagina_di_streamlit, solo_navigazione_dell_app
from cittadelnoi.web.cittadino import rotte as rotte_cittadino
from cittadelnoi.web.informative import rotte as rotte_informative
from cittadelnoi.web.lingua_pagina import LinguaDellaPagina
from cittadelnoi.web.rotte import rotte
from cittadelnoi.web.segnala import rotte as rotte_segnala
from cittadelnoi.web.sessione import rotte as rotte_sessione

# Before the server listens: Streamlit never asks a remote service for this machine's public IP
# (README, «Works offline»; tests/rete).
nessuna_richiesta_esterna()
# Before the first session: every page, even linked as a fresh server's first request, runs
# through dashboard.py's st.navigation (streamlit#9624; tests/browser/test_link_diretti.py).
solo_navigazione_dell_app()
# The settings (environment and secrets files), read and checked once: a wrong one stops the server
# here, with a message naming it, instead of failing in the pages and routes that use it.
impostazioni()


def archivio():
    # Imported on first use, once Streamlit's runtime is up (its caches are created with it).
    from cittadelnoi.ui.archivio import archivio

    return archivio()


def versione_dati() -> str | None:
    """The data version the process's watcher keeps in memory (what /versione answers)."""
    from cittadelnoi.ui.archivio import sorvegliante

    return sorvegliante().versione


def registro_accessi() -> RegistroAccessi | None:
    """Sessions and access log of the Gestione page (None in file mode: no login at all)."""
    from cittadelnoi.stores.db import DbStore

    store = archivio()
    return store.registro_accessi() if isinstance(store, DbStore) else None


def registro_segnalazioni() -> RegistroSegnalazioni | None:
    """Citizens' reports of /segnala (None in file mode: the form says they are not available)."""
    from cittadelnoi.stores.db import DbStore

    store = archivio()
    return store.segnalazioni() if isinstance(store, DbStore) else None


@asynccontextmanager
async def _avvio(_app: st.App) -> AsyncIterator[None]:
    from cittadelnoi.ui.gestione_accesso import controlla_configurazione

    controlla_configurazione()
    yield None


app = st.App(
    "dashboard.py",
    routes=[
        *rotte(archivio, versione_dati),
        *rotte_sessione(registro_accessi),
        *rotte_segnala(archivio, registro_segnalazioni),
        *rotte_informative(archivio),
        *rotte_cittadino(archivio),
    ],
    middleware=[Middleware(LinguaDellaPagina, indice=pagina_di_streamlit())],
    lifespan=_avvio,
)
