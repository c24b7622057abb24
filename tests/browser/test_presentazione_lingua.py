"""Presentation mode and the language switch in real Chromium, with screenshots at projector
(1920x1080) and phone (390x844) sizes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label)
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_language_switch_keeps_the_filter(app_server, page, open_app, wait_for_app_run, screenshot):
    open_app(page, f"{app_server}/?zona=Sud")
    page.get_by_text("English", exact=True).click()
    wait_for_app_run(page)
    page.wait_for_function("() => location.search.includes('lang=en')", timeout=30_000)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Community points in the neighbourhoods"
    assert page.get_by_role("combobox", name="Zone").input_value() == "Sud"
    # The "all" choice is relabelled too, not left in the language it was first drawn in.
    assert page.get_by_role("combobox", name="Neighbourhood").input_value() == "All neighbourhoods"
    assert metric(page, "Coverage") == "5/7 · 71%"
    frame = page.frame_locator(FOLIUM_IFRAME)
    assert "Neighbourhood status" in frame.locator(".cdn-legenda").inner_text()
    screenshot(page, "lingua-inglese-zona-sud")
    page.get_by_text("Italiano", exact=True).click()
    wait_for_app_run(page)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Punti di comunità nei quartieri"
    assert page.get_by_role("combobox", name="Zona").input_value() == "Sud"
    assert page.get_by_role("combobox", name="Quartiere").input_value() == "Tutti i quartieri"
    assert "lang=" not in page.url


def test_presentation_mode_at_1920x1080(app_server, browser, screenshot, wait_for_app_run):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    blocked: list[str] = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    try:
        page.goto(f"{app_server}/?presenta=1")
        page.wait_for_selector(
            "[data-testid='stApp'][data-test-script-state='notRunning']", state="attached", timeout=60_000
        )
        wait_for_app_run(page)
        page.frame_locator(FOLIUM_IFRAME).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert not page.locator("[data-testid='stHeader']").is_visible()
        size = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size >= 24
        assert metric(page, "Punti attivi") == "20"
        screenshot(page, "presentazione-1920x1080")
        page.get_by_role("button", name="Esci dalla presentazione").click()
        wait_for_app_run(page)
        assert page.locator("[data-testid='stSidebar']").is_visible()
        assert "presenta" not in page.url
    finally:
        context.close()
    assert blocked == []


def test_tour_turns_the_page(app_server, browser, wait_for_app_run, screenshot):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{app_server}/?presenta=1&giro=5")
        wait_for_app_run(page)
        page.wait_for_function("() => location.pathname.includes('finanziamenti')", timeout=30_000)
        wait_for_app_run(page)
        assert "presenta=1" in page.url and "giro=5" in page.url
        screenshot(page, "presentazione-giro-finanziamenti")
    finally:
        context.close()


def test_phone_width_is_usable(app_server, browser, wait_for_app_run, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_server}/?quartiere=lamarmora")
        wait_for_app_run(page)
        page.frame_locator(FOLIUM_IFRAME).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
        # Nothing wider than the screen: no sideways scrolling of the page.
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        assert metric(page, "Punti attivi") == "1"
        screenshot(page, "telefono-lamarmora")
    finally:
        context.close()
