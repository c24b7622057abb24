"""Each file of tests/casi/ (issue 10) with the behaviour it must get: see tests/casi/README.md."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from cittadelnoi.core.celle import INIZI_PERICOLOSI, ripristina
from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.loaders import registro, xlsx
from cittadelnoi.loaders.punti import MAX_PUNTI
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.file import DataStore
from cittadelnoi.views import esporta
from tests.conftest import DATA, amministratore

CASI = Path(__file__).resolve().parent


def cartella_dati(dest: Path, punti: str = "punti-senza-indirizzo.csv", sportelli: str | None = None) -> Path:
    """A data folder: the shipped reference files with a register from tests/casi/."""
    dest.mkdir(parents=True, exist_ok=True)
    for nome in ("quartieri.geojson", "finanziamenti.csv"):
        shutil.copy(DATA / nome, dest / nome)
    shutil.copy(CASI / punti, dest / "punti.csv")
    if sportelli:
        shutil.copy(CASI / sportelli, dest / "sportelli.csv")
    else:
        (dest / "sportelli.csv").write_text("id_punto,giorno,inizio,fine,volontari,fonte,dimostrativo\n", "utf-8")
        # A file with no data row is refused: one slot for the first point.
        primo = next(csv.DictReader((CASI / punti).open(encoding="utf-8")))["id"]
        with (dest / "sportelli.csv").open("a", encoding="utf-8") as fh:
            fh.write(f"{primo},lun,10:00,12:00,,prova,no\n")
    return dest


@pytest.fixture
def db(tmp_path: Path) -> DbStore:
    """A database store seeded from a data folder built from tests/casi/ (not from data/)."""
    dati = cartella_dati(tmp_path / "dati", "punti-senza-indirizzo.csv", "sportelli-senza-dimostrativo.csv")
    store = DbStore(crea_engine(f"sqlite:///{tmp_path / 'r.sqlite'}"), dati)
    snap, errori = store.get()
    assert errori == [] and snap is not None
    return store


def importa(store: DbStore, nome: str, contenuto: bytes | None = None, sportelli: str | None = None):
    contenuto = (CASI / nome).read_bytes() if contenuto is None else contenuto
    s_nome, s_cont = (sportelli, (CASI / sportelli).read_bytes()) if sportelli else (None, None)
    return store.anteprima_import(nome, contenuto, s_nome, s_cont)


# --- an optional column may be absent ------------------------------------------------------------


def test_colonna_facoltativa_assente_in_modalita_file(tmp_path: Path):
    dati = cartella_dati(tmp_path / "dati", "punti-senza-indirizzo.csv", "sportelli-senza-dimostrativo.csv")
    store = DataStore(dati, tmp_path / "copia")
    snap, errori = store.get()
    assert errori == [] and snap is not None
    assert snap.punti["indirizzo"].isna().all() and len(snap.punti) == 21
    assert not snap.sportelli["dimostrativo"].any()  # absent means "no"
    assert len(snap.stati) == 33  # what every page computes first
    assert (tmp_path / "copia" / "punti.csv").read_bytes() == (CASI / "punti-senza-indirizzo.csv").read_bytes()


def test_colonna_facoltativa_assente_in_importazione(db: DbStore):
    anteprima = importa(db, "punti-senza-indirizzo.csv", sportelli="sportelli-senza-dimostrativo.csv")
    assert anteprima.valida, [str(p) for p in anteprima.problemi]


def test_colonna_obbligatoria_assente_nomina_file_riga_colonna(tmp_path: Path):
    testo = (CASI / "punti-senza-indirizzo.csv").read_text("utf-8").replace(",fonte,", ",origine,", 1)
    dati = cartella_dati(tmp_path / "dati")
    store = DataStore(dati, tmp_path / "copia")
    buono, _ = store.get()
    (dati / "punti.csv").write_text(testo, "utf-8")
    snap, errori = store.get()
    assert snap is buono  # the last good data are still served
    assert "punti.csv, riga 1, colonna «fonte»: colonna obbligatoria mancante" in [str(p) for p in errori]


def test_file_rifiutato_non_sostituisce_la_copia_buona(tmp_path: Path):
    dati = cartella_dati(tmp_path / "dati")
    store = DataStore(dati, tmp_path / "copia")
    buono, _ = store.get()
    copia = (tmp_path / "copia" / "punti.csv").read_bytes()
    (dati / "punti.csv").write_text(
        (CASI / "punti-senza-indirizzo.csv").read_text("utf-8").replace(",attivo,", ",aperto,", 1), "utf-8"
    )
    snap, errori = store.get()
    assert snap is buono and errori
    assert (tmp_path / "copia" / "punti.csv").read_bytes() == copia
    # A restart with the broken file serves the copy.
    riavvio, errori2 = DataStore(dati, tmp_path / "copia").get()
    assert riavvio is not None and riavvio.da_copia and errori2
    assert list(riavvio.punti["id"]) == list(buono.punti["id"])


def test_importazione_rifiutata_non_scrive_nulla(db: DbStore):
    prima = db.versione_dati()
    rotto = (CASI / "punti-senza-indirizzo.csv").read_text("utf-8").replace(",attivo,", ",aperto,", 1)
    anteprima = db.anteprima_import("rotto.csv", rotto.encode("utf-8"))
    assert not anteprima.valida
    assert any(p.file == "rotto.csv" and p.riga == 2 and p.colonna == "stato" for p in anteprima.problemi)
    with pytest.raises(DatiNonValidi):
        db.applica_import(anteprima, amministratore("prova"))
    assert db.versione_dati() == prima


# --- Excel time cells -----------------------------------------------------------------------------


@pytest.mark.parametrize("nome", ["registro-fine-24-00.xlsx", "registro-orari-formato-h.xlsx"])
def test_orari_excel_letti_come_hh_mm(db: DbStore, nome: str):
    anteprima = importa(db, nome)
    assert anteprima.valida, [str(p) for p in anteprima.problemi]
    fasce = anteprima.registro.sportelli
    orari = set(zip(fasce["inizio"], fasce["fine"], strict=True))
    assert ("15:30", "17:30") in orari
    if nome == "registro-fine-24-00.xlsx":
        assert ("10:00", "24:00") in orari
    else:
        assert ("10:00", "13:00") in orari


def _xlsx_con_orario(valore, formato: str) -> bytes:
    """registro-orari-formato-h.xlsx with the first slot's end replaced by `valore` in `formato`."""
    wb = load_workbook(CASI / "registro-orari-formato-h.xlsx")
    cella = wb["sportelli"]["D2"]
    cella.value = valore
    cella.number_format = formato
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_orari_excel_i_messaggi_citano_cio_che_excel_mostra(db: DbStore):
    import datetime as dt

    # 25:30 as a duration: Excel shows «25:30», Python's repr would be «1 day, 1:30:00».
    anteprima = importa(db, "r.xlsx", _xlsx_con_orario(dt.timedelta(hours=25, minutes=30), "[h]:mm"))
    testi = [str(p) for p in anteprima.problemi]
    assert any("r.xlsx (foglio sportelli), riga 2, colonna «fine»" in t and "25:30" in t for t in testi), testi
    assert not any("day" in t or "timedelta" in t for t in testi)
    # A time with seconds: «17:30:15», not «17:30:15.000000» or a datetime.
    anteprima = importa(db, "r.xlsx", _xlsx_con_orario(dt.time(17, 30, 15), "hh:mm:ss"))
    assert any("17:30:15" in str(p) for p in anteprima.problemi), [str(p) for p in anteprima.problemi]
    # A plain decimal: what Excel shows (0.3), never 0.30000000000000004.
    assert xlsx.testo_excel(0.1 + 0.2) == "0.3"


