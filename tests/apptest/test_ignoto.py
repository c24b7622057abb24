"""Unknown stays unknown (issue 11): every page and every export, on registers with missing values,
shows no «NaN», «nan», «None» or «<NA>».

Registers:
- `nessuno-attivo`: the case of ../shared/casi/punti-nessuno-attivo.csv (tests/casi/): every point
  opening, none active. Dove aprire used to show «NaN,00 km» and «None» on screen and in downloads.
- `minimo`: only the required columns of punti.csv (no address, body, dates, position, confirmation),
  desk slots without volunteers, no residents table at all.
- `incompleto`: the sample with 5 active points only (fewer than the published 20): the "nessun punto
  documentato" wording everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cittadelnoi.core import i18n
from cittadelnoi.loaders.finanziamenti import ore_minime
from cittadelnoi.metrics import ore as m_ore
from cittadelnoi.metrics.panoramica import contesto_cittadino, orari_testo, tabella_quartieri
from cittadelnoi.metrics.priorita import classifica
from cittadelnoi.stores.file import carica
from cittadelnoi.views import esporta
from cittadelnoi.views.mapview import dati_punti, layer_quartieri
from tests.apptest.app import apri
from tests.conftest import DATA, ROOT

VIETATI = re.compile(r"\bNaN\b|\bnan\b|\bNone\b|<NA>|\bNaT\b")
PAGINE = ("pages/panoramica.py", "pages/finanziamenti.py", "pages/ore_volontariato.py", "pages/dove_aprire.py")
CASO = ROOT / "tests" / "casi" / "punti-nessuno-attivo.csv"


def _registro(nome: str, cartella: Path) -> Path:
    shutil.copytree(DATA, cartella)
    if nome == "nessuno-attivo":
        shutil.copyfile(CASO, cartella / "punti.csv")
    elif nome == "minimo":
        with (cartella / "punti.csv").open(encoding="utf-8") as fh:
            righe = list(csv.DictReader(fh))
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["id", "nome", "codice_istat", "stato", "fonte"])
        for r in righe:
            w.writerow([r["id"], r["nome"], r["codice_istat"], r["stato"], r["fonte"]])
        (cartella / "punti.csv").write_text(out.getvalue(), encoding="utf-8")
        testo = (cartella / "sportelli.csv").read_text(encoding="utf-8")
        (cartella / "sportelli.csv").write_text(re.sub(r",\d+,esempio", ",,esempio", testo), encoding="utf-8")
        (cartella / "popolazione.csv").unlink()
    elif nome == "incompleto":
        with (cartella / "punti.csv").open(encoding="utf-8") as fh:
            righe = list(csv.DictReader(fh))
        tenuti = {r["id"] for r in righe[:5]}
        out = io.StringIO()
        w = csv.DictWriter(out, list(righe[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(r for r in righe if r["id"] in tenuti)
        (cartella / "punti.csv").write_text(out.getvalue(), encoding="utf-8")
        for file, col in (("sportelli.csv", "id_punto"), ("storico_punti.csv", "id_punto")):
            with (cartella / file).open(encoding="utf-8") as fh:
                r2 = list(csv.DictReader(fh))
            out = io.StringIO()
            w = csv.DictWriter(out, list(r2[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(r for r in r2 if r[col] in tenuti)
            (cartella / file).write_text(out.getvalue(), encoding="utf-8")
    return cartella


def _testi(at: AppTest) -> list[str]:
    testi: list[str] = []
    for tipo in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        testi += [str(e.value) for e in getattr(at, tipo)]
    for m in at.metric:
        testi += [m.label, str(m.value), str(m.help or "")]
    for d in at.dataframe:
        valore = d.value
        frame = valore.data if hasattr(valore, "data") else valore  # a Styler shows its data
        testi += [str(c) for c in frame.columns]
        testi += [str(v) for v in frame.astype(object).values.ravel()]
    for t in at.table:
        testi += [str(v) for v in t.value.astype(object).values.ravel()]
    return testi


def _controlla(testi: list[str], dove: str) -> None:
    cattivi = [t for t in testi if VIETATI.search(t)]
    assert not cattivi, f"{dove}: {cattivi[:5]}"


@pytest.fixture(params=["nessuno-attivo", "minimo", "incompleto"])
def registro(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    cartella = _registro(request.param, tmp_path / "dati")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(cartella))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    return request.param, cartella


@pytest.mark.parametrize("lingua", ["it", "en"])
def test_every_page_shows_unknown_as_unknown(registro, lingua):
    nome, _cartella = registro
    for pagina in PAGINE:
        for query in ({"lang": lingua}, {"lang": lingua, "quartiere": "lamarmora"}):
            at = apri(pagina, query)
            assert not at.exception, (nome, pagina, at.exception)
            _controlla(_testi(at), f"{nome} {pagina} {query}")


def test_dove_aprire_with_no_active_point_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cartella = _registro("nessuno-attivo", tmp_path / "dati")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(cartella))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    at = apri("pages/dove_aprire.py")
    (tabella,) = [d.value for d in at.dataframe]
    assert set(tabella["Distanza dal punto attivo più vicino"]) == {"nessun punto attivo"}
    assert set(tabella["Punto attivo più vicino"]) == {"nessun punto attivo"}
    assert any("le distanze non si possono misurare" in i.value for i in at.info)


def test_incomplete_register_never_says_mancante(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cartella = _registro("incompleto", tmp_path / "dati")
    monkeypatch.setenv("CITTADELNOI_DATA_DIR", str(cartella))
    monkeypatch.setenv("CITTADELNOI_ARCHIVIO", "file")
    at = apri(query={"quartiere": "folzano"})  # opens the overview's table: a quartiere with no point
    testi = _testi(at)
    # "mancante" appears only where the page explains why it is not used.
    assert not [t for t in testi if re.search(r"\bmancante\b", t) and "non «mancante»" not in t]
    metriche = {m.label: m.value for m in at.metric}
    assert metriche["Punti attivi nel registro"] == "0" and "Quartieri senza punto documentato" in metriche
    assert any("20 punti attivi (dicembre 2025" in t and "di cui 5 nel registro" in t for t in testi)
    assert any("nessun punto documentato" in t for t in testi)
    dove = apri("pages/dove_aprire.py")
    assert any("potrebbero avere già uno dei 15 punti non ancora nel registro" in w.value for w in dove.warning)


@pytest.mark.parametrize("nome", ["nessuno-attivo", "minimo", "incompleto"])
@pytest.mark.parametrize("lingua", ["it", "en"])
def test_every_export_shows_unknown_as_unknown(nome, lingua, tmp_path: Path):
    i18n.imposta(lingua)
    try:
        snap = carica(_registro(nome, tmp_path / "dati"))
        codici = set(snap.quartieri["codice_istat"])
        orari = orari_testo(snap.sportelli)
        esportati: dict[str, bytes] = {
            "quartieri.csv": esporta.csv_bytes(tabella_quartieri(snap.stati, codici)),
            "dove-aprire.csv": esporta.csv_bytes(esporta.tabella_dove_aprire(classifica(snap.stati, snap.punti))),
            "mappa.geojson": esporta.geojson_bytes(snap.stati, snap.punti, codici),
        }
        minimo = ore_minime(snap.finanziamenti)
        ore = m_ore.ore_settimanali(snap.sportelli, snap.punti, minimo)
        tabella_ore = m_ore.tabella_punti(ore, snap.sportelli, snap.quartieri, [], minimo)
        esportati["ore.csv"] = esporta.csv_bytes(tabella_ore)
        for codice in sorted(codici):
            esportati[f"scheda-{codice}.html"] = esporta.scheda_quartiere(
                snap.stati, snap.punti, orari, contesto_cittadino(snap.finanziamenti), codice, snap.caricato_il
            ).encode("utf-8")
        layer = layer_quartieri(snap.stati)
        # What the map sends to the browser (JSON: null is the unknown the page writes as «non noto»).
        esportati["mappa-testi"] = json.dumps(layer["quartieri"], ensure_ascii=False).encode("utf-8")
        esportati["mappa-punti"] = json.dumps(dati_punti(snap.punti, orari, codici), ensure_ascii=False).encode("utf-8")
        for file, contenuto in esportati.items():
            testo = contenuto.decode("utf-8-sig")
            assert not VIETATI.search(testo), (nome, file, VIETATI.search(testo).group(0))
        # XLSX: every cell read back.
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(esporta.xlsx_bytes({"ore": tabella_ore})), read_only=True)
        celle = [str(c) for row in wb["ore"].iter_rows(values_only=True) for c in row if c is not None]
        assert not [c for c in celle if VIETATI.search(c)]
        # Unknown residents are never a 0.
        if nome == "minimo":
            assert "0 (" not in esportati["quartieri.csv"].decode("utf-8-sig")
    finally:
        i18n.imposta(i18n.PREDEFINITA)
