"""A byte-counting TCP relay on 127.0.0.1, to measure what really crosses the wire.

The browser talks to the relay, the relay to the app. For each connection it keeps the first
request line (so the websocket, `GET /_stcore/stream`, is told apart from page and asset requests)
and counts the bytes sent by the server. With websocket compression on, these are the
compressed bytes, which the browser's own APIs never show (they give the decoded message).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

from common import porta_libera


@dataclass
class Connessione:
    richiesta: str = ""
    byte_server: int = 0


@dataclass
class Relay:
    porta_app: int
    porta: int = field(default_factory=porta_libera)
    connessioni: list[Connessione] = field(default_factory=list)

    def __post_init__(self):
        self._scrittori: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._pronto = threading.Event()
        self._thread = threading.Thread(target=self._avvia, daemon=True)
        self._thread.start()
        self._pronto.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.porta}"

    def azzera(self) -> None:
        self.connessioni.clear()

    def byte_websocket(self) -> int:
        return sum(c.byte_server for c in list(self.connessioni) if "/_stcore/stream" in c.richiesta)

    def byte_totali(self) -> int:
        return sum(c.byte_server for c in list(self.connessioni))

    def _avvia(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._gestisci, "127.0.0.1", self.porta))
        self._pronto.set()
        self._loop.run_forever()

    async def _gestisci(self, r_client: asyncio.StreamReader, w_client: asyncio.StreamWriter) -> None:
        conn = Connessione()
        self.connessioni.append(conn)
        try:
            r_app, w_app = await asyncio.open_connection("127.0.0.1", self.porta_app)
        except OSError:
            w_client.close()
            return
        self._scrittori |= {w_app, w_client}

        async def verso_app() -> None:
            primo = True
            while data := await r_client.read(65536):
                if primo:
                    conn.richiesta = data.split(b"\r\n", 1)[0].decode("latin-1")
                    primo = False
                w_app.write(data)
                await w_app.drain()
            w_app.close()

        async def verso_client() -> None:
            while data := await r_app.read(65536):
                conn.byte_server += len(data)
                w_client.write(data)
                await w_client.drain()
            w_client.close()

        try:
            await asyncio.gather(verso_app(), verso_client())
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        finally:
            for w in (w_app, w_client):
                w.close()
                self._scrittori.discard(w)

    def chiudi(self) -> None:
        async def spegni() -> None:
            self._server.close()
            for w in list(self._scrittori):
                w.close()
            compiti = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in compiti:
                t.cancel()
            await asyncio.gather(*compiti, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(spegni(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
