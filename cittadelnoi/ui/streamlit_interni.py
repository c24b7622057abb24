"""Every use of a Streamlit internal (not public API) in this project, behind one small adapter.

Each function says which internal it touches and what to check at each Streamlit upgrade
(CONTRIBUTING, «Streamlit internals»); the tests named here fail when an upgrade breaks one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def solo_navigazione_dell_app() -> None:
    """The app is navigated by dashboard.py's st.navigation, never by Streamlit's old-style
    multipage mode, from the first session of the process on.

    Internal: `streamlit.runtime.pages_manager.PagesManager.uses_pages_directory`, a class flag
    that Streamlit sets once, when the first session starts, to "a `pages/` folder exists next to
    the main script" (streamlit/streamlit#9624). Set to True, a page linked directly as the first
    request of a fresh server runs on its own, without dashboard.py: Streamlit's menu of file
    names, no filter, no app menu, and it stays so for that session. Called before the server
    starts (app.py, scripts/avvia.py). Upgrade check: the flag still exists with that meaning;
    tests/browser/test_link_diretti.py opens every page as a fresh server's first request."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def corsa_da_cronologia() -> bool:
    """True when the current script run was started by the browser's Back or Forward.

    Internal: `streamlit.runtime.scriptrunner.get_script_run_ctx().is_history_navigation`, set
    from the front end's rerun request. Without it (a future Streamlit) True: a URL that differs
    from the one the app wrote is then taken as navigation. Upgrade check: tests/browser/
    test_riunione.py and test_panoramica.py press Back and Forward."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "is_history_navigation", True))


def sostituisci_ricerca_ip(esterno: Callable[[], None], interno: Callable[[], None]) -> bool:
    """Replace Streamlit's look-ups of this machine's public and local IP; False when already done.

    Internal: `streamlit.net_util.get_external_ip` (an HTTP request to checkip.amazonaws.com) and
    `get_internal_ip` (a UDP "connect" to 8.8.8.8), module functions Streamlit calls at start and
    in the websocket's origin check. Upgrade check: tests/rete/test_nessuna_richiesta.py (no
    packet leaves the machine on any listen address)."""
    from streamlit import net_util

    if net_util.get_external_ip is esterno:
        return False
    net_util.get_external_ip = esterno
    net_util.get_internal_ip = interno
    return True


def con_rotte_dell_app() -> bool:
    """True when the server was started through app.py's st.App (its own routes are mounted).

    Internal: `streamlit.config._server_mode` ("starlette-app" or "starlette-app-direct").
    Upgrade check: tests/browser/test_gestione_sessione.py (the login cookie set by the route)."""
    from streamlit import config

    return getattr(config, "_server_mode", None) in ("starlette-app", "starlette-app-direct")


def pagina_di_streamlit() -> Path:
    """The index.html of Streamlit's front end, which web.lingua_pagina serves in the viewer's
    language. Internal: `streamlit.file_util.get_static_dir`. Upgrade check:
    tests/unit/web/test_lingua_pagina.py."""
    from streamlit.file_util import get_static_dir

    return Path(get_static_dir()) / "index.html"
