"""The routes of /segnala (web.segnala) in-process, with Starlette's TestClient, on a SQLite database
seeded from a private copy of the sample data, and on the files (file mode: no reports).

What is checked: the form names its point or quartiere (escaped), in Italian or English; unknown
ids are a 404 page; a valid post is stored and thanked; every refusal (honeypot, body too large,
lying Content-Length, not a form, another site, invalid fields, a sixth report a minute from one
address) is a page saying why, and stores nothing; the client's address is taken from
X-Forwarded-For only when the peer is a proxy on this machine; no public route shows a report.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cittadelnoi.core import impostazioni
from cittadelnoi.core.segnalazioni import LIMITE_AL_MINUTO, MAX_CORPO
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.file import DataStore
from cittadelnoi.web import rotte as rotte_dati
from cittadelnoi.web.segnala import indirizzo_cliente, rotte
from tests.conftest import replace_in

PUNTO = "don-bosco"  # «Punto Girasole (esempio)» in esempio/punti.csv


@pytest.fixture
def store(data_copy: Path, tmp_path: Path) -> DbStore:
    # A name with markup: the pages must show it as text.
    replace_in(data_copy / "punti.csv", "Punto Girasole (esempio)", "Punto <b>Girasole</b> & co (esempio)")
    s = DbStore(crea_engine(f"sqlite:///{tmp_path / 'registro.sqlite'}"), data_copy)
    snap, errori = s.get()
    assert snap is not None and errori == []
    return s


def client_per(store, *, peer: str = "198.51.100.1", file: bool = False) -> TestClient:
    segnalazioni = (lambda: None) if file else store.segnalazioni
    app = Starlette(routes=[*rotte(lambda: store, segnalazioni), *rotte_dati.rotte(lambda: store)])
    return TestClient(app, base_url="http://cruscotto.test", client=(peer, 50000))


@pytest.fixture
def client(store) -> TestClient:
    return client_per(store)


def quartiere_senza_punto(store) -> tuple[str, str]:
    snap, _ = store.get()
    q = snap.quartieri[~snap.quartieri["codice_istat"].isin(set(snap.punti["codice_istat"]))].iloc[0]
    return str(q["codice_istat"]), str(q["nome"])


def modulo(**campi: str) -> dict[str, str]:
    return {"punto": PUNTO, "lang": "it", "motivo": "orari", "testo": "", "email": "", "sito_web": "", **campi}


def salvate(store) -> int:
    return len(store.segnalazioni().coda())


def visibile(pagina: str) -> str:
    corpo = re.sub(r"<style>.*?</style>", "", pagina, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", corpo))


# --- the form ---------------------------------------------------------------------------------


def test_the_form_names_its_point_as_text_and_needs_no_script(client):
    r = client.get(f"/segnala?punto={PUNTO}")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["cache-control"] == "no-store"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp and "script-src" not in csp
    assert "<script" not in r.text and 'lang="it"' in r.text
    assert "Punto &lt;b&gt;Girasole&lt;/b&gt; &amp; co (esempio)" in r.text  # escaped by the template
    assert '<form method="post" action="/segnala"' in r.text
    for motivo in ("orari", "indirizzo", "non_esiste", "mancante", "altro"):
        assert f'value="{motivo}"' in r.text
    assert 'name="sito_web"' in r.text and 'class="trappola"' in r.text
    assert 'maxlength="500"' in r.text and 'name="consenso"' in r.text
    # Every outside thing the page could load: none (its style is inline, allowed by its hash).
    # The one link to another site is the licence's, in the footer (a link, never loaded).
    assert not re.search(r"src=\"https?://", r.text)
    assert re.findall(r"href=\"(https?://[^\"]+)\"", r.text) == [impostazioni.impostazioni().licenza.url]
    assert 'rel="license"' in r.text


def test_the_form_for_a_quartiere_without_a_point_in_english(store, client):
    codice, nome = quartiere_senza_punto(store)
    r = client.get(f"/segnala?quartiere={codice}&lang=en")
    assert r.status_code == 200 and 'lang="en"' in r.text
    testo = visibile(r.text)
    assert "Report an error" in testo and f"quartiere {nome}" in testo
    assert "What is wrong?" in testo and "there is a point not on the map" in testo
    assert 'value="orari"' not in r.text, "no desk to be wrong in a quartiere without a point"
    assert '<a href="/segnala?quartiere=' + codice + '"' in r.text  # the switch back to Italian


@pytest.mark.parametrize("query", ["punto=non-esiste", "quartiere=99999999", "punto=%3Cscript%3E"])
def test_an_unknown_point_or_quartiere_is_a_404_page_not_a_traceback(client, query):
    r = client.get(f"/segnala?{query}")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Punto o quartiere non trovato" in r.text and "Traceback" not in r.text
    assert "<script>" not in r.text


def test_without_a_point_the_page_lets_one_choose_without_script(store, client):
    r = client.get("/segnala")
    assert r.status_code == 200
    assert '<form method="get" action="/segnala"' in r.text
    assert f'<option value="{PUNTO}">' in r.text
    codice, _ = quartiere_senza_punto(store)
    assert f'<option value="{codice}">' in r.text


# --- a report ---------------------------------------------------------------------------------


def test_a_valid_report_is_stored_and_thanked(store, client):
    r = client.post("/segnala", data=modulo(testo="Chiuso da ottobre", email="a@b.it", consenso="si"))
    assert r.status_code == 200, r.text
    assert "Grazie!" in r.text and "Punto &lt;b&gt;Girasole" in r.text
    coda = store.segnalazioni().coda()
    assert len(coda) == 1
    riga = coda.iloc[0]
    assert (riga["tipo"], riga["id_oggetto"], riga["motivo"], riga["testo"], riga["email"], riga["stato"]) == (
        "punto",
        PUNTO,
        "orari",
        "Chiuso da ottobre",
        "a@b.it",
        "nuova",
    )


def test_a_report_on_a_quartiere(store, client):
    codice, nome = quartiere_senza_punto(store)
    r = client.post("/segnala", data={"quartiere": codice, "motivo": "mancante", "testo": "In via X c'è un punto"})
    assert r.status_code == 200 and "Grazie!" in r.text
    riga = store.segnalazioni().coda().iloc[0]
    assert (riga["tipo"], riga["id_oggetto"], riga["nome"]) == ("quartiere", codice, f"quartiere {nome}")


def test_invalid_fields_give_the_form_back_with_what_was_typed_and_store_nothing(store, client):
    r = client.post("/segnala", data=modulo(testo="x" * 501 + "<i>", email="non-valida", consenso="", lang="en"))
    assert r.status_code == 400 and salvate(store) == 0
    testo = visibile(r.text)
    assert "The report was not sent:" in testo
    assert "The text is too long: 504 characters, at most 500." in testo
    assert "The e-mail address is not valid" in testo and "tick the consent box" in testo
    assert "x" * 501 + "&lt;i&gt;</textarea>" in r.text and 'value="non-valida"' in r.text
    assert 'value="orari" required checked' in r.text
    assert r.text.count('aria-invalid="true"') == 3


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(store, client):
    r = client.post("/segnala", data=modulo(sito_web="http://spam.example"))
    assert r.status_code == 400 and salvate(store) == 0
    assert "campo nascosto" in visibile(r.text) and "Non è stato salvato nulla." in r.text


def test_a_body_declared_too_large_is_refused_before_it_is_read(store, client):
    corpo = "punto=don-bosco&motivo=orari&testo=" + "a" * (MAX_CORPO + 10)
    r = client.post("/segnala", content=corpo, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and salvate(store) == 0
    assert "troppo grande" in r.text


@pytest.mark.parametrize("lunghezza", [None, "100"])
def test_a_body_longer_than_it_says_is_not_read_past_the_limit(store, lunghezza):
    """At the ASGI level (TestClient reads a body whole before sending it): a client that sends no
    Content-Length, or a false one, gets 413 after the server has read just past MAX_CORPO."""
    app = Starlette(routes=rotte(lambda: store, store.segnalazioni))
    mandati: list[int] = []
    risposta: list[dict] = []

    async def ricevi() -> dict:
        mandati.append(4096)
        return {"type": "http.request", "body": b"a" * 4096, "more_body": len(mandati) < 1000}  # 4 MB in all

    async def invia(messaggio: dict) -> None:
        risposta.append(messaggio)

    intestazioni = [(b"content-type", b"application/x-www-form-urlencoded"), (b"host", b"cruscotto.test")]
    if lunghezza:
        intestazioni.append((b"content-length", lunghezza.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/segnala",
        "raw_path": b"/segnala",
        "query_string": b"",
        "root_path": "",
        "headers": intestazioni,
        "client": ("198.51.100.1", 50000),
        "server": ("cruscotto.test", 80),
    }
    asyncio.run(app(scope, ricevi, invia))
    assert risposta[0]["status"] == 413 and salvate(store) == 0
    assert sum(mandati) <= MAX_CORPO + 4096, "the server stopped reading just past the limit"


@pytest.mark.parametrize(
    "intestazioni, stato",
    [
        ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
        ({"Content-Type": "application/json"}, 415),
        ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://altro.example"}, 403),
        ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "null"}, 403),
        ({"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}, 403),
    ],
)
def test_posts_that_are_not_this_site_s_form_are_refused(store, client, intestazioni, stato):
    r = client.post("/segnala", content="punto=don-bosco&motivo=orari", headers=intestazioni)
    assert r.status_code == stato and salvate(store) == 0
    assert "Segnalazione non inviata" in r.text


def test_a_post_from_this_site_s_own_page_is_accepted(store, client):
    r = client.post(
        "/segnala",
        data=modulo(),
        headers={"Origin": "http://cruscotto.test", "Sec-Fetch-Site": "same-origin"},
    )
    assert r.status_code == 200 and salvate(store) == 1


def test_not_utf8_is_refused(store, client):
    r = client.post(
        "/segnala",
        content=b"punto=don-bosco&motivo=orari&testo=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400 and salvate(store) == 0


# --- the rate limit ---------------------------------------------------------------------------


def test_a_sixth_report_in_a_minute_from_one_address_is_refused(store, client):
    for _ in range(LIMITE_AL_MINUTO):
        assert client.post("/segnala", data=modulo()).status_code == 200
    r = client.post("/segnala", data=modulo(testo="la sesta"))
    assert r.status_code == 429 and r.headers["retry-after"] == "60"
    assert "Troppe segnalazioni da questo indirizzo: al massimo 5 al minuto" in visibile(r.text)
    assert salvate(store) == LIMITE_AL_MINUTO
    # Another address is not held back.
    assert client_per(store, peer="198.51.100.2").post("/segnala", data=modulo()).status_code == 200


def test_behind_the_proxy_each_client_counts_on_its_own_and_cannot_forge_its_address(store):
    proxy = client_per(store, peer="127.0.0.1")  # nginx on this machine appends the client's address
    for i in range(LIMITE_AL_MINUTO):
        r = proxy.post("/segnala", data=modulo(), headers={"X-Forwarded-For": f"10.0.0.{i}, 203.0.113.9"})
        assert r.status_code == 200
    assert proxy.post("/segnala", data=modulo(), headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    assert proxy.post("/segnala", data=modulo(), headers={"X-Forwarded-For": "203.0.113.10"}).status_code == 200
    # A client reached directly cannot pick another address with the header.
    diretto = client_per(store, peer="198.51.100.7")
    for i in range(LIMITE_AL_MINUTO):
        assert diretto.post("/segnala", data=modulo(), headers={"X-Forwarded-For": f"10.1.0.{i}"}).status_code == 200
    assert diretto.post("/segnala", data=modulo(), headers={"X-Forwarded-For": "10.1.0.99"}).status_code == 429


@pytest.mark.parametrize(
    "peer, inoltrato, atteso",
    [
        ("198.51.100.1", None, "198.51.100.1"),
        ("198.51.100.1", "10.0.0.1", "198.51.100.1"),  # not a proxy: the header is ignored
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote the left part itself
        ("::1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # two proxies on this machine
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1"),
        (None, "203.0.113.9", "sconosciuto"),
    ],
)
def test_client_address(peer, inoltrato, atteso):
    assert indirizzo_cliente(peer, inoltrato) == atteso


# --- file mode and privacy --------------------------------------------------------------------


def test_file_mode_says_reports_are_unavailable_never_a_traceback(data_copy: Path, tmp_path: Path):
    store = DataStore(data_copy, tmp_path / "copia")
    assert store.get()[0] is not None
    client = client_per(store, file=True)
    for r in (client.get(f"/segnala?punto={PUNTO}"), client.post("/segnala", data=modulo())):
        assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
        assert "le segnalazioni non sono disponibili" in r.text and "Traceback" not in r.text


def test_a_read_only_database_says_reports_are_unavailable_and_why(store, tmp_path: Path):
    """A restored backup served read-only (issue 26): the form is not offered, a post is refused with
    the true reason (not «riprova tra qualche minuto»), and nothing is stored."""
    import sqlite3

    copia = tmp_path / "copia.sqlite"
    con = sqlite3.connect(tmp_path / "registro.sqlite")
    con.execute("VACUUM INTO ?", (str(copia),))
    con.close()
    prima = sqlite3.connect(copia).execute("SELECT count(*) FROM segnalazioni").fetchone()[0]
    sola = DbStore(crea_engine(f"sqlite:///file:{copia}?mode=ro&uri=true"), store.data_dir)
    assert sola.get()[0] is not None and not sola.modificabile
    client = client_per(sola)
    for r in (client.get(f"/segnala?punto={PUNTO}"), client.post("/segnala", data=modulo(testo="ciao"))):
        assert r.status_code == 503, r.text
        testo = " ".join(visibile(r.text).split())
        assert "Le segnalazioni non sono disponibili ora" in testo and "in sola lettura" in testo
        assert "riprova tra qualche minuto" not in testo and "<textarea" not in r.text
    r = client.get(f"/segnala?punto={PUNTO}&lang=en")
    assert "its database is read-only" in " ".join(visibile(r.text).split())
    sola.engine.dispose()
    assert sqlite3.connect(copia).execute("SELECT count(*) FROM segnalazioni").fetchone()[0] == prima


def test_no_public_route_shows_a_report(store, client):
    segreto = "testo-riservato-7f3a"
    assert (
        client.post("/segnala", data=modulo(testo=segreto, email="nome@segreto.it", consenso="si")).status_code == 200
    )
    pubbliche = [r.path for r in rotte_dati.rotte(lambda: store)] + [
        f"/segnala?punto={PUNTO}",
        "/segnala",
        "/mappa?quartiere=17029006",
    ]
    for percorso in pubbliche:
        r = client.get(percorso)
        assert r.status_code == 200, percorso
        assert segreto not in r.text and "segreto.it" not in r.text, percorso
