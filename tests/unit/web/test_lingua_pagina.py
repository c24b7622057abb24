"""cittadelnoi/web/lingua_pagina.py: Streamlit's page shell in the viewer's language.

In-process (Starlette's TestClient) on Streamlit's own static handler and gzip middleware, the
ones `st.App` mounts, with Streamlit's real index.html. tests/browser/test_accessibilita.py
checks the page in Chromium (`lang`, the skip link, the switch of language).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from streamlit.file_util import get_static_dir
from streamlit.web.server.starlette.starlette_gzip_middleware import SelectiveGZipMiddleware
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

from cittadelnoi.core import pubblicazione
from cittadelnoi.web.lingua_pagina import LinguaDellaPagina, riscrivi

INDICE = Path(get_static_dir()) / "index.html"
ALTRA_PAGINA = '<!DOCTYPE html><html lang="en"><head><title>Streamlit</title></head><body>mappa</body></html>'


def _mappa(_request):
    return HTMLResponse(ALTRA_PAGINA)


def client(indice: Path = INDICE) -> TestClient:
    app = Starlette(
        routes=[
            Route("/mappa", _mappa),
            Mount("/", app=create_streamlit_static_handler(directory=str(indice.parent), base_url=None)),
        ],
        middleware=[
            Middleware(LinguaDellaPagina, indice=indice),  # outermost, as st.App puts user middleware
            Middleware(SelectiveGZipMiddleware, minimum_size=1000, compresslevel=5, base_url=""),
        ],
    )
    return TestClient(app, base_url="http://cruscotto.test")


def lang(testo: str) -> str:
    trovato = re.search(r'<html lang="([^"]*)">', testo)
    assert trovato is not None, testo[:300]
    return trovato.group(1)


@pytest.mark.parametrize("percorso", ["/", "/ore_volontariato", "/finanziamenti?zona=Sud"])
def test_the_shell_is_italian_by_default_on_every_page(percorso):
    r = client().get(percorso)
    assert r.status_code == 200
    assert lang(r.text) == "it"
    assert r.headers["content-language"] == "it"
    assert f"<title>{pubblicazione.TITOLO_PROGETTO}</title>" in r.text
    assert "Per vedere il cruscotto serve JavaScript" in r.text
    assert "You need to enable JavaScript" not in r.text
    # The script that follows a switch of language knows both words of the skip link.
    assert '"it": "Vai al contenuto principale"' in r.text and '"en": "Skip to main content"' in r.text
    # Streamlit's own script and assets are still there, untouched.
    assert re.search(r'<script type="module" crossorigin src="./static/js/index\.[^"]+\.js"></script>', r.text)


@pytest.mark.parametrize("percorso", ["/?lang=en", "/ore_volontariato?zona=Sud&lang=en"])
def test_the_shell_follows_lang_en(percorso):
    r = client().get(percorso)
    assert lang(r.text) == "en"
    assert "You need JavaScript to see the dashboard" in r.text
    assert r.headers["content-language"] == "en"


@pytest.mark.parametrize("percorso", ["/gestione?lang=en", "/gestione/?lang=en"])
def test_the_italian_only_page_says_italian_whatever_lang_says(percorso):
    r = client().get(percorso, follow_redirects=True)
    assert lang(r.text) == "it" and r.headers["content-language"] == "it"
    assert '"gestione"' in r.text  # the script keeps Italian there after an in-page switch too


@pytest.mark.parametrize("valore", ["fr", "", "EN", "en%22%3E%3Cscript%3E"])
def test_an_unknown_lang_is_italian_and_never_echoed(valore):
    r = client().get(f"/?lang={valore}")
    assert lang(r.text) == "it"
    assert "<script>alert" not in r.text and 'en">' not in r.text.split("<head>")[0]


def test_a_page_url_served_gzipped_is_rewritten_and_still_gzipped():
    c = client()
    r = c.get("/ore_volontariato", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"  # Streamlit compresses a page's URL
    assert lang(r.text) == "it"  # httpx decompresses: the rewritten shell
    crudo = c.get("/ore_volontariato", headers={"Accept-Encoding": "identity"})
    assert crudo.headers.get("content-encoding") is None
    assert crudo.text == r.text
    assert int(crudo.headers["content-length"]) == len(crudo.content)


def test_revalidation_answers_304_per_language_and_replaces_an_old_copy():
    c = client()
    it, en = c.get("/"), c.get("/?lang=en")
    assert it.headers["etag"] != en.headers["etag"]
    assert "last-modified" not in it.headers
    ancora = c.get("/", headers={"If-None-Match": it.headers["etag"]})
    assert ancora.status_code == 304 and ancora.content == b""
    # The Italian copy is not valid for the English page.
    assert c.get("/?lang=en", headers={"If-None-Match": it.headers["etag"]}).status_code == 200
    # A browser holding Streamlit's own shell (cached before the rewrite) gets the rewritten one.
    streamlit_etag = (
        TestClient(Starlette(routes=[Mount("/", app=create_streamlit_static_handler(str(INDICE.parent), None))]))
        .get("/")
        .headers["etag"]
    )
    vecchia = c.get(
        "/",
        headers={"If-None-Match": streamlit_etag, "If-Modified-Since": "Wed, 01 Jan 2100 00:00:00 GMT"},
    )
    assert vecchia.status_code == 200 and lang(vecchia.text) == "it"


@pytest.mark.parametrize("percorso", ["/?lang=en", "/ore_volontariato?lang=en"])
def test_a_date_or_a_star_never_brings_back_streamlits_shell(percorso):
    """Streamlit answers 304 to a date after its file's or to `*`: the answer is decided here,
    against the rewritten shell (found by a reviewer: a cache revalidating by date kept lang="en"
    of Streamlit's shell on "/" while the page said Italian)."""
    c = client()
    atteso = c.get(percorso)
    per_data = c.get(percorso, headers={"If-Modified-Since": "Mon, 30 Nov 2099 00:00:00 GMT"})
    assert per_data.status_code == 200 and per_data.text == atteso.text
    assert per_data.headers["content-type"] == "text/html; charset=utf-8"
    assert per_data.headers["cache-control"] == "no-cache"
    assert per_data.headers["etag"] == atteso.headers["etag"]
    stella = c.get(percorso, headers={"If-None-Match": "*"})
    assert stella.status_code == 304 and stella.headers["etag"] == atteso.headers["etag"]
    assert stella.headers["content-language"] == "en"


def test_head_gives_the_headers_of_the_rewritten_shell():
    c = client()
    testa, corpo = c.head("/"), c.get("/")
    assert testa.status_code == 200 and testa.content == b""
    assert testa.headers["etag"] == corpo.headers["etag"]
    assert testa.headers["content-length"] == str(len(corpo.content))


def test_other_responses_pass_untouched():
    c = client()
    r = c.get("/mappa", headers={"Accept-Encoding": "identity"})
    assert r.text == ALTRA_PAGINA  # only Streamlit's shell is rewritten, not any HTML
    js = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', c.get("/").text)
    assert js is not None
    asset = c.get("/" + js.group(1))
    assert asset.status_code == 200
    assert asset.content == (INDICE.parent / js.group(1)).read_bytes()
    assert c.post("/").status_code == 405  # methods other than GET and HEAD go straight through


def test_without_the_shell_file_the_middleware_stands_aside(tmp_path: Path):
    indice = tmp_path / "index.html"
    indice.write_text(ALTRA_PAGINA)
    # The static handler serves tmp_path/index.html; the middleware found no shell and does nothing.
    app = Starlette(
        routes=[Mount("/", app=create_streamlit_static_handler(directory=str(tmp_path), base_url=None))],
        middleware=[Middleware(LinguaDellaPagina, indice=tmp_path / "manca.html")],
    )
    c = TestClient(app)
    assert c.get("/").text == ALTRA_PAGINA


def test_the_rewrite_keeps_data_out_of_the_script_and_leaves_missing_parts_out():
    testo = riscrivi("<html><head></head><body></body></html>", "en")
    assert testo.startswith('<html lang="en">')
    assert "<title>" not in testo and "<noscript>" not in testo  # the shell had none: none invented
    assert testo.count("<script>") == 1 and testo.endswith("</script>\n</head><body></body></html>")


@pytest.mark.parametrize(
    ("lingua", "parole", "link"),
    [("it", "Senza JavaScript", './quartieri"'), ("en", "Without JavaScript", './quartieri?lang=en"')],
)
def test_without_javascript_the_shell_links_the_citizen_pages_and_every_open_file(lingua, parole, link) -> None:
    """The <noscript> of Streamlit's shell: the plain citizen pages (/quartieri, they need no script)
    in the page's language, and every open-data file the routes serve."""
    from cittadelnoi.views.dati_aperti import FILE

    testo = riscrivi(INDICE.read_text(encoding="utf-8"), lingua)
    noscript = re.search(r"<noscript>(.*?)</noscript>", testo, re.S)
    assert noscript is not None
    assert parole in noscript.group(1) and f'href="{link}' in noscript.group(1)
    for nome in FILE:
        if nome != "catalogo.jsonld":
            assert f'href="./dati/{nome}"' in noscript.group(1), nome
