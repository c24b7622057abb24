"""Export files open in the tools people use and hold exactly the filtered rows."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest

from cittadelnoi.metrics import ore as m_ore
from cittadelnoi.metrics import registro
from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.panoramica import contesto_cittadino, orari_testo, tabella_quartieri
from cittadelnoi.stores.file import carica
from cittadelnoi.views import esporta
from cittadelnoi.views.kit_riunione import kit_panoramica
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
    assert lamarmora["properties"]["nome"] == "Punto Melograno (esempio)"  # plain text, not HTML-escaped
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
    assert "<title>Scheda del quartiere Lamarmora — Brescia Città del Noi</title>" in page
    assert "mer 15:30-17:30; ven 09:30-11:30 (4 h/settimana)" in page
    assert "Associazione Dimostrativa Il Ponte (fittizio)" in page
    assert "173\u00a0mln\u00a0€" in page and "71\u00a0mln\u00a0€ (41%)" in page
    assert "6 ore a settimana" in page
    assert "generato il 25 novembre 2026" in page
    # It prints offline: no resource from another host (the licence is a link to read, not a resource).
    assert not re.search(r'(src|srcset)="(https?:)?//', page) and '<link rel="stylesheet"' not in page
    assert "<script" not in page, "the sheet is the page printed: its schedule needs no script"


def test_summary_escapes_text_from_the_register(snap):
    punti = snap.punti.copy()
    punti.loc[punti["id"] == "lamarmora", "nome"] = "<script>alert(1)</script>"
    page = esporta.scheda_quartiere(snap.stati, punti, {}, [], "17029010", datetime(2026, 1, 1, tzinfo=UTC))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_of_a_quartiere_without_points(snap):
    page = esporta.scheda_quartiere(snap.stati, snap.punti, {}, [], "17029024", datetime(2026, 1, 1, tzinfo=UTC))
    assert "Nessun punto di comunità in questo quartiere." in page
    assert '<span class="stato" data-stato="mancante">mancante</span>' in page


# --- issue 22, point 4: old confirmations and a referente's change in every download -------------

OGGI = date(2026, 12, 7)


@pytest.fixture(scope="module")
def snap_referente(snap):
    """The sample register where Lamarmora's referente confirmed it on 7 December 2026 (what the
    database store sets from its history: stores.db_storico.aggiornati_referente)."""
    punti = snap.punti.copy()
    punti["aggiornato_referente"] = [OGGI if i == "lamarmora" else None for i in punti["id"]]
    return dataclasses.replace(snap, punti=punti)


def test_hours_table_csv_and_xlsx_say_which_point_to_reconfirm_and_cite_the_referente(snap_referente, ore_minime):
    s = snap_referente
    ore = m_ore.ore_settimanali(s.sportelli, s.punti, ore_minime)
    tabella = m_ore.tabella_punti(
        ore,
        s.sportelli,
        s.quartieri,
        [],
        ore_minime,
        conferme=registro.testi_conferma(s.punti, OGGI),
        aggiornati=registro.testi_aggiornato_referente(s.punti),
    )
    righe = {r["Punto"]: r for r in csv.DictReader(io.StringIO(esporta.csv_bytes(tabella).decode("utf-8-sig")))}
    colonne = list(next(iter(righe.values())))
    assert colonne[-2:] == ["Ultima conferma", "Fonte dell'orario"]
    lamarmora = righe["Punto Melograno (esempio)"]  # confirmed in April 2024: to reconfirm
    assert lamarmora["Ultima conferma"] == "aprile 2024 — da riconfermare"
    assert lamarmora["Fonte dell'orario"].endswith("; aggiornato dal referente il 07/12/2026")
    assert righe["Punto Quercia (esempio)"]["Ultima conferma"] == "02/02/2026"  # Mompiano
    assert righe["Punto Quercia (esempio)"]["Fonte dell'orario"] == "—"
    foglio = openpyxl.load_workbook(io.BytesIO(esporta.xlsx_bytes({"ore": tabella})))["ore"]
    valori = list(foglio.values)
    assert list(valori[0]) == list(tabella.columns)
    per_nome = {v[0]: dict(zip(valori[0], v, strict=True)) for v in valori[1:]}
    assert per_nome["Punto Melograno (esempio)"]["Ultima conferma"] == "aprile 2024 — da riconfermare"
    assert per_nome["Punto Girasole (esempio)"]["Ultima conferma"] == "gennaio 2024 — da riconfermare"


def test_hours_table_in_english(snap_referente, ore_minime, inglese):
    s = snap_referente
    ore = m_ore.ore_settimanali(s.sportelli, s.punti, ore_minime)
    tabella = m_ore.tabella_punti(
        ore, s.sportelli, s.quartieri, [], ore_minime, conferme=registro.testi_conferma(s.punti, OGGI)
    ).set_index("Point")
    assert tabella.at["Punto Melograno (esempio)", "Last confirmed"] == "April 2024 — to be reconfirmed"


def test_geojson_sheet_and_kit_say_which_point_to_reconfirm(snap_referente):
    s = snap_referente
    dati = json.loads(esporta.geojson_bytes(s.stati, s.punti, set(s.quartieri["codice_istat"]), OGGI))
    punti = {f["properties"]["id"]: f["properties"] for f in dati["features"] if f["properties"]["tipo"] == "punto"}
    assert punti["lamarmora"]["da_riconfermare"] is True and punti["mompiano"]["da_riconfermare"] is False
    assert punti["lamarmora"]["aggiornato_referente"] == "2026-12-07"
    assert punti["mompiano"]["aggiornato_referente"] is None
    assert sum(p["da_riconfermare"] for p in punti.values()) == 7
    scheda = esporta.scheda_quartiere(
        s.stati,
        s.punti,
        orari_testo(s.sportelli),
        contesto_cittadino(s.finanziamenti),
        "17029010",
        datetime(2026, 12, 7, tzinfo=UTC),
        OGGI,
    )
    assert "aprile 2024 — da riconfermare" in scheda
    assert "; aggiornato dal referente il 07/12/2026" in scheda
    kit = kit_panoramica(
        s, Filtro(zona="Sud"), None, orari_testo(s.sportelli), "", datetime(2026, 12, 7, 10, tzinfo=UTC)
    )
    assert kit.count("— da riconfermare") == 3 and "aggiornato dal referente il 07/12/2026" in kit
