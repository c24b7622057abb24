"""`/segnala`: citizens report what is wrong with a point or a quartiere, without an account.

    GET  /segnala?punto=<id> | ?quartiere=<codice_istat> [&lang=en]   the form (404: unknown)
    GET  /segnala[?lang=en]                                            pick a point or a quartiere
    POST /segnala   (application/x-www-form-urlencoded)                store it, answer with thanks

Mounted by app.py through `st.App`, next to the open-data routes; plain HTML from
views.segnala, no script, no cookie, no outside request. A post is refused as a whole, with a
page saying why and storing nothing, when: the body is larger than MAX_CORPO (Content-Length
checked first, then at most MAX_CORPO + 1 bytes are read, whatever the header said); it is not
a UTF-8 web form; it comes from another site's page (Origin or Sec-Fetch-Site; there is no cookie
to steal, this keeps other sites from sending reports through their visitors); the hidden
honeypot field is filled; a field is invalid (the form again, with what was typed); the sender's
address already sent LIMITE_AL_MINUTO reports in the last minute (429, counted in the database:
stores.segnalazioni). In file mode (no database) and on a read-only database (a restored backup:
the store's `modificabile` is False) the pages, GET and POST, say reports are not available and why.

The sender's address: the peer of the connection, or, when the peer is a proxy on this machine
(loopback: nginx in deploy/nginx, which appends the client to X-Forwarded-For), the rightmost
X-Forwarded-For entry that is not one. uvicorn (under `streamlit run app.py`) already does the
same with its default FORWARDED_ALLOW_IPS (127.0.0.1, ::1); applying the rule again changes nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import ipaddress
import logging
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from cittadelnoi.core import i18n
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.segnalazioni import (
    FINESTRA,
    MAX_CORPO,
    Oggetto,
    TroppeSegnalazioni,
    impronta_indirizzo,
    trappola_scattata,
    valida,
)
from cittadelnoi.stores.base import Archivio, Snapshot
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni
from cittadelnoi.views import piede
from cittadelnoi.views import segnala as pagine
from cittadelnoi.views.segnala import ROTTA, Pagina

_log = logging.getLogger(__name__)

Fornitore = Callable[[], RegistroSegnalazioni | None]

# Fields a form has (the target, the language, the report's fields, the honeypot): more is not ours.
_MAX_CAMPI = 12


def _fidato(indirizzo: str) -> bool:
    try:
        return ipaddress.ip_address(indirizzo.strip()).is_loopback
    except ValueError:
        return False


def indirizzo_cliente(peer: str | None, inoltrato: str | None) -> str:
    """The sender's address: `peer` (the connection's), unless `peer` is a proxy on this machine
    (loopback), then the rightmost entry of X-Forwarded-For (`inoltrato`) that is not one. A
    client that is not a proxy cannot choose its address by sending the header."""
    if not peer:
        return "sconosciuto"
    if not inoltrato or not _fidato(peer):
        return peer
    voci = [v.strip() for v in inoltrato.split(",") if v.strip()]
    for voce in reversed(voci):
        if not _fidato(voce):
            return voce
    return voci[0] if voci else peer


def _stessa_origine(request: Request) -> bool:
    """False when the browser says the post comes from another site's page."""
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        return False
    origine = request.headers.get("origin")
    if origine is None:
        return True  # not sent by every client; there is no cookie for another site to ride on
    host = urlsplit(origine).netloc.lower()
    ammessi = {request.headers.get("host", "").lower()}
    pubblico = impostazioni().url_pubblico
    if pubblico:
        ammessi.add(urlsplit(pubblico).netloc.lower())
    return bool(host) and host in ammessi


def _risposta(pagina: Pagina, intestazioni: dict[str, str] | None = None) -> Response:
    return HTMLResponse(
        pagina.html,
        status_code=pagina.stato,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": pagine.CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            **(intestazioni or {}),
        },
    )


def _nella_lingua(lingua: str, costruisci: Callable[[], Pagina]) -> Pagina:
    def corsa() -> Pagina:
        i18n.imposta(lingua)
        return costruisci()

    # The language lives in a context variable: set it in a copy, never in the server's thread.
    return contextvars.copy_context().run(corsa)


def _cruscotto() -> str:
    return "/" + ("?lang=en" if i18n.lingua() == "en" else "")


