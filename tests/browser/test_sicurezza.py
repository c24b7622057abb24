"""Names and addresses are data typed by people: HTML or script in them is shown as text, never run.

The app is started on a copy of data/ where one point's name, address and managing body are
markup that would run if inserted as HTML (the CSV stays valid, so the data loads). The test
opens the overview on that point's quartiere, hovers the marker and the quartiere, opens the
popup and the quartiere table, reads the literal text back, and checks that no script ran
(`window.__xss` stays undefined in the page and in the map's iframe); then it visits every page.
"""

from __future__ import annotations

import shutil

import pytest

from bench.common import MENU
from tests.browser.attese import wait_for_images
from tests.conftest import DATA, replace_in

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
SVG = '"><svg onload="window.__xss=3">'
FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def _csv(valore: str) -> str:
    return '"' + valore.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def app_xss(start_app, tmp_path_factory) -> str:
    data = tmp_path_factory.mktemp("xss") / "data"
    shutil.copytree(DATA, data)
    # Mompiano (quartiere 17029011, zona Nord): active, no documented desk hours.
    replace_in(
        data / "punti.csv",
        "mompiano,Punto Quercia (esempio),17029011,attivo,Via dell'Esempio 4 (indirizzo fittizio),"
        "45.56899,10.24835,indirizzo,Cooperativa Fittizia Arcobaleno (fittizio),",
        f"mompiano,{_csv(IMG)},17029011,attivo,{_csv(SCRIPT)},45.56951,10.24662,centro_quartiere,{_csv(SVG)},",
    )
    return start_app(data)


def _nessuno_script(page) -> None:
    """No payload ran and no payload element exists, in the page or in any of its frames."""
    wait_for_images(page)  # an injected <img src=x> would have failed to load, and run its onerror
    for frame in page.frames:
        try:
            ran = frame.evaluate("() => typeof window.__xss")
            injected = frame.evaluate(
                """() => document.querySelectorAll('img[src="x"], svg[onload]').length
                         + [...document.querySelectorAll('script')]
                             .filter(s => s.textContent.trim().startsWith('window.__xss')).length"""
            )
        except Exception:  # a frame detached by a rerun
            continue
        assert ran == "undefined", f"uno script dei dati è stato eseguito in {frame.url}: window.__xss={ran}"
        assert injected == 0, f"markup dei dati inserito come HTML in {frame.url}"


def _map(page):
    page.wait_for_selector(FOLIUM_IFRAME, timeout=60_000)
    frame = page.frame_locator(FOLIUM_IFRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    return frame


def test_markup_in_names_is_text_in_tooltips_popup_and_table(app_xss, page, open_app, screenshot):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, f"{app_xss}/?quartiere=mompiano")
    frame = _map(page)

    # The point's marker (the legend has a swatch of the same class).
    marker = frame.locator(".leaflet-marker-pane .cdn-marker")
    assert marker.count() == 1
    # Marker: its title attribute and its tooltip.
    icona = frame.locator(".leaflet-marker-icon").first
    assert icona.get_attribute("title").startswith(IMG)
    page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
    marker.first.hover()
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for()
    assert tooltip.text_content().startswith(IMG)

    # Popup: name, address and managing body, each as text.
    marker.first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    testo = popup.text_content()
    for valore in (IMG, SCRIPT, SVG):
        assert valore in testo, f"{valore!r} non è mostrato come testo nel popup: {testo!r}"
    assert popup.locator("img, script, svg").count() == 0
    screenshot(page, "sicurezza-popup")

    # Quartiere tooltip: lists the quartiere's points by name. Leaflet opens it on mouseover.
    mompiano = None
    paths = frame.locator("path.leaflet-interactive")
    for i in range(paths.count()):
        paths.nth(i).dispatch_event("mouseover")
        tip = frame.locator(".leaflet-tooltip").last.text_content() or ""
        paths.nth(i).dispatch_event("mouseout")
        if "Mompiano" in tip:
            mompiano = tip
            break
    assert mompiano is not None, "tooltip del quartiere Mompiano non trovato"
    assert IMG in mompiano, f"il nome del punto non è mostrato come testo nel tooltip del quartiere: {mompiano!r}"

    # Quartiere table (st.dataframe, closed until asked): its accessible grid carries the cells' text.
    page.get_by_text("Tabella dei quartieri").click()
    cella = page.locator("[data-testid='stDataFrame'] [role='gridcell']", has_text="onerror")
    cella.first.wait_for(state="attached", timeout=30_000)
    assert IMG in cella.first.text_content()

    _nessuno_script(page)
    assert dialogs == []


