"""web/informative.py and views/informative.py: /accessibilita and /privacy in-process, both
languages, the settings they show (or say are missing), and the site's footer on them, on
/segnala and on /mappa."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.core import i18n, tempo
from cittadelnoi.stores.file import DataStore
from cittadelnoi.web import rotte as rotte_dati
from cittadelnoi.web import segnala
from cittadelnoi.web.informative import rotte


def visibile(pagina: str) -> str:
    corpo = re.sub(r"<style>.*?</style>", "", pagina, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", corpo)).split())


@pytest.fixture
def store(data_copy: Path, tmp_path: Path) -> DataStore:
    return DataStore(data_copy, tmp_path / "copia")


@pytest.fixture
def client(store) -> TestClient:
    app = Starlette(
        routes=[*rotte(lambda: store), *segnala.rotte(lambda: store, lambda: None), *rotte_dati.rotte(lambda: store)]
    )
    return TestClient(app, base_url="http://cruscotto.test")


def piede_di(pagina: str) -> str:
    trovato = re.search(r'<nav class="cdn-piede".*?</nav>', pagina, flags=re.S)
    assert trovato, "no footer in the page"
    return trovato.group(0)


def test_the_statement_follows_agids_structure_and_says_partially_compliant(client, imposta):
    imposta(dichiarazione_agid=None)
    r = client.get("/accessibilita")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src" not in r.headers["content-security-policy"] and "<script" not in r.text
    testo = visibile(r.text)
    for titolo in (
        "Dichiarazione di accessibilità",
        "Stato di conformità",
        "Contenuti non accessibili",
        "Redazione della dichiarazione di accessibilità",
        "Meccanismo di feedback e informazioni di contatto",
        "Procedura di attuazione",
    ):
        assert f"<h2>{titolo}</h2>" in r.text or f"<h1>{titolo}</h1>" in r.text, titolo
    assert "parzialmente conforme" in testo
    # The list of what Streamlit's own parts miss, each with its alternative.
    for cosa in ("Drag and drop a file here", "iframe", "«r»"):
        assert cosa in testo, cosa
    assert r.text.count("<tr><td>") == 4
    assert "non è ancora indicata in questa installazione" in testo  # no AgID link set: said, not invented
    assert '<a href="/segnala">Segnala un problema</a>' in r.text


def test_the_statement_links_the_one_filed_on_agids_form_when_set(client, imposta):
    imposta(dichiarazione_agid="https://form.agid.gov.it/view/abc-123")
    r = client.get("/accessibilita")
    assert '<a href="https://form.agid.gov.it/view/abc-123" rel="noopener">' in r.text
    assert "non è ancora indicata" not in visibile(r.text)


def test_privacy_names_the_controller_the_cookies_and_what_is_kept(client, imposta):
    imposta(titolare_trattamento=None, oidc_ore_sessione="4")
    r = client.get("/privacy")
    testo = visibile(r.text)
    assert "Non indicato in questa installazione" in testo
    for cookie in ("_streamlit_xsrf", "cittadelnoi_sessione", "_streamlit_user", "_streamlit_session", "cdn_replica"):
        assert f"<code>{cookie}" in r.text, cookie
    assert "solo cookie tecnici" in testo and "4 ore dall'accesso" in testo
    assert "12 mesi dalla chiusura" in testo  # core.segnalazioni.CONSERVAZIONE_CHIUSE
    imposta(titolare_trattamento="Comune di <Brescia>, piazza della Loggia 1")
    r = client.get("/privacy")
    assert "Comune di &lt;Brescia&gt;, piazza della Loggia 1" in r.text  # a setting is text too


def test_both_pages_in_english_with_the_footer_in_english(client, store):
    snap, _ = store.get()
    i18n.imposta("en")
    try:
        data = tempo.quando(snap.caricato_il).data
    finally:
        i18n.imposta("it")
    for rotta, titolo in (("/accessibilita", "Accessibility statement"), ("/privacy", "Privacy and cookies")):
        r = client.get(rotta + "?lang=en")
        assert '<html lang="en">' in r.text and f"<h1>{titolo}</h1>" in r.text
        piede = piede_di(r.text)
        assert '<a href="/accessibilita?lang=en">Accessibility statement</a>' in piede
        assert '<a href="/segnala?lang=en">Report a problem</a>' in piede
        assert '<a href="/privacy?lang=en">Privacy and cookies</a>' in piede
        assert f"Last data update: {data}" in visibile(piede)
        # The language switch leads to the same page in Italian.
        assert f'<a href="{rotta}" lang="it" hreflang="it">Italiano</a>' in r.text


def test_the_footer_is_on_segnala_and_on_the_public_map(client, store):
    snap, _ = store.get()
    for rotta in ("/segnala", "/mappa"):
        r = client.get(rotta)
        piede = piede_di(r.text)
        assert 'href="/accessibilita"' in piede and 'href="/privacy"' in piede, rotta
        assert 'rel="license' in piede and "CC BY 4.0" in piede
        assert f"Ultimo aggiornamento dei dati: {tempo.quando(snap.caricato_il).data}" in visibile(piede), rotta
    # /mappa is shown inside other sites' pages: its links open a new window, its own report link stays.
    mappa = client.get("/mappa").text
    assert 'href="/accessibilita" target="_blank"' in mappa and ">segnala un errore</a>" in mappa


def test_a_store_that_cannot_be_read_leaves_the_date_unknown_and_the_page_open():
    def rotto():
        raise OSError("disco non leggibile")

    client = TestClient(Starlette(routes=rotte(rotto)))
    r = client.get("/privacy")
    assert r.status_code == 200
    assert "Data dell'ultimo aggiornamento dei dati: non nota" in visibile(r.text)
    assert "disco" not in r.text  # no server detail in the page
