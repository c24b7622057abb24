"""loaders/quartieri.py on bad GeoJSON: Italian messages naming the feature and the property."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.quartieri import carica_quartieri


def _geojson(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_self_intersecting_geometry_names_the_feature(data_copy: Path):
    path = data_copy / "quartieri.geojson"
    data = _geojson(path)
    # A bow-tie: the classic self-intersection.
    data["features"][4]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[10.20, 45.53], [10.21, 45.54], [10.21, 45.53], [10.20, 45.54], [10.20, 45.53]]],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatiNonValidi) as exc:
        carica_quartieri(leggi_file(path))
    (p,) = exc.value.problemi
    assert (p.riga, p.colonna, p.unita) == (5, "geometry", "elemento")
    assert str(p).startswith(
        "quartieri.geojson, elemento 5, colonna «geometry»: geometria non valida (Self-intersection"
    )


def test_missing_geometry_wrong_crs_and_bad_zone(data_copy: Path):
    path = data_copy / "quartieri.geojson"
    data = _geojson(path)
    data["features"][0]["geometry"] = None
    data["features"][1]["geometry"]["coordinates"] = [
        [[[1_590_000, 5_045_000], [1_591_000, 5_045_000], [1_591_000, 5_046_000], [1_590_000, 5_045_000]]]
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatiNonValidi) as exc:
        carica_quartieri(leggi_file(path))
    msgs = {p.riga: p.messaggio for p in exc.value.problemi}
    assert msgs[1] == "geometria mancante o vuota"
    assert "fuori dal Comune di Brescia" in msgs[2]


def test_bad_zone_and_duplicate_code_in_properties(data_copy: Path):
    path = data_copy / "quartieri.geojson"
    data = _geojson(path)
    data["features"][2]["properties"]["zona"] = "Nordest"
    data["features"][3]["properties"]["codice_istat"] = data["features"][0]["properties"]["codice_istat"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatiNonValidi) as exc:
        carica_quartieri(leggi_file(path))
    found = {(p.riga, p.colonna) for p in exc.value.problemi}
    assert (3, "zona") in found
    assert {(1, "codice_istat"), (4, "codice_istat")} <= found


def test_truncated_geojson(data_copy: Path):
    path = data_copy / "quartieri.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(DatiNonValidi, match="GeoJSON non leggibile"):
        carica_quartieri(leggi_file(path))
