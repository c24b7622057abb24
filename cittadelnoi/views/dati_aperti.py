"""The open-data files: the register as CSV, GeoJSON and iCalendar, and their DCAT-AP_IT catalogue.

Pure functions of a validated `Snapshot` (the same one the pages show), so the files are always the
current data and change exactly when the data version does (the points' files also on the day a
confirmation grows old). Every row keeps its `fonte`. The CSV files have the columns of
data/punti.csv and data/sportelli.csv (a downloaded file imports back), written by
`esporta.csv_bytes` like the app's own downloads, so text a spreadsheet would run as a formula is
neutralised in the same way. The points' files add two derived columns at the end (DERIVATE):
`da_riconfermare` (sì/no, metrics.registro.va_riconfermato) and `aggiornato_referente` (the day
of the latest change by the point's referente, from the database's history); an import ignores
them with a warning, so no file can set them. The GeoJSON files carry the licence as a top-level member;
the CSV files cannot without changing their columns, so the licence reaches them through the HTTP
`Link: <…>; rel="license"` header and the catalogue.

The calendar (RFC 5545) has one weekly recurring event per desk slot, in Europe/Rome with its
VTIMEZONE, built with the `icalendar` library (never string templates: it escapes and folds text).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from cittadelnoi.core import pubblicazione, tempo
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.tempo import FUSO, GIORNI
from cittadelnoi.loaders import punti as punti_loader
from cittadelnoi.loaders import registro
from cittadelnoi.loaders import rendiconti as rendiconti_loader
from cittadelnoi.loaders import sportelli as sportelli_loader
from cittadelnoi.metrics.registro import (
    MESI_RICONFERMA,
    aggiornati_referente,
    colonna_da_riconfermare,
    fonte_punto,
)
from cittadelnoi.views import esporta

GIORNI_ICAL = dict(zip(GIORNI, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
# First week of the recurrences of a desk whose opening date is unknown (a fixed date, so the file
# changes only when the data do).
INIZIO_PREDEFINITO = dt.date(2025, 1, 6)
DOMINIO_UID = "cittadelnoi.comune.brescia.it"

# path -> (media type, file name): the routes and the catalogue read the same table.
FILE = {
    "punti.csv": "text/csv; charset=utf-8",
    "punti.geojson": "application/geo+json",
    "quartieri.geojson": "application/geo+json",
    "sportelli.csv": "text/csv; charset=utf-8",
    "orari.ics": "text/calendar; charset=utf-8",
    "rendiconti.csv": "text/csv; charset=utf-8",
    "catalogo.jsonld": "application/ld+json",
}


def _testi(frame: pd.DataFrame, colonne: Iterable[str]) -> pd.DataFrame:
    """The frame's rows in their CSV form (sì/no, ISO dates, '' for unknown), only `colonne`."""
    colonne = list(colonne)
    righe = registro.record_da_frame(frame, colonne)
    return pd.DataFrame([{c: r[c] if r[c] is not None else "" for c in colonne} for r in righe], columns=colonne)


# Columns of the points' files after those of data/punti.csv: derived, never read back.
DERIVATE = ("da_riconfermare", "aggiornato_referente")


def _testi_punti(punti: pd.DataFrame, oggi: dt.date | None) -> pd.DataFrame:
    """The register's columns as text, then DERIVATE: «sì»/«no», the ISO day or ''."""
    testi = _testi(punti, punti_loader.COLONNE)
    vecchie = colonna_da_riconfermare(punti, oggi or tempo.oggi()).tolist()
    testi["da_riconfermare"] = ["sì" if v else "no" for v in vecchie]
    testi["aggiornato_referente"] = [g.isoformat() if g else "" for g in aggiornati_referente(punti)]
    return testi


def punti_csv(punti: pd.DataFrame, oggi: dt.date | None = None) -> bytes:
    """data/punti.csv's columns, then DERIVATE (`oggi`: the day old confirmations are judged on, today by default)."""
    return esporta.csv_bytes(_testi_punti(punti, oggi))


def sportelli_csv(sportelli: pd.DataFrame) -> bytes:
    return esporta.csv_bytes(_testi(sportelli, sportelli_loader.COLONNE))


# The sent monthly reports, without the free-text note (counts only: a note could name someone).
COLONNE_RENDICONTI = tuple(c for c in rendiconti_loader.COLONNE if c != "note")


