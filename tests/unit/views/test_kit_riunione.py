"""The meeting kit: one self-contained page, every text from the data escaped, licence and sources in it.
tests/browser/test_kit_riunione.py opens it from file:// with every request blocked."""

from __future__ import annotations

import datetime as dt
import html
import re

import openpyxl
import pytest

from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.stores.file import carica
from cittadelnoi.views import esporta
from cittadelnoi.views.kit_riunione import kit_panoramica, nome_file
from cittadelnoi.views.mappa_pubblica import pagina_mappa
from cittadelnoi.views.mapview import Selezione, layer_quartieri
from tests.conftest import replace_in

OSTILE = "Mompiano <img src=x onerror=alert(1)> ![t](http://attacker.invalid/track.png) </script>"


@pytest.fixture
def snap(data_copy):
    replace_in(data_copy / "punti.csv", "mompiano,Punto Quercia (esempio),", f'mompiano,"{OSTILE}",')
    return carica(data_copy)


def kit(snap, filtro: Filtro, al=None) -> str:
    orari = orari_testo(snap.sportelli)
    mappa = pagina_mappa(
        layer_quartieri(snap.stati),
        snap.punti,
        orari,
        Selezione(frozenset(filtro.codici(snap.quartieri)), filtro.quartiere),
        "Mappa",
        inline=True,
    )
    quando = dt.datetime(2026, 11, 30, 10, 15, tzinfo=dt.UTC)
    return kit_panoramica(snap, filtro, al, orari, mappa, quando)


def test_kit_is_one_file_with_the_view(snap):
    pagina = kit(snap, Filtro("Nord", None))
    # No linked resource at all: scripts and styles are inside, the map is an <iframe srcdoc>.
    assert not re.search(r"<(script|img|link|iframe)\b[^>]*\s(src|href)=[\"']", pagina)
    mappa = html.unescape(re.search(r'srcdoc="([^"]*)"', pagina).group(1))
    assert not re.search(r"<(script|img|link)\b[^>]*\s(src|href)=[\"']", mappa)
    assert "L.geoJSON" in mappa and "topojson" in mappa and len(mappa) > 150_000  # Leaflet inlined
    assert "@page { size: A4" in pagina
    for atteso in (
        "Vista della zona Nord.",
        "Punti attivi",
        "Copertura",
        "licenza CC BY 4.0",
        "Esportato il 30 novembre 2026",
    ):
        assert atteso in pagina, atteso
    assert "Stato al</dt><dd>30 novembre 2026" in pagina
    assert kit(snap, Filtro(), dt.date(2025, 1, 1)).count("Stato al 1 gennaio 2025") == 1


def test_text_from_data_is_escaped(snap):
    pagina = kit(snap, Filtro())
    assert OSTILE not in pagina and "<img src=x" not in pagina
    assert html.escape(OSTILE) in pagina  # shown as text in the table of points
    mappa = html.unescape(re.search(r'srcdoc="([^"]*)"', pagina).group(1))
    assert "<img src=x" not in mappa and OSTILE not in mappa  # in the map's data as JSON with <, > escaped


def test_file_name():
    quando = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    assert nome_file(quando, ["Sud", None]) == "cittadelnoi-riunione-sud-2026-11-30.html"
    assert nome_file(quando, []) == "cittadelnoi-riunione-2026-11-30.html"


def test_licence_in_every_export(snap):
    import io
    import json

    codici = set(snap.quartieri["codice_istat"])
    assert json.loads(esporta.geojson_bytes(snap.stati, snap.punti, codici))["licenza"] == "CC BY 4.0"
    libro = openpyxl.load_workbook(
        io.BytesIO(
            esporta.xlsx_bytes({"q": snap.quartieri.drop(columns="geometry"), "licenza": esporta.foglio_licenza()})
        )
    )
    assert ("Licenza", "CC BY 4.0") in list(libro["licenza"].values)
    quando = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    assert "licenza CC BY 4.0" in esporta.scheda_quartiere(snap.stati, snap.punti, {}, [], "17029010", quando)


def test_kit_in_english_has_english_headings(snap, inglese):
    """«In cifre» and «Fonti» sat inside the f-string: gettext never saw them, the English kit said
    them in Italian. In the template they come from `_()` like every other text."""
    pagina = re.sub(r'srcdoc="[^"]*"', "", kit(snap, Filtro("Nord", None)))
    titoli = re.findall(r"<h2>(.*?)</h2>", pagina)
    assert "In figures" in titoli and "Sources" in titoli, titoli
    assert "In cifre" not in titoli and "Fonti" not in titoli
