"""Write data/finanziamenti.csv from ../shared/data/facts.csv.

    python scripts/build_finanziamenti.py [--shared ../shared/data] [--out data/finanziamenti.csv]

Every facts row is kept (the point counts are used by other pages). Two things are added so the
app never has to guess: "come sopra" sources are replaced by the previous row's source, so every
row names a real source; "seme" (the project's internal brief, not a public source) is taken out
of the citations and the notes, so only public sources are shown; and a `tipo` column says whether a figure is documented, derived (its
source starts with "derivato") or not estimated (no value: shown as "non stimato", never zero).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python scripts/...` from anywhere

from cittadelnoi.loaders.csvio import scrivi_csv_atomico  # noqa: E402

COLONNE_FACTS = ["id", "valore", "unita", "riferimento", "descrizione", "fonte", "nota"]
COLONNE = [*COLONNE_FACTS, "tipo"]
COME_SOPRA = "come sopra"
SEME = "seme"  # facts.csv's name for the project's brief: not a source a reader can look up


def senza_seme(riga: dict[str, str]) -> dict[str, str]:
    """The brief out of the citation list ("seme; Fondazione Cariplo, ..." -> "Fondazione Cariplo, ...")
    and named for what it is in the notes."""
    fonti = [f.strip() for f in riga["fonte"].split(";")]
    nota = (
        riga["nota"]
        .replace("L'articolo del seme", "La scheda del progetto")
        .replace("Il seme", "La scheda del progetto")
    )
    return {**riga, "fonte": "; ".join(f for f in fonti if f.lower() != SEME), "nota": nota}


def tipo(riga: dict[str, str]) -> str:
    if not riga["valore"].strip():
        return "non_stimato"
    if riga["fonte"].strip().lower().startswith("derivato"):
        return "derivato"
    return "documentato"


def build(facts: Path) -> list[dict[str, str]]:
    with facts.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        mancanti = [c for c in COLONNE_FACTS if c not in (reader.fieldnames or [])]
        if mancanti:
            raise SystemExit(f"{facts}: colonne mancanti {mancanti}")
        righe = [senza_seme({c: (r[c] or "").strip() for c in COLONNE_FACTS}) for r in reader]

    out: list[dict[str, str]] = []
    fonte_precedente = ""
    for n, riga in enumerate(righe, start=2):
        if riga["fonte"].lower() == COME_SOPRA:
            if not fonte_precedente:
                raise SystemExit(f"{facts}, riga {n}: «come sopra» senza una riga precedente con fonte")
            riga["fonte"] = fonte_precedente
        if not riga["fonte"]:
            raise SystemExit(f"{facts}, riga {n}: fonte mancante per «{riga['id']}»")
        fonte_precedente = riga["fonte"]
        out.append({**riga, "tipo": tipo(riga)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "finanziamenti.csv")
    args = parser.parse_args(argv)
    righe = build(args.shared / "facts.csv")
    scrivi_csv_atomico(args.out, COLONNE, righe)
    conteggio: dict[str, int] = {}
    for r in righe:
        conteggio[r["tipo"]] = conteggio.get(r["tipo"], 0) + 1
    print(f"{len(righe)} righe scritte in {args.out}: {conteggio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
