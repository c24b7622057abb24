"""DbStore: seeded from data/, same snapshot as the files, validated all-or-nothing writes, version
checks, the append-only history, the state at a date. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cittadelnoi.core import tempo
from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders import registro, xlsx
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.storico import carica_conteggi
from cittadelnoi.metrics.ore import durate
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.file import DataStore
from cittadelnoi.stores.schema import metadata
from cittadelnoi.stores.scrittura import Conflitto
from tests.conftest import DATA, amministratore


def _modifica(store: DbStore, id_punto: str, **valori):
    rec, orario, versione = store.punto(id_punto)
    return rec, orario, versione, {**rec, **valori}


def test_schema_from_migrations_matches_the_models(store: DbStore):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_seeded_database_serves_exactly_what_the_files_serve(store: DbStore, data_copy: Path, tmp_path: Path):
    snap, _ = store.get()
    files, _ = DataStore(data_copy, tmp_path / "copia").get()
    pd.testing.assert_frame_equal(snap.punti, files.punti)
    pd.testing.assert_frame_equal(snap.sportelli.drop(columns="riga"), files.sportelli.drop(columns="riga"))
    assert snap.stati["stato"].value_counts().to_dict() == files.stati["stato"].value_counts().to_dict()
    assert snap.versione.startswith("db")


def test_seed_happens_once_and_edits_survive_a_restart(store: DbStore, engine, data_copy: Path):
    _, orario, v, nuovo = _modifica(store, "demo-chiesanuova", stato="attivo")
    store.salva_punto("demo-chiesanuova", nuovo, orario, v, amministratore("anna"))
    (data_copy / "punti.csv").write_text("rotto", encoding="utf-8")  # data/ is only read for the first seed
    riavviato = DbStore(engine, data_copy)
    snap, errori = riavviato.get()
    assert errori == []
    assert snap.punti.set_index("id").at["demo-chiesanuova", "stato"] == "attivo"
    assert (snap.punti["stato"] == "attivo").sum() == 21


def test_edit_is_served_at_once_and_recorded_with_who_when_old_and_new(store: DbStore):
    prima, _ = store.get()
    rec, orario, v, nuovo = _modifica(store, "demo-chiesanuova", stato="attivo", nome="Punto di comunità Chiesanuova")
    esito = store.salva_punto("demo-chiesanuova", nuovo, orario, v, amministratore("anna"))
    assert esito.revisione is not None and esito.versioni == {"demo-chiesanuova": v + 1}
    dopo, errori = store.get()
    assert errori == [] and dopo.versione != prima.versione
    assert dopo.stati.set_index("codice_istat").at["17029020", "stato"] == "attivo"
    assert dopo.caricato_il >= prima.caricato_il
    storia = store.modifiche("demo-chiesanuova")
    ultima = storia.iloc[0]
    assert ultima["chi"] == "anna" and ultima["azione"] == "modifica" and ultima["oggetto"] == "punto"
    assert "stato: in_apertura → attivo" in ultima["modifiche"]
    assert f"nome: {rec['nome']} → Punto di comunità Chiesanuova" in ultima["modifiche"]
    assert (dt.datetime.now(dt.UTC) - ultima["quando"]).total_seconds() < 60


def test_saving_without_changes_writes_nothing(store: DbStore):
    rec, orario, v, _ = _modifica(store, "lamarmora")
    before = store.versione_dati()
    assert store.salva_punto("lamarmora", rec, orario, v, amministratore("anna")).revisione is None
    assert store.versione_dati() == before


def test_invalid_edit_is_refused_with_the_forms_problems_and_writes_nothing(store: DbStore):
    before = store.versione_dati()
    _, orario, v, nuovo = _modifica(store, "lamarmora", stato="aperto", lat="45,x", fonte="")
    with pytest.raises(DatiNonValidi) as exc:
        store.salva_punto("lamarmora", nuovo, orario, v, amministratore("anna"))
    testi = sorted(str(p) for p in exc.value.problemi)
    assert any(t.startswith("punto «lamarmora», colonna «stato»: stato non valido") for t in testi), testi
    assert any(t.startswith("punto «lamarmora», colonna «lat»") for t in testi), testi
    assert any(t.startswith("punto «lamarmora», colonna «fonte»") for t in testi), testi
    assert store.versione_dati() == before
    assert store.punto("lamarmora")[2] == v


def test_invalid_schedule_names_the_slot_and_column(store: DbStore):
    rec, orario, v, _ = _modifica(store, "lamarmora")
    orario = orario + [
        {
            "giorno": "mer",
            "inizio": "16:00",
            "fine": "18:00",
            "volontari": "",
            "fonte": "telefonata al punto",
            "dimostrativo": "no",
        },
        {
            "giorno": "venerdì",
            "inizio": "25:00",
            "fine": "26:00",
            "volontari": "tre",
            "fonte": "telefonata",
            "dimostrativo": "no",
        },
    ]
    with pytest.raises(DatiNonValidi) as exc:
        store.salva_punto("lamarmora", rec, orario, v, amministratore("anna"))
    testi = [str(p) for p in exc.value.problemi]
    assert any(
        t.startswith("orario di «lamarmora», fascia 3, colonna «inizio»: la fascia 16:00-18:00 si sovrappone")
        for t in testi
    ), testi
    assert any(t.startswith("orario di «lamarmora», fascia 4, colonna «inizio»: ora di inizio fuori") for t in testi), (
        testi
    )
    assert any(t.startswith("orario di «lamarmora», fascia 4, colonna «volontari»") for t in testi), testi


def test_schedule_edit_is_saved_and_recorded(store: DbStore):
    rec, orario, v, _ = _modifica(store, "mompiano")
    assert orario == []
    nuovo_orario = [
        {
            "giorno": "mar",
            "inizio": "9:00",
            "fine": "12:00",
            "volontari": "3",
            "fonte": "telefonata al punto, 25/11/2026",
            "dimostrativo": "no",
        },
        {
            "giorno": "giovedì",
            "inizio": "15:00",
            "fine": "18:00",
            "volontari": "",
            "fonte": "telefonata al punto, 25/11/2026",
            "dimostrativo": "no",
        },
    ]
    esito = store.salva_punto("mompiano", rec, nuovo_orario, v, amministratore("anna"))
    assert esito.versioni == {"mompiano": v + 1}
    snap, _ = store.get()
    fasce = snap.sportelli[snap.sportelli["id_punto"] == "mompiano"]
    assert list(fasce["giorno"]) == ["mar", "gio"] and list(fasce["inizio"]) == ["09:00", "15:00"]
    assert durate(fasce).sum() == 6
    riga = store.modifiche("mompiano").iloc[0]
    assert riga["oggetto"] == "orario" and riga["modifiche"] == (
        "orario: nessuna fascia → mar 09:00-12:00; gio 15:00-18:00 · volontari della fascia mar 09:00-12:00: "
        "— → 3 · fonte delle fasce mar 09:00-12:00, gio 15:00-18:00: — → «telefonata al punto, 25/11/2026»"
    )
    # Only a slot's volunteers change: the history says so, not the same slots on both sides.
    rec, _, v, _ = _modifica(store, "mompiano")
    nuovo_orario[0]["volontari"] = "4"
    store.salva_punto("mompiano", rec, nuovo_orario, v, amministratore("anna"))
    riga = store.modifiche("mompiano").iloc[0]
    assert riga["modifiche"] == (
        "orario: giorni e orari invariati (mar 09:00-12:00; gio 15:00-18:00) · "
        "volontari della fascia mar 09:00-12:00: 3 → 4"
    )


def test_second_official_with_an_old_version_gets_a_conflict_not_an_overwrite(store: DbStore):
    # Both open the same point at version v.
    _, orario, v, di_anna = _modifica(store, "demo-chiesanuova", stato="attivo")
    _, _, _, di_bruno = _modifica(store, "demo-chiesanuova", indirizzo="Via Villa Glori 13")
    store.salva_punto("demo-chiesanuova", di_anna, orario, v, amministratore("anna"))
    with pytest.raises(Conflitto) as exc:
        store.salva_punto("demo-chiesanuova", di_bruno, orario, v, amministratore("bruno"))
    assert "modificato da un'altra persona" in exc.value.messaggio and "anna" in exc.value.messaggio
    assert exc.value.chi == "anna" and exc.value.attuale["stato"] == "attivo"
    rec, _, versione = store.punto("demo-chiesanuova")
    assert rec["stato"] == "attivo" and rec["indirizzo"] != "Via Villa Glori 13" and versione == v + 1
    assert list(store.modifiche("demo-chiesanuova")["chi"][:1]) == ["anna"]


def test_simultaneous_saves_of_the_same_version_let_exactly_one_through(store: DbStore, db_url: str, data_copy: Path):
    # Two app processes (replicas) on the same database, saving at the same moment.
    altro = DbStore(crea_engine(db_url), data_copy)
    rec, orario, v, _ = _modifica(store, "demo-fornaci")
    partenza = threading.Barrier(2)
    esiti: dict[str, object] = {}

    def salva(s: DbStore, chi: str, stato: str) -> None:
        partenza.wait()
        try:
            esiti[chi] = s.salva_punto("demo-fornaci", {**rec, "stato": stato}, orario, v, amministratore(chi))
        except Exception as exc:
            esiti[chi] = exc

    thr = [
        threading.Thread(target=salva, args=(store, "anna", "in_apertura")),
        threading.Thread(target=salva, args=(altro, "bruno", "in_apertura")),
    ]
    for t in thr:
        t.start()
    for t in thr:
        t.join(60)
    conflitti = [k for k, e in esiti.items() if isinstance(e, Conflitto)]
    riusciti = [k for k, e in esiti.items() if not isinstance(e, Exception)]
    assert len(conflitti) == 1 and len(riusciti) == 1, esiti
    assert store.punto("demo-fornaci")[2] == v + 1
    assert list(store.modifiche("demo-fornaci")["chi"][:2]).count(riusciti[0]) == 1
    altro.engine.dispose()


def test_another_replica_sees_the_change_on_its_next_get(store: DbStore, db_url: str, data_copy: Path):
    replica = DbStore(crea_engine(db_url), data_copy)
    prima, _ = replica.get()
    _, orario, v, nuovo = _modifica(store, "lamarmora", stato="in_apertura")
    store.salva_punto("lamarmora", nuovo, orario, v, amministratore("anna"))
    dopo, _ = replica.get()
    assert dopo.versione != prima.versione
    assert dopo.punti.set_index("id").at["lamarmora", "stato"] == "in_apertura"
    replica.engine.dispose()


def test_history_tables_refuse_update_and_delete(store: DbStore):
    for sql in (
        "UPDATE storico SET chi = 'x'",
        "DELETE FROM storico",
        "UPDATE revisioni SET chi = 'x'",
        "DELETE FROM revisioni",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="solo aggiunte"), store.engine.begin() as conn:
            conn.exec_driver_sql(sql)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM storico")).scalar() > 21


# --- import -----------------------------------------------------------------------------------


def _csv_registro(store: DbStore) -> str:
    punti_rec, _, _ = store.registro_attuale()
    return registro.csv_testo(punti_rec, registro.COLONNE_PUNTI)


def test_import_with_errors_is_rejected_listing_every_row_and_column(store: DbStore):
    before = store.versione_dati()
    testo = _csv_registro(store)
    testo = testo.replace(",17029010,attivo,", ",17029010,aperto,", 1)  # lamarmora, row 5
    testo = testo.replace("demo-folzano,", "demo folzano,", 1)
    righe = testo.splitlines()
    righe.append(righe[1])  # duplicate of don-bosco at row 23
    anteprima = store.anteprima_import("registro nuovo.csv", "\n".join(righe).encode("utf-8"))
    assert not anteprima.valida
    testi = [str(p) for p in anteprima.problemi]
    assert (
        "registro nuovo.csv, riga 5, colonna «stato»: stato non valido: ammessi «attivo» o «in_apertura» (valore «aperto»)"
        in testi
    )
    assert any(t.startswith("registro nuovo.csv, riga 12, colonna «id»: id non valido") for t in testi), testi
    assert any(t.startswith("registro nuovo.csv, riga 23, colonna «id»: valore «don-bosco» ripetuto") for t in testi), (
        testi
    )
    with pytest.raises(DatiNonValidi):
        store.applica_import(anteprima, amministratore("anna"))
    assert store.versione_dati() == before


def test_import_preview_lists_changes_then_writes_them_all_at_once(store: DbStore):
    testo = _csv_registro(store)
    fasce_fornaci = int((store.get()[0].sportelli["id_punto"] == "demo-fornaci").sum())
    assert fasce_fornaci > 0
    testo = testo.replace(",17029020,in_apertura,", ",17029020,attivo,", 1)
    righe = [r for r in testo.splitlines() if not r.startswith("demo-fornaci,")]
    righe.append(
        'nuovo-punto,Punto di comunità Sanpolino,17029019,in_apertura,,,,,,,,,"Comune di Brescia, delibera 2026",no,,,,'
    )
    anteprima = store.anteprima_import("registro.csv", "\n".join(righe).encode("utf-8"))
    assert anteprima.valida, anteprima.problemi
    assert anteprima.nuovi == ("nuovo-punto",)
    assert anteprima.rimossi == ("demo-fornaci",)
    assert list(anteprima.modificati) == ["demo-chiesanuova"]
    assert anteprima.modificati["demo-chiesanuova"] == "stato: in_apertura → attivo"
    assert "demo-fornaci" not in anteprima.orari  # removed with its desk slots (see below)
    esito = store.applica_import(anteprima, amministratore("anna"))
    assert esito.revisione is not None
    snap, _ = store.get()
    assert set(snap.punti["id"]) >= {"nuovo-punto"} and "demo-fornaci" not in set(snap.punti["id"])
    assert "demo-fornaci" not in set(snap.sportelli["id_punto"])
    assert len(snap.sportelli) == 54 - fasce_fornaci
    storia = store.modifiche()
    ultima = storia[storia["revisione"] == esito.revisione]
    assert set(zip(ultima["punto"], ultima["azione"], strict=False)) >= {
        ("nuovo-punto", "crea"),
        ("demo-fornaci", "elimina"),
        ("demo-chiesanuova", "modifica"),
    }


def test_import_of_an_xlsx_register_with_both_sheets(store: DbStore):
    import io

    from openpyxl import load_workbook

    punti_rec, fasce_rec, _ = store.registro_attuale()
    wb = load_workbook(io.BytesIO(xlsx.xlsx_registro(punti_rec, fasce_rec)))
    ws = wb["punti"]
    col = [c.value for c in ws[1]].index("stato") + 1
    assert ws.cell(row=5, column=1).value == "lamarmora"
    ws.cell(row=5, column=col).value = "in_apertura"
    ws2 = wb["sportelli"]
    ws2.cell(row=2, column=4).value = "18:00"  # lamarmora mer 15:30-17:30 -> 15:30-18:00
    buf = io.BytesIO()
    wb.save(buf)
    anteprima = store.anteprima_import("registro.xlsx", buf.getvalue())
    assert anteprima.valida, anteprima.problemi
    assert anteprima.sportelli_nel_file
    assert anteprima.modificati == {"lamarmora": "stato: attivo → in_apertura"}
    assert list(anteprima.orari) == ["lamarmora"]
    store.applica_import(anteprima, amministratore("anna"))
    snap, _ = store.get()
    assert durate(snap.sportelli[snap.sportelli["id_punto"] == "lamarmora"]).sum() == 4.5

    ws.cell(row=5, column=col).value = "chiuso"
    ws2.cell(row=3, column=3).value = "le nove"
    buf = io.BytesIO()
    wb.save(buf)
    rifiutata = store.anteprima_import("registro.xlsx", buf.getvalue())
    testi = [str(p) for p in rifiutata.problemi]
    assert any(t.startswith("registro.xlsx (foglio punti), riga 5, colonna «stato»") for t in testi), testi
    assert any(t.startswith("registro.xlsx (foglio sportelli), riga 3, colonna «inizio»") for t in testi), testi


def test_import_preview_shows_what_changes_in_a_schedule_with_the_same_days_and_hours(store: DbStore):
    """A changed volunteer count or source is what the preview shows, never «same slots → same slots»."""
    from cittadelnoi.loaders.modulo import righe_anteprima

    punti_rec, fasce_rec, _ = store.registro_attuale()
    fasce = [dict(f) for f in fasce_rec]
    lamarmora = [f for f in fasce if f["id_punto"] == "lamarmora"]
    fonte = lamarmora[0]["fonte"]
    assert [(f["giorno"], f["volontari"]) for f in lamarmora] == [("mer", "2"), ("ven", "3")]
    lamarmora[0]["volontari"] = "4"
    for f in lamarmora:
        f["fonte"] = "Comune di Brescia, delibera 2026"
    anteprima = store.anteprima_import(
        "punti.csv",
        registro.csv_testo(punti_rec, registro.COLONNE_PUNTI).encode("utf-8"),
        "sportelli.csv",
        registro.csv_testo(fasce, registro.COLONNE_FASCE).encode("utf-8"),
    )
    assert anteprima.valida, anteprima.problemi
    assert (anteprima.nuovi, anteprima.modificati, anteprima.rimossi) == ((), {}, ())
    assert anteprima.orari == {
        "lamarmora": "giorni e orari invariati (mer 15:30-17:30; ven 09:30-11:30)"
        " · volontari della fascia mer 15:30-17:30: 2 → 4"
        f" · fonte delle fasce mer 15:30-17:30, ven 09:30-11:30: «{fonte}» → «Comune di Brescia, delibera 2026»"
    }
    tabella = righe_anteprima(anteprima.nuovi, anteprima.modificati, anteprima.rimossi, anteprima.orari)
    assert tabella.values.tolist() == [["lamarmora", "orario", anteprima.orari["lamarmora"]]]


def test_import_after_someone_else_saved_is_refused(store: DbStore):
    testo = _csv_registro(store).replace(",17029020,in_apertura,", ",17029020,attivo,", 1)
    anteprima = store.anteprima_import("registro.csv", testo.encode("utf-8"))
    _, orario, v, nuovo = _modifica(store, "lamarmora", indirizzo="Via Ziliani 6")
    store.salva_punto("lamarmora", nuovo, orario, v, amministratore("bruno"))
    with pytest.raises(Conflitto, match="dopo l'anteprima"):
        store.applica_import(anteprima, amministratore("anna"))
    assert store.punto("demo-chiesanuova")[0]["stato"] == "in_apertura"


# --- history ----------------------------------------------------------------------------------


def test_state_at_the_documented_dates_matches_the_documented_counts(store: DbStore):
    documentati, _ = carica_conteggi(leggi_file(DATA / "conteggi_punti.csv"))
    assert len(documentati) == 4
    for r in documentati.to_dict("records"):
        snap = store.snapshot_al(r["data"])
        assert (snap.punti["stato"] == "attivo").sum() == r["attivi"], r
        if not pd.isna(r["in_apertura"]):
            assert (snap.punti["stato"] == "in_apertura").sum() == r["in_apertura"], r
        assert snap.versione.endswith("@" + r["data"].isoformat())
    prima = store.snapshot_al(dt.date(2017, 3, 1))
    assert len(prima.punti) == 0 and (prima.stati["stato"] == "mancante").all()
    assert store.primo_giorno() == dt.date(2017, 3, 2)


def test_state_at_a_date_follows_edits(store: DbStore):
    oggi = tempo.oggi()
    ieri = oggi - dt.timedelta(days=1)
    _, orario, v, nuovo = _modifica(store, "demo-chiesanuova", stato="attivo")
    store.salva_punto("demo-chiesanuova", nuovo, orario, v, amministratore("anna"))
    assert store.snapshot_al(oggi).punti.set_index("id").at["demo-chiesanuova", "stato"] == "attivo"
    assert store.snapshot_al(ieri).punti.set_index("id").at["demo-chiesanuova", "stato"] == "in_apertura"
    # The map of a past day uses the same derived quartiere status.
    assert store.snapshot_al(dt.date(2020, 10, 2)).stati.set_index("codice_istat").at["17029006", "stato"] == "mancante"
    assert store.snapshot_al(dt.date(2020, 10, 3)).stati.set_index("codice_istat").at["17029006", "stato"] == "attivo"


def test_points_over_time_has_the_register_and_the_documented_counts(store: DbStore):
    oggi = tempo.oggi()
    serie = store.punti_nel_tempo(oggi)
    doc = serie[serie["serie"] == "documentato"]
    reg = serie[serie["serie"] == "registro"].set_index("data")
    assert list(zip(doc["data"].astype(str), doc["attivi"], strict=False)) == [
        ("2017-03-02", 12),
        ("2017-12-20", 14),
        ("2025-10-23", 19),
        ("2025-12-10", 20),
    ]
    assert doc["fonte"].str.len().min() > 10
    for r in doc.to_dict("records"):
        assert reg.at[r["data"], "attivi"] == r["attivi"]
    assert reg.index[-1] == oggi and reg["attivi"].iloc[-1] == 20
    _, orario, v, nuovo = _modifica(store, "demo-chiesanuova", stato="attivo")
    store.salva_punto("demo-chiesanuova", nuovo, orario, v, amministratore("anna"))
    assert store.punti_nel_tempo(oggi).query("serie == 'registro'")["attivi"].iloc[-1] == 21


def test_unreachable_database_keeps_serving_the_last_data(store: DbStore):
    snap, _ = store.get()
    store.engine = sa.create_engine(
        "postgresql+psycopg://nessuno@127.0.0.1:1/nessuno", connect_args={"connect_timeout": 2}
    )
    servito, errori = store.get()
    assert servito is snap
    assert len(errori) == 1 and errori[0].file == "database" and "non raggiungibile" in errori[0].messaggio


def test_migrations_go_down_to_empty_and_up_again(engine, data_copy: Path):
    from alembic.config import Config

    from alembic import command
    from cittadelnoi.core.paths import ROOT
    from cittadelnoi.stores.engine import aggiorna_schema

    aggiorna_schema(engine)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    s = DbStore(engine, data_copy)  # a new start: upgrade to head and seed again
    snap, errori = s.get()
    assert errori == [] and len(snap.punti) == 21
