"""Brescia Città del Noi: the server. Run with `bash scripts/run.sh` (= `streamlit run app.py`).

`st.App` serves the dashboard (dashboard.py stays the app script, run for every session) and, in
the same process, the routes of `cittadelnoi.web.rotte`: open data under /dati/, /salute and the
public map /mappa (see README, "Open data and embedding"). The routes read the very store the pages
read (`ui.archivio`: one per process, created by whichever asks first), so they always serve the
current validated data.
"""

import streamlit as st

from cittadelnoi.web.rotte import rotte


def archivio():
    # Imported on first use, once Streamlit's runtime is up (its caches are created with it).
    from cittadelnoi.ui.archivio import archivio

    return archivio()


app = st.App("dashboard.py", routes=rotte(archivio))