def rendiconti_csv(rendiconti: pd.DataFrame) -> bytes:
    """The sent reports (stato «inviato»), one row per point and month: COLONNE_RENDICONTI, figures
    as in data/rendiconti.csv ('' for a figure not reported). Drafts and notes are not published."""
    inviati = rendiconti[rendiconti["stato"] == "inviato"].sort_values(["id_punto", "mese"])
    righe = [rendiconti_loader.record(r) for r in inviati.to_dict("records")]
    frame = pd.DataFrame(
        [{c: r[c] if r[c] is not None else "" for c in COLONNE_RENDICONTI} for r in righe],
        columns=list(COLONNE_RENDICONTI),
    )
    return esporta.csv_bytes(frame)


def punti_geojson(punti: pd.DataFrame, oggi: dt.date | None = None) -> bytes:
    """One Point per register row, every register column and DERIVATE as a property (lat/lon also
    as geometry; '' as null)."""
    testi = _testi_punti(punti, oggi)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {k: (v if v != "" else None) for k, v in rec.items()},
        }
        for rec, lat, lon in zip(testi.to_dict("records"), punti["lat"], punti["lon"], strict=True)
    ]
    return _collezione(features)


def quartieri_geojson(stati: gpd.GeoDataFrame) -> bytes:
    """The quartieri with their data (code, number, name, zona, area, source) and, derived from the
    register, their current status and points."""
    colonne = ["codice_istat", "numero", "nome", "zona", "area_km2", "stato", "n_attivi", "n_in_apertura", "fonte"]
    sel = stati[colonne + ["geometry"]].copy()
    sel["numero"] = sel["numero"].astype(int)
    features = json.loads(gpd.GeoDataFrame(sel, geometry="geometry", crs=stati.crs).to_json(drop_id=True))["features"]
    return _collezione(features)


def _collezione(features: list[dict]) -> bytes:
    return json.dumps(esporta.raccolta_geojson(features), ensure_ascii=False).encode("utf-8")


# --- iCalendar ---------------------------------------------------------------------------------


def _primo_giorno(giorno: str, da: dt.date) -> dt.date:
    """The first `giorno` ('lun'…'dom') on or after `da`."""
    indice = list(GIORNI_ICAL).index(giorno)
    return da + dt.timedelta(days=(indice - da.weekday()) % 7)


def calendario_ics(
    punti: pd.DataFrame, sportelli: pd.DataFrame, generato: dt.datetime, titolo: str = "Brescia Città del Noi"
) -> bytes:
    """A VCALENDAR with one weekly VEVENT per desk slot of `sportelli` (points looked up in `punti`)."""
    cal = Calendar()
    cal.add("prodid", "-//Comune di Brescia//Brescia Citta del Noi//IT")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{titolo}: sportelli dei punti di comunità")
    cal.add("x-wr-timezone", "Europe/Rome")
    cal.add_component(vtimezone_roma())
    lic = impostazioni().licenza
    per_id = punti.set_index("id")
    stamp = generato.astimezone(dt.UTC)
    for rec in sportelli.sort_values(["id_punto", "giorno", "inizio"]).to_dict("records"):
        punto = per_id.loc[rec["id_punto"]]
        # apertura is written at day or month precision; apertura_data is the day it was surely open.
        apertura = punto.get("apertura_data")
        apertura = None if apertura is None or pd.isna(apertura) else apertura
        giorno = _primo_giorno(rec["giorno"], max(apertura or INIZIO_PREDEFINITO, INIZIO_PREDEFINITO))
        inizio = dt.datetime.combine(giorno, dt.time.fromisoformat(rec["inizio"]), FUSO)
        fine_ora = rec["fine"]
        fine = (
            dt.datetime.combine(giorno + dt.timedelta(days=1), dt.time(0), FUSO)
            if fine_ora == "24:00"
            else dt.datetime.combine(giorno, dt.time.fromisoformat(fine_ora), FUSO)
        )
        ev = Event()
        ev.add("uid", f"{rec['id_punto']}-{rec['giorno']}-{rec['inizio'].replace(':', '')}@{DOMINIO_UID}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", inizio)
        ev.add("dtend", fine)
        ev.add("rrule", vRecur({"freq": "weekly", "byday": GIORNI_ICAL[rec["giorno"]]}))
        marchio = esporta.filigrana()  # sample data: every event says so in its title
        ev.add("summary", (f"[{marchio}] " if marchio else "") + f"Sportello: {punto['nome']}")
        if punto["indirizzo"] and not pd.isna(punto["indirizzo"]):
            ev.add("location", str(punto["indirizzo"]))
        ev.add("geo", (float(punto["lat"]), float(punto["lon"])))
        descrizione = [
            f"Punto di comunità «{punto['nome']}» ({'attivo' if punto['stato'] == 'attivo' else 'in apertura'}).",
            f"Fonte dell'orario: {rec['fonte']}",
            f"Fonte del punto: {fonte_punto(punto['fonte'], punto.get('aggiornato_referente'))}",
        ]
        if rec["dimostrativo"] or punto["dimostrativo"]:
            descrizione.insert(0, "DATI DIMOSTRATIVI: orario e luogo non documentati.")
        descrizione.append(f"Licenza: {lic.nome} ({lic.url}) · {pubblicazione.TITOLARE}")
        ev.add("description", "\n".join(descrizione))
        ev.add("categories", ["Punto di comunità"])
        ev.add("x-cittadelnoi-punto", str(rec["id_punto"]))
        ev.add("x-cittadelnoi-quartiere", str(punto["codice_istat"]))
        cal.add_component(ev)
    return cal.to_ical()


