"""`streamlit run` with the process warmed before its first visitor (see cittadelnoi/ui/avvio.py).

    .venv/bin/python scripts/avvia.py app.py --server.port 8501 [other streamlit options]

Used by scripts/run.sh, scripts/avvia_repliche.sh and the systemd units in deploy/. The data
store, the database migrations and seed, the process's data watcher, the pages' libraries and the
map's topology are ready before the server listens; the Streamlit caches of the overview are
filled right after it answers its health check, from a thread of the same process.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _opzione(args: list[str], nome: str, predefinito: str) -> str:
    for i, a in enumerate(args):
        if a == nome and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(nome + "="):
            return a.split("=", 1)[1]
    return predefinito


def _dopo_l_avvio(porta: str) -> None:
    from cittadelnoi.ui import avvio

    fine = time.monotonic() + 120
    while time.monotonic() < fine:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{porta}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    avvio.dopo_l_avvio()


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        args = ["app.py", *args]
    os.chdir(ROOT)
    from cittadelnoi.ui import avvio

    avvio.prima_del_server()
    porta = _opzione(args, "--server.port", "8501")
    threading.Thread(target=_dopo_l_avvio, args=(porta,), name="cittadelnoi-avvio", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