def oggetto_da(snap: Snapshot, campi: dict[str, str]) -> Oggetto | None | tuple[str, str]:
    """What `campi` (`punto` or `quartiere`) names: its Oggetto; (tipo, value) when no point or
    quartiere has that id; None when neither field is given."""
    if campi.get("punto"):
        valore = campi["punto"]
        riga = snap.punti[snap.punti["id"] == valore]
        if riga.empty:
            return ("punto", valore)
        return Oggetto("punto", valore, str(riga["nome"].iloc[0]))
    if campi.get("quartiere"):
        valore = campi["quartiere"]
        riga = snap.quartieri[snap.quartieri["codice_istat"] == valore]
        if riga.empty:
            return ("quartiere", valore)
        return Oggetto("quartiere", valore, _("quartiere {nome}").format(nome=riga["nome"].iloc[0]))
    return None


def _scelta(snap: Snapshot) -> Pagina:
    punti = sorted(zip(snap.punti["id"].astype(str), snap.punti["nome"].astype(str), strict=True), key=lambda x: x[1])
    con_punto = set(snap.punti["codice_istat"])
    quartieri = sorted(
        (
            (str(c), str(n))
            for c, n in zip(snap.quartieri["codice_istat"], snap.quartieri["nome"], strict=True)
            if c not in con_punto
        ),
        key=lambda x: x[1],
    )
    return pagine.pagina_scelta(punti, quartieri, _cruscotto())


class _Segnala:
    """The handlers of /segnala, sharing the process's store and the reports' register."""

    def __init__(self, archivio: Callable[[], Archivio], segnalazioni: Fornitore) -> None:
        self.archivio = archivio
        self.segnalazioni = segnalazioni

    def snapshot(self) -> Snapshot | None:
        try:
            snap, _errori = self.archivio().get()
        except Exception:  # the store cannot even be built: the page says so, never a traceback
            _log.exception("segnala: archivio non disponibile")
            return None
        if snap is not None:  # the footer's date (in the page's own context copy: _nella_lingua)
            piede.imposta_aggiornati(snap.caricato_il)
        return snap

    def registro(self) -> RegistroSegnalazioni | None | ErroreArchivio:
        try:
            return self.segnalazioni()
        except ErroreArchivio as exc:
            return exc

    def oggetto(
        self, campi: dict[str, str], senza_oggetto: Callable[[Snapshot], Pagina]
    ) -> tuple[RegistroSegnalazioni, Oggetto] | Pagina:
        """The register and what the report is about, or the page to show instead: reports unavailable,
        no store, an unknown point or quartiere, or (no point nor quartiere asked) `senza_oggetto(snap)`."""
        snap = self.snapshot()  # first: the footer's date, on every page of the form
        reg = self.registro()
        if reg is None:
            return pagine.pagina_non_disponibile(_cruscotto())
        if snap is None or isinstance(reg, ErroreArchivio):
            return pagine.pagina_non_disponibile(_cruscotto(), senza_archivio=False)
        if not self.archivio().modificabile:  # a read-only database (a restored backup): nothing can be stored
            return pagine.pagina_non_disponibile(_cruscotto(), sola_lettura=True)
        oggetto = oggetto_da(snap, campi)
        if oggetto is None:
            return senza_oggetto(snap)
        if isinstance(oggetto, tuple):
            return pagine.pagina_sconosciuto(*oggetto, _cruscotto())
        return reg, oggetto

    def modulo(self, request: Request) -> Response:
        lingua = i18n.valida(request.query_params.get("lang"))
        campi = {k: request.query_params.get(k, "") for k in ("punto", "quartiere")}

        def costruisci() -> Pagina:
            trovato = self.oggetto(campi, _scelta)
            if isinstance(trovato, Pagina):
                return trovato
            reg, oggetto = trovato
            try:  # the rate limit's fingerprints older than a minute go now, not at the next report
                reg.dimentica_mittenti(dt.datetime.now(dt.UTC))
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("impronte del limite di invio non cancellate: %s", exc)
            return pagine.pagina_modulo(oggetto, _cruscotto())

        return _risposta(_nella_lingua(lingua, costruisci))

    async def invia(self, request: Request) -> Response:
        lingua = i18n.valida(request.query_params.get("lang"))
        rifiuto = _controlla_richiesta(request)
        if rifiuto is not None:
            return _risposta(_nella_lingua(lingua, rifiuto))
        corpo = await _leggi_corpo(request)
        if corpo is None:
            return _risposta(_nella_lingua(lingua, _troppo_grande))
        try:
            testo = corpo.decode("utf-8")
            voci = parse_qs(testo, keep_blank_values=True, max_num_fields=_MAX_CAMPI)
        except (UnicodeDecodeError, ValueError):
            return _risposta(_nella_lingua(lingua, lambda: _rifiuto(400, pagine.motivo_formato())))
        campi = {k: v[0] for k, v in voci.items()}
        lingua = i18n.valida(campi.get("lang", lingua))
        mittente = impronta_indirizzo(
            indirizzo_cliente(request.client.host if request.client else None, request.headers.get("x-forwarded-for"))
        )
        pagina = await run_in_threadpool(_nella_lingua, lingua, lambda: self.elabora(campi, mittente))
        extra = {"Retry-After": str(int(FINESTRA.total_seconds()))} if pagina.stato == 429 else None
        return _risposta(pagina, extra)

    def elabora(self, campi: dict[str, str], mittente: str) -> Pagina:
        if trappola_scattata(campi):
            return _rifiuto(400, pagine.motivo_trappola())
        trovato = self.oggetto(campi, lambda _snap: _rifiuto(400, pagine.motivo_oggetto()))
        if isinstance(trovato, Pagina):
            return trovato
        reg, oggetto = trovato
        esito = valida(oggetto, campi)
        if isinstance(esito, list):
            return pagine.pagina_modulo(oggetto, _cruscotto(), campi, esito)
        try:
            reg.invia(esito, mittente, dt.datetime.now(dt.UTC))
        except TroppeSegnalazioni:
            return _rifiuto(429, pagine.motivo_troppe(), indietro=_indietro(oggetto))
        except (SQLAlchemyError, OSError) as exc:
            _log.warning("segnalazione non salvata: %s", exc)
            return _rifiuto(503, pagine.motivo_archivio(), indietro=_indietro(oggetto))
        return pagine.pagina_grazie(oggetto, esito.email is not None, _cruscotto())


