"""Write esempio/rendiconti.csv: 18 months of plainly fictional monthly reports for the sample register.

Deterministic (a fixed seed): some months are missing, some points stay under the monthly minimum,
so every chart of the volunteer-hours page shows its full form in demonstrations. Run again only
to move the months: `python scripts/crea_rendiconti_esempio.py 2026-11` (the last month).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTE = "esempio: dato fittizio per dimostrazioni e test"


def mesi(ultimo: str, n: int = 18) -> list[str]:
    anno, mese = (int(x) for x in ultimo.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{anno:04d}-{mese:02d}")
        mese -= 1
        if mese == 0:
            anno, mese = anno - 1, 12
    return out[::-1]


def main(ultimo: str) -> None:
    rnd = random.Random(23)
    with (ROOT / "esempio" / "punti.csv").open(encoding="utf-8") as fh:
        attivi = [r["id"] for r in csv.DictReader(fh) if r["stato"] == "attivo"]
    righe = []
    for n, id_punto in enumerate(attivi):
        debole = n % 5 == 3  # one point in five often under the minimum
        for k, mese in enumerate(mesi(ultimo)):
            if n % 4 == 1 and k % 6 == 2 or n % 7 == 6 and k < 5:
                continue  # months not reported
            ore = rnd.randint(12, 24) if debole else rnd.randint(24, 48)
            volontari = rnd.randint(2, 9)
            righe.append(
                {
                    "id_punto": id_punto,
                    "mese": mese,
                    "ore_sportello": ore,
                    "volontari": volontari,
                    "ore_volontariato": ore * rnd.randint(2, min(volontari, 4)),
                    "accessi": "" if k % 9 == 4 else rnd.randint(10, 90),
                    "note": "cifre fittizie (esempio)",
                    "fonte": FONTE,
                    "stato": "bozza" if k == 17 and n % 3 == 0 else "inviato",
                }
            )
    with (ROOT / "esempio" / "rendiconti.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(righe[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(righe)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2026-11")
