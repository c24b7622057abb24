"""The map's numbered key and the public map's note, measured in Chromium on the map page itself
(inline, as the meeting kit saves it: no server needed): a long quartiere name wraps inside its
column of the key, and the note of an ignored link filter stands beside the key and can be closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.stores.file import carica
from cittadelnoi.views.mappa_pubblica import con_avviso, pagina_mappa
from cittadelnoi.views.mapview import Selezione, layer_quartieri
from tests.conftest import DATA, replace_in

pytestmark = pytest.mark.browser

LUNGO = "Chiusure, Villaggio Prealpino e Borgo Nuovo della Badia fino al confine con Collebeato"
PAROLA = "Precisazionelunghissimadelnomedelquartierefittizio"  # one word, no place to wrap

# Each entry of the key: its box, the right edge of its text, its height.
_VOCI = """() => Array.from(document.querySelectorAll('.cdn-chiave li')).map(li => {
  const r = li.getBoundingClientRect(), testo = document.createRange();
  testo.selectNodeContents(li);
  const destra = Math.max(...Array.from(testo.getClientRects()).map(q => q.right));
  return {testo: li.textContent, sinistra: r.left, destra: r.right, testo_destra: destra, alto: r.height};
})"""


def _pagina(data_dir: Path) -> str:
    snap = carica(data_dir)
    tutti = Selezione(frozenset(snap.quartieri["codice_istat"]))
    return pagina_mappa(
        layer_quartieri(snap.stati), snap.punti, orari_testo(snap.sportelli), tutti, "Mappa", inline=True
    )


def _apri(page, pagina: str, larghezza: int) -> None:
    page.set_viewport_size({"width": larghezza, "height": 700})
    page.set_content(pagina)
    page.wait_for_function("() => document.querySelectorAll('.cdn-chiave li').length === 33", timeout=30_000)


def test_a_long_name_wraps_inside_its_column_of_the_key(page, data_copy: Path, screenshot):
    replace_in(data_copy / "quartieri.geojson", '"nome":"Chiusure"', f'"nome":"{LUNGO}"')
    replace_in(data_copy / "quartieri.geojson", '"nome":"Fiumicello"', f'"nome":"{PAROLA}"')
    _apri(page, _pagina(data_copy), 1000)
    voci = page.evaluate(_VOCI)
    colonne = sorted({round(v["sinistra"]) for v in voci})
    assert len(colonne) == 2, colonne
    for v in voci:
        assert v["testo_destra"] <= v["destra"] + 0.5, v  # the text stays inside its entry...
        if round(v["sinistra"]) == colonne[0]:
            assert v["destra"] <= colonne[1], v  # ...and the entry inside its column
    lunghi = [v for v in voci if LUNGO in v["testo"] or PAROLA in v["testo"]]
    assert len(lunghi) == 2 and all(v["alto"] > 20 for v in lunghi), lunghi  # on two lines or more
    corti = [v for v in voci if v not in lunghi]
    assert all(v["alto"] < 20 for v in corti), "a short name stays on one line"
    screenshot(page, "mappa-chiave-nome-lungo")


@pytest.mark.parametrize("larghezza", [1000, 480])
def test_the_note_of_an_ignored_filter_stands_beside_the_key(page, screenshot, larghezza: int):
    testo = "Zona «Atlantide» sconosciuta nel link: filtro ignorato. Zone: Centro, Est, Nord, Ovest, Sud."
    _apri(page, con_avviso(_pagina(DATA), testo), larghezza)
    avviso = page.locator(".cdn-avviso")
    assert avviso.is_visible() and testo in avviso.inner_text()
    a, k = avviso.bounding_box(), page.locator(".cdn-chiave").bounding_box()
    z = page.locator(".leaflet-control-zoom").bounding_box()
    assert a is not None and k is not None and z is not None
    assert a["x"] >= k["x"] + k["width"], "the note does not cover the key"
    assert a["x"] + a["width"] <= z["x"], "nor the zoom buttons"
    screenshot(page, f"mappa-avviso-filtro-{larghezza}")
    page.get_by_role("button", name="Chiudi l'avviso").click()
    assert page.locator(".cdn-avviso").count() == 0


def test_the_scale_shows_metres_only(page, data_copy: Path):
    _apri(page, _pagina(data_copy), 1000)
    righe = page.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-control-scale-line'))
             .filter(e => e.offsetParent !== null).map(e => e.textContent)"""
    )
    assert len(righe) == 1 and righe[0].endswith(("m", "km")) and not righe[0].endswith(("mi", "ft")), righe
