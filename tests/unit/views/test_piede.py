"""views/piede.py and templates/piede.html: the site's footer (AgID), both languages."""

from __future__ import annotations

import datetime as dt

from cittadelnoi.core import i18n, tempo
from cittadelnoi.views import modelli
from cittadelnoi.views.piede import piede


def test_the_footer_has_the_four_things_agid_asks_and_the_date(imposta):
    imposta(licenza="CC0-1.0")
    quando = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)  # already the 8th in Brescia
    p = piede(quando)
    assert [(c.url, c.testo) for c in p.collegamenti] == [
        ("/accessibilita", "Dichiarazione di accessibilità"),
        ("/segnala", "Segnala un problema"),
        ("/privacy", "Privacy e cookie"),
    ]
    assert (p.licenza_nome, p.licenza_url) == ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    assert p.aggiornati == "Ultimo aggiornamento dei dati: " + tempo.quando(quando).data
    assert "8 dicembre 2026" in p.aggiornati
    html = modelli.pagina("piede.html", piede=p)
    assert html.count("<li>") == 5 and 'aria-label="Informazioni sul sito"' in html
    assert 'target="_blank"' not in html


def test_in_english_the_links_keep_the_language():
    i18n.imposta("en")
    try:
        p = piede(None, segnala=False, nuova_finestra=True)
    finally:
        i18n.imposta("it")
    assert [c.url for c in p.collegamenti] == ["/accessibilita?lang=en", "/privacy?lang=en"]
    assert p.aggiornati == "Date of the last data update: not known"
    assert p.licenza_prima == "Open data under the " and p.licenza_dopo == " licence"
    assert modelli.pagina("piede.html", piede=p).count('target="_blank"') == 3
