"""The sidebar's page menu (cittadelnoi/ui/menu.py) in real headless Chromium: its links carry the
view, and on a phone a click on one closes the sidebar, as Streamlit's own menu did."""

from __future__ import annotations

import pytest

from bench.common import MENU

pytestmark = pytest.mark.browser


def test_the_links_carry_the_view_and_the_current_page_is_marked(app_server, page, open_app):
    open_app(page, f"{app_server}/finanziamenti?zona=Sud&lang=en")
    links = page.locator(MENU)
    assert links.count() == 6
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(6)]
    assert [h.split("?")[0].rsplit("/", 1)[-1] for h in hrefs] == [
        "",
        "finanziamenti",
        "ore_volontariato",
        "dove_aprire",
        "il_mio_punto",
        "gestione",
    ]
    assert all(h.endswith("?zona=Sud&lang=en") for h in hrefs), hrefs
    # Labels in the page's language; the current page is the highlighted one.
    assert "Funding" in links.nth(1).inner_text()
    sfondi = [links.nth(i).evaluate("a => getComputedStyle(a).backgroundColor") for i in range(6)]
    assert [s for i, s in enumerate(sfondi) if i != 1] == [sfondi[0]] * 5 and sfondi[1] != sfondi[0], sfondi


def test_on_a_phone_a_link_closes_the_sidebar(app_server, page, open_app, wait_for_app_run, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, f"{app_server}/?zona=Nord")
    page.locator("[data-testid='stExpandSidebarButton']").click()
    link = page.locator(MENU, has_text="Finanziamenti")
    link.wait_for(state="visible")
    link.click()
    page.wait_for_function("() => location.pathname.includes('finanziamenti')", timeout=60_000)
    wait_for_app_run(page)
    page.locator("[data-testid='stExpandSidebarButton']").wait_for(state="visible", timeout=10_000)
    assert not link.is_visible() or link.bounding_box()["x"] + link.bounding_box()["width"] <= 0
    assert "zona=Nord" in page.url
    screenshot(page, "menu-telefono-dopo-il-clic")
