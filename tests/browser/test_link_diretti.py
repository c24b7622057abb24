"""A shared link to a page must work even when it is the first request a new server gets."""

from __future__ import annotations

import pytest

from bench.common import MENU

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path, zona", [("finanziamenti?zona=Sud", "Sud"), ("ore_volontariato?quartiere=mompiano", "Nord")]
)
def test_deep_link_on_a_fresh_server_runs_through_dashboard(start_app, page, open_app, screenshot, path, zona):
    base = start_app()  # a new process: no session has run dashboard.py yet
    open_app(page, f"{base}/{path}")
    page.get_by_role("combobox", name="Zona").wait_for(timeout=30_000)
    assert page.get_by_role("combobox", name="Zona").input_value() == zona
    nav = [t.split("\n")[-1] for t in page.locator(MENU).all_inner_texts()]
    assert nav == ["Panoramica", "Finanziamenti", "Ore di volontariato", "Dove aprire", "Gestione"]
    assert f"zona={zona}" in page.url
    screenshot(page, f"link-diretto-{path.split('?')[0]}")
