"""Links that carry the view, their QR code, and the ranking map's colours."""

from __future__ import annotations

import base64

from cittadelnoi.views.condivisione import base_pubblica, qr_png_data_uri, qr_svg, url_vista
from cittadelnoi.views.mapview import Classifica, colore_posizione, legenda_classifica


def test_view_links_use_the_configured_public_base():
    assert base_pubblica(" https://cruscotto.example.org/brescia/ ", "http://127.0.0.1:8501/x") == (
        "https://cruscotto.example.org/brescia"
    )
    assert base_pubblica(None, "http://10.0.0.5:8501/ore_volontariato?zona=Sud") == "http://10.0.0.5:8501"
    assert base_pubblica("", None) == "http://127.0.0.1:8501"
    assert url_vista("https://x.org/b", "", {"zona": "Sud", "apri": "storico,tabella"}) == (
        "https://x.org/b/?zona=Sud&apri=storico%2Ctabella"
    )
    assert url_vista("https://x.org", "dove_aprire", {}) == "https://x.org/dove_aprire"


def test_qr_code_is_drawn_offline():
    uri = qr_png_data_uri("https://x.org/?zona=Sud")
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    svg = qr_svg("https://x.org/?zona=Sud&quartiere=a", "QR <vista>")
    assert svg.startswith("<svg") and "<title>QR &lt;vista&gt;</title>" in svg


def test_rank_colours_go_from_dark_to_light():
    assert colore_posizione(1, 12) == "#800026"
    assert colore_posizione(12, 12) == "#FFEDA0"
    assert colore_posizione(1, 1) == "#800026"
    legenda = legenda_classifica(Classifica({"a": 1, "b": 2}, "Priorità <1>", 12))
    assert "Priorità &lt;1&gt;" in legenda and ">12<" in legenda


def test_the_qr_code_opens_the_views_citizen_page():
    from cittadelnoi.views.condivisione import url_cittadino

    base = "https://cruscotto.example.org/brescia/"
    assert url_cittadino(base, None, None, "it") == "https://cruscotto.example.org/brescia/quartieri"
    assert url_cittadino(base, "17029010", "Sud", "it") == "https://cruscotto.example.org/brescia/quartieri/17029010"
    assert url_cittadino(base, None, "Centro Storico", "en") == (
        "https://cruscotto.example.org/brescia/quartieri?lang=en#zona-centro-storico"
    )