def rotte(archivio: Callable[[], Archivio], segnalazioni: Fornitore) -> list[Route]:
    """GET and POST /segnala. `archivio()` is the process's store (names of points and quartieri),
    `segnalazioni()` where reports go (None in file mode: the pages say reports are unavailable)."""
    s = _Segnala(archivio, segnalazioni)
    return [
        Route(ROTTA, s.modulo, methods=["GET"], name="segnala"),
        Route(ROTTA, s.invia, methods=["POST"], name="segnala-invia"),
    ]


def _indietro(oggetto: Oggetto) -> str:
    return pagine.url_segnala(**{oggetto.tipo: oggetto.id}, lingua=i18n.lingua())


def _rifiuto(stato: int, motivo: str, indietro: str | None = None) -> Pagina:
    return pagine.pagina_rifiutata(stato, motivo, _cruscotto(), indietro)


def _troppo_grande() -> Pagina:
    return _rifiuto(413, pagine.motivo_troppo_grande(MAX_CORPO))


def _controlla_richiesta(request: Request) -> Callable[[], Pagina] | None:
    """A refusal decided from the headers alone (nothing read yet), or None."""
    if not _stessa_origine(request):
        return lambda: _rifiuto(403, pagine.motivo_origine())
    tipo = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if tipo != "application/x-www-form-urlencoded":
        return lambda: _rifiuto(415, pagine.motivo_formato())
    lunghezza = request.headers.get("content-length")
    if lunghezza is not None and (not lunghezza.strip().isdigit() or int(lunghezza) > MAX_CORPO):
        return _troppo_grande
    return None


async def _leggi_corpo(request: Request) -> bytes | None:
    """The body, or None once it passes MAX_CORPO bytes (reading stops there: a client that lies
    in Content-Length, or sends no length, cannot make the server hold more)."""
    corpo = bytearray()
    async for pezzo in request.stream():
        corpo += pezzo
        if len(corpo) > MAX_CORPO:
            return None
    return bytes(corpo)
