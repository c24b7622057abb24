"""Desk hours (sportelli) of the community points: loading, checks and pure metrics.

data/sportelli.csv has one row per weekly slot: id_punto, giorno (lun..dom), inizio and fine
(HH:MM; fine may be 24:00), volontari (optional), fonte, dimostrativo (sì/no).

A point with no rows has *no documented schedule*: it is reported as "non documentato", never as
0 hours and never as below the minimum. Hours are counted per slot, so a point open 15:30-17:30
has 2 hours whatever the number of volunteers.

Validation messages stay Italian (they are for the officials who edit the Italian files); the text
the page shows goes through `_()` and weekday names come from Babel in the run's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cittadelnoi.core import fmt, i18n, tempo
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.core.tempo import GIORNI, NOMI_GIORNI, giorni
from cittadelnoi.core.vocabolario import MESSAGGIO_SI_NO, SI, SI_NO
from cittadelnoi.loaders.csvio import leggi_csv
from cittadelnoi.loaders.validation import valida

ZONE_ORDINE = ("Centro", "Nord", "Sud", "Est", "Ovest")

COLONNE = ("id_punto", "giorno", "inizio", "fine", "volontari", "fonte", "dimostrativo")
OBBLIGATORIE = ("id_punto", "giorno", "inizio", "fine", "fonte")
# Ten slots for each of MAX_PUNTI points (see punti.MAX_PUNTI): more means a wrong file.
MAX_FASCE = 50_000
# Officials may write the day in full; we accept it and store the short form.
_GIORNI_ESTESI = {n: g for n, g in zip(NOMI_GIORNI, GIORNI, strict=False)} | {
    n.replace("ì", "i"): g for n, g in zip(NOMI_GIORNI, GIORNI, strict=False)
}
_ORARIO = re.compile(r"^(\d{1,2}):(\d{2})$")

# Values of the `orario` column of ore_settimanali; translate with `_()` where shown.
ORARIO_DOCUMENTATO = N_("documentato")
ORARIO_DIMOSTRATIVO = N_("dimostrativo")
ORARIO_NON_DOCUMENTATO = N_("non documentato")
# Points made up for the demo carry this suffix in their name (punti.csv).
SUFFISSO_DIMOSTRATIVO = " (dimostrativo)"


def nome_punto(nome: str) -> str:
    """A point's name as written in punti.csv, with only the demo marker translated."""
    if nome.endswith(SUFFISSO_DIMOSTRATIVO):
        return nome.removesuffix(SUFFISSO_DIMOSTRATIVO) + " ({})".format(_("dimostrativo"))
    return nome


# --- loading -----------------------------------------------------------------------------------


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


def carica_sportelli(path: Path, id_punti: set[str]) -> tuple[pd.DataFrame, list[Problema]]:
    """Read and check the desk slots; return (frame, warnings) or raise DatiNonValidi with every error.

    The frame has one row per slot: riga (file row), id_punto, giorno, inizio, fine, volontari
    (Int64, may be <NA>), fonte, dimostrativo (bool), inizio_min, fine_min (minutes from midnight)
    and ore (slot length in hours).
    """
    nome = path.name
    frame, avvisi = leggi_csv(path, COLONNE, OBBLIGATORIE, max_righe=MAX_FASCE, cosa="fasce orarie")
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
    typed["ore"] = (typed["fine_min"] - typed["inizio_min"]) / 60
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


# --- metrics ----------------------------------------------------------------------------------


