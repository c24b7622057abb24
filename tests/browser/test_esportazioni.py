"""Downloads from the browser: the overview's files hold the filtered rows, and charts save as PNG."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.browser


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=10_000) as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_overview_exports_follow_the_filter(app_server, page, open_app, select_option, screenshot):
    open_app(page, f"{app_server}/?zona=Sud")
    page.get_by_text("Tabella dei quartieri").click()
    rows = list(csv.DictReader(io.StringIO(download(page, "Scarica CSV").decode("utf-8-sig"))))
    assert [r["Zona"] for r in rows] == ["Sud"] * 7

    book = openpyxl.load_workbook(io.BytesIO(download(page, "Scarica Excel")))
    assert book.active.max_row == 8  # header + 7 quartieri

    page.get_by_text("Scarica i dati della vista").click()
    geo = json.loads(download(page, "Mappa in GeoJSON (quartieri e punti)"))
    assert sum(f["properties"]["tipo"] == "quartiere" for f in geo["features"]) == 7
    screenshot(page, "esportazioni-zona-sud")

    select_option(page, "Scheda stampabile del quartiere", "Lamarmora")
    page.get_by_role("button", name="Scheda stampabile: Lamarmora").wait_for()
    scheda = download(page, "Scheda stampabile: Lamarmora").decode("utf-8")
    assert "Scheda del quartiere Lamarmora" in scheda and "4 h/settimana" in scheda


def test_a_chart_saves_as_png_offline(app_server, page, open_app):
    open_app(page, f"{app_server}/finanziamenti")
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    button = chart.locator(".modebar-btn[data-title='Download plot as a PNG']")
    button.wait_for(timeout=15_000)
    with page.expect_download(timeout=30_000) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5_000


def test_downloads_are_built_in_the_page_s_language(app_server, page, open_app):
    """The table's files are built when their button is clicked, outside the page's run: they must
    still come in the page's language, sample-data notice included (it came in Italian)."""
    open_app(page, f"{app_server}/?zona=Sud&lang=en")
    page.get_by_text("Table of neighbourhoods").click()
    testo = download(page, "Download CSV").decode("utf-8-sig")
    intestazione = next(csv.reader(io.StringIO(testo)))
    assert "Zone" in intestazione and "notice" in intestazione, intestazione
    assert "avviso" not in intestazione and "DATI DI ESEMPIO" not in testo
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Download Excel")))
    assert "licence" in book.sheetnames, book.sheetnames