def vtimezone_roma() -> Timezone:
    """Europe/Rome as a VTIMEZONE with the EU's yearly rules (summer time from the last Sunday of
    March to the last Sunday of October), valid for every week a desk recurs, with no end date."""
    tz = Timezone()
    tz.add("tzid", "Europe/Rome")
    tz.add("x-lic-location", "Europe/Rome")
    estate = TimezoneDaylight()
    estate.add("tzname", "CEST")
    estate.add("tzoffsetfrom", dt.timedelta(hours=1))
    estate.add("tzoffsetto", dt.timedelta(hours=2))
    estate.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    estate.add("rrule", vRecur({"freq": "yearly", "bymonth": 3, "byday": "-1SU"}))
    inverno = TimezoneStandard()
    inverno.add("tzname", "CET")
    inverno.add("tzoffsetfrom", dt.timedelta(hours=2))
    inverno.add("tzoffsetto", dt.timedelta(hours=1))
    inverno.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    inverno.add("rrule", vRecur({"freq": "yearly", "bymonth": 10, "byday": "-1SU"}))
    tz.add_component(estate)
    tz.add_component(inverno)
    return tz


# --- DCAT-AP_IT catalogue ----------------------------------------------------------------------

_CONTESTO = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_EU = "http://publications.europa.eu/resource/authority"
_FORMATI = {"text/csv": "CSV", "application/geo+json": "GEOJSON", "text/calendar": "ICAL"}

# id, title, description, distributions (path, title)
DATASET = (
    (
        "punti",
        "Punti di comunità di Brescia Città del Noi",
        "Il registro dei punti di comunità: nome, quartiere (codice ISTAT), stato (attivo o in apertura), "
        "indirizzo, posizione, ente gestore, partner, data di apertura e fonte di ogni riga. I punti segnati "
        "«dimostrativo» sono segnaposto. Colonna «conferma»: l'ultima data in cui una fonte, o il referente del "
        "punto, lo mostra attivo (AAAA-MM-GG o AAAA-MM). Colonna «da_riconfermare»: «sì» quando quella data è più "
        f"vecchia di {MESI_RICONFERMA} mesi, o manca, il giorno in cui il file è scaricato. Colonna "
        "«aggiornato_referente»: il giorno (AAAA-MM-GG, ora di Roma) dell'ultima modifica fatta dal referente del "
        "punto, vuota se non ce n'è; viene dallo storico del registro, non da un file importato.",
        (("punti.csv", "Registro dei punti (CSV)"), ("punti.geojson", "Registro dei punti (GeoJSON)")),
    ),
    (
        "sportelli",
        "Orari degli sportelli dei punti di comunità",
        "Le fasce settimanali di apertura dello sportello di ogni punto (giorno, ora di inizio e fine, "
        "volontari, fonte); anche come calendario iCalendar con un evento settimanale per fascia "
        "(filtrabile con ?quartiere=<codice ISTAT> e ?punto=<id>).",
        (("sportelli.csv", "Fasce orarie (CSV)"), ("orari.ics", "Calendario degli sportelli (iCalendar)")),
    ),
    (
        "rendiconti",
        "Rendiconti mensili dei punti di comunità",
        "Per punto e mese (AAAA-MM), quanto i punti hanno rendicontato: ore di sportello effettuate, volontari "
        "attivi, ore di volontariato (ore-persona), accessi allo sportello (persone accolte), fonte. Solo "
        "conteggi, mai nomi; solo i rendiconti inviati (non le bozze), senza le note. Una cifra vuota non è "
        "stata rendicontata: non è zero. Un punto o un mese senza riga non ha inviato il rendiconto.",
        (("rendiconti.csv", "Rendiconti mensili (CSV)"),),
    ),
    (
        "quartieri",
        "Quartieri di Brescia e stato della copertura",
        "I 33 quartieri (codice ISTAT, numero, nome, zona, area in km², confine semplificato) con lo stato "
        "ricavato dal registro: punto attivo, in apertura o mancante.",
        (("quartieri.geojson", "Quartieri (GeoJSON)"),),
    ),
)


