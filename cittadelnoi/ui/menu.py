"""The page menu in the sidebar: Streamlit's page links, each carrying the view's URL parameters."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cittadelnoi.ui import chiavi
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

    With the links comes the sidebar's script (_SCRIPT_BARRA): on a phone a link closes the sidebar,
    and a quartiere picked in the sidebar shows at once on the overview's map.
    """
    parametri = parametri_nostri()
    with dove:
        for pagina in pagine:
            st.page_link(pagina, query_params=parametri)
        st.html(
            _SCRIPT_BARRA.replace("__QUARTIERE__", chiavi.QUARTIERE).replace("__ZONA__", chiavi.ZONA),
            unsafe_allow_javascript=True,
        )


# The sidebar's behaviour in the browser, one listener for the page's life:
# - Streamlit's own menu closes the sidebar after a click on a phone, where the sidebar covers the
#   page; st.page_link does not. Same behaviour, by the window's width: the sidebar covers the page
#   below Streamlit's "md" breakpoint (768 px).
# - A quartiere picked in the sidebar's «Quartiere» list (no other box) is shown at once on the
#   overview's live map, as a click on the map is (issue 14, point 4): the map's frame (same
#   origin) offers `cdnScegli(name)` (static/mappa.js). The server's answer then applies the
#   same selection. An option that is no quartiere's name ("Tutti i quartieri") only closes the
#   point's popup there: the server's answer does the rest.
# - Any pick in the «Quartiere» or «Zona» list closes the point's popup on that map, which tells
#   the server (`cdnChiudiPunto`): also a pick of the value already chosen, of which Streamlit
#   tells the server nothing (issue 21, point 1: «Tutti i quartieri» left a popup opened from a
#   link, and `punto=` in the URL).
_SCRIPT_BARRA = """<script>
(function () {
  if (window.cdnBarra) return;
  window.cdnBarra = true;
  var QUARTIERE = ".st-key-__QUARTIERE__", ZONA = ".st-key-__ZONA__";
  function scegli(casella, opzione) {
    var quartiere = !!casella.closest(QUARTIERE);
    document.querySelectorAll(".st-key-mappa_vista iframe").forEach(function (f) {
      try {
        var w = f.contentWindow;
        if (quartiere && w.cdnScegli) w.cdnScegli(opzione.textContent.trim());
        else if (!quartiere && w.cdnChiudiPunto) w.cdnChiudiPunto();
      } catch (x) {}
    });
  }
  // Only the sidebar's «Quartiere» and «Zona» boxes: the one whose list is open while the option
  // is clicked or chosen with Enter (other boxes, such as the overview's printable sheet, list
  // quartieri too).
  function aperta() {
    return document.querySelector("[data-testid=stSidebar] :is(" + QUARTIERE + "," + ZONA + ") " +
                                  "[role=combobox][aria-expanded=true]");
  }
  // A click on an option may close the list before the click event: note the box at the press.
  var premuta = null;
  document.addEventListener("pointerdown", function () { premuta = aperta(); }, true);
  document.addEventListener("keydown", function (e) {
    var c = e.key === "Enter" && aperta();
    var id = c && e.target === c && c.getAttribute("aria-activedescendant");
    var opzione = id && document.getElementById(id);
    if (opzione) scegli(c, opzione);
  }, true);
  document.addEventListener("click", function (e) {
    var opzione = e.target.closest("[role=option]"), casella = premuta || aperta();
    if (opzione && casella) scegli(casella, opzione);
    premuta = null;
    if (!e.target.closest("[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]")) return;
    if (!window.matchMedia("(max-width: 767.98px)").matches) return;
    var b = document.querySelector("[data-testid=stSidebarCollapseButton] button");
    if (b) b.click();
  }, true);
})();
</script>"""
