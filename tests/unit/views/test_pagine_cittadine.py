"""The citizen pages (views/pagine_cittadine.py, views/mappa_svg.py): every fact read back from the
HTML and compared with the register (sample data, esempio/), both languages, text from the data as text."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from cittadelnoi.core import i18n
from cittadelnoi.metrics.filtri import slug
from cittadelnoi.metrics.registro import testo_conferma as conferma_attesa
from cittadelnoi.metrics.stato import etichetta
from cittadelnoi.stores.file import carica
from cittadelnoi.views import mappa_svg
from cittadelnoi.views import pagine_cittadine as pc
from cittadelnoi.views.mapview_stile import BORDI, COLORI, SIMBOLI
from tests.conftest import DATA

OGGI = dt.date(2026, 12, 8)
LAMARMORA = "17029010"


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def leggi(frammento: str) -> str:
    """The text a reader sees of an HTML fragment, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", frammento)).split())


def parola(stato: str) -> str:
    """A status as the map says it: its symbol (if any) and its word."""
    return (SIMBOLI[stato] + " " if stato in SIMBOLI else "") + etichetta(stato)


def campo(sezione: str, classe: str) -> str:
    m = re.search(rf'<dd class="{classe}">(.*?)</dd>', sezione, re.S)
    assert m, classe
    return leggi(m.group(1))


def blocchi(pagina: str) -> dict[str, str]:
    return {
        html.unescape(m.group(1)): m.group(0)
        for m in re.finditer(r'<section class="punto" id="punto-[^"]*" data-punto="([^"]*)".*?</section>', pagina, re.S)
    }


def test_a_quartiere_page_says_what_the_register_says(snap):
    pagina = pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(), OGGI)
    q = snap.stati.set_index("codice_istat").loc[LAMARMORA]
    assert f'data-stato="{q["stato"]}">{parola(q["stato"])}</span>' in pagina
    punti = snap.punti[snap.punti["codice_istat"] == LAMARMORA]
    trovati = blocchi(pagina)
    assert set(trovati) == set(punti["id"]) and len(trovati) > 0
    for p in punti.to_dict("records"):
        s = trovati[p["id"]]
        assert campo(s, "indirizzo") == " ".join(str(p["indirizzo"]).split())
        assert campo(s, "conferma") == conferma_attesa(p["conferma"], OGGI)
        slot = snap.sportelli[snap.sportelli["id_punto"] == p["id"]]
        orari = [leggi(li) for li in re.findall(r"<li>(.*?)</li>", s)]
        attesi = sorted(
            (["lun", "mar", "mer", "gio", "ven", "sab", "dom"].index(g), a, b)
            for g, a, b in zip(slot["giorno"], slot["inizio"], slot["fine"], strict=True)
        )
        assert [o.split(" ", 1)[1] for o in orari] == [f"{a}–{b}" for _, a, b in attesi]
        fasce = json.loads(html.unescape(re.search(r'data-fasce="([^"]*)"', s).group(1)))
        assert [tuple(f) for f in fasce] == [
            (g, int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])) for g, a, b in attesi
        ]
        assert f'href="/dati/orari.ics?punto={p["id"]}"' in s and f'href="/segnala?punto={p["id"]}"' in s
    assert f'href="/dati/orari.ics?quartiere={LAMARMORA}"' in pagina
    assert 'href="/?quartiere=lamarmora"' in pagina  # the dashboard on the same view
    assert '<script src="/app/static/cittadino.js" defer></script>' in pagina
    assert pagina.count("<script") == 1, "no inline script"


def test_an_old_confirmation_says_da_riconfermare(snap):
    pagina = pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(), dt.date(2040, 1, 1))
    conferme = [campo(s, "conferma") for s in blocchi(pagina).values()]
    assert conferme and all(c.endswith("da riconfermare") for c in conferme)


def test_the_city_page_lists_every_quartiere_with_its_status(snap):
    pagina = pc.pagina_citta(snap, pc.Indirizzi())
    righe = re.findall(
        r'<tr data-stato="([^"]+)"><th scope="row"><a href="/quartieri/(\d+)">.*?<td class="stato">(.*?)</td>', pagina
    )
    assert {c: s for s, c, _ in righe} == dict(zip(snap.stati["codice_istat"], snap.stati["stato"], strict=True))
    assert all(t == parola(s) for s, _, t in righe)
    for zona in set(snap.stati["zona"]):
        assert f">Zona {html.escape(zona)}</h2>" in pagina and f'id="zona-{slug(zona)}"' in pagina


