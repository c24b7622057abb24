"""Write the first data/punti.csv: the four documented points plus marked demo rows.

    python scripts/build_punti.py [--shared ../shared/data]

Public sources place only four points (../shared/data/punti-noti.csv). The network counted 20
active points after December 2025 and, in October 2025, 2 in accreditation, one of which
(Lamarmora) opened in December: so 16 active points and 1 opening point are unknown. They are
written as rows with `dimostrativo=sì`, placed in the lowest-numbered quartieri without a known
point, purely so the map has the documented counts; the app labels them on screen. Officials
replace this file with the real register. No point has a geocoded address yet: every position is
the quartiere's representative point (`posizione=centro_quartiere`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python scripts/...` from anywhere

from cittadelnoi.loaders.csvio import scrivi_csv_atomico  # noqa: E402
from cittadelnoi.metrics.filtri import slug  # noqa: E402

ATTIVI_DOCUMENTATI = 20  # elivebrescia.tv, Lamarmora article, December 2025
IN_APERTURA_STIMATI = 1  # 2 in accreditation (Prima Brescia, 23/10/2025) minus Lamarmora, opened since
FONTE_DEMO = (
    "dimostrativo: posto solo per rispettare il conteggio di 20 punti attivi (dicembre 2025); luogo reale non noto"
)

COLONNE = [
    "id",
    "nome",
    "codice_istat",
    "stato",
    "indirizzo",
    "lat",
    "lon",
    "posizione",
    "ente_gestore",
    "partner",
    "apertura",
    "fonte",
    "dimostrativo",
]


def build(shared: Path) -> list[dict[str, str]]:
    quartieri = gpd.read_file(ROOT / "data" / "quartieri.geojson").sort_values("numero")
    # Representative point, not centroid: always inside the polygon, even for concave quartieri.
    reps = quartieri.geometry.representative_point()
    quartieri["lat"] = reps.y.round(5)
    quartieri["lon"] = reps.x.round(5)
    by_name = quartieri.set_index("nome")
    noti = pd.read_csv(shared / "punti-noti.csv", dtype=str).fillna("")

    rows: list[dict[str, str]] = []
    for rec in noti.to_dict("records"):
        q = by_name.loc[rec["quartiere"]]
        rows.append(
            {
                "id": slug(rec["quartiere"]),
                "nome": f"Punto di comunità {rec['quartiere']}",
                "codice_istat": q["codice_istat"],
                "stato": "attivo",
                "indirizzo": rec["indirizzo"],
                "lat": f"{q['lat']:.5f}",
                "lon": f"{q['lon']:.5f}",
                "posizione": "centro_quartiere",
                "ente_gestore": rec["ente_capofila"],
                "partner": rec["partner"],
                "apertura": rec["apertura"],
                "fonte": rec["fonte"],
                "dimostrativo": "no",
            }
        )

    liberi = quartieri[~quartieri["nome"].isin(noti["quartiere"])]
    demo_attivi = ATTIVI_DOCUMENTATI - len(rows)
    for i, q in enumerate(liberi.head(demo_attivi + IN_APERTURA_STIMATI).to_dict("records")):
        rows.append(
            {
                "id": f"demo-{slug(q['nome'])}",
                "nome": f"Punto di comunità {q['nome']} (dimostrativo)",
                "codice_istat": q["codice_istat"],
                "stato": "attivo" if i < demo_attivi else "in_apertura",
                "indirizzo": "",
                "lat": f"{q['lat']:.5f}",
                "lon": f"{q['lon']:.5f}",
                "posizione": "centro_quartiere",
                "ente_gestore": "",
                "partner": "",
                "apertura": "",
                "fonte": FONTE_DEMO,
                "dimostrativo": "sì",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "punti.csv")
    args = parser.parse_args(argv)
    rows = build(args.shared)
    scrivi_csv_atomico(args.out, COLONNE, rows)
    stati = pd.DataFrame(rows)["stato"].value_counts().to_dict()
    print(f"{len(rows)} punti scritti in {args.out}: {stati}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
