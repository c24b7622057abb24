"""The overview in real headless Chromium: the map draws offline, the filter changes it, a click
on a quartiere selects it, and the filter follows the user to other pages through the URL."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def map_frame(page):
    page.wait_for_selector(FOLIUM_IFRAME, timeout=30_000)
    frame = page.frame_locator(FOLIUM_IFRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    return frame


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label)
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def selected(page, label: str) -> str:
    return page.get_by_role("combobox", name=label).input_value()


def test_map_draws_33_quartieri_and_21_points_offline(app_server, page, open_app, screenshot):
    open_app(page, app_server)
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() == 33
    assert frame.locator(".cdn-marker").count() == 21
    assert frame.locator(".cdn-marker.cdn-in_apertura").count() == 1
    assert "Stato del quartiere" in frame.locator(".cdn-legenda").inner_text()
    assert metric(page, "Punti attivi") == "20"
    screenshot(page, "panoramica-citta")


def test_zona_filter_changes_map_figures_and_url(app_server, page, open_app, select_option, screenshot):
    open_app(page, app_server)
    map_frame(page)
    select_option(page, "Zona", "Sud")
    assert re.search(r"[?&]zona=Sud\b", page.url)
    assert metric(page, "Copertura") == "5/7 · 71%"
    frame = map_frame(page)
    # Every quartiere stays drawn for context, but only the zona's 6 points are marked.
    assert frame.locator("path.leaflet-interactive").count() == 33
    frame.locator(".cdn-marker").first.wait_for()
    assert frame.locator(".cdn-marker").count() == 6
    screenshot(page, "panoramica-zona-sud")


def test_click_on_a_quartiere_selects_it(app_server, page, open_app, wait_for_app_run, screenshot):
    open_app(page, app_server)
    frame = map_frame(page)
    # Features are drawn in registry order: the 24th is Villaggio Sereno, which has no point.
    frame.locator("path.leaflet-interactive").nth(23).dispatch_event("click")
    page.wait_for_function("() => location.search.includes('quartiere=villaggio-sereno')", timeout=30_000)
    wait_for_app_run(page)
    assert "zona=Sud" in page.url
    assert metric(page, "Quartieri senza punto") == "1"
    assert metric(page, "Copertura") == "0/1 · 0%"
    assert selected(page, "Quartiere") == "Villaggio Sereno"
    assert selected(page, "Zona") == "Sud"
    screenshot(page, "panoramica-click-villaggio-sereno")


def test_shared_link_and_page_change_keep_the_filter(app_server, page, open_app, wait_for_app_run, screenshot):
    open_app(page, f"{app_server}/?quartiere=lamarmora")
    assert metric(page, "Punti attivi") == "1"
    frame = map_frame(page)
    assert frame.locator(".cdn-marker").count() == 1
    # Chromium scrolls a partly hidden iframe into view on mousedown, so the mouseup would land
    # elsewhere: bring the whole map on screen first, as a person would.
    page.locator(FOLIUM_IFRAME).scroll_into_view_if_needed()
    frame.locator(".cdn-marker").first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)" in popup.inner_text()
    assert "Associazione Dimostrativa Il Ponte (fittizio)" in popup.inner_text()
    screenshot(page, "panoramica-lamarmora-popup")

    page.locator("[data-testid='stSidebarNavLink']", has_text="Ore di volontariato").click()
    page.wait_for_function("() => location.pathname.includes('ore')", timeout=30_000)
    wait_for_app_run(page)
    page.wait_for_function("() => location.search.includes('quartiere=lamarmora')", timeout=30_000)
    assert selected(page, "Quartiere") == "Lamarmora"
    screenshot(page, "ore-lamarmora-da-link")
