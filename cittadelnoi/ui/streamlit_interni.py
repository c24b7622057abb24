"""Every use of a Streamlit internal (not public API) in this project, behind one small adapter.

Each function says which internal it touches and what to check at each Streamlit upgrade
(CONTRIBUTING, «Streamlit internals»); the tests named here fail when an upgrade breaks one.
"""

from __future__ import annotations


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
