"""Desk hours (sportelli) of the community points: data/sportelli.csv read and checked.

One row per weekly slot: id_punto, giorno (lun..dom), inizio and fine (HH:MM; fine may be 24:00),
volontari (optional), fonte, dimostrativo (sì/no). The hours a desk is open, the totals and when it
opens next are computed from the checked slots in `cittadelnoi.metrics.ore` and
`cittadelnoi.metrics.aperture`.

Validation messages stay Italian: they are for the officials who edit the Italian files.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.tempo import GIORNI, NOMI_GIORNI
from cittadelnoi.core.vocabolario import MESSAGGIO_SI_NO, SI, SI_NO
from cittadelnoi.loaders.csvio import File, leggi_csv
from cittadelnoi.loaders.validation import valida

COLONNE = ("id_punto", "giorno", "inizio", "fine", "volontari", "fonte", "dimostrativo")
OBBLIGATORIE = ("id_punto", "giorno", "inizio", "fine", "fonte")
# Ten slots for each of MAX_PUNTI points (see punti.MAX_PUNTI): more means a wrong file.
MAX_FASCE = 50_000
# Officials may write the day in full; we accept it and store the short form.
_GIORNI_ESTESI = {n: g for n, g in zip(NOMI_GIORNI, GIORNI, strict=False)} | {
    n.replace("ì", "i"): g for n, g in zip(NOMI_GIORNI, GIORNI, strict=False)
}
_ORARIO = re.compile(r"^(\d{1,2}):(\d{2})$")


def minuti(testo: object) -> int | None:
    """'09:30' -> 570; None when the text is not H:MM/HH:MM with minutes 00-59."""
    if not isinstance(testo, str):
        return None
    m = _ORARIO.match(testo.strip())
    if not m or int(m.group(2)) > 59:
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def _inizio_valido(v: str) -> bool:
    m = minuti(v)
    return m is None or m < 24 * 60  # a malformed value is reported by the format check only


def _fine_valida(v: str) -> bool:
    m = minuti(v)
    return m is None or m <= 24 * 60


_FORMATO = pa.Check(
    lambda v: minuti(v) is not None, element_wise=True, error="orario non valido: scrivere HH:MM, per esempio 09:30"
)

SCHEMA = pa.DataFrameSchema(
    {
        "id_punto": pa.Column(str),
        "giorno": pa.Column(
            str, pa.Check.isin(GIORNI, error="giorno non valido: usare lun, mar, mer, gio, ven, sab o dom")
        ),
        "inizio": pa.Column(
            str,
            [
                _FORMATO,
                pa.Check(_inizio_valido, element_wise=True, error="ora di inizio fuori dall'intervallo 00:00-23:59"),
            ],
        ),
        "fine": pa.Column(
            str,
            [
                _FORMATO,
                pa.Check(_fine_valida, element_wise=True, error="ora di fine fuori dall'intervallo 00:00-24:00"),
            ],
        ),
        "volontari": pa.Column(
            str,
            pa.Check.str_matches(
                r"^\d{1,3}$",
                error="numero di volontari non valido: scrivere un numero intero da 0 a 999 o lasciare vuoto",
            ),
            nullable=True,
        ),
        "fonte": pa.Column(
            str, pa.Check.str_length(min_value=3, error="fonte mancante: ogni fascia oraria deve citare la sua fonte")
        ),
        "dimostrativo": pa.Column(str, pa.Check.isin(SI_NO, error=MESSAGGIO_SI_NO), nullable=True),
    },
)


def carica_sportelli(file: File, id_punti: set[str]) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check the desk slots of `file` (name, bytes) against the register's point ids;
    return (frame, warnings) or raise DatiNonValidi with every error.

    The frame has one row per slot: riga (file row), id_punto, giorno ("lun".."dom"), inizio, fine
    (text "HH:MM", fine up to "24:00"), volontari (Int64, may be <NA>), fonte, dimostrativo (bool),
    inizio_min, fine_min (int, minutes from midnight: the same times as numbers). Hours are
    computed from these in `metrics.ore`.
    """
    nome = file[0]
    frame, avvisi = leggi_csv(file, COLONNE, OBBLIGATORIE, max_righe=MAX_FASCE, cosa="fasce orarie")
    frame["giorno"] = frame["giorno"].map(
        lambda v: _GIORNI_ESTESI.get(v.lower(), v.lower()) if isinstance(v, str) else v
    )
    frame["dimostrativo"] = frame["dimostrativo"].map(lambda v: v.lower() if isinstance(v, str) else v)

    problemi: list[Problema] = []
    typed = None
    try:
        typed = valida(frame, SCHEMA, nome)
    except DatiNonValidi as exc:
        problemi.extend(exc.problemi)
    problemi.extend(_controlli_incrociati(frame, id_punti, nome))
    if problemi or typed is None:
        raise DatiNonValidi(
            sorted(problemi, key=lambda p: (p.riga or 0, COLONNE.index(p.colonna) if p.colonna in COLONNE else 99))
        )

    typed["volontari"] = pd.to_numeric(typed["volontari"]).astype("Int64")
    typed["dimostrativo"] = typed["dimostrativo"].fillna("no").isin(SI)
    typed["inizio_min"] = typed["inizio"].map(minuti).astype(int)
    typed["fine_min"] = typed["fine"].map(minuti).astype(int)
    # Normalise '9:30' to '09:30' so the table reads uniformly.
    typed["inizio"] = typed["inizio_min"].map(_hhmm)
    typed["fine"] = typed["fine_min"].map(_hhmm)
    return typed.rename_axis("riga").reset_index(), avvisi