def catalogo(base: str, modificato: dt.datetime) -> dict:
    """The DCAT-AP_IT catalogue of the open-data files, as JSON-LD; `base` is the public base URL."""
    lic = impostazioni().licenza
    giorno = {"@value": modificato.astimezone(FUSO).date().isoformat(), "@type": "xsd:date"}
    titolare = {
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": pubblicazione.TITOLARE,
        "dct:identifier": pubblicazione.CODICE_IPA,
    }
    licenza = {
        "@id": lic.url,
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "foaf:name": lic.nome,
        "dct:identifier": lic.id,
    }

    def it(testo: str) -> dict:
        return {"@value": testo, "@language": "it"}

    dataset = []
    for ident, titolo, descrizione, distribuzioni in DATASET:
        dataset.append(
            {
                "@id": f"{base}/dati/catalogo.jsonld#{ident}",
                "@type": ["dcat:Dataset", "dcatapit:Dataset"],
                "dct:identifier": f"{pubblicazione.CODICE_IPA}:cittadelnoi-{ident}",
                "dct:title": it(titolo),
                "dct:description": it(descrizione),
                "dct:publisher": titolare,
                "dct:rightsHolder": titolare,
                "dct:modified": giorno,
                "dct:license": licenza,
                "dct:language": {"@id": f"{_EU}/language/ITA"},
                "dcat:theme": {"@id": f"{_EU}/data-theme/SOCI"},
                "dct:accrualPeriodicity": {"@id": f"{_EU}/frequency/IRREG"},
                "dcat:keyword": [it("punti di comunità"), it("welfare"), it("quartieri"), it("Brescia")],
                "dcat:distribution": [
                    {
                        "@id": f"{base}/dati/{percorso}",
                        "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                        "dct:title": it(titolo_d),
                        "dcat:accessURL": {"@id": f"{base}/dati/{percorso}"},
                        "dcat:downloadURL": {"@id": f"{base}/dati/{percorso}"},
                        "dcat:mediaType": FILE[percorso].split(";")[0],
                        "dct:format": {"@id": f"{_EU}/file-type/{_FORMATI[FILE[percorso].split(';')[0]]}"},
                        "dct:license": licenza,
                        "dct:modified": giorno,
                    }
                    for percorso, titolo_d in distribuzioni
                ],
            }
        )
    return {
        "@context": _CONTESTO,
        "@id": f"{base}/dati/catalogo.jsonld",
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": it(f"{pubblicazione.TITOLO_PROGETTO}: dati aperti"),
        "dct:description": it(
            "I dati del cruscotto pubblico di Brescia Città del Noi, la rete dei punti di comunità dei quartieri "
            "di Brescia: sempre i dati validati attuali, gli stessi mostrati dal cruscotto."
        ),
        "dct:publisher": titolare,
        "dct:modified": giorno,
        "dct:license": licenza,
        "dct:language": {"@id": f"{_EU}/language/ITA"},
        "foaf:homepage": {"@id": f"{base}/"},
        "dcat:dataset": dataset,
    }


def catalogo_bytes(base: str, modificato: dt.datetime) -> bytes:
    return json.dumps(catalogo(base, modificato), ensure_ascii=False, indent=1).encode("utf-8")
