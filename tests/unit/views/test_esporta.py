"""Export files open in the tools people use and hold exactly the filtered rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import openpyxl
import pytest

from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.panoramica import contesto_cittadino, orari_testo, tabella_quartieri
from cittadelnoi.stores.file import carica
from cittadelnoi.views import esporta
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


@pytest.fixture(scope="module")
def sud(snap):
    return Filtro(zona="Sud").codici(snap.quartieri)


def test_csv_has_the_filtered_rows_and_excel_friendly_encoding(snap, sud):
    data = esporta.csv_bytes(tabella_quartieri(snap.stati, sud))
    assert data.startswith(b"\xef\xbb\xbf"), "BOM so that Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 7
    assert {r["Zona"] for r in rows} == {"Sud"}
    assert "Porta Cremona - Volta" in {r["Quartiere"] for r in rows}


def test_xlsx_opens_with_the_same_rows(snap, sud):
    table = tabella_quartieri(snap.stati, sud)
    book = openpyxl.load_workbook(io.BytesIO(esporta.xlsx_bytes({"quartieri": table})))
    sheet = book["quartieri"]
    values = list(sheet.values)
    assert list(values[0]) == list(table.columns)
    assert len(values) - 1 == 7
    assert sorted(v[1] for v in values[1:]) == sorted(table["Quartiere"])


def test_geojson_holds_quartieri_and_points_of_the_view(snap, sud):
    data = json.loads(esporta.geojson_bytes(snap.stati, snap.punti, sud))
    kinds = [f["properties"]["tipo"] for f in data["features"]]
    assert kinds.count("quartiere") == 7
    assert kinds.count("punto") == 6  # 5 active + Chiesanuova opening
    lamarmora = next(f for f in data["features"] if f["properties"].get("id") == "lamarmora")
    assert lamarmora["geometry"]["type"] == "Point"
    assert lamarmora["properties"]["nome"] == "Punto di comunità Lamarmora"  # plain text, not HTML-escaped
    sereno = next(f for f in data["features"] if f["properties"].get("nome") == "Villaggio Sereno")
    assert sereno["properties"]["stato"] == "mancante"


def test_printable_summary_of_a_quartiere(snap):
    page = esporta.scheda_quartiere(
        snap.stati,
        snap.punti,
        orari_testo(snap.sportelli),
        contesto_cittadino(snap.finanziamenti),
        "17029010",
        datetime(2026, 11, 25, tzinfo=UTC),
    )
    assert "<title>Scheda del quartiere Lamarmora</title>" in page
    assert "mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)" in page
    assert "Centro Aperto Sei in Compagnia" in page
    assert "173\u00a0mln\u00a0€" in page and "71\u00a0mln\u00a0€ (41%)" in page
    assert "6 ore a settimana" in page
    assert "generato il 25 novembre 2026" in page
    assert "http" not in page, "the summary must print offline: no external resource"


def test_summary_escapes_text_from_the_register(snap):
    punti = snap.punti.copy()
    punti.loc[punti["id"] == "lamarmora", "nome"] = "<script>alert(1)</script>"
    page = esporta.scheda_quartiere(snap.stati, punti, {}, [], "17029010", datetime(2026, 1, 1, tzinfo=UTC))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_of_a_quartiere_without_points(snap):
    page = esporta.scheda_quartiere(snap.stati, snap.punti, {}, [], "17029024", datetime(2026, 1, 1, tzinfo=UTC))
    assert "Nessun punto di comunità in questo quartiere." in page
    assert "<strong>mancante</strong>" in page
