"""What changed between two versions of the register, as one line of text for the history and the
import preview: a point's fields (`differenze`, `descrivi_differenze`) and a point's schedule
(`descrivi_orari`). Records are the CSV form of a row (`loaders.registro.record`).
"""

from __future__ import annotations

from collections.abc import Sequence

from cittadelnoi.loaders.storico import Record


def differenze(
    prima: Record | None, dopo: Record | None, colonne: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """column -> (old, new) for every column that changed."""
    prima = prima or {}
    dopo = dopo or {}
    return {c: (prima.get(c), dopo.get(c)) for c in colonne if prima.get(c) != dopo.get(c)}


def descrivi_differenze(diff: dict[str, tuple[str | None, str | None]]) -> str:
    """'stato: in_apertura → attivo; nome: … → …' (empty values shown as «—»)."""
    return "; ".join(f"{c}: {a or '—'} → {b or '—'}" for c, (a, b) in diff.items())


# What orario_testo shows of a slot; the other fields of a slot (volontari, fonte, dimostrativo…)
# are described by descrivi_orari only where they change.
_CAMPI_ORA = ("giorno", "inizio", "fine")
# The fields of a slot more are compared with these (one that is not a demo shows no
# «dimostrativo: — → no») and shown as set from «—».
_FASCIA_ASSENTE: Record = {"dimostrativo": "no"}
_TESTO_LIBERO = frozenset({"fonte"})  # free text, shown between «» so its commas are not separators


def _fascia_testo(f: Record) -> str:
    return f"{f.get('giorno')} {f.get('inizio')}-{f.get('fine')}"


def orario_testo(fasce: Sequence[Record]) -> str:
    """'mer 15:30-17:30; ven 09:30-11:30' (day and hours of each slot, in order) or 'nessuna fascia'."""
    return "; ".join(_fascia_testo(f) for f in fasce) or "nessuna fascia"


def _valore_fascia(campo: str, valore: str | None) -> str:
    if valore is None:
        return "—"
    return f"«{valore}»" if campo in _TESTO_LIBERO else valore


def _chiavi(fasce: Sequence[Record]) -> list[tuple[str | None, ...]]:
    """Each slot's day and hours, numbered when repeated (the loaders refuse overlaps)."""
    visti: dict[tuple[str | None, ...], int] = {}
    out = []
    for f in fasce:
        k = tuple(f.get(c) for c in _CAMPI_ORA)
        visti[k] = visti.get(k, 0) + 1
        out.append((*k, str(visti[k])))
    return out


def _coppie(prima: Sequence[Record], dopo: Sequence[Record]) -> list[tuple[Record | None, Record]]:
    """Each slot of `dopo` with the slot of `prima` it continues: the one with the same day and
    hours, else one left over on the same day, else any left over (in order), else None (a slot
    more)."""
    ka, kb = _chiavi(prima), _chiavi(dopo)
    comuni = set(ka) & set(kb)
    per_chiave = dict(zip(ka, prima, strict=True))
    avanzi = [f for k, f in zip(ka, prima, strict=True) if k not in comuni]
    scelte: list[Record | None] = [per_chiave.get(k) for k in kb]
    for stesso_giorno in (True, False):
        for j, b in enumerate(dopo):
            if scelte[j] is not None:
                continue
            a = next((f for f in avanzi if not stesso_giorno or f.get("giorno") == b.get("giorno")), None)
            if a is not None:
                avanzi.remove(a)
                scelte[j] = a
    return list(zip(scelte, dopo, strict=True))


def descrivi_orari(prima: Sequence[Record], dopo: Sequence[Record]) -> str:
    """What changes from one schedule of a point to another, as one line of text.

    `prima`, `dopo`: slot records (column -> text or None, the columns of COLONNE_ORARIO), in
    order. The line starts with days and hours, 'mer 15:30-17:30 → mer 15:30-18:00', or, when
    those are the same, 'giorni e orari invariati (mer 15:30-17:30)'. Then, after « · », every
    other field (volontari, fonte, dimostrativo…) that changes, grouped by equal change:
    'volontari della fascia mer 15:30-17:30: — → 3 · fonte delle fasce mer 15:30-17:30,
    ven 09:30-11:30: «A» → «B»' (slots named as after the change, empty values as «—»). A slot
    whose day or hours change is compared with the slot it replaces (`_coppie`); a slot more
    shows what it has ('— → 3'; not demo: nothing). Two different schedules never give the same
    text on both sides of «→»; two equal schedules give ''.
    """
    if list(prima) == list(dopo):
        return ""
    testo_a, testo_b = orario_testo(prima), orario_testo(dopo)
    parti = [f"{testo_a} → {testo_b}" if testo_a != testo_b else f"giorni e orari invariati ({testo_a})"]
    coppie = _coppie(prima, dopo)
    altri = [c for c in dict.fromkeys(k for f in (*prima, *dopo) for k in f) if c not in _CAMPI_ORA]
    # (campo, prima, dopo) -> the slots (as 'mer 15:30-17:30') with that change, in order of `dopo`
    gruppi: dict[tuple[str, str | None, str | None], list[str]] = {}
    for campo in altri:
        for a, b in coppie:
            if (a if a is not None else _FASCIA_ASSENTE).get(campo) != b.get(campo):
                va = None if a is None else a.get(campo)  # a slot more had nothing
                gruppi.setdefault((campo, va, b.get(campo)), []).append(_fascia_testo(b))
    for (campo, va, vb), fasce in gruppi.items():
        dove = f"della fascia {fasce[0]}" if len(fasce) == 1 else f"delle fasce {', '.join(fasce)}"
        parti.append(f"{campo} {dove}: {_valore_fascia(campo, va)} → {_valore_fascia(campo, vb)}")
    return " · ".join(parti)
