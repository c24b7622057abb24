"""N dashboard replicas behind nginx on this machine, on a throwaway PostgreSQL cluster.

    bash scripts/avvia_repliche.sh 2            # prints the address, Ctrl-C stops everything
    with Repliche(2) as r: r.url, r.ferma_replica(0), r.avvia_replica(0)   (tests, load test)

Everything listens on 127.0.0.1 only. PostgreSQL is Debian's package run from a temporary folder
(initdb + pg_ctl, as the `postgres` user when run as root, as tests/postgres.py does); each replica
is `scripts/avvia.py app.py` (the dashboard and its routes, /salute included) on a free port with the same database and cookie secret; nginx
(Debian's package) runs with a configuration generated here that includes the very files of
deploy/nginx/ (http.conf, locations.conf) that production uses. Temporary folders, logs under
test-artifacts/repliche/.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LOG_DIR = ROOT / "test-artifacts" / "repliche"


def porta_libera() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_presente() -> bool:
    return Path(NGINX).exists()


def postgres_bin() -> Path | None:
    """PostgreSQL's bin folder, found where the app's backups find pg_dump (one home)."""
    from cittadelnoi.stores.backup import cartella_postgres

    return cartella_postgres()


def streamlit_static() -> Path:
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


def _attendi_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    fine = time.monotonic() + timeout_s
    ultimo = ""
    while time.monotonic() < fine:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"processo uscito ({proc.returncode}) prima di rispondere: vedi {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            ultimo = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{url} non risponde dopo {timeout_s:.0f} s ({ultimo}): vedi {log}")


class PostgresNonInstallato(RuntimeError):
    """No PostgreSQL binaries on this machine (`bash scripts/setup.sh --with-postgres` installs them)."""


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (stopped and deleted by `ferma`): the one used by
    the replicas, the load test and the tests (tests/postgres.py).

    `database`: created empty once the server runs (None: only the `postgres` database)."""

    def __init__(self, database: str | None = "cittadelnoi", max_connections: int = 200) -> None:
        bindir = postgres_bin()
        if bindir is None:
            raise PostgresNonInstallato(
                "PostgreSQL non installato (initdb non trovato): bash scripts/setup.sh --with-postgres"
            )
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="cdn-pg-"))
        self.dati = self.base / "dati"
        self.porta = porta_libera()
        self.come: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run it as the package's `postgres` user
            try:
                u = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "si lavora come root ma l'utente «postgres» non esiste: installare il pacchetto postgresql"
                ) from None
            os.chown(self.base, u.pw_uid, u.pw_gid)
            self.come = ["runuser", "-u", "postgres", "--"]
        self._esegui(
            "initdb",
            "-D",
            str(self.dati),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opzioni = (
            f"-p {self.porta} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections={max_connections} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._esegui(
            "pg_ctl",
            "-D",
            str(self.dati),
            "-o",
            opzioni,
            "-l",
            str(self.base / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if database:
            self._esegui("createdb", "-h", "127.0.0.1", "-p", str(self.porta), "-U", "postgres", database)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.porta}/{database or 'postgres'}"

    def _esegui(self, programma: str, *args: str) -> None:
        r = subprocess.run(
            [*self.come, str(self.bindir / programma), *args], capture_output=True, text=True, timeout=120
        )
        if r.returncode != 0:
            log = self.base / "server.log"
            raise RuntimeError(
                f"{programma} non riuscito ({r.returncode}): {r.stdout}\n{r.stderr}\n"
                + (log.read_text(errors="replace")[-3000:] if log.exists() else "")
            )

    def ferma(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                [*self.come, str(self.bindir / "pg_ctl"), "-D", str(self.dati), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=120,
            )
        # Never leave a server behind (a busy machine can make pg_ctl time out): kill the postmaster.
        try:
            pid = int((self.dati / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
        shutil.rmtree(self.base, ignore_errors=True)


class Replica:
    def __init__(self, indice: int, env: dict[str, str], porta: int | None = None) -> None:
        self.indice = indice
        self.env = env
        self.porta = porta or porta_libera()
        self.url = f"http://127.0.0.1:{self.porta}"
        self.proc: subprocess.Popen | None = None
        self.log = LOG_DIR / f"replica{indice}-{self.porta}.log"

    def avvia(self, attendi: bool = True) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            str(ROOT / "scripts" / "avvia.py"),
            "app.py",
            "--server.port",
            str(self.porta),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        if self.env.get("CDN_SECRETS"):
            cmd += ["--secrets.files", self.env["CDN_SECRETS"]]
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        if attendi:
            self.attendi()

    def attendi(self, timeout_s: float = 180.0) -> None:
        _attendi_http(f"{self.url}/_stcore/health", timeout_s, self.proc, self.log)

    def cpu_s(self) -> float:
        campi = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(campi[11]) + int(campi[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        stato = dict(
            r.split(":", 1) for r in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines() if ":" in r
        )
        kb = lambda k: int(stato.get(k, "0 kB").split()[0]) / 1024  # noqa: E731
        return kb("VmRSS"), kb("VmHWM")

    def viva(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def uccidi(self) -> None:
        """SIGKILL, as a crash: no goodbye to the viewers."""
        if self.viva():
            self.proc.kill()
            self.proc.wait(15)

    def ferma(self) -> None:
        if self.viva():
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)


class Nginx:
    def __init__(self, porte: list[int], porta: int | None = None) -> None:
        self.porta = porta or porta_libera()
        self.url = f"http://127.0.0.1:{self.porta}"
        self.base = Path(tempfile.mkdtemp(prefix="cdn-repliche-nginx-"))
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.conf = self.base / "nginx.conf"
        self.conf.write_text(configurazione(porte, self.porta, self.base))
        self.proc: subprocess.Popen | None = None

    def avvia(self) -> None:
        prova = subprocess.run(
            [NGINX, "-t", "-p", str(self.base), "-c", str(self.conf)], capture_output=True, text=True
        )
        if prova.returncode != 0:
            raise RuntimeError(f"configurazione nginx non valida:\n{prova.stderr}")
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.base), "-c", str(self.conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(LOG_DIR / f"nginx-{self.porta}.log", "a"),  # noqa: SIM115
        )
        _attendi_http(f"{self.url}/salute", 30, self.proc, LOG_DIR / f"nginx-{self.porta}.log")

    def cpu_s(self) -> float:
        """CPU seconds of the master and its workers."""
        tot = 0.0
        for pid in [self.proc.pid, *_figli(self.proc.pid)]:
            try:
                campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                tot += (int(campi[11]) + int(campi[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
        return tot

    def ferma(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.base, ignore_errors=True)


def _figli(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def configurazione(porte: list[int], porta: int, base: Path) -> str:
    """nginx.conf for the local replicas: the production includes, local paths and ports."""
    server = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in porte)
    utente = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"""# Generated by bench/repliche.py for {len(porte)} local replicas (throwaway).
{utente}worker_processes 1;
pid {base}/nginx.pid;
error_log {LOG_DIR}/nginx-{porta}-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {base}/client_body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    include {ROOT}/deploy/nginx/http.conf;
    proxy_cache_path {base}/cache keys_zone=cittadino:2m max_size=50m inactive=1h use_temp_path=off;
    upstream cittadelnoi {{
        hash $cdn_replica consistent;
{server}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{porta};
        server_name localhost;
        set $cdn_static {ROOT}/static;
        set $cdn_streamlit_static {streamlit_static()};
        include {ROOT}/deploy/nginx/locations.conf;
    }}
}}
"""


class Repliche:
    """PostgreSQL + N replicas + nginx; a context manager that stops everything on exit."""

    def __init__(self, n: int = 2, porta: int | None = None, data_dir: Path | None = None, proxy: bool = True) -> None:
        self.proxy = proxy
        if proxy and not nginx_presente():
            raise RuntimeError("nginx non installato: bash scripts/setup.sh --with-nginx")
        self.n = n
        self.porta = porta
        self.data_dir = data_dir
        self.pg: Postgres | None = None
        self.repliche: list[Replica] = []
        self.nginx: Nginx | None = None

    def __enter__(self) -> Repliche:
        try:
            self.avvia()
        except BaseException:
            self.ferma()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.ferma()

    @property
    def url(self) -> str:
        """nginx's address; without the proxy, the first replica's."""
        return self.nginx.url if self.nginx is not None else self.repliche[0].url

    def cpu_s(self) -> float:
        """CPU seconds used so far by the replicas still running and nginx."""
        tot = sum(r.cpu_s() for r in self.repliche if r.viva())
        return tot + (self.nginx.cpu_s() if self.nginx is not None else 0.0)

    def rss_mb(self) -> tuple[float, float]:
        """(current, peak) resident memory of the replicas, summed."""
        valori = [r.rss_mb() for r in self.repliche if r.viva()]
        return sum(v[0] for v in valori), sum(v[1] for v in valori)

    def avvia(self) -> None:
        self.pg = Postgres()
        env = dict(os.environ)
        env.pop("CITTADELNOI_ARCHIVIO", None)
        env["CITTADELNOI_DB_URL"] = self.pg.url
        # The same secret everywhere: Streamlit signs its XSRF cookie with it (uploads after a failover).
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
        env["CITTADELNOI_LAST_GOOD_DIR"] = str(Path(self.pg.base) / "ultimi-dati-validi")
        env["PYTHONUNBUFFERED"] = "1"
        if self.data_dir is not None:
            env["CITTADELNOI_DATA_DIR"] = str(self.data_dir)
        # A Gestione account for this throwaway database (PostgreSQL offers no demo account): its
        # password is printed by avvia_repliche.sh. The project's own .streamlit/secrets.toml is not read.
        self.password = secrets.token_urlsafe(12)
        from cittadelnoi.auth.accesso import hash_password

        segreti = Path(self.pg.base) / "secrets.toml"
        segreti.write_text(
            f'[gestione]\ncookie_key = "{secrets.token_hex(32)}"\n'
            f'[gestione.credentials.usernames.prova]\nname = "Prova repliche"\n'
            f'password = "{hash_password(self.password)}"\n'
        )
        os.chmod(segreti, 0o644)
        env["CDN_SECRETS"] = str(segreti)
        self.repliche = [Replica(i, env) for i in range(self.n)]
        # The first one creates and seeds the database; the others start together after it.
        self.repliche[0].avvia()
        for r in self.repliche[1:]:
            r.avvia(attendi=False)
        for r in self.repliche[1:]:
            r.attendi()
        if self.proxy:
            self.nginx = Nginx([r.porta for r in self.repliche], self.porta)
            self.nginx.avvia()

    def replica_di(self, porta_upstream: str) -> Replica | None:
        """The replica behind an X-Cittadelnoi-Replica header value (127.0.0.1:PORT)."""
        return next((r for r in self.repliche if porta_upstream.endswith(f":{r.porta}")), None)

    def ferma(self) -> None:
        if self.nginx is not None:
            self.nginx.ferma()
        for r in self.repliche:
            r.ferma()
        if self.pg is not None:
            self.pg.ferma()


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="N repliche del cruscotto dietro nginx, su 127.0.0.1 (Ctrl-C ferma tutto)")
    ap.add_argument("n", type=int, nargs="?", default=2, help="quante repliche (default 2)")
    ap.add_argument("--porta", type=int, default=8080, help="porta di nginx (default 8080)")
    a = ap.parse_args()
    if not 1 <= a.n <= 16:
        raise SystemExit("da 1 a 16 repliche")
    fermati = False

    def _segnale(*_):
        nonlocal fermati
        fermati = True

    signal.signal(signal.SIGTERM, _segnale)
    with Repliche(a.n, a.porta) as r:
        print(f"PostgreSQL: {r.pg.url}")
        print(f"Gestione: utente «prova», password «{r.password}» (solo per questo database temporaneo)")
        for rep in r.repliche:
            print(f"replica {rep.indice}: {rep.url} (log {rep.log})")
        print(f"\nCruscotto: {r.url}   (Ctrl-C ferma nginx, repliche e PostgreSQL)", flush=True)
        try:
            while not fermati:
                for rep in r.repliche:
                    if not rep.viva():
                        print(f"replica {rep.indice} terminata (codice {rep.proc.returncode}): la riavvio", flush=True)
                        rep.avvia(attendi=False)
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        # A second Ctrl-C must not interrupt the shutdown halfway (leaving PostgreSQL running).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nfermo tutto…", flush=True)


if __name__ == "__main__":
    main()
