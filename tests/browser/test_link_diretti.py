"""A shared link to a page must work even when it is the first request a new server gets.

Every page of dashboard.py's st.navigation, each opened as the very first request of its own fresh
server: the page runs through dashboard.py, so it has the app's menu and the sidebar filter read
from the link, never Streamlit's own menu of file names (which it draws when it runs a page of a
`pages/` folder on its own, streamlit/streamlit#9624).
"""

from __future__ import annotations

import ast

import pytest

from bench.common import MENU
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

NAV_DI_STREAMLIT = "[data-testid='stSidebarNav']"


def _pagine() -> list[tuple[str, str]]:
    """(URL path, menu label) of every page dashboard.py declares with st.Page, in its order ("" is
    the path of the default page)."""
    pagine = []
    for nodo in ast.walk(ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Call) and getattr(nodo.func, "attr", None) == "Page":
            argomenti = {k.arg: k.value for k in nodo.keywords}
            file, titolo = nodo.args[0], argomenti["title"]
            assert isinstance(file, ast.Constant) and isinstance(titolo, ast.Call), ast.unparse(nodo)
            predefinita = getattr(argomenti.get("default"), "value", False)
            percorso = "" if predefinita else str(file.value).rsplit("/", 1)[-1].removesuffix(".py")
            pagine.append((percorso, titolo.args[0].value))  # title=_("…"): the Italian label
    return pagine


PAGINE = _pagine()
ETICHETTE = [etichetta for _, etichetta in PAGINE]


def test_every_page_of_the_navigation_is_here() -> None:
    percorsi = [p for p, _ in PAGINE]
    assert percorsi[0] == "" and {"finanziamenti", "gestione"} <= set(percorsi), PAGINE


@pytest.mark.parametrize("percorso", [p for p, _ in PAGINE])
def test_every_page_as_the_first_request_of_a_fresh_server(start_app, page, open_app, screenshot, percorso):
    base = start_app()  # a new process: no session has run dashboard.py yet
    open_app(page, f"{base}/{percorso}?zona=Sud")
    screenshot(page, f"primo-link-{percorso or 'panoramica'}")
    nav = [t.split("\n")[-1] for t in page.locator(MENU).all_inner_texts()]
    assert nav == ETICHETTE, f"/{percorso} first: the app's menu is {nav}"
    assert page.locator(NAV_DI_STREAMLIT).count() == 0, page.locator(NAV_DI_STREAMLIT).inner_text()
    # The filter comes from the link, and the link keeps it.
    assert page.get_by_role("combobox", name="Zona").input_value() == "Sud"
    assert "zona=Sud" in page.url


def test_a_link_to_a_quartiere_on_a_fresh_server_sets_its_zone(start_app, page, open_app) -> None:
    base = start_app()
    open_app(page, f"{base}/ore_volontariato?quartiere=mompiano")
    assert page.get_by_role("combobox", name="Zona").input_value() == "Nord"
    assert [t.split("\n")[-1] for t in page.locator(MENU).all_inner_texts()] == ETICHETTE
