"""A synthetic city for the scaling benchmark: N quartieri (a Voronoi tiling of Brescia's box)
and M community points with desk hours, written as the four files of data/.

Generated into a temporary folder at every run, never committed. Quartieri have about as many
vertices each as the real ones (77 on average), so the map's size grows as it would with more
real quartieri. The real finanziamenti.csv is copied as it is.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import shapely
from common import ROOT

# Inside the loader's BBOX_BRESCIA (10.12, 45.46, 10.33, 45.61), with a margin.
BOX = (10.14, 45.48, 10.31, 45.59)
ZONE = ("Centro", "Nord", "Sud", "Est", "Ovest")
GIORNI = ("lun", "mar", "mer", "gio", "ven", "sab")
VERTICI_MEDI = 77  # data/quartieri.geojson: 2538 vertices / 33 quartieri


def consenti_molti_quartieri() -> None:
    """Widen the quartiere number check (1-99 for Brescia's 33) so 500 synthetic quartieri load."""
    import pandera.pandas as pa

    from cittadelnoi.loaders import quartieri

    quartieri.SCHEMA = quartieri.SCHEMA.update_column(
        "numero", checks=[pa.Check.in_range(1, 9999, error="numero del quartiere fuori intervallo")]
    )


def genera(cartella: Path, n_quartieri: int = 500, n_punti: int = 5000, seme: int = 20251125) -> Path:
    """Write quartieri.geojson, punti.csv, sportelli.csv and finanziamenti.csv into `cartella`."""
    rng = np.random.default_rng(seme)
    cartella.mkdir(parents=True, exist_ok=True)
    x0, y0, x1, y1 = BOX
    box = shapely.box(x0, y0, x1, y1)

    semi = shapely.points(np.column_stack([rng.uniform(x0, x1, n_quartieri), rng.uniform(y0, y1, n_quartieri)]))
    celle = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(semi), extend_to=box))
    celle = shapely.intersection(celle, box)
    # Order cells like their seeds, so quartiere i contains seed i.
    ordine = [int(np.flatnonzero(shapely.contains(celle, s))[0]) for s in semi]
    celle = celle[ordine]
    # Densify to the real data's vertex count, then snap to 5 decimals as in data/.
    perimetro = float(np.mean(shapely.length(celle)))
    celle = shapely.segmentize(celle, perimetro / VERTICI_MEDI)
    celle = shapely.set_precision(celle, 1e-5)

    area_km2 = shapely.area(celle) * 111.32 * 111.32 * np.cos(np.radians(45.54))
    features = []
    for i, (cella, area) in enumerate(zip(celle, area_km2, strict=False), start=1):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "codice_istat": f"17029{i:03d}",
                    "numero": i,
                    "nome": f"Quartiere sintetico {i}",
                    "zona": ZONE[i % len(ZONE)],
                    "area_km2": round(max(float(area), 0.011), 2),
                    "fonte": "sintetico (bench/sintetico.py)",
                },
                "geometry": shapely.geometry.mapping(cella),
            }
        )
    (cartella / "quartieri.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")), encoding="utf-8"
    )

    # Points: spread over four quartieri in five, each inside its own cell; one in five has none,
    # so that the overview has missing quartieri and «Dove aprire» has a ranking to compute.
    con_punti = np.arange(n_quartieri) % 5 != 0
    per_q = np.zeros(n_quartieri, dtype=int)
    per_q[con_punti] = n_punti // con_punti.sum()
    per_q[np.flatnonzero(con_punti)[: n_punti - per_q.sum()]] += 1
    punti = []
    for q, (cella, quanti) in enumerate(zip(celle, per_q, strict=False), start=1):
        mx0, my0, mx1, my1 = cella.bounds
        # The app checks that each point lies in its quartiere: the position as written (5
        # decimals), some metres inside the edge.
        dentro = cella.buffer(-1e-4)
        fatti = 0
        while fatti < quanti:
            x, y = round(rng.uniform(mx0, mx1), 5), round(rng.uniform(my0, my1), 5)
            if not dentro.contains(shapely.Point(x, y)):
                continue
            fatti += 1
            n = len(punti) + 1
            punti.append(
                {
                    "id": f"p{n:05d}",
                    "nome": f"Punto sintetico {n}",
                    "codice_istat": f"17029{q:03d}",
                    "stato": "attivo" if rng.random() < 0.9 else "in_apertura",
                    "indirizzo": f"Via Sintetica {n}",
                    "lat": f"{y:.5f}",
                    "lon": f"{x:.5f}",
                    "posizione": "indirizzo",
                    "ente_gestore": f"Associazione sintetica {n % 97}",
                    "partner": "",
                    "apertura": "2024-01-15",
                    "fonte": "sintetico (bench/sintetico.py)",
                    "dimostrativo": "sì",
                }
            )
    _csv(cartella / "punti.csv", punti)

    # Desk hours: two non-overlapping weekly slots for each active point.
    sportelli = []
    for p in punti:
        if p["stato"] != "attivo":
            continue
        g1, g2 = rng.choice(len(GIORNI), size=2, replace=False)
        for g, (inizio, fine) in ((g1, ("09:30", "11:30")), (g2, ("15:00", "18:00"))):
            sportelli.append(
                {
                    "id_punto": p["id"],
                    "giorno": GIORNI[g],
                    "inizio": inizio,
                    "fine": fine,
                    "volontari": str(int(rng.integers(1, 6))),
                    "fonte": "sintetico (bench/sintetico.py)",
                    "dimostrativo": "sì",
                }
            )
    _csv(cartella / "sportelli.csv", sportelli)
    shutil.copy(ROOT / "data" / "finanziamenti.csv", cartella / "finanziamenti.csv")
    return cartella


def _csv(path: Path, righe: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(righe[0]))
        w.writeheader()
        w.writerows(righe)


if __name__ == "__main__":
    import sys
    import tempfile

    dest = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="cdn-sintetico-")) / "data"
    genera(dest)
    consenti_molti_quartieri()
    from cittadelnoi.stores.file import carica

    snap = carica(dest)
    print(f"{dest}: {len(snap.quartieri)} quartieri, {len(snap.punti)} punti, {len(snap.sportelli)} fasce orarie")
