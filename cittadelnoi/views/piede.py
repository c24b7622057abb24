"""The site's footer, as AgID's design guidelines ask of every page of a public administration's
site: the accessibility statement, a way to report a problem, privacy and cookies, the licence
of the data and the date they were last updated.

One list of links and texts, in the run's language, for both kinds of page: the Jinja2 partial
`templates/piede.html` (the HTML routes: /segnala, /mappa, /accessibilita, /privacy, and any page
that includes it with a `piede` in its context) and the Streamlit pages (`ui.piede`). The routes
of the statement and the privacy page are here, their pages in `views.informative`.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlencode

from cittadelnoi.core import i18n, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni

ROTTA_ACCESSIBILITA = "/accessibilita"
ROTTA_PRIVACY = "/privacy"
ROTTA_SEGNALA = "/segnala"  # views.segnala.ROTTA (imported there from here: one home)

# When the data of the page being built were last updated (Snapshot.caricato_il), set by the route
# in the copy of the context it builds the page in, as the language is (web.segnala, web.informative).
_aggiornati: ContextVar[dt.datetime | None] = ContextVar("aggiornati", default=None)


def imposta_aggiornati(istante: dt.datetime | None) -> None:
    _aggiornati.set(istante)


def aggiornati() -> dt.datetime | None:
    """The instant `imposta_aggiornati` set in this context, None when unknown."""
    return _aggiornati.get()


@dataclass(frozen=True)
class Collegamento:
    """One link of the footer: address (relative to the site) and text in the run's language."""

    url: str
    testo: str


@dataclass(frozen=True)
class Piede:
    """What the footer shows. `aggiornati`: the sentence with the date the data were last updated
    ('Ultimo aggiornamento dei dati: 7 dicembre 2026', or that the date is not known)."""

    etichetta: str
    collegamenti: tuple[Collegamento, ...]
    licenza_prima: str
    licenza_nome: str
    licenza_url: str
    licenza_dopo: str
    aggiornati: str
    nuova_finestra: bool = False  # links open a new window (a page shown inside another site's <iframe>)


def con_lingua(rotta: str, lingua: str | None = None) -> str:
    """`rotta` with `?lang=` when the language is not the default one ('/privacy?lang=en')."""
    lingua = lingua or i18n.lingua()
    return rotta + ("?" + urlencode({"lang": lingua}) if lingua != i18n.PREDEFINITA else "")


def testo_aggiornati(aggiornati: dt.datetime | None) -> str:
    """'Ultimo aggiornamento dei dati: 7 dicembre 2026' in Brescia's time; unknown said as unknown."""
    if aggiornati is None:
        return _("Data dell'ultimo aggiornamento dei dati: non nota")
    return _("Ultimo aggiornamento dei dati: {data}").format(data=tempo.quando(aggiornati).data)


def piede(aggiornati: dt.datetime | None, *, segnala: bool = True, nuova_finestra: bool = False) -> Piede:
    """The footer in the run's language. `aggiornati`: when the data shown were last updated
    (Snapshot.caricato_il), None when unknown; `segnala=False` leaves out the report link for a
    page that has its own (/mappa)."""
    collegamenti = [Collegamento(con_lingua(ROTTA_ACCESSIBILITA), _("Dichiarazione di accessibilità"))]
    if segnala:
        collegamenti.append(Collegamento(con_lingua(ROTTA_SEGNALA), _("Segnala un problema")))
    collegamenti.append(Collegamento(con_lingua(ROTTA_PRIVACY), _("Privacy e cookie")))
    lic = impostazioni().licenza
    prima, _nome, dopo = _("Dati aperti con licenza {licenza}").partition("{licenza}")
    return Piede(
        etichetta=_("Informazioni sul sito"),
        collegamenti=tuple(collegamenti),
        licenza_prima=prima,
        licenza_nome=lic.nome,
        licenza_url=lic.url,
        licenza_dopo=dopo,
        aggiornati=testo_aggiornati(aggiornati),
        nuova_finestra=nuova_finestra,
    )
