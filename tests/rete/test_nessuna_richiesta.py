"""Point 6 of issue 10: started on 0.0.0.0 the server makes no outbound request.

The server runs in a child process with a `sitecustomize.py` on its PYTHONPATH that records every
name lookup (`socket.getaddrinfo`) and every `connect`/`connect_ex`/`sendto` of an IP socket, in
the server's own process, before any Streamlit code runs. The test starts the real app
(`streamlit run app.py`, what scripts/run.sh runs) on `--server.address 0.0.0.0`, headless, on a
free port; waits for it; loads the page; opens a websocket from another site's origin (that is
when Streamlit's origin check would look up the public IP); then stops it and reads the record:
only loopback addresses and local names may appear.

The control test runs the same recorder around a bare Streamlit app in an empty folder (no
.streamlit/config.toml, no cittadelnoi code): there the record must show the lookup of
checkip.amazonaws.com, which proves the recorder sees the request that the app must not make.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.common import porta_libera
from tests.conftest import ROOT

REGISTRATORE = r"""
import json, os, socket

_FILE = os.environ["CDN_REGISTRO_RETE"]


def scrivi(tipo, dove):
    with open(_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps([tipo, dove if isinstance(dove, (str, type(None))) else list(map(str, dove))]) + "\n")


_gai = socket.getaddrinfo


def getaddrinfo(host, *a, **k):
    scrivi("getaddrinfo", None if host is None else (host.decode() if isinstance(host, bytes) else str(host)))
    return _gai(host, *a, **k)


socket.getaddrinfo = getaddrinfo


def _avvolgi(nome):
    orig = getattr(socket.socket, nome)

    def f(self, *a):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            scrivi(nome, a[-1])
        return orig(self, *a)

    setattr(socket.socket, nome, f)


for _n in ("connect", "connect_ex", "sendto"):
    _avvolgi(_n)
scrivi("registratore", None)  # loaded in this process
"""

LOCALI = {None, "", "localhost", "0.0.0.0", "::", "127.0.0.1", "::1"}


def _locale(voce: list) -> bool:
    tipo, dove = voce
    if tipo == "registratore":
        return True
    if tipo == "getaddrinfo":
        return dove in LOCALI
    host = dove[0]
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback or host in ("0.0.0.0", "::")
    except ValueError:
        return host in LOCALI


def _avvia(cwd: Path, script: str, registro: Path, tmp: Path, extra: list[str] = ()) -> tuple[subprocess.Popen, int]:
    (tmp / "sitecustomize.py").write_text(REGISTRATORE, encoding="utf-8")
    porta = porta_libera()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp), str(ROOT), env.get("PYTHONPATH", "")])
    env["CDN_REGISTRO_RETE"] = str(registro)
    env["CITTADELNOI_DB_URL"] = f"sqlite:///{tmp / 'registro.sqlite'}"
    env["CITTADELNOI_LAST_GOOD_DIR"] = str(tmp / "ultimi-dati-validi")  # not var/, shared by other tests
    env["PYTHONUNBUFFERED"] = "1"
    # No proxy from the environment: a lookup must show up as what it is.
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(k, None)
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.address", "0.0.0.0", "--server.port", str(porta)]
    cmd += ["--server.headless", "true", *extra]
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    fine = time.monotonic() + 90
    while time.monotonic() < fine:
        if proc.poll() is not None:
            pytest.fail(f"il server è uscito ({proc.returncode}):\n{(tmp / 'server.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{porta}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, porta
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    pytest.fail("il server non ha risposto in 90 s")


def _ferma(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _websocket_da_altro_sito(porta: int) -> bytes:
    """A websocket handshake to /_stcore/stream with another site's Origin, answered or refused."""
    chiave = base64.b64encode(os.urandom(16)).decode()
    richiesta = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{porta}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {chiave}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://sito-altrui.invalid:8080\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", porta), timeout=10) as s:
        s.sendall(richiesta.encode())
        return s.recv(200)


def _registro(path: Path) -> list[list]:
    if not path.exists():
        return []
    return [json.loads(r) for r in path.read_text(encoding="utf-8").splitlines() if r.strip()]


def test_su_0000_il_server_non_fa_richieste_esterne(tmp_path: Path):
    registro = tmp_path / "rete.jsonl"
    proc, porta = _avvia(ROOT, "app.py", registro, tmp_path)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{porta}/", timeout=10) as r:
            assert r.status == 200
        risposta = _websocket_da_altro_sito(porta)
        assert risposta.startswith(b"HTTP/1.1"), risposta
        time.sleep(1.0)  # anything the handshake set off has time to try
    finally:
        _ferma(proc)
    voci = _registro(registro)
    assert ["registratore", None] in voci, "il registratore non è stato caricato nel processo del server"
    esterne = [v for v in voci if not _locale(v)]
    assert esterne == [], f"richieste verso l'esterno: {esterne}\n{(tmp_path / 'server.log').read_text()[-2000:]}"
    # The start banner prints the configured address, not addresses found on the network.
    testo = (tmp_path / "server.log").read_text()
    assert "External URL" not in testo and "Network URL" not in testo


def test_controllo_il_registratore_vede_la_richiesta_di_streamlit(tmp_path: Path):
    nuda = tmp_path / "nuda"
    nuda.mkdir()
    (nuda / "app.py").write_text("import streamlit as st\nst.write('ciao')\n", encoding="utf-8")
    registro = tmp_path / "rete.jsonl"
    proc, _ = _avvia(nuda, "app.py", registro, tmp_path, ["--browser.gatherUsageStats", "false"])
    try:
        fine = time.monotonic() + 30
        while time.monotonic() < fine and not any(v[1] == "checkip.amazonaws.com" for v in _registro(registro)):
            time.sleep(0.3)
    finally:
        _ferma(proc)
    assert ["getaddrinfo", "checkip.amazonaws.com"] in _registro(registro), _registro(registro)
