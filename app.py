"""The served app: `streamlit run app.py` (what scripts/run.sh starts; see README, «Sicurezza»).

Streamlit's `st.App` runs dashboard.py as usual and mounts, in the same process, the two routes
of the Gestione login (cittadelnoi.web.sessione) that set and clear the HttpOnly session cookie,
which a Streamlit script cannot do. At start-up it logs the accounts' configuration problems
(no account, a password in clear, the demo account switched on or refused).
`streamlit run dashboard.py` still serves the whole dashboard; its Gestione login then lasts as
long as the open page (no cookie at all).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.web.sessione import rotte


def _registro() -> RegistroAccessi | None:
    from cittadelnoi.stores.db import DbStore
    from cittadelnoi.ui import archivio

    store = archivio()
    return store.registro_accessi() if isinstance(store, DbStore) else None


@asynccontextmanager
async def _avvio(_app: st.App) -> AsyncIterator[None]:
    from cittadelnoi.ui.gestione_accesso import controlla_configurazione

    controlla_configurazione()
    yield None


app = st.App("dashboard.py", routes=rotte(_registro), lifespan=_avvio)
