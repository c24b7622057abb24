"""Desk slots shaped like `loaders.sportelli.carica_sportelli`'s frame, built without a file."""

from __future__ import annotations

import pandas as pd

from cittadelnoi.loaders.sportelli import minuti


def fasce(
    righe: list[tuple[str, str, str, str]],
    dimostrativo: set[str] | frozenset[str] = frozenset(),
    volontari: dict[int, int] | None = None,
) -> pd.DataFrame:
    """One slot per (id_punto, giorno, inizio, fine); `volontari`: row number -> volunteers."""
    volontari = volontari or {}
    df = pd.DataFrame(righe, columns=["id_punto", "giorno", "inizio", "fine"])
    df["inizio_min"] = df["inizio"].map(minuti)
    df["fine_min"] = df["fine"].map(minuti)
    df["volontari"] = pd.array([volontari.get(i) for i in range(len(df))], dtype="Int64")
    df["dimostrativo"] = df["id_punto"].isin(dimostrativo)
    df["fonte"] = "test"
    return df
