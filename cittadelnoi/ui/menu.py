"""The page menu in the sidebar: Streamlit's page links, each carrying the view's URL parameters."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cittadelnoi.ui.presentazione import parametri_nostri


def menu_pagine(dove: DeltaGenerator, pagine: list) -> None:
    """One `st.page_link` per page of `pagine` (st.Page objects) in `dove`, a sidebar container
    made before the sidebar's other elements and filled once the run has written the view to the
    URL, so every link carries the view as it is now (zona, quartiere, lang, ...).

    Why not Streamlit's own menu (st.navigation's sidebar): its links open the next page with an
    empty query string, then the app writes the view back to the URL. The browser then gets two
    history entries for one click, or one, depending on which of Streamlit's two messages it
    handles first; with two, Back from the new page stays on it (tests/browser/test_riunione.py
    found it one run in five). A link that carries the parameters gives one entry every time, and
    opening it in a new tab keeps the view too.
    """
    parametri = parametri_nostri()
    with dove:
        for pagina in pagine:
            st.page_link(pagina, query_params=parametri)
        st.html(_SCRIPT_CHIUDI, unsafe_allow_javascript=True)


# Streamlit's own menu closes the sidebar after a click on a phone, where the sidebar covers the
# page; st.page_link does not. Same behaviour, by the sidebar's width on screen: it covers the page
# when the window is narrower than Streamlit's "md" breakpoint (768 px).
_SCRIPT_CHIUDI = """<script>
if (!window.cdnMenu) {
  window.cdnMenu = true;
  document.addEventListener("click", function (e) {
    if (!e.target.closest("[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]")) return;
    if (!window.matchMedia("(max-width: 767.98px)").matches) return;
    var b = document.querySelector("[data-testid=stSidebarCollapseButton] button");
    if (b) b.click();
  }, true);
}
</script>"""
