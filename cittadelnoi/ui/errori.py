"""Every failure is a message, never a traceback: the page runner's last net.

`client.showErrorDetails = "none"` (config.toml) already keeps exception texts, tracebacks and
server paths out of the browser; this module turns what a page did not catch into an Italian
message that says what happened and what still works, and logs the details on the server.
"""

from __future__ import annotations

import logging

import streamlit as st

from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.ui.testo import md

_log = logging.getLogger("cittadelnoi.pagine")


def mostra_errore(exc: Exception) -> None:
    """The message for an exception that reached the page's top."""
    if isinstance(exc, ErroreArchivio):
        st.error(
            md(exc.messaggio) + " " + _("Le altre pagine restano consultabili."),
            icon=":material/database:",
        )
    elif isinstance(exc, DatiNonValidi):
        st.error(
            _("Dati non validi: questa parte della pagina non può essere mostrata.") + " " + md(str(exc.problemi[0])),
            icon=":material/error:",
        )
    else:
        st.error(
            _(
                "Si è verificato un errore imprevisto in questa pagina: una parte non può essere mostrata. "
                "Le altre pagine e i dati restano disponibili; ricaricare la pagina o riprovare più tardi. "
                "L'errore è stato registrato sul server."
            ),
            icon=":material/error:",
        )


def esegui_pagina(pagina) -> None:
    """Run the page chosen by st.navigation; an exception becomes a message (st.rerun and st.stop,
    which are BaseException, pass through)."""
    try:
        pagina.run()
    except Exception as exc:
        _log.exception("errore nella pagina %s", getattr(pagina, "url_path", "?"))
        mostra_errore(exc)
        if impostazioni().rilancia_errori:
            # Tests (tests/apptest/conftest.py): the message is shown, and the exception still
            # reaches AppTest's `at.exception`, so a page that breaks fails its test.
            raise