# --- formulas in exports ----------------------------------------------------------------------------


def _pericolosi(valori) -> list[str]:
    return [v for v in valori if isinstance(v, str) and v.startswith(INIZI_PERICOLOSI)]


def test_formule_neutralizzate_in_ogni_esportazione(db: DbStore):
    anteprima = importa(db, "punti-formule.csv")
    assert anteprima.valida
    db.applica_import(anteprima, amministratore("prova"))
    punti_rec, fasce_rec, _ = db.registro_attuale()
    nomi = {r["id"]: r["nome"] for r in punti_rec}
    assert nomi["lamarmora"].startswith("=HYPERLINK(")  # stored as written

    # Register download, CSV: no cell a spreadsheet would run.
    righe = list(csv.reader(io.StringIO(registro.csv_testo(punti_rec, registro.COLONNE_PUNTI))))
    assert _pericolosi(c for r in righe for c in r) == []
    assert '\'=HYPERLINK("http://attacker.invalid/x","click")' in {c for r in righe for c in r}
    # Register download, XLSX: text cells only, never a formula.
    contenuto = xlsx.xlsx_registro(punti_rec, fasce_rec)
    with zipfile.ZipFile(io.BytesIO(contenuto)) as z:
        fogli = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert fogli and not any("<f>" in f or "<f " in f for f in fogli)
    wb = load_workbook(io.BytesIO(contenuto))
    celle = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in celle)
    assert all(c.quotePrefix for c in celle if c.value.startswith(INIZI_PERICOLOSI))

    # Table downloads under the pages (views.esporta).
    tabella = pd.DataFrame({"Punto": list(nomi.values()), "Ore": range(len(nomi))})
    assert (
        _pericolosi(c for r in csv.reader(io.StringIO(esporta.csv_bytes(tabella).decode("utf-8-sig"))) for c in r) == []
    )
    wb = load_workbook(io.BytesIO(esporta.xlsx_bytes({"punti": tabella})))
    assert all(c.data_type != "f" for r in wb.active.iter_rows() for c in r)


