"""Failover seen by a person: the replica a browser is on dies; the page reconnects through nginx to
the other replica by itself, keeps the filter, redraws the map and leaves no error on screen
(deploy/, bench/repliche.py; skipped only where nginx or PostgreSQL is missing, never in CI)."""

from __future__ import annotations

import pytest

from tests.deploy.conftest import repliche  # noqa: F401  (fixture: 2 replicas behind nginx)

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = "iframe[title='streamlit_folium.st_folium']"


def _mappa_disegnata(page, n: int = 33, timeout_ms: int = 90_000) -> None:
    frame = page.frame_locator(FOLIUM_IFRAME)
    frame.locator("path.leaflet-interactive").nth(n - 1).wait_for(state="attached", timeout=timeout_ms)


def test_a_viewer_survives_losing_its_replica(repliche, page, wait_for_app_run, select_option, screenshot):  # noqa: F811
    risposta = page.goto(repliche.url + "/", wait_until="domcontentloaded", timeout=90_000)
    servita_da = risposta.headers["x-cittadelnoi-replica"]
    caduta = repliche.replica_di(servita_da)
    assert caduta is not None, servita_da
    wait_for_app_run(page, timeout_ms=90_000)
    _mappa_disegnata(page)
    select_option(page, "Zona", "Sud")

    caduta.uccidi()
    try:
        # The front end notices the lost websocket, then reconnects through the same address.
        page.wait_for_selector(
            "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])", state="attached", timeout=30_000
        )
        page.wait_for_selector(
            "[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached", timeout=90_000
        )
        wait_for_app_run(page, timeout_ms=90_000)
        _mappa_disegnata(page)
        screenshot(page, "repliche-dopo-la-caduta")
        # Now on the other replica (same routing cookie: nginx skips the dead one).
        altra = page.request.get(repliche.url + "/_stcore/health").headers["x-cittadelnoi-replica"]
        assert altra != servita_da
        assert page.get_by_role("combobox", name="Zona").input_value() == "Sud"
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("Connection error").count() == 0
        assert page.locator("[data-testid='stStatusWidget']").count() == 0
        assert page.get_by_role("heading", name="Punti di comunità nei quartieri").is_visible()
    finally:
        caduta.avvia()