def test_a_point_page_and_text_from_the_register_stays_text(snap):
    punti = snap.punti.copy()
    punti.loc[punti["id"] == "lamarmora", "nome"] = "<script>alert(1)</script>{{ 6*7 }}"
    punti.loc[punti["id"] == "lamarmora", "ente_gestore"] = "<b>x</b>"

    class Dati:
        quartieri, stati, sportelli, caricato_il = snap.quartieri, snap.stati, snap.sportelli, snap.caricato_il

    Dati.punti = punti
    pagina = pc.pagina_punto(Dati(), "lamarmora", pc.Indirizzi(), OGGI)
    assert "<script>alert" not in pagina and "&lt;script&gt;alert(1)&lt;/script&gt;{{ 6*7 }}" in pagina
    assert "&lt;b&gt;x&lt;/b&gt;" in pagina
    with pytest.raises(KeyError):
        pc.pagina_punto(snap, "nessuno", pc.Indirizzi(), OGGI)
    with pytest.raises(KeyError):
        pc.pagina_quartiere(snap, "99999999", pc.Indirizzi(), OGGI)


def test_english_page_and_links_keep_the_language(snap, inglese):
    pagina = pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(lingua="en"), OGGI)
    assert '<html lang="en">' in pagina and "Neighbourhood" in pagina and "Desk hours" in pagina
    assert 'href="/quartieri?lang=en"' in pagina and 'href="/segnala?quartiere=17029010&amp;lang=en"' in pagina
    assert f'href="/quartieri/{LAMARMORA}" lang="it" hreflang="it">Italiano</a>' in pagina
    assert "Wednesday" in pagina  # the schedule's days in English
    i18n.imposta("it")
    assert "Quartiere Lamarmora" in pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(), OGGI)


def test_the_footer_block_has_licence_update_and_report_link(snap):
    pagina = pc.pagina_citta(snap, pc.Indirizzi())
    piede = pagina[pagina.index("<footer>") : pagina.index("</footer>")]
    assert 'rel="license"' in piede and "CC BY 4.0" in piede
    assert "Dati aggiornati il" in piede and 'href="/segnala"' in piede


def test_the_small_map_draws_the_quartiere_and_its_neighbours_as_on_the_map(snap):
    codici = mappa_svg.vicini(snap.stati, LAMARMORA)
    assert LAMARMORA in codici and 2 < len(codici) < len(snap.stati)
    punti = snap.punti[snap.punti["codice_istat"] == LAMARMORA]
    disegno = mappa_svg.disegna(snap.stati, codici, punti, LAMARMORA)
    assert {a.codice for a in disegno.aree} == set(codici)
    stati = dict(zip(snap.stati["codice_istat"], snap.stati["stato"], strict=True))
    assert all(a.stato == stati[a.codice] for a in disegno.aree)
    assert [s.nome for s in disegno.segni] == list(punti["nome"])
    for s in disegno.segni:
        assert 0 <= s.x <= disegno.larghezza and 0 <= s.y <= disegno.altezza
    pagina = pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(), OGGI)
    svg = pagina[pagina.index("<svg") : pagina.index("</svg>")]
    assert svg.count("<path") == len(codici)
    for stato in set(stati[c] for c in codici):
        assert f'fill="{COLORI[stato]}"' in svg and f'stroke-dasharray="{BORDI[stato] or "none"}"' in svg
    assert 'role="img" aria-labelledby="mappa-titolo"' in svg and '<title id="mappa-titolo">' in svg
    assert "<figcaption>" in pagina  # the text alternative, visible


def test_weight_of_a_quartiere_page(snap):
    import gzip

    pagina = pc.pagina_quartiere(snap, LAMARMORA, pc.Indirizzi(), OGGI).encode("utf-8")
    assert len(gzip.compress(pagina)) < 20_000  # issue 24: <= 60 KB on the wire with everything