def test_formule_le_esportazioni_si_reimportano_identiche(db: DbStore):
    db.applica_import(importa(db, "punti-formule.csv"), amministratore("prova"))
    punti_rec, fasce_rec, _ = db.registro_attuale()
    csv_punti = registro.csv_testo(punti_rec, registro.COLONNE_PUNTI).encode("utf-8")
    csv_fasce = registro.csv_testo(fasce_rec, registro.COLONNE_FASCE).encode("utf-8")
    di_nuovo = db.anteprima_import("punti.csv", csv_punti, "sportelli.csv", csv_fasce)
    assert di_nuovo.valida and di_nuovo.n_modifiche == 0, (di_nuovo.modificati, di_nuovo.orari)
    di_nuovo = db.anteprima_import("registro.xlsx", xlsx.xlsx_registro(punti_rec, fasce_rec))
    assert di_nuovo.valida and di_nuovo.n_modifiche == 0, (di_nuovo.modificati, di_nuovo.orari)


def test_formule_le_tabelle_scaricate_si_rileggono_identiche():
    valori = ["=1+1", "+1+1", "-2+3", "@SUM(1+1)", "\t=x", "'=già protetto", "testo", "'apostrofo"]
    tabella = pd.DataFrame({"=colonna": valori, "n": range(len(valori))})
    letta = pd.read_csv(io.BytesIO(esporta.csv_bytes(tabella)), encoding="utf-8-sig", keep_default_na=False)
    letta = letta.rename(columns=ripristina).map(lambda v: ripristina(v) if isinstance(v, str) else v)
    pd.testing.assert_frame_equal(letta, tabella)
    wb = load_workbook(io.BytesIO(esporta.xlsx_bytes({"t": tabella})))
    righe = list(wb.active.iter_rows(values_only=True))
    assert list(righe[0]) == ["=colonna", "n"]
    assert [r[0] for r in righe[1:]] == valori


# --- markdown from the register ----------------------------------------------------------------------


def test_markdown_il_registro_si_carica_e_ogni_testo_resta_testo(tmp_path: Path):
    from cittadelnoi.core.testo import markdown, plotly

    dati = cartella_dati(tmp_path / "dati", "punti-markdown.csv", "sportelli-senza-dimostrativo.csv")
    snap, errori = DataStore(dati).get()
    assert errori == [] and snap is not None
    nome = snap.punti.set_index("id").at["mompiano", "nome"]
    assert "![t](http://attacker.invalid/track.png)" in nome  # stored as written
    md = markdown(nome)
    for segno in ("![t](", "[clicca qui](", "**grassetto**", "http://"):
        assert segno not in md, segno
    assert "<a" not in plotly('<a href="http://attacker.invalid">x</a>')


