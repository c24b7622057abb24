"""HTTP routes served by the same process as the dashboard (Starlette, mounted by `st.App` in app.py).

    /dati/punti.csv  /dati/punti.geojson  /dati/quartieri.geojson  /dati/sportelli.csv  /dati/rendiconti.csv
    /dati/orari.ics[?quartiere=<codice_istat>][&punto=<id>]  /dati/catalogo.jsonld
    /salute    health of the data and of the database, for monitoring and proxies
    /versione  {"versione": the data version this process serves, "processo": PROCESSO}: what every
               open page asks every few seconds, to rerun when the data change or when another
               process answers (ui.archivio.aggiorna_se_cambiano_i_dati)
    /mappa[?zona=…][&quartiere=…][&lang=en]   the public embeddable map (an unknown zona or quartiere
               is dropped with a note on the map, as on the dashboard)

Every route reads the store the pages read (`archivio`, given by app.py), so the files are always
the current validated data. Files are built once per data version (and per filter) and answer
conditional requests: ETag/If-None-Match and Last-Modified/If-Modified-Since give 304. GET on the
open data allows any origin (CORS). This module knows nothing of Streamlit.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import email.utils
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from cittadelnoi.core import i18n, tempo, vista
from cittadelnoi.core.errors import Problema
from cittadelnoi.core.i18n import _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.metrics.filtri import in_vista, risolvi
from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.stores.base import Archivio, Snapshot
from cittadelnoi.views import dati_aperti
from cittadelnoi.views.mappa_pubblica import con_avviso, pagina_mappa
from cittadelnoi.views.mapview import Selezione, layer_quartieri
from cittadelnoi.views.piede import piede

# This server process: a page whose websocket moved to another process (a replica died, the server
# restarted) reruns there by itself when its data-version check sees another value here.
PROCESSO = secrets.token_hex(8)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Disposition",
}


class _Cache:
    """The last built bodies, keyed by (data version, what was asked): an LRU shared by threads."""

    def __init__(self, massimo: int = 128):
        self._voci: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._massimo = massimo

    def prendi(self, chiave: tuple, costruisci: Callable[[], bytes]) -> bytes:
        with self._lock:
            if chiave in self._voci:
                self._voci.move_to_end(chiave)
                return self._voci[chiave]
        corpo = costruisci()  # outside the lock: two threads may build the same body once each
        with self._lock:
            self._voci[chiave] = corpo
            while len(self._voci) > self._massimo:
                self._voci.popitem(last=False)
        return corpo


def _etag(corpo: bytes) -> str:
    # Weak: the same representation may be sent gzipped or not by Streamlit's middleware.
    return 'W/"' + hashlib.sha256(corpo).hexdigest()[:32] + '"'


def etag_corrisponde(if_none_match: str, etag: str) -> bool:
    """True when the `If-None-Match` header's value names `etag` or is `*` (RFC 9110's weak
    comparison: `W/` does not matter)."""
    etichette = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in etichette or etag.removeprefix("W/") in etichette


def _non_modificato(request: Request, etag: str, modificato: dt.datetime) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return etag_corrisponde(inm, etag)
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            quando = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if quando.tzinfo is None:
            quando = quando.replace(tzinfo=dt.UTC)
        return modificato.replace(microsecond=0) <= quando
    return False


def risposta(
    request: Request,
    corpo: bytes,
    tipo: str,
    modificato: dt.datetime,
    *,
    cors: bool = True,
    intestazioni: dict[str, str] | None = None,
) -> Response:
    """`corpo` with validators, or 304 when the client's copy is current."""
    etag = _etag(corpo)
    headers = {
        "ETag": etag,
        "Last-Modified": email.utils.format_datetime(modificato.astimezone(dt.UTC), usegmt=True),
        # Always the current data: a cache may keep the file but must ask (cheap, 304) before reusing it.
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        **(CORS if cors else {}),
        **(intestazioni or {}),
    }
    if _non_modificato(request, etag, modificato):
        return Response(status_code=304, headers=headers)
    return Response(corpo, media_type=tipo, headers=headers)


