"""The pages of `/segnala`: the citizens' report form, its answers, and the links to it.

Plain server-rendered HTML (Jinja2 templates in views/templates/segnala/, autoescaped), no
script: the form works with JavaScript off, from a phone, with one request (the style is inside
the page; its hash is in the page's Content-Security-Policy, `CSP`). Every text comes through
`_()` in the run's language; the route (web.segnala) sets it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from cittadelnoi.core import i18n, pubblicazione
from cittadelnoi.core.i18n import _
from cittadelnoi.core.segnalazioni import (
    CAMPO_TRAPPOLA,
    LIMITE_AL_MINUTO,
    MAX_EMAIL,
    MAX_TESTO,
    MOTIVI,
    ErroreCampo,
    Oggetto,
)
from cittadelnoi.views import piede as piede_sito
from cittadelnoi.views.modelli import CARTELLA, html_fidato, pagina

ROTTA = piede_sito.ROTTA_SEGNALA

_STILE = (CARTELLA / "segnala" / "stile.css").read_text(encoding="utf-8")
_HASH_STILE = base64.b64encode(hashlib.sha256(_STILE.encode("utf-8")).digest()).decode("ascii")
# What the pages may load: nothing but their own inline style (by hash) and the favicon; the form
# posts to this very site only; no script at all; no other site may frame them.
CSP = (
    f"default-src 'none'; style-src 'sha256-{_HASH_STILE}'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def url_segnala(
    *, punto: str | None = None, quartiere: str | None = None, lingua: str | None = None, base: str = ""
) -> str:
    """The form's address for a point (its id) or a quartiere (its ISTAT code), e.g.
    '/segnala?punto=lamarmora'; `lingua` other than Italian adds `lang`; `base` (a site's public
    address, no trailing slash) makes it absolute."""
    params: dict[str, str] = {}
    if punto is not None:
        params["punto"] = punto
    elif quartiere is not None:
        params["quartiere"] = quartiere
    if lingua and lingua != i18n.PREDEFINITA:
        params["lang"] = lingua
    return base + ROTTA + ("?" + urlencode(params) if params else "")


@dataclass(frozen=True)
class Pagina:
    """An answer of /segnala: HTTP status and the HTML page."""

    stato: int
    html: str


def _testi() -> dict[str, str]:
    return {
        "progetto": pubblicazione.TITOLO_PROGETTO,
        "piede": _(
            "Le segnalazioni arrivano agli uffici del Comune che curano il registro dei punti di comunità; "
            "non sono pubblicate."
        ),
        "oggetto": _("Segnalazione su:"),
        "riepilogo": _("La segnalazione non è stata inviata:"),
        "motivo": _("Che cosa non va?"),
        "testo": _("Descrivi il problema (facoltativo, al massimo {n} caratteri)").format(n=MAX_TESTO),
        "aiuto_testo": _("Non scrivere dati personali, tuoi o di altre persone."),
        "email": _("La tua e-mail (facoltativa)"),
        "aiuto_email": _("Solo se vuoi una risposta."),
        "consenso": _(
            "Acconsento a essere ricontattato a questo indirizzo solo per questa segnalazione; l'indirizzo viene "
            "cancellato quando la segnalazione è chiusa. (Necessario solo se lasci l'e-mail.)"
        ),
        "trappola": _("Lasciare vuoto questo campo"),
        "invia": _("Invia la segnalazione"),
        "privacy": _(
            "Conserviamo la scelta, il testo, l'ora e il punto o quartiere della segnalazione; l'e-mail solo finché "
            "la segnalazione non è chiusa. Del tuo indirizzo di rete teniamo un'impronta per un minuto, per "
            "limitare gli invii (al massimo {n} al minuto)."
        ).format(n=LIMITE_AL_MINUTO),
        "scegli": _("Scegli il punto di comunità o il quartiere su cui vuoi segnalare qualcosa."),
        "continua": _("Continua"),
    }


def _contesto(titolo: str, url_pagina: dict[str, str], cruscotto: str, rotta: str = ROTTA) -> dict[str, object]:
    """What every page shares: language, texts, the link back, the link to the other language
    (the same page, `rotta`: `url_pagina` are its query parameters without `lang`) and the site's
    footer (views.piede, with the date the route set)."""
    lingua = i18n.lingua()
    altra = "en" if lingua == "it" else "it"
    params = {**url_pagina, **({"lang": altra} if altra != i18n.PREDEFINITA else {})}
    return {
        "lingua": lingua,
        "titolo": titolo,
        "t": _testi(),
        "stile": html_fidato(_STILE),  # the project's own file, not text from a request
        "cruscotto": cruscotto,
        "altra_lingua": {
            "codice": altra,
            "nome": i18n.LINGUE[altra],
            "url": rotta + ("?" + urlencode(params) if params else ""),
        },
        "piede": piede_sito.piede(piede_sito.aggiornati()),
    }


def pagina_modulo(
    oggetto: Oggetto,
    cruscotto: str,
    valori: dict[str, str] | None = None,
    problemi: list[ErroreCampo] | None = None,
) -> Pagina:
    """The form for `oggetto`; after a refused post, with what was typed (`valori`) and the
    problems (status 400), each beside its field and listed at the top."""
    problemi = problemi or []
    valori = {k: (valori or {}).get(k, "") for k in ("motivo", "testo", "email", "consenso")}
    titolo = _("Segnala un errore")
    html = pagina(
        "segnala/modulo.html",
        **_contesto(titolo, {oggetto.tipo: oggetto.id}, cruscotto),
        oggetto=oggetto,
        motivi=[(m, _(MOTIVI[m])) for m in oggetto.motivi],
        valori=valori,
        problemi=problemi,
        errori={p.campo: p.messaggio for p in problemi},
        azione=ROTTA,
        trappola=CAMPO_TRAPPOLA,
        max_testo=MAX_TESTO,
        max_email=MAX_EMAIL,
    )
    return Pagina(400 if problemi else 200, html)


def pagina_scelta(punti: list[tuple[str, str]], quartieri: list[tuple[str, str]], cruscotto: str) -> Pagina:
    """/segnala without a point or quartiere: pick one (two small GET forms, no script).
    `punti` and `quartieri`: (id or ISTAT code, name), in the order to show."""
    gruppi = [
        {"nome": "punto", "etichetta": _("Punto di comunità"), "voci": punti},
        {"nome": "quartiere", "etichetta": _("Quartiere senza un punto"), "voci": quartieri},
    ]
    html = pagina(
        "segnala/scelta.html",
        **_contesto(_("Segnala un errore"), {}, cruscotto),
        gruppi=[g for g in gruppi if g["voci"]],
        azione=ROTTA,
    )
    return Pagina(200, html)


def _messaggio(
    stato: int,
    titolo: str,
    paragrafi: list[str],
    cruscotto: str,
    *,
    tono: str = "negativo",
    indietro: str | None = None,
    testo_indietro: str | None = None,
    url_pagina: dict[str, str] | None = None,
) -> Pagina:
    collegamenti = []
    if indietro:
        collegamenti.append({"url": indietro, "testo": testo_indietro or _("Torna al modulo")})
    collegamenti.append({"url": cruscotto, "testo": _("Torna al cruscotto dei punti di comunità")})
    html = pagina(
        "segnala/messaggio.html",
        **_contesto(titolo, url_pagina or {}, cruscotto),
        paragrafi=paragrafi,
        tono=tono,
        collegamenti=collegamenti,
    )
    return Pagina(stato, html)


def pagina_grazie(oggetto: Oggetto, con_email: bool, cruscotto: str) -> Pagina:
    """The answer to a stored report."""
    paragrafi = [
        _("Abbiamo ricevuto la tua segnalazione su «{nome}».").format(nome=oggetto.nome),
        _("Gli uffici del Comune la verificano e, se serve, correggono il registro."),
    ]
    if con_email:
        paragrafi.append(
            _("Se serve ti scriveremo all'indirizzo che hai lasciato; lo cancelliamo quando la segnalazione è chiusa.")
        )
    return _messaggio(200, _("Grazie!"), paragrafi, cruscotto, tono="positivo", url_pagina={oggetto.tipo: oggetto.id})


def pagina_sconosciuto(tipo: str, valore: str, cruscotto: str) -> Pagina:
    """404: no point with that id, or no quartiere with that ISTAT code."""
    from cittadelnoi.core.testo import breve

    if tipo == "punto":
        testo = _("Nel registro non c'è un punto di comunità con il codice «{valore}».")
    else:
        testo = _("Non c'è un quartiere di Brescia con il codice ISTAT «{valore}».")
    return _messaggio(
        404,
        _("Punto o quartiere non trovato"),
        [testo.format(valore=breve(valore)), _("Il collegamento potrebbe essere vecchio o incompleto.")],
        cruscotto,
        indietro=url_segnala(lingua=i18n.lingua()),
        testo_indietro=_("Scegli un altro punto o quartiere"),
    )


def pagina_non_disponibile(cruscotto: str, *, senza_archivio: bool = True, sola_lettura: bool = False) -> Pagina:
    """503: this installation keeps no database (CITTADELNOI_ARCHIVIO=file: `senza_archivio`), the
    database is served read-only (`sola_lettura`: reports cannot be stored until it is writable
    again), or the register or the database cannot be read now."""
    if sola_lettura:
        motivo = _(
            "Le segnalazioni non sono disponibili ora: il registro è consultabile, ma il suo archivio è in sola "
            "lettura (per esempio una copia di sicurezza appena ripristinata) e non vi si può salvare nulla finché "
            "chi gestisce il server non lo rende di nuovo scrivibile."
        )
    elif senza_archivio:
        motivo = _(
            "In questa installazione le segnalazioni non sono disponibili: il registro è letto da file e non c'è "
            "un archivio in cui conservarle."
        )
    else:
        motivo = _("Il registro dei punti non si può leggere in questo momento: riprova tra qualche minuto.")
    return _messaggio(
        503,
        _("Segnalazioni non disponibili"),
        [motivo, _("Per una correzione, scrivere all'ufficio del Comune che cura il registro dei punti di comunità.")],
        cruscotto,
    )


def pagina_rifiutata(stato: int, motivo: str, cruscotto: str, indietro: str | None = None) -> Pagina:
    """A post refused as a whole (`stato` 400, 403, 413, 415, 429 or 503) with the reason in words;
    nothing was stored."""
    return _messaggio(
        stato,
        _("Segnalazione non inviata"),
        [motivo, _("Non è stato salvato nulla.")],
        cruscotto,
        indietro=indietro,
    )


def motivo_troppe() -> str:
    return _("Troppe segnalazioni da questo indirizzo: al massimo {n} al minuto. Riprova tra un minuto.").format(
        n=LIMITE_AL_MINUTO
    )


def motivo_trappola() -> str:
    return _(
        "Il modulo è arrivato con compilato il campo nascosto «Lasciare vuoto questo campo», che le persone non "
        "vedono: succede con i programmi automatici."
    )


def motivo_troppo_grande(massimo: int) -> str:
    return _("La segnalazione è troppo grande: il modulo ammette al massimo {n} KiB.").format(n=massimo // 1024)


def motivo_formato() -> str:
    return _("Il modulo va inviato dalla pagina di segnalazione (dati di un modulo web, in UTF-8).")


def motivo_origine() -> str:
    return _("Il modulo va inviato dalla pagina di segnalazione di questo sito, non da un'altra pagina.")


def motivo_archivio() -> str:
    return _("L'archivio delle segnalazioni non risponde in questo momento: riprova tra qualche minuto.")


def motivo_oggetto() -> str:
    return _("Il modulo non dice su quale punto o quartiere è la segnalazione: aprilo dal cruscotto o dalla mappa.")
