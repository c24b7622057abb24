"""A minimal Streamlit viewer that speaks the app's own websocket protocol, without a browser.

It does what the Streamlit front end does for a viewer: opens /_stcore/stream, asks for a script
run (`BackMsg.rerun_script` with the page and the widget values) and reads the `ForwardMsg`s until
`script_finished`. The messages are Streamlit's own protobuf classes (streamlit.proto), and the
websocket client is the `websockets` package Streamlit itself depends on, so nothing here is a
guess at the wire format.

Like the front end, it keeps the large elements it received (those the server marks
`metadata.cacheable`, >= 10 KB) and reports their hashes with each run request, so an unchanged
map comes back as a short `ref_hash` reference, as it does for a browser; entries not used for
more than `max_cached_message_age` runs are dropped (the front end's ForwardMsgCache, same rule).

What it does not do: render anything or run the map's JavaScript. The server's work per run is
the same as for a browser; the client's is much smaller, which is why the load test can open 50
sessions on a 2-core machine without measuring itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FINITO = (
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
)


@dataclass
class Widget:
    id: str
    label: str
    opzioni: list[str]
    valore: str | None


@dataclass
class Esito:
    """One script run as the client saw it."""

    secondi: float
    byte: int = 0
    messaggi: int = 0
    byte_mappa: int = 0
    eccezioni: list[str] = field(default_factory=list)
    errori_dati: list[str] = field(default_factory=list)  # st.error boxes (e.g. bad data files)
    pagina_non_trovata: bool = False
    stato_fine: int | None = None
    metriche: dict[str, str] = field(default_factory=dict)  # st.metric label -> value shown


class ErroreProtocollo(RuntimeError):
    pass


class Sessione:
    """One viewer. Use as `async with Sessione(url) as s: await s.esegui(...)`."""

    def __init__(self, base_url: str, timeout_s: float = 120.0, query: str = "", cookie: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.query = query
        self.pagine: dict[str, str] = {}  # page name -> page_script_hash
        self.percorsi: dict[str, str] = {}  # page name -> url path
        self.pagina: str = ""
        self.widget: dict[str, Widget] = {}  # by the key at the end of the widget id
        self._valori: dict[str, WidgetState] = {}
        self._scatti: dict[str, WidgetState] = {}  # buttons pressed for the next run only
        self._ws = None
        self.auto_rerun: dict[str, float] = {}  # fragment id -> seconds (st.fragment(run_every=…))
        self.cookie = cookie  # e.g. the proxy's "cdn_replica=…" routing cookie, as a browser sends it
        self.replica = ""  # the X-Cittadelnoi-Replica header of the websocket's answer (through nginx)
        # The front end's message cache: hash -> [encoded message, run count when last used].
        self._cache: dict[str, list] = {}
        self._corse = 0
        self._eta_massima = 2  # NewSession.config.max_cached_message_age (Streamlit's default: 2)

    async def __aenter__(self) -> Sessione:
        ws_url = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=["streamlit"],
                origin=self.base_url,
                max_size=None,
                open_timeout=self.timeout_s,
                ping_interval=None,
                additional_headers={"Cookie": self.cookie} if self.cookie else None,
            ),
            self.timeout_s,
        )
        self.replica = self._ws.response.headers.get("X-Cittadelnoi-Replica", "")
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    def widget_per_chiave(self, chiave: str) -> Widget:
        for wid, w in self.widget.items():
            if wid.endswith("-" + chiave) or wid == chiave:
                return w
        raise ErroreProtocollo(f"nessun widget con chiave {chiave!r} nell'ultima esecuzione ({list(self.widget)})")

    def _per_etichetta(self, etichetta: str) -> Widget:
        for w in self.widget.values():
            if w.label == etichetta:
                return w
        raise ErroreProtocollo(f"nessun widget «{etichetta}» nell'ultima esecuzione")

    def scrivi(self, etichetta: str, testo: str) -> None:
        """Type `testo` in the text input labelled `etichetta` (sent with the next run)."""
        w = self._per_etichetta(etichetta)
        self._valori[w.id] = WidgetState(id=w.id, string_value=testo)

    def premi(self, etichetta: str) -> None:
        """Press the button labelled `etichetta` at the next run (a trigger: once, as a click)."""
        w = self._per_etichetta(etichetta)
        self._scatti[w.id] = WidgetState(id=w.id, trigger_value=True)

    def forza(self, chiave: str, valore: str) -> None:
        """Send `valore` for the widget with key `chiave` whether or not it is one of its options:
        what a modified client can send (for tests of what the server accepts)."""
        w = self.widget_per_chiave(chiave)
        self._valori[w.id] = WidgetState(id=w.id, string_value=valore)

    def imposta(self, chiave: str, valore: str) -> None:
        """Set a selectbox (by its key, e.g. 'filtro_zona') to the option shown as `valore`."""
        w = self.widget_per_chiave(chiave)
        if valore not in w.opzioni:
            raise ErroreProtocollo(f"{valore!r} non è un'opzione di {chiave}: {w.opzioni[:8]}")
        self._valori[w.id] = WidgetState(id=w.id, string_value=valore)

    async def riconnetti(self) -> None:
        """Open a new websocket (the same address, the same routing cookie) and keep the page and
        the widget values, as the front end does after losing the connection."""
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        self._ws = None
        await self.__aenter__()

    async def frammento(self, fragment_id: str) -> Esito:
        """One automatic fragment run (what the browser's timer sends for st.fragment(run_every=…))."""
        return await self.esegui(fragment_id=fragment_id)

    async def esegui(self, pagina: str | None = None, fragment_id: str = "") -> Esito:
        """Ask for a run of `pagina` (a page name from the navigation; None = the current page)."""
        if pagina is not None:
            if pagina not in self.pagine:
                raise ErroreProtocollo(f"pagina {pagina!r} sconosciuta: {list(self.pagine)}")
            self.pagina = pagina
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.pagine.get(self.pagina, "")
        rs.page_name = self.percorsi.get(self.pagina, "")
        rs.widget_states.widgets.extend({**self._valori, **self._scatti}.values())
        self._scatti = {}
        rs.context_info.timezone = "Europe/Rome"
        rs.context_info.locale = "it-IT"
        rs.context_info.url = f"{self.base_url}/{rs.page_name}"
        rs.cached_message_hashes.extend(self._cache)
        if fragment_id:
            rs.fragment_id = fragment_id
            rs.is_auto_rerun = True
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        esito = Esito(secondi=0.0)
        widget_visti: dict[str, Widget] = {}
        in_esecuzione = rs.page_script_hash
        deadline = t0 + self.timeout_s
        while True:
            resto = deadline - time.perf_counter()
            if resto <= 0:
                raise ErroreProtocollo(f"nessun script_finished entro {self.timeout_s:.0f} s")
            data = await asyncio.wait_for(self._ws.recv(), resto)
            esito.byte += len(data)
            esito.messaggi += 1
            fm = self._decodifica(data)
            tipo = fm.WhichOneof("type")
            if tipo == "delta":
                self._delta(fm, len(data), esito, widget_visti)
            elif tipo == "new_session":
                in_esecuzione = fm.new_session.page_script_hash
                self._eta_massima = fm.new_session.config.max_cached_message_age
            elif tipo == "navigation":
                self.pagine = {p.page_name: p.page_script_hash for p in fm.navigation.app_pages}
                self.percorsi = {p.page_name: p.url_pathname for p in fm.navigation.app_pages}
                in_esecuzione = fm.navigation.page_script_hash or in_esecuzione
            elif tipo == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif tipo == "auto_rerun":
                self.auto_rerun[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif tipo == "page_not_found":
                esito.pagina_non_trovata = True
            elif tipo == "script_finished" and fm.script_finished in FINITO:
                esito.stato_fine = fm.script_finished
                self._invecchia_cache(fragment_id)
                break
                # FINISHED_EARLY_FOR_RERUN: the app called st.rerun(); the next run follows.
        esito.secondi = time.perf_counter() - t0
        # The page the server actually ran (the default page for "", or after a redirect).
        self.pagina = next((n for n, h in self.pagine.items() if h == in_esecuzione), self.pagina)
        if widget_visti and not fragment_id:
            self.widget = widget_visti
            # Forget values of widgets that are gone (e.g. another page's), as the front end does.
            self._valori = {k: v for k, v in self._valori.items() if k in widget_visti}
        if esito.stato_fine == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            esito.eccezioni.append("errore di compilazione dello script")
        return esito

    def _decodifica(self, data: bytes) -> ForwardMsg:
        """One message as the front end reads it: a cacheable one is kept, a reference is resolved."""
        fm = ForwardMsg()
        fm.ParseFromString(data)
        if fm.WhichOneof("type") == "ref_hash":
            voce = self._cache.get(fm.ref_hash)
            if voce is None:
                raise ErroreProtocollo(f"riferimento a un messaggio non in cache: {fm.ref_hash}")
            voce[1] = self._corse
            vero = ForwardMsg()
            vero.ParseFromString(voce[0])
            vero.metadata.CopyFrom(fm.metadata)  # where it goes in this run
            return vero
        if fm.metadata.cacheable and fm.hash and fm.hash not in self._cache:
            self._cache[fm.hash] = [data, self._corse]
        return fm

    def _invecchia_cache(self, fragment_id: str) -> None:
        self._corse += 1
        for h, (dati, usato) in list(self._cache.items()):
            if fragment_id and ForwardMsg.FromString(dati).delta.fragment_id != fragment_id:
                continue
            if self._corse - usato > self._eta_massima:
                del self._cache[h]

    def _delta(self, fm: ForwardMsg, n: int, esito: Esito, widget: dict[str, Widget]) -> None:
        if fm.delta.WhichOneof("type") != "new_element":
            return
        el = fm.delta.new_element
        tipo = el.WhichOneof("type")
        if tipo == "exception":
            esito.eccezioni.append(
                f"{el.exception.type}: {el.exception.message}"[:500]
                + " @ "
                + " / ".join(el.exception.stack_trace[-2:])[:600]
            )
        elif tipo == "metric":
            esito.metriche[el.metric.label] = el.metric.body
        elif tipo == "alert" and el.alert.format == el.alert.ERROR:
            esito.errori_dati.append(el.alert.body[:300])
        elif tipo == "component_instance" and "folium" in el.component_instance.component_name:
            esito.byte_mappa = n
        elif tipo == "text_input":
            widget[el.text_input.id] = Widget(el.text_input.id, el.text_input.label, [], None)
        elif tipo == "button":
            widget[el.button.id] = Widget(el.button.id, el.button.label, [], None)
        elif tipo == "selectbox":
            sb = el.selectbox
            valore = sb.raw_value if sb.HasField("raw_value") else None
            widget[sb.id] = Widget(sb.id, sb.label, list(sb.options), valore)
            if sb.set_value:
                # The app set this widget's value (st.session_state): the front end shows it and
                # sends it back from now on, so do the same.
                if valore is None:
                    self._valori.pop(sb.id, None)
                else:
                    self._valori[sb.id] = WidgetState(id=sb.id, string_value=valore)


def scarica(url: str, timeout_s: float = 60.0, cookie: str | None = None) -> int:
    """GET `url` (a page or an asset, as a browser with an empty cache would, with its cookie for
    the proxy's routing); returns the bytes of the body as sent (compressed when it was)."""
    headers = {"Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout_s) as r:
        if r.status != 200:
            raise ErroreProtocollo(f"HTTP {r.status} per {url}")
        return len(r.read())
