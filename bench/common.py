"""What the benchmark and the load test share: starting the app, headless Chromium, small statistics.

Everything runs on this machine: the app listens on 127.0.0.1 only, and every browser request
to another host is blocked and counted (a benchmark that needed the network would be wrong).

How other hosts are blocked matters for the figures. A Playwright route handler (`context.route`)
turns off Chromium's HTTP cache for the whole context (a documented Playwright behaviour), so a
"warm cache" visit would really be a cache-less one. Chromium's own resolver does the blocking
instead (`--host-resolver-rules`: every name and address other than 127.0.0.1 and localhost fails
to resolve, IP literals included), and the context only *listens* to requests to record them.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
# The links of the app's page menu (cittadelnoi/ui/menu.py: st.page_link in the sidebar).
MENU = "a[data-testid='stPageLink-NavLink']"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only the loopback address resolves: every other host, names and IP literals alike, fails
    # with ERR_NAME_NOT_RESOLVED before any packet leaves. Unlike a route handler, this leaves
    # the HTTP cache on.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
VIEWPORT = {"width": 1366, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOG_DIR = ROOT / "test-artifacts" / "bench"


def porta_libera() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_locale(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # file:, data:, blob:, about:
    return (parts.hostname or "") in LOCAL_HOSTS


class App:
    """The dashboard in a subprocess on a free localhost port."""

    def __init__(
        self,
        data_dir: Path | None = None,
        nome: str = "app",
        scala: bool = False,
        extra: list[str] | None = None,
        script: Path | None = None,
    ):
        self.port = porta_libera()
        self.url = f"http://127.0.0.1:{self.port}"
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{nome}-{self.port}.log"
        env = dict(os.environ)
        env.pop("CITTADELNOI_DATA_DIR", None)
        if data_dir is not None:
            env["CITTADELNOI_DATA_DIR"] = str(data_dir)
        # The app's state (its database, seeded from the data folder at the first run, or the copy
        # of the last good files) goes to a temporary folder, never to var/.
        self._tmp = tempfile.TemporaryDirectory(prefix="cdn-bench-app-")
        env["CITTADELNOI_LAST_GOOD_DIR"] = str(Path(self._tmp.name) / "ultimi-dati-validi")
        env["CITTADELNOI_DB_URL"] = f"sqlite:///{Path(self._tmp.name) / 'registro.sqlite'}"
        env["PYTHONUNBUFFERED"] = "1"
        env["CDN_ROOT"] = str(ROOT)
        # bench/avvia_app.py is `streamlit run` plus, for the synthetic set only, a wider range
        # for the quartiere number (see sintetico.py).
        cmd = (
            [PYTHON, str(ROOT / "bench" / "avvia_app.py")]
            + (["--scala"] if scala else [])
            + [
                "run",
                str(script or "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ]
            + (extra or [])
        )
        log = open(self.log_path, "w")  # noqa: SIM115 (the server writes to it until it stops)
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self._attendi()

    def _attendi(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"l'app è uscita con codice {self.proc.returncode}: vedi {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.ferma()
        raise RuntimeError(f"l'app non risponde dopo {timeout_s:.0f} s: vedi {self.log_path}")

    def cpu_s(self) -> float:
        """CPU seconds (user + system) used so far by the server process."""
        campi = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(campi[11]) + int(campi[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        """(current, peak) resident memory of the server process in MB."""
        stato = {}
        for riga in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            k, _, v = riga.partition(":")
            stato[k] = v.strip()
        kb = lambda k: int(stato.get(k, "0 kB").split()[0]) / 1024  # noqa: E731
        return kb("VmRSS"), kb("VmHWM")

    def ferma(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._tmp.cleanup()


@contextmanager
def app(
    data_dir: Path | None = None,
    nome: str = "app",
    scala: bool = False,
    extra: list[str] | None = None,
    script: Path | None = None,
) -> Iterator[App]:
    a = App(data_dir, nome, scala, extra, script)
    try:
        yield a
    finally:
        a.ferma()


@contextmanager
def app_solo_mappa(data_dir: Path | None = None, scala: bool = False) -> Iterator[App]:
    """bench/solo_mappa.py as an app. Streamlit serves /app/static from the main script's folder,
    so the script runs from a temporary folder whose `static` links to the app's."""
    with tempfile.TemporaryDirectory(prefix="cdn-solo-mappa-") as tmp:
        script = Path(tmp) / "solo_mappa.py"
        shutil.copy(ROOT / "bench" / "solo_mappa.py", script)
        (Path(tmp) / "static").symlink_to(ROOT / "static", target_is_directory=True)
        with app(data_dir, nome="solo-mappa", scala=scala, script=script) as a:
            yield a


@contextmanager
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} non trovato: bash scripts/setup.sh --with-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def contesto(browser, esterni: list[str]):
    """A fresh browser context (empty cache, HTTP cache on) that records every request and
    websocket to another host in `esterni`. The browser must come from `chromium()` or be
    launched with CHROMIUM_ARGS: its resolver is what blocks those requests."""
    ctx = browser.new_context(viewport=VIEWPORT, service_workers="block", locale="it-IT")
    registra_esterni(ctx, esterni)
    return ctx


def registra_esterni(ctx, esterni: list[str]) -> None:
    """Record in `esterni` every request and websocket of `ctx`'s pages (iframes included) to
    another host. Listening only: no route handler, so Chromium's HTTP cache stays on."""

    def _richiesta(req) -> None:
        if not url_locale(req.url):
            esterni.append(req.url)

    def _pagina(page) -> None:
        page.on("websocket", lambda ws: None if url_locale(ws.url) else esterni.append(ws.url))

    ctx.on("request", _richiesta)
    ctx.on("page", _pagina)


def mediana(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): a value that was actually observed."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def macchina() -> str:
    cpu = ""
    try:
        for riga in Path("/proc/cpuinfo").read_text().splitlines():
            if riga.startswith("model name"):
                cpu = riga.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} core{mem}, {cpu or platform.machine()}, Python {platform.python_version()}"


def versione_chromium() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB".replace(",", " ")


def ms(s: float) -> str:
    return f"{s * 1000:,.0f} ms".replace(",", " ")