def _hhmm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _controlli_incrociati(frame: pd.DataFrame, id_punti: set[str], nome: str) -> list[Problema]:
    """Unknown point, end not after start, overlapping slots of the same point on the same day."""
    problemi: list[Problema] = []
    valide: list[tuple[str, str, int, int, int]] = []  # id, giorno, inizio, fine, riga
    for riga, rec in zip(frame.index, frame.to_dict("records"), strict=False):
        riga = int(riga)
        id_punto = rec["id_punto"]
        if id_punto is not None and id_punto not in id_punti:
            problemi.append(
                Problema(
                    nome,
                    f"punto «{id_punto}» non presente nel registro dei punti (punti.csv)",
                    riga=riga,
                    colonna="id_punto",
                )
            )
        inizio, fine = minuti(rec["inizio"]), minuti(rec["fine"])
        if inizio is None or fine is None or inizio >= 24 * 60 or fine > 24 * 60:
            continue  # already reported by the schema
        if fine <= inizio:
            problemi.append(
                Problema(
                    nome,
                    f"l'ora di fine ({rec['fine']}) non è dopo l'ora di inizio ({rec['inizio']}); "
                    "una fascia che passa la mezzanotte va divisa in due righe (fino a 24:00 e da 00:00)",
                    riga=riga,
                    colonna="fine",
                )
            )
            continue
        if id_punto is not None and rec["giorno"] in GIORNI:
            valide.append((id_punto, rec["giorno"], inizio, fine, riga))

    valide.sort()
    precedente: tuple[str, str, int, int, int] | None = None  # the slot ending last so far in the group
    for slot in valide:
        id_punto, giorno, inizio, fine, riga = slot
        if precedente is not None and precedente[:2] == (id_punto, giorno) and inizio < precedente[3]:
            problemi.append(
                Problema(
                    nome,
                    f"la fascia {_hhmm(inizio)}-{_hhmm(fine)} si sovrappone alla fascia "
                    f"{_hhmm(precedente[2])}-{_hhmm(precedente[3])} della riga {precedente[4]} "
                    f"(stesso punto «{id_punto}», stesso giorno «{giorno}»)",
                    riga=riga,
                    colonna="inizio",
                )
            )
        if precedente is None or precedente[:2] != (id_punto, giorno) or fine > precedente[3]:
            precedente = slot
    return problemi