# --- sizes before parsing ------------------------------------------------------------------------------


def test_bomba_rifiutata_prima_di_decomprimere(db: DbStore, monkeypatch: pytest.MonkeyPatch):
    import openpyxl

    def vietato(*_a, **_k):
        raise AssertionError("il file è stato aperto prima del controllo delle dimensioni")

    monkeypatch.setattr(openpyxl, "load_workbook", vietato)
    monkeypatch.setattr(zipfile.ZipFile, "open", vietato)  # no entry is decompressed
    anteprima = importa(db, "registro-bomba-cella.xlsx")
    assert not anteprima.valida
    (problema,) = anteprima.problemi
    assert problema.file == "registro-bomba-cella.xlsx"
    assert "decompresso occuperebbe 210 MB" in problema.messaggio


def test_bomba_dimensioni_del_foglio_controllate(db: DbStore):
    """A small file whose sheet declares a million rows: refused from the declared dimensions."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><dimension ref="A1:M1048576"/><sheetData/></worksheet>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(CASI / "registro-orari-formato-h.xlsx") as src, zipfile.ZipFile(buf, "w") as dst:
        for voce in src.infolist():
            dati = src.read(voce)
            if voce.filename == "xl/worksheets/sheet1.xml":
                dati = xml.encode()
            dst.writestr(voce, dati)
    anteprima = importa(db, "grande.xlsx", buf.getvalue())
    assert [p.messaggio for p in anteprima.problemi if "dichiara 1048576 righe" in p.messaggio]


def _con_dimensione(ref: str, aggiunta: str = "") -> bytes:
    """registro-orari-formato-h.xlsx whose sheets declare the dimension `ref`; `aggiunta` (rows of
    XML) goes at the end of the first sheet."""
    buf = io.BytesIO()
    with zipfile.ZipFile(CASI / "registro-orari-formato-h.xlsx") as src, zipfile.ZipFile(buf, "w") as dst:
        for voce in src.infolist():
            dati = src.read(voce)
            if voce.filename.startswith("xl/worksheets/sheet"):
                testo = re.sub(r'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>', dati.decode("utf-8"))
                if voce.filename.endswith("sheet1.xml"):
                    testo = testo.replace("</sheetData>", aggiunta + "</sheetData>")
                dati = testo.encode("utf-8")
            dst.writestr(voce, dati)
    return buf.getvalue()


def test_un_foglio_che_dichiara_meno_di_quanto_contiene_si_legge_tutto(db: DbStore):
    """A sheet may declare a smaller dimension than it holds (hand-made or other tools' files):
    openpyxl stopped at the declared edge and the rest vanished without a word."""
    onesto = importa(db, "registro-orari-formato-h.xlsx")
    corto = importa(db, "corto.xlsx", _con_dimensione("A1:B2"))
    assert corto.valida == onesto.valida
    assert [str(p) for p in corto.problemi] == [
        str(p).replace("registro-orari-formato-h", "corto") for p in onesto.problemi
    ]
    assert (len(corto.nuovi), len(corto.modificati), len(corto.rimossi), len(corto.orari)) == (
        len(onesto.nuovi),
        len(onesto.modificati),
        len(onesto.rimossi),
        len(onesto.orari),
    )
    fogli = xlsx.fogli_xlsx(_con_dimensione("A1:A1"), "corto.xlsx")
    assert fogli == xlsx.fogli_xlsx((CASI / "registro-orari-formato-h.xlsx").read_bytes(), "corto.xlsx")


def test_una_cella_oltre_le_colonne_ammesse_e_rifiutata_con_riga_e_colonna():
    """Past the declared dimension, a cell far to the right (even an empty formatted one) is refused
    at once, naming row and column, not padded into a 16,384-cell row for every row."""
    aggiunta = '<row r="23"><c r="A23" t="inlineStr"><is><t>x</t></is></c><c r="XFD23" s="0"/></row>'
    with pytest.raises(DatiNonValidi) as exc:
        xlsx.fogli_xlsx(_con_dimensione("A1:M22", aggiunta), "largo.xlsx")
    (problema,) = exc.value.problemi
    assert problema.file == "largo.xlsx (foglio punti)" and problema.riga == 23 and problema.colonna == "XFD"
    assert "fino alla BH" in problema.messaggio


def test_bomba_testi_condivisi_contati_senza_leggere_il_foglio(db: DbStore, monkeypatch: pytest.MonkeyPatch):
    """Small on disk, within the decompressed limit, but more distinct texts than any register has
    (3 million short ones took a minute of CPU to preview): refused while counting, before openpyxl."""
    import openpyxl

    voci = xlsx.MAX_XLSX_TESTI + 1
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main">' + "<si><t>x</t></si>" * voci + "</sst>"
    )
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(CASI / "registro-orari-formato-h.xlsx") as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for voce in src.infolist():
            if voce.filename != "xl/sharedStrings.xml":
                dst.writestr(voce, src.read(voce))
        dst.writestr("xl/sharedStrings.xml", xml)
    assert len(buf.getvalue()) < 1_000_000  # a small upload

    def vietato(*_a, **_k):
        raise AssertionError("il foglio è stato letto prima del conteggio dei testi")

    monkeypatch.setattr(openpyxl, "load_workbook", vietato)
    anteprima = importa(db, "testi.xlsx", buf.getvalue())
    assert [str(p) for p in anteprima.problemi] == [
        "testi.xlsx: file .xlsx con 400.001 testi distinti (massimo 400.000): non sembra un registro. "
        "Nulla è stato caricato."
    ]


def test_testi_condivisi_contati_anche_a_cavallo_dei_blocchi():
    """The count streams the table in 1 MiB blocks: a tag cut by a block's end counts once."""
    for riempitivo in range(0, 40):
        xml = b"<sst>" + b"a" * ((1 << 20) - 5 - riempitivo) + b"<si><t>x</t></si>" * 3 + b"<x:si>y</x:si></sst>"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/sharedStrings.xml", xml)
        with zipfile.ZipFile(buf) as z:
            assert xlsx.testi_condivisi(z) == 4, riempitivo


# --- a register too big to load -----------------------------------------------------------------------


def test_registro_enorme_rifiutato_con_messaggio_chiaro(db: DbStore, tmp_path: Path):
    script = tmp_path / "crea-registro-105k.py"
    shutil.copy(CASI / "crea-registro-105k.py", script)
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True)
    enorme = (tmp_path / "punti-105k.csv").read_bytes()
    prima = db.versione_dati()
    anteprima = db.anteprima_import("punti-105k.csv", enorme)
    assert [str(p) for p in anteprima.problemi] == [
        "punti-105k.csv: troppe righe: il registro ammette al massimo 5.000 punti, il file ne ha di più. "
        "È il file giusto? Nulla è stato caricato."
    ]
    assert db.versione_dati() == prima


