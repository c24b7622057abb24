"""`streamlit run` for the benchmark: `python bench/avvia_app.py [--scala] run app.py ...`, started
as production starts it (scripts/avvia.py).

With --scala the quartiere loader accepts quartiere numbers above 99, so that the synthetic city
of sintetico.py (500 quartieri) passes validation. Only that range check is widened: every other
check runs as in production, and validation runs once per data version, never in a timed rerun.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--scala"]:
        args = args[1:]
        from sintetico import consenti_molti_quartieri  # bench/ is this script's directory

        consenti_molti_quartieri()
    # The production start (scripts/avvia.py: the process warmed before its first visitor, then
    # its caches filled and frozen out of the garbage collector), with the same arguments.
    if args[:1] == ["run"]:
        args = args[1:]
    sys.path.insert(0, str(ROOT / "scripts"))
    import avvia

    sys.argv = [str(ROOT / "scripts" / "avvia.py"), *args]
    avvia.main()