def filtra(punti: pd.DataFrame, sportelli: pd.DataFrame, codici: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points in the quartieri `codici` and their slots."""
    punti_f = punti[punti["codice_istat"].isin(codici)]
    return punti_f, sportelli[sportelli["id_punto"].isin(set(punti_f["id"]))]


def ore_settimanali(sportelli: pd.DataFrame, punti: pd.DataFrame, minimo: float) -> pd.DataFrame:
    """One row per active point (and any other point that has slots).

    Columns: id, nome, codice_istat, stato, fasce, ore (NaN when not documented), orario
    ('documentato' / 'dimostrativo' / 'non documentato'), sotto_minimo (boolean, <NA> when not
    documented), ore_volontario (sum of hours x volunteers; <NA> unless every slot has volunteers).
    """
    per_fascia = sportelli.assign(ore_vol=sportelli["ore"] * sportelli["volontari"].astype("Float64"))
    gruppi = per_fascia.groupby("id_punto")
    agg = pd.DataFrame(
        {
            "fasce": gruppi.size(),
            "ore": gruppi["ore"].sum(),
            "dimostrativo_orario": gruppi["dimostrativo"].any(),
            "ore_volontario": gruppi["ore_vol"].sum(min_count=1).astype("Float64"),
            "volontari_mancanti": per_fascia["volontari"].isna().groupby(per_fascia["id_punto"]).any(),
        }
    )
    agg.loc[agg["volontari_mancanti"], "ore_volontario"] = pd.NA

    scelti = punti[(punti["stato"] == "attivo") | punti["id"].isin(agg.index)]
    out = scelti[["id", "nome", "codice_istat", "stato"]].merge(agg, left_on="id", right_index=True, how="left")
    documentato = out["fasce"].notna()
    out["fasce"] = out["fasce"].fillna(0).astype(int)
    out["ore"] = out["ore"].astype(float)
    out["orario"] = ORARIO_NON_DOCUMENTATO
    out.loc[documentato, "orario"] = ORARIO_DOCUMENTATO
    out.loc[documentato & out["dimostrativo_orario"].fillna(False).astype(bool), "orario"] = ORARIO_DIMOSTRATIVO
    out["sotto_minimo"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out.loc[documentato, "sotto_minimo"] = out.loc[documentato, "ore"] < minimo
    out["ore_volontario"] = out["ore_volontario"].astype("Float64")
    return out.drop(columns=["dimostrativo_orario", "volontari_mancanti"]).sort_values("nome").reset_index(drop=True)


def matrice_oraria(sportelli: pd.DataFrame) -> pd.DataFrame:
    """7 x 24 frame (index lun..dom, columns 0..23): for each hour, the sum over slots of the
    fraction of that hour they cover. 2.5 means e.g. two points open all hour and one for half."""
    valori = np.zeros((len(GIORNI), 24))
    if not sportelli.empty:
        giorno = sportelli["giorno"].map(GIORNI.index).to_numpy(dtype=int)
        inizio = sportelli["inizio_min"].to_numpy(dtype=float)
        fine = sportelli["fine_min"].to_numpy(dtype=float)
        for ora in range(24):
            coperto = np.minimum(fine, (ora + 1) * 60) - np.maximum(inizio, ora * 60)
            # Slot by slot, in file order (np.add.at does not buffer): the same sums as a loop.
            np.add.at(valori[:, ora], giorno[coperto > 0], coperto[coperto > 0] / 60)
    return pd.DataFrame(valori, index=pd.Index(GIORNI, name="giorno"), columns=pd.RangeIndex(24, name="ora"))


def totali_per_zona(
    sportelli: pd.DataFrame,
    punti: pd.DataFrame,
    quartieri: pd.DataFrame,
    minimo: float,
    ore: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per zona of `quartieri` (a zona without points gets zeros).

    Columns: zona, ore (documented + demo), ore_documentate, ore_dimostrative, punti_con_orario,
    punti_non_documentati, punti_sotto_minimo. Points join quartieri on codice_istat. `ore`: the
    same points' ore_settimanali(sportelli, punti, minimo) when the caller has it already.
    """
    if ore is None:
        ore = ore_settimanali(sportelli, punti, minimo)
    per_punto = ore.merge(quartieri[["codice_istat", "zona"]], on="codice_istat", how="inner")
    ore_note = per_punto["ore"].fillna(0.0)
    per_punto = per_punto.assign(
        ore=ore_note,
        ore_documentate=ore_note.where(per_punto["orario"] == ORARIO_DOCUMENTATO, 0.0),
        ore_dimostrative=ore_note.where(per_punto["orario"] == ORARIO_DIMOSTRATIVO, 0.0),
        punti_con_orario=(per_punto["orario"] != ORARIO_NON_DOCUMENTATO).astype(int),
        punti_non_documentati=(per_punto["orario"] == ORARIO_NON_DOCUMENTATO).astype(int),
        punti_sotto_minimo=per_punto["sotto_minimo"].fillna(False).astype(int),
    )
    colonne = [
        "ore",
        "ore_documentate",
        "ore_dimostrative",
        "punti_con_orario",
        "punti_non_documentati",
        "punti_sotto_minimo",
    ]
    presenti = list(dict.fromkeys(quartieri["zona"]))
    zone = [z for z in ZONE_ORDINE if z in presenti] + [z for z in presenti if z not in ZONE_ORDINE]
    tot = per_punto.groupby("zona")[colonne].sum().reindex(zone, fill_value=0)
    for col in colonne[3:]:
        tot[col] = tot[col].astype(int)
    return tot.rename_axis("zona").reset_index()


def aperto_ora(sportelli: pd.DataFrame, now: dt.datetime) -> list[str]:
    """Sorted ids of the points whose desk is open at `now` (Europe/Rome; a naive time is taken as
    Rome local time). A slot 15:30-17:30 is open from 15:30 included to 17:30 excluded."""
    locale = tempo.locale(now)
    giorno = GIORNI[locale.weekday()]
    m = locale.hour * 60 + locale.minute + locale.second / 60
    aperti = sportelli[(sportelli["giorno"] == giorno) & (sportelli["inizio_min"] <= m) & (m < sportelli["fine_min"])]
    return sorted(set(aperti["id_punto"]))


def fasce_testo(sportelli: pd.DataFrame) -> dict[str, str]:
    """id_punto -> 'mer 15:30-17:30; ven 09:30-11:30' (en 'Wed 15:30-17:30; …'), in weekday and time order."""
    ordinato = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    nomi = giorni()
    testi: dict[str, list[str]] = {}
    for id_punto, g, inizio, fine in zip(
        ordinato["id_punto"].tolist(),
        ordinato["_g"].tolist(),
        ordinato["inizio"].tolist(),
        ordinato["fine"].tolist(),
        strict=False,
    ):
        testi.setdefault(id_punto, []).append(f"{nomi[g]} {inizio}-{fine}")
    return {k: "; ".join(v) for k, v in testi.items()}


def fonti_per_punto(sportelli: pd.DataFrame) -> dict[str, str]:
    """id_punto -> the distinct sources of its slots, in file order, joined by '; '."""
    fonti: dict[str, dict[str, None]] = {}
    for pid, fonte in zip(sportelli["id_punto"].tolist(), sportelli["fonte"].tolist(), strict=True):
        fonti.setdefault(pid, {})[fonte] = None
    return {pid: "; ".join(f) for pid, f in fonti.items()}


@dataclass(frozen=True)
class PerPunto:
    """What the hours page reads of each point's slots, for a whole city at once (built once per
    data version and language: `cittadelnoi.ui.sportelli_per_punto`); a selection looks its
    points up. Keys are point ids."""

    fasce: dict[str, str]  # fasce_testo: 'mer 15:30-17:30; ven 09:30-11:30', in the run's language
    fonti: dict[str, str]  # fonti_per_punto
    minuti: dict[str, list[list[int]]]  # fasce_minuti: [[weekday, start minute, end minute], ...]


def per_punto(sportelli: pd.DataFrame) -> PerPunto:
    return PerPunto(fasce_testo(sportelli), fonti_per_punto(sportelli), fasce_minuti(sportelli))


def tabella_punti(
    ore: pd.DataFrame,
    sportelli: pd.DataFrame,
    quartieri: pd.DataFrame,
    aperti: list[str],
    minimo: float,
    prossime: dict[str, str] | None = None,
    gia_pronti: PerPunto | None = None,
    conferme: dict[str, str] | None = None,
    aggiornati: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The page's table: one row per point of `ore` (sportelli.ore_settimanali), headers and numbers
    in the run's language; unknown values say so in words. Names, zone and sources stay as written.
    `gia_pronti`: per_punto() of these slots or of a wider set (the whole city), when the caller has it.
    `conferme`: point id -> its last confirmation as shown (metrics.registro.testo_conferma), a
    column «Ultima conferma» before the source; `aggiornati`: point id -> «aggiornato dal referente
    il …», added to the source of that point's row."""
    fasce = gia_pronti.fasce if gia_pronti is not None else fasce_testo(sportelli)
    fonti = gia_pronti.fonti if gia_pronti is not None else fonti_per_punto(sportelli)
    # Plain dicts and sets, looked up once per row (a column of a GeoDataFrame per row cost seconds
    # at 5,000 points, and a list of the open points a scan per row).
    q = quartieri.set_index("codice_istat")
    nomi_q, zone_q = q["nome"].to_dict(), q["zona"].to_dict()
    aperti_ora = set(aperti)
    prossime = prossime or {}
    parole_orario = {
        ORARIO_DOCUMENTATO: _("documentati"),
        ORARIO_DIMOSTRATIVO: _("dimostrativi"),
        ORARIO_NON_DOCUMENTATO: _("non documentati"),
    }
    # Words and the locale once, not once per row (a table of the whole synthetic city has 4,500 rows).
    loc = i18n.locale()
    sotto_il_minimo = _("sotto il minimo ({ore} h)").format(ore=fmt.ore(minimo, loc))
    non_valutabile, raggiunto, si, no = _("non valutabile"), _("raggiunto"), _("sì"), _("no")
    ore_ignote, ore_vol_ignote = _("orari non documentati"), _("non documentate")
    ordinate = ore.sort_values(["ore", "nome"], ascending=[False, True], na_position="last")
    righe = []
    # Lists, not Series: iterating a column of Arrow strings costs about 2 µs per value.
    for pid, nome, codice, orario, ore_punto, sotto, ore_vol in zip(
        ordinate["id"].tolist(),
        ordinate["nome"].tolist(),
        ordinate["codice_istat"].tolist(),
        ordinate["orario"].tolist(),
        ordinate["ore"].tolist(),
        ordinate["sotto_minimo"].tolist(),
        ordinate["ore_volontario"].tolist(),
        strict=True,
    ):
        documentato = orario != ORARIO_NON_DOCUMENTATO
        if not documentato:
            verifica = non_valutabile
        elif sotto:
            verifica = sotto_il_minimo
        else:
            verifica = raggiunto
        righe.append(
            [
                nome_punto(nome),
                parole_orario[orario],
                nomi_q.get(codice, codice),
                zone_q.get(codice, ""),
                fmt.ore(ore_punto, loc) if documentato else ore_ignote,
                verifica,
                (si if pid in aperti_ora else no) if documentato else "—",
                prossime.get(pid, "—"),
                fasce.get(pid, "—"),
                fmt.ore(ore_vol, loc) if pd.notna(ore_vol) else ore_vol_ignote,
                *([conferme.get(pid, "—")] if conferme is not None else []),
                "; ".join(f for f in (fonti.get(pid), (aggiornati or {}).get(pid)) if f) or "—",
            ]
        )
    # "Dati" right after the name: whether a row is demo must be visible without scrolling sideways.
    return pd.DataFrame(
        righe,
        columns=[
            _("Punto"),
            _("Dati"),
            _("Quartiere"),
            _("Zona"),
            _("Ore a settimana"),
            _("Minimo settimanale"),
            _("Aperto adesso"),
            _("Prossima apertura"),
            _("Fasce orarie"),
            _("Ore-volontario a settimana"),
            *([_("Ultima conferma")] if conferme is not None else []),
            _("Fonte dell'orario"),
        ],
    )


def fonti_documentate(sportelli: pd.DataFrame) -> list[str]:
    """Distinct sources of the non-demo slots, in file order."""
    return list(dict.fromkeys(sportelli.loc[~sportelli["dimostrativo"], "fonte"]))


def fasce_minuti(sportelli: pd.DataFrame) -> dict[str, list[list[int]]]:
    """id_punto -> [[weekday (0 = Monday), start minute, end minute], ...]: the slots as the map's
    popups need them to say, in the browser, whether a desk is open now and when it opens next."""
    if sportelli.empty:
        return {}
    righe = sportelli.assign(_g=sportelli["giorno"].map(GIORNI.index)).sort_values(["id_punto", "_g", "inizio_min"])
    fasce: dict[str, list[list[int]]] = {}
    for pid, g, inizio, fine in zip(
        righe["id_punto"].tolist(),
        righe["_g"].tolist(),
        righe["inizio_min"].tolist(),
        righe["fine_min"].tolist(),
        strict=False,
    ):
        fasce.setdefault(str(pid), []).append([int(g), int(inizio), int(fine)])
    return fasce


def prossima_apertura(
    sportelli: pd.DataFrame, now: dt.datetime, minuti: dict[str, list[list[int]]] | None = None
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """id_punto -> (start, end) of the slot open at `now` or, if closed, of the next one (Europe/Rome,
    aware datetimes; a naive `now` is taken as Rome local time). Points without slots are absent.
    A slot is open from its start included to its end excluded, as in aperto_ora. `minuti`:
    fasce_minuti() of these slots or of a wider set (only the points of `sportelli` are answered)."""
    locale = tempo.locale(now)
    oggi = locale.date()
    adesso = locale.weekday() * 1440 + locale.hour * 60 + locale.minute + locale.second / 60
    if minuti is None:
        tutte = fasce_minuti(sportelli)
    else:
        tutte = {pid: minuti[pid] for pid in dict.fromkeys(sportelli["id_punto"].tolist()) if pid in minuti}

    def date(g: int, inizio: int, fine: int) -> tuple[dt.datetime, dt.datetime]:
        a, b = g * 1440 + inizio, g * 1440 + fine
        giorno = oggi + dt.timedelta(days=(g - locale.weekday()) % 7)
        if a <= adesso < b:
            giorno = oggi
        elif giorno == oggi and a < adesso:
            giorno += dt.timedelta(days=7)
        base = dt.datetime.combine(giorno, dt.time(0), tzinfo=tempo.FUSO)
        return base + dt.timedelta(minutes=inizio), base + dt.timedelta(minutes=fine)

    risultato: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    gia_date: dict[tuple[int, int, int], tuple[dt.datetime, dt.datetime]] = {}  # many points share a slot
    for pid, fasce in tutte.items():
        migliore: tuple[int, int, int] | None = None
        minimo = 0.0
        for g, inizio, fine in fasce:
            a, b = g * 1440 + inizio, g * 1440 + fine
            tra = 0.0 if a <= adesso < b else (a - adesso) % 10080
            if migliore is None or tra < minimo:
                migliore, minimo = (g, inizio, fine), tra
        if migliore is not None:
            if migliore not in gia_date:
                gia_date[migliore] = date(*migliore)
            risultato[pid] = gia_date[migliore]
    return risultato


def prossima_apertura_testo(inizio: dt.datetime, fine: dt.datetime, now: dt.datetime) -> str:
    """'aperto, fino alle 17:30' or 'mercoledì 9/12 15:30-17:30' (English 'Wednesday 9 Dec 15:30-17:30')
    / 'oggi 15:30-17:30' / 'domani 09:30-11:30'."""
    locale = tempo.locale(now)
    ora_fine = "24:00" if fine.date() > inizio.date() and fine.time() == dt.time(0) else f"{fine:%H:%M}"
    if inizio <= locale < fine:
        return _("aperto, fino alle {ora}").format(ora=ora_fine)
    giorni_tra = (inizio.date() - locale.date()).days
    if giorni_tra == 0:
        quando = _("oggi")
    elif giorni_tra == 1:
        quando = _("domani")
    else:
        quando = fmt.giorno_breve(inizio.date())
    return f"{quando} {inizio:%H:%M}-{ora_fine}"


def prossime_aperture_testo(
    sportelli: pd.DataFrame, now: dt.datetime, minuti: dict[str, list[list[int]]] | None = None
) -> dict[str, str]:
    """id_punto -> prossima_apertura_testo of its prossima_apertura: the hours page's column.
    Each distinct slot is worded once (thousands of points share a few hundred slots)."""
    testi: dict[tuple[dt.datetime, dt.datetime], str] = {}
    out = {}
    for pid, fascia in prossima_apertura(sportelli, now, minuti).items():
        if fascia not in testi:
            testi[fascia] = prossima_apertura_testo(*fascia, now)
        out[pid] = testi[fascia]
    return out
