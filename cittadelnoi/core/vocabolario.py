"""Words the data files use for yes and no (the `dimostrativo` columns), in one place.

Officials write «sì», «si», «no»; spreadsheets export true/false, 1/0 or a cross. Anything else is a
data problem, reported with MESSAGGIO_SI_NO.
"""

from __future__ import annotations

SI = frozenset({"sì", "si", "true", "1", "x"})
NO = frozenset({"no", "false", "0"})
SI_NO = sorted(SI | NO)  # the accepted values, for the loaders' checks
MESSAGGIO_SI_NO = "dimostrativo: scrivere «sì» o «no»"


def e_si(valore: object) -> bool:
    """True for a yes in any accepted spelling (case and surrounding spaces do not matter)."""
    return isinstance(valore, str) and valore.strip().lower() in SI