def test_no_script_from_the_data_runs_on_any_page(app_xss, page, open_app, screenshot):
    open_app(page, app_xss)
    links = page.locator(MENU)
    urls = []
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        urls.append(href if href.startswith("http") else app_xss.rstrip("/") + "/" + href.lstrip("/"))
    assert len(urls) >= 3, urls
    for url in dict.fromkeys(urls):
        for query in ("", "?zona=Nord"):
            open_app(page, url + query)
            if page.locator(FOLIUM_IFRAME).count():
                _map(page)
            assert page.locator("[data-testid='stException']").count() == 0, url
            _nessuno_script(page)
    # The Ore page names the points without documented hours, Mompiano's payload among them.
    ore = next(u for u in urls if "ore" in u)
    open_app(page, ore + "?zona=Nord")
    assert (
        IMG in page.locator("[data-testid='stMain']").inner_text()
        or page.locator("[data-testid='stDataFrame'] [role='gridcell']", has_text="onerror").count()
    )
    _nessuno_script(page)
    screenshot(page, "sicurezza-ore")


# --- markdown from the register and from a link (issue 10, point 5) ----------------------------------

CASI = DATA.parent / "tests" / "casi"
LINK_MARKDOWN = "[testo](http://example.invalid/x) ![x](http://example.invalid/y.png)"
WJ = "\u2060"  # the invisible word joiner core.testo puts inside bare links


@pytest.fixture(scope="module")
def app_markdown(start_app, tmp_path_factory) -> str:
    data = tmp_path_factory.mktemp("markdown") / "data"
    shutil.copytree(DATA, data)
    shutil.copy(CASI / "punti-markdown.csv", data / "punti.csv")
    shutil.copy(CASI / "sportelli-senza-dimostrativo.csv", data / "sportelli.csv")
    return start_app(data, {"CITTADELNOI_ARCHIVIO": "file"})


def _collegamenti_esterni(page) -> list[str]:
    """Links and images to another host, in the page and in every frame (the map's iframe, charts),
    other than the app's own link to the licence of the data (the settings, core.impostazioni)."""
    from cittadelnoi.core.impostazioni import impostazioni

    fuori = []
    for frame in page.frames:
        try:
            urls = frame.evaluate(
                """() => [
                    ...[...document.querySelectorAll('a[href]')].map(a => a.href),
                    ...[...document.querySelectorAll('img[src], image[href]')].map(i => i.src || i.getAttribute('href')),
                    ...[...document.querySelectorAll('svg a')].map(a => 'svg-link:' + (a.getAttribute('href') || a.getAttribute('xlink:href'))),
                ]"""
            )
        except Exception:  # a frame detached by a rerun
            continue
        for u in urls:
            if u == impostazioni().licenza.url:
                continue
            if (
                u.startswith("svg-link:")
                or ("invalid" in u)
                or (u.startswith("http") and not u.startswith(("http://127.0.0.1", "http://localhost")))
            ):
                fuori.append(u)
    return fuori


def _testo_visibile(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text().replace(WJ, "")


def test_markdown_del_registro_resta_testo_su_ogni_pagina(app_markdown, page, open_app, screenshot):
    open_app(page, f"{app_markdown}/ore_volontariato?zona=Nord")
    testo = _testo_visibile(page)
    # Mompiano has no desk hours: its name is listed as written in the info box.
    assert (
        "Mompiano ![t](http://attacker.invalid/track.png) [clicca qui](http://attacker.invalid/phish) **grassetto**"
        in testo
    )
    assert page.locator("[data-testid='stMain'] strong", has_text="grassetto").count() == 0
    screenshot(page, "sicurezza-markdown-ore")
    assert _collegamenti_esterni(page) == []
    for percorso in ("/?quartiere=mompiano", "/dove_aprire", "/finanziamenti", "/ore_volontariato"):
        open_app(page, app_markdown + percorso)
        if page.locator(FOLIUM_IFRAME).count():
            _map(page)
        assert page.locator("[data-testid='stException']").count() == 0, percorso
        assert _collegamenti_esterni(page) == [], percorso
    # external_requests (conftest) fails the test if the browser tried to fetch the image.


def test_markdown_in_un_link_resta_testo(app_markdown, page, open_app, screenshot):
    from urllib.parse import quote

    open_app(page, f"{app_markdown}/?zona={quote(LINK_MARKDOWN)}")
    avviso = page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").first
    avviso.wait_for(timeout=30_000)
    assert LINK_MARKDOWN in avviso.inner_text().replace(WJ, "")
    assert avviso.locator("a, img").count() == 0
    screenshot(page, "sicurezza-markdown-link")
    assert _collegamenti_esterni(page) == []