def test_registro_al_limite_accettato_e_caricato_al_riavvio(db: DbStore):
    """What the preview accepts the store loads after a restart: the largest register allowed."""
    intestazione = ",".join(registro.COLONNE_PUNTI)
    campi = {"codice_istat": "17029010", "stato": "attivo", "lat": "45.52", "lon": "10.21", "fonte": "fonte di prova"}
    righe = [
        ",".join(
            {**campi, "id": f"p{i}", "nome": f"P {i}", "dimostrativo": "no"}.get(c, "") for c in registro.COLONNE_PUNTI
        )
        for i in range(MAX_PUNTI)
    ]
    anteprima = db.anteprima_import("grande.csv", "\n".join([intestazione, *righe]).encode())
    assert anteprima.valida, [str(p) for p in anteprima.problemi[:3]]
    db.applica_import(anteprima, amministratore("prova"))
    riavvio = DbStore(db.engine, db.data_dir)
    snap, errori = riavvio.get()
    assert errori == [] and snap is not None and len(snap.punti) == MAX_PUNTI
    # One more is refused by the same check.
    righe.append(f"p{MAX_PUNTI},P,17029010,attivo,,45.52,10.21,,,,,fonte di prova,no,,,,")
    troppo = db.anteprima_import("grande.csv", "\n".join([intestazione, *righe]).encode())
    assert not troppo.valida and "troppe righe" in troppo.problemi[0].messaggio