def _errore(stato: int, testo: str) -> Response:
    return PlainTextResponse(
        testo + "\n",
        status_code=stato,
        headers={**CORS, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


def modificato_il(snap: Snapshot, oggi: dt.date) -> dt.datetime:
    """Last-Modified of a response that also changes with the day (a confirmation grows old at
    midnight in Brescia): the data's load, or today's midnight (Europe/Rome) when later. A client
    that asks with If-Modified-Since gets the new flags the day they change, not a 304."""
    return max(snap.caricato_il, dt.datetime.combine(oggi, dt.time(0), tempo.FUSO))


def _base(request: Request) -> str:
    return impostazioni().url_pubblico or str(request.base_url).rstrip("/")


class _Rotte:
    """The routes' handlers, sharing the store, the data version and one cache."""

    def __init__(self, archivio: Callable[[], Archivio], versione_dati: Callable[[], str | None] | None) -> None:
        self.archivio = archivio
        self.versione_dati = versione_dati
        self.cache = _Cache()

    def snapshot(self) -> Snapshot | None:
        snap, _errori = self.archivio().get()
        return snap

    def licenza_link(self) -> dict[str, str]:
        return {"Link": f'<{impostazioni().licenza.url}>; rel="license"'}

    def file_dati(self, nome: str, costruisci: Callable[[Snapshot, dt.date], bytes], del_giorno: bool = False):
        """A route of an open-data file; `del_giorno`: the file also changes with the day (old confirmations)."""
        tipo = dati_aperti.FILE[nome]

        def endpoint(request: Request) -> Response:
            snap = self.snapshot()
            if snap is None:
                return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
            oggi = tempo.oggi()
            corpo = self.cache.prendi(
                (snap.versione, nome, impostazioni().licenza.id, oggi if del_giorno else None),
                lambda: costruisci(snap, oggi),
            )
            return risposta(
                request,
                corpo,
                tipo,
                modificato_il(snap, oggi) if del_giorno else snap.caricato_il,
                intestazioni={**self.licenza_link(), "Content-Disposition": f'inline; filename="{nome}"'},
            )

        return Route(f"/dati/{nome}", endpoint, methods=["GET"], name=f"dati-{nome}")

    def orari(self, request: Request) -> Response:
        snap = self.snapshot()
        if snap is None:
            return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
        quartiere = request.query_params.get("quartiere")
        punto = request.query_params.get("punto")
        punti = snap.punti
        if quartiere is not None:
            if quartiere not in set(snap.quartieri["codice_istat"]):
                return _errore(404, "Quartiere sconosciuto: usare il codice ISTAT (es. 17029010).")
            punti = punti[punti["codice_istat"] == quartiere]
        if punto is not None:
            if punto not in set(snap.punti["id"]):
                return _errore(404, "Punto sconosciuto: usare l'id del registro (/dati/punti.csv).")
            punti = punti[punti["id"] == punto]
        sportelli = snap.sportelli[snap.sportelli["id_punto"].isin(set(punti["id"]))]
        corpo = self.cache.prendi(
            (snap.versione, "orari.ics", quartiere, punto, impostazioni().licenza.id),
            lambda: dati_aperti.calendario_ics(snap.punti, sportelli, snap.caricato_il),
        )
        return risposta(
            request,
            corpo,
            dati_aperti.FILE["orari.ics"],
            snap.caricato_il,
            intestazioni={**self.licenza_link(), "Content-Disposition": 'inline; filename="orari.ics"'},
        )

    def catalogo(self, request: Request) -> Response:
        snap = self.snapshot()
        if snap is None:
            return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
        base = _base(request)
        corpo = self.cache.prendi(
            (snap.versione, "catalogo", base, impostazioni().licenza.id),
            lambda: dati_aperti.catalogo_bytes(base, snap.caricato_il),
        )
        return risposta(request, corpo, dati_aperti.FILE["catalogo.jsonld"], snap.caricato_il)

    def salute(self, request: Request) -> Response:
        try:
            store = self.archivio()
            snap, errori = store.get()
            database = store.database_raggiungibile()
            sola_lettura = store.sola_lettura() if database else None
        except Exception:  # the store cannot even be built (configuration, database down at start)
            snap, errori, database = None, [Problema("archivio", "archivio non disponibile")], False
            sola_lettura = None
        if snap is None:
            stato = "non disponibile"
        elif errori or database is False:
            stato = "degradato"  # serving the last good data; what is wrong is on the dashboard
        else:
            stato = "ok"
        corpo = {
            "stato": stato,
            "dati": {
                "validi": snap is not None and not errori,
                "problemi": len(errori),
                "copia_di_riserva": bool(snap is not None and snap.da_copia),
                "versione": snap.versione if snap is not None else None,
                "aggiornati_il": snap.caricato_il.astimezone(dt.UTC).isoformat() if snap is not None else None,
            },
            "database": {"usato": database is not None, "raggiungibile": database, "sola_lettura": sola_lettura},
        }
        # 503 takes this replica out of a load balancer: nothing to serve, or no database to read.
        codice = 503 if snap is None or database is False else 200
        return JSONResponse(corpo, status_code=codice, headers={"Cache-Control": "no-store"})

    def versione(self, request: Request) -> Response:
        # Asked every few seconds by every open page: from memory, no database query, never cached.
        if self.versione_dati is not None:
            attuale = self.versione_dati()
        else:
            snap = self.snapshot()
            attuale = snap.versione if snap is not None else None
        if attuale is None:
            return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
        return JSONResponse({"versione": attuale, "processo": PROCESSO}, headers={"Cache-Control": "no-store"})

    def mappa(self, request: Request) -> Response:
        snap = self.snapshot()
        if snap is None:
            return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
        dal_link = vista.da_query(request.query_params)
        lingua = dal_link.lingua
        oggi = tempo.oggi()

        def costruisci() -> bytes:
            i18n.imposta(lingua)
            # An unknown zona or quartiere (say, a typo in the page that embeds the map) is dropped as
            # the dashboard drops it: the map shows the rest (the whole city) and says so on the map,
            # never a bare error inside someone else's page. So the status is 200, as the words say.
            filtro, messaggi = risolvi(dal_link.zona, dal_link.quartiere, snap.quartieri)
            codici = filtro.codici(snap.quartieri)
            if filtro.quartiere:
                nome = str(snap.quartieri.set_index("codice_istat").at[filtro.quartiere, "nome"])
                titolo = _("Punti di comunità: quartiere {nome}").format(nome=nome)
            elif filtro.zona:
                titolo = _("Punti di comunità: zona {zona}").format(zona=filtro.zona)
            else:
                titolo = _("Punti di comunità nei quartieri di Brescia")
            link = vista.a_query(in_vista(filtro, snap.quartieri, lingua=lingua))
            cruscotto = _base(request) + "/" + (("?" + urlencode(link)) if link else "")
            corpo = self.cache.prendi(
                (snap.versione, "mappa", filtro, lingua, cruscotto, impostazioni().licenza.id, oggi),
                lambda: pagina_mappa(
                    layer_quartieri(snap.stati),
                    snap.punti,
                    orari_testo(snap.sportelli),
                    Selezione(frozenset(codici), filtro.quartiere),
                    titolo + " — Brescia Città del Noi",
                    collegamento=cruscotto,
                    oggi=oggi,
                    piede=piede(snap.caricato_il, segnala=False, nuova_finestra=True),
                ).encode("utf-8"),
            )
            if messaggi:  # added to the cached page, so that a stream of bad links cannot flood the cache
                corpo = con_avviso(corpo.decode("utf-8"), " ".join(messaggi)).encode("utf-8")
            return corpo

        # The language lives in a context variable: set it in a copy, never in the server's thread.
        corpo = contextvars.copy_context().run(costruisci)
        csp = (
            f"frame-ancestors {impostazioni().frame_ancestors}; default-src 'self'; "
            "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'"
        )
        return risposta(
            request,
            corpo,
            "text/html; charset=utf-8",
            modificato_il(snap, oggi),
            cors=False,
            intestazioni={"Content-Security-Policy": csp, "Referrer-Policy": "strict-origin-when-cross-origin"},
        )


def rotte(archivio: Callable[[], Archivio], versione_dati: Callable[[], str | None] | None = None) -> list[Route]:
    """The routes; `archivio()` returns the process's store (the one the pages use), `versione_dati()`
    the current data version as the process's watcher keeps it in memory (None: the store's
    snapshot is read instead)."""
    r = _Rotte(archivio, versione_dati)
    return [
        r.file_dati("punti.csv", lambda s, oggi: dati_aperti.punti_csv(s.punti, oggi), del_giorno=True),
        r.file_dati("punti.geojson", lambda s, oggi: dati_aperti.punti_geojson(s.punti, oggi), del_giorno=True),
        r.file_dati("quartieri.geojson", lambda s, _oggi: dati_aperti.quartieri_geojson(s.stati)),
        r.file_dati("sportelli.csv", lambda s, _oggi: dati_aperti.sportelli_csv(s.sportelli)),
        r.file_dati("rendiconti.csv", lambda s, _oggi: dati_aperti.rendiconti_csv(s.rendiconti)),
        Route("/dati/orari.ics", r.orari, methods=["GET"], name="dati-orari.ics"),
        Route("/dati/catalogo.jsonld", r.catalogo, methods=["GET"], name="dati-catalogo"),
        Route("/salute", r.salute, methods=["GET"], name="salute"),
        Route("/versione", r.versione, methods=["GET"], name="versione"),
        Route("/mappa", r.mappa, methods=["GET"], name="mappa"),
    ]
