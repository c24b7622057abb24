"""Write the first data/sportelli.csv: desk slots (sportelli) of the community points.

    python scripts/build_sportelli.py [--shared ../shared/data]

One row per weekly slot: id_punto, giorno (lun..dom), inizio and fine (HH:MM, fine may be 24:00),
volontari (volunteers staffing the slot, may be empty), fonte, dimostrativo (sì/no).

Only one schedule is documented in public sources: Lamarmora (../shared/data/punti-noti.csv,
column `sportello`: mer 15:30-17:30; ven 09:30-11:30). It is parsed from that file with its
source; its volunteer count is not documented and stays empty.

Documented points whose schedule is unknown (Don Bosco, Mompiano, Primo Maggio) get NO rows: the
app shows them as "orari non documentati", never as 0 hours.

Demo points of data/punti.csv (`id` starting with `demo-`, `stato=attivo`) get plausible demo
schedules, generated with a fixed seed so the file is the same on every run: 2-4 slots on
different days, about 6-10 hours a week, and every fifth point (3 of 16) between 4 and 5.5 hours
so the check against the 6-hour minimum is visible. Each such row has `dimostrativo=sì` and
fonte "dimostrativo: orario non noto"; the app labels them on screen. Officials replace this file
with the real schedules.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python scripts/...` from anywhere

from cittadelnoi.loaders.csvio import scrivi_csv_atomico  # noqa: E402
from cittadelnoi.metrics.filtri import slug  # noqa: E402

COLONNE = ["id_punto", "giorno", "inizio", "fine", "volontari", "fonte", "dimostrativo"]
GIORNI = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"]
FONTE_DEMO = "dimostrativo: orario non noto"
SEED = 20251210  # Lamarmora's opening date: any fixed number would do
_FASCIA = re.compile(r"\b(lun|mar|mer|gio|ven|sab|dom)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")

# Demo slot shapes: (start in minutes, length in minutes). Mornings, afternoons, one evening.
_INIZI = [9 * 60, 9 * 60 + 30, 10 * 60, 14 * 60 + 30, 15 * 60, 16 * 60, 17 * 60, 20 * 60 + 30]
_DURATE = [90, 120, 150, 180]


def hhmm(minuti: int) -> str:
    return f"{minuti // 60:02d}:{minuti % 60:02d}"


def fasce_documentate(testo: str) -> list[tuple[str, str, str]]:
    """'mer 15:30-17:30; ven 09:30-11:30 (4 ore/settimana)' -> [('mer', '15:30', '17:30'), ...]."""
    return [(g, f"{int(a[:-3]):02d}{a[-3:]}", f"{int(b[:-3]):02d}{b[-3:]}") for g, a, b in _FASCIA.findall(testo)]


def orario_demo(rng: random.Random, sotto_minimo: bool) -> list[tuple[str, int, int, int]]:
    """Slots (giorno, inizio, fine, volontari) totalling 4-5.5 h if sotto_minimo, else 6-10 h."""
    basso, alto = (240, 330) if sotto_minimo else (360, 600)
    while True:
        n = rng.randint(2, 3) if sotto_minimo else rng.randint(3, 4)
        giorni = sorted(rng.sample(GIORNI[:6], n), key=GIORNI.index)  # Sunday stays closed
        fasce = []
        for g in giorni:
            inizio = rng.choice(_INIZI)
            durata = rng.choice(_DURATE if inizio < 20 * 60 else [90])
            fasce.append((g, inizio, inizio + durata, rng.randint(2, 6)))
        if basso <= sum(f - i for _, i, f, _ in fasce) <= alto:
            return fasce


def build(shared: Path, punti_csv: Path) -> list[dict[str, str]]:
    punti = pd.read_csv(punti_csv, dtype=str, keep_default_na=False)
    noti = pd.read_csv(shared / "punti-noti.csv", dtype=str, keep_default_na=False)
    rows: list[dict[str, str]] = []

    for rec in noti.to_dict("records"):
        id_punto = slug(rec["quartiere"])
        if id_punto not in set(punti["id"]):
            raise SystemExit(f"Il punto documentato «{rec['quartiere']}» non è in {punti_csv}")
        fasce = fasce_documentate(rec["sportello"])
        if rec["sportello"].strip() and not fasce:
            raise SystemExit(f"Orario di «{rec['quartiere']}» non interpretabile: {rec['sportello']!r}")
        for giorno, inizio, fine in fasce:
            rows.append(
                {
                    "id_punto": id_punto,
                    "giorno": giorno,
                    "inizio": inizio,
                    "fine": fine,
                    "volontari": "",
                    "fonte": rec["fonte"],
                    "dimostrativo": "no",
                }
            )

    rng = random.Random(SEED)
    demo = punti[punti["id"].str.startswith("demo-") & (punti["stato"] == "attivo")]
    for i, id_punto in enumerate(demo["id"]):
        for giorno, inizio, fine, volontari in orario_demo(rng, sotto_minimo=(i % 5 == 2)):
            rows.append(
                {
                    "id_punto": id_punto,
                    "giorno": giorno,
                    "inizio": hhmm(inizio),
                    "fine": hhmm(fine),
                    "volontari": str(volontari),
                    "fonte": FONTE_DEMO,
                    "dimostrativo": "sì",
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--punti", type=Path, default=ROOT / "data" / "punti.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "sportelli.csv")
    args = parser.parse_args(argv)
    rows = build(args.shared, args.punti)
    scrivi_csv_atomico(args.out, COLONNE, rows)
    frame = pd.DataFrame(rows)
    print(
        f"{len(rows)} fasce per {frame['id_punto'].nunique()} punti scritte in {args.out} "
        f"({(frame['dimostrativo'] == 'sì').sum()} dimostrative)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
