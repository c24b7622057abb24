"""The warm start (cittadelnoi/ui/avvio.py, used by scripts/avvia.py): after it, what the process
holds is left out of Python's full garbage collections (issue 14, point 5: on the synthetic city a
full collection took 180-300 ms and made most of the slow reruns)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import DATA, ROOT

_SCRIPT = """
import gc
from cittadelnoi.ui import avvio
avvio.prima_del_server()
assert gc.get_freeze_count() == 0
avvio.dopo_l_avvio()
print(gc.get_freeze_count())
"""


def test_the_warm_start_freezes_what_it_built(tmp_path):
    env = {
        **os.environ,
        "CITTADELNOI_DATA_DIR": str(DATA),
        "CITTADELNOI_ARCHIVIO": "file",
        "CITTADELNOI_DB_URL": f"sqlite:///{tmp_path / 'r.sqlite'}",
    }
    env.pop("CITTADELNOI_DATI", None)
    esito = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert esito.returncode == 0, esito.stderr[-2000:]
    # The libraries, the data and the caches: hundreds of thousands of objects.
    assert int(esito.stdout.split()[-1]) > 100_000
