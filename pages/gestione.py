"""Gestione: officials edit the register of points (login required).

Edit one point (status, details, desk schedule), import a whole register from CSV/XLSX with a
preview of every problem before anything is written, read the history of changes. Every write goes
through db.DbStore: checked by the same loaders as data/, all or nothing, refused when someone else
saved the same point in the meantime. The page is for the Comune's officials: Italian only.
"""

from __future__ import annotations

import copy
import datetime as dt

import pandas as pd
import streamlit as st
import streamlit_authenticator as stauth

from cittadelnoi import ui
from cittadelnoi.auth import accesso
from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.csvio import MAX_MB
from cittadelnoi.loaders.registro import COLONNE_ORARIO, COLONNE_PUNTI
from cittadelnoi.loaders.storico import FUSO
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Anteprima, Conflitto

NUOVO = "__nuovo__"
STATI = {"attivo": "attivo", "in_apertura": "in apertura"}
POSIZIONI = {"centro_quartiere": "centro del quartiere (indicativa)", "indirizzo": "all'indirizzo (geocodificata)"}
_K_BASI = "gestione_basi"  # point id -> (record, schedule, version) the official started editing from
_K_ESITO = "gestione_esito"
_K_ANTEPRIMA = "gestione_anteprima"
_K_RICARICHE = "gestione_ricariche"


_md = ui.md  # text from the register shown in a message: never markdown, links, images or HTML


def _ora(quando: dt.datetime) -> str:
    return quando.astimezone(FUSO).strftime("%d/%m/%Y %H:%M")


def _elenco_problemi(problemi: list[Problema] | tuple[Problema, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"File": p.file, "Riga": p.riga, "Colonna": p.colonna or "", "Problema": p.messaggio} for p in problemi],
        columns=["File", "Riga", "Colonna", "Problema"],
    ).astype({"Riga": "Int64"})


@st.cache_resource(show_spinner=False)
def _hash_demo() -> str:
    return accesso.hash_password(accesso.PASSWORD_DEMO)


@st.cache_resource(show_spinner=False)
def _chiave_riserva() -> str:
    import secrets

    return secrets.token_hex(32)


def _sezione_secrets() -> dict | None:
    def semplice(v):
        return {k: semplice(x) for k, x in v.items()} if hasattr(v, "items") else v

    try:
        return semplice(st.secrets["gestione"])
    except Exception:  # no secrets file, or no [gestione] section
        return None


# --- access ------------------------------------------------------------------------------------

st.title("Gestione del registro dei punti")
store = ui.archivio()
if not isinstance(store, DbStore):
    st.info(
        "Questa installazione legge i dati dai file della cartella data/ (CITTADELNOI_ARCHIVIO=file): "
        "il registro si modifica in quei file, non da questa pagina.",
        icon=":material/info:",
    )
    st.stop()

incorporato = store.engine.dialect.name == "sqlite"
cfg = accesso.configurazione(_sezione_secrets(), incorporato, _hash_demo() if incorporato else None, _chiave_riserva())
for problema in cfg.problemi:
    st.warning(problema, icon=":material/key:")
if not cfg.utenti:
    st.error(
        "Nessun account configurato per la gestione. Aggiungere gli account in `.streamlit/secrets.toml`, "
        "sezione `[gestione]` (vedi README, «Gestione dei dati»).",
        icon=":material/lock:",
    )
    st.stop()

# Failed logins: the library counts them in the credentials it is given (and refuses at
# max_login_attempts); a fresh copy per run carries the process-wide, time-limited count of
# accesso.LimiteTentativi in and the failures of this run out.
limite = ui.limite_accessi()
credenziali = copy.deepcopy(cfg.credenziali)
bloccati = {u: attesa for u in cfg.utenti if (attesa := limite.attesa_s(u)) > 0}
for utente in bloccati:
    credenziali["usernames"][utente]["failed_login_attempts"] = limite.massimo
autenticatore = stauth.Authenticate(
    credenziali, accesso.COOKIE, cfg.cookie_key, 1.0, auto_hash=False, login_sleep_time=0
)
era_dentro = bool(st.session_state.get("authentication_status"))
sospeso = False
try:
    autenticatore.login(
        location="main",
        key="accesso_gestione",
        max_login_attempts=limite.massimo,
        fields={"Form name": "Accesso riservato", "Username": "Utente", "Password": "Password", "Login": "Entra"},
    )
except stauth.LoginError as exc:
    if "attempts" in str(exc) and bloccati:
        sospeso = True
        minuti = max(1, round(max(bloccati.values()) / 60)) if len(bloccati) == 1 else round(limite.finestra_s / 60)
        st.error(
            f"Troppi tentativi di accesso non riusciti per questo utente: l'accesso è sospeso, riprovare tra "
            f"{minuti} minut{'o' if minuti == 1 else 'i'} al massimo.",
            icon=":material/lock_clock:",
        )
    else:
        st.error(f"Accesso non riuscito: {exc}")
except Exception as exc:
    st.error(f"Accesso non riuscito: {exc}")
for utente, dati in credenziali["usernames"].items():
    if utente not in bloccati and dati.get("failed_login_attempts"):
        limite.fallito(utente)
if st.session_state.get("authentication_status"):
    if not era_dentro:
        limite.riuscito(str(st.session_state.get("username")))
    autenticatore.logout("Esci", location="sidebar", key="esci_gestione")
stato_accesso = st.session_state.get("authentication_status")
if not stato_accesso:
    if stato_accesso is False and not sospeso:
        st.error("Utente o password non corretti.", icon=":material/lock:")
    if cfg.demo:
        st.info(
            f"Installazione dimostrativa (database SQLite incorporato, nessun account configurato): "
            f"utente «{accesso.UTENTE_DEMO}», password «{accesso.PASSWORD_DEMO}». "
            "Prima di usare dati reali, configurare gli account in `.streamlit/secrets.toml`.",
            icon=":material/science:",
        )
    st.caption("La pagina Gestione è riservata ai funzionari del Comune: consultazione e mappa restano pubbliche.")
    st.stop()

chi = str(st.session_state.get("username"))
snap = ui.dati_se_ci_sono()
if snap is None:
    st.warning(
        "Il registro salvato non può essere mostrato (vedi il messaggio in alto): importare un registro "
        "corretto qui sotto per ripararlo.",
        icon=":material/build:",
    )
st.caption(
    f"Accesso come **{_md(str(st.session_state.get('name')))}** ({_md(chi)}). "
    f"Ultimo aggiornamento dei dati: {_ora(snap.caricato_il) if snap is not None else '—'}. Ogni modifica è registrata nello storico con autore, ora, "
    "valore precedente e nuovo."
)
if cfg.demo:
    st.warning(
        "Account dimostrativo attivo: configurare gli account in `.streamlit/secrets.toml` prima di usare dati reali.",
        icon=":material/science:",
    )
if (esito := st.session_state.pop(_K_ESITO, None)) is not None:
    st.success(esito, icon=":material/check_circle:")

punti_rec, fasce_rec, info = store.registro_attuale()
nomi = {r["id"]: r["nome"] or r["id"] for r in punti_rec}
quartieri = store.quartieri_di_riferimento().set_index("codice_istat")["nome"].to_dict()
tab_modifica, tab_importa, tab_storico = st.tabs(
    ["Modifica un punto", "Importa il registro", "Storico delle modifiche"]
)


# --- edit one point ----------------------------------------------------------------------------

with tab_modifica:
    if (prossimo := st.session_state.pop("gestione_punto_prossimo", None)) in nomi:
        st.session_state["gestione_punto"] = prossimo  # a point just created: show it
    scelta = st.selectbox(
        "Punto da modificare",
        [*nomi, NUOVO],
        key="gestione_punto",
        format_func=lambda i: "➕ Nuovo punto" if i == NUOVO else f"{nomi.get(i, i)} ({i})",
    )
    basi: dict = st.session_state.setdefault(_K_BASI, {})
    if scelta == NUOVO:
        vuoto = {c: None for c in COLONNE_PUNTI} | {
            "stato": "in_apertura",
            "posizione": "centro_quartiere",
            "dimostrativo": "no",
        }
        rec, orario, versione = vuoto, [], None
    else:
        if scelta not in basi:
            trovato = store.punto(scelta)
            if trovato is None:
                st.error("Il punto non è più nel registro.")
                st.stop()
            basi[scelta] = trovato
        rec, orario, versione = basi[scelta]
        if info.get(scelta, {}).get("versione") not in (None, versione):
            st.warning(
                "Questo punto è stato modificato da un'altra persona dopo che hai iniziato: salvando riceverai un "
                "avviso di conflitto. Usa «Ricarica il punto» per partire dai dati attuali.",
                icon=":material/sync_problem:",
            )
    prefisso = f"g_{scelta}_{versione}_{st.session_state.get(_K_RICARICHE, 0)}"

    with st.form(f"modulo_{prefisso}"):
        c1, c2 = st.columns(2)
        nuovo_id = (
            c1.text_input("Identificativo (minuscole, cifre e trattini)", key=f"{prefisso}_id")
            if scelta == NUOVO
            else scelta
        )
        nome = c1.text_input("Nome", rec.get("nome") or "", key=f"{prefisso}_nome")
        stato = c2.selectbox(
            "Stato",
            list(STATI),
            index=list(STATI).index(rec.get("stato")) if rec.get("stato") in STATI else 0,
            format_func=STATI.get,
            key=f"{prefisso}_stato",
        )
        codici = sorted(quartieri, key=quartieri.get)
        codice = c2.selectbox(
            "Quartiere",
            codici,
            index=codici.index(rec["codice_istat"]) if rec.get("codice_istat") in codici else None,
            format_func=lambda c: f"{quartieri[c]} ({c})",
            key=f"{prefisso}_quartiere",
            placeholder="Scegli un quartiere",
        )
        indirizzo = c1.text_input("Indirizzo", rec.get("indirizzo") or "", key=f"{prefisso}_indirizzo")
        c3, c4, c5 = st.columns(3)
        lat = c3.text_input("Latitudine", rec.get("lat") or "", key=f"{prefisso}_lat")
        lon = c4.text_input("Longitudine", rec.get("lon") or "", key=f"{prefisso}_lon")
        posizione = c5.selectbox(
            "Posizione sulla mappa",
            list(POSIZIONI),
            format_func=POSIZIONI.get,
            key=f"{prefisso}_posizione",
            index=list(POSIZIONI).index(rec.get("posizione")) if rec.get("posizione") in POSIZIONI else 0,
        )
        c6, c7, c8 = st.columns(3)
        ente = c6.text_input("Ente gestore", rec.get("ente_gestore") or "", key=f"{prefisso}_ente")
        partner = c7.text_input("Partner (separati da ;)", rec.get("partner") or "", key=f"{prefisso}_partner")
        apertura = c8.text_input("Data di apertura (AAAA-MM-GG)", rec.get("apertura") or "", key=f"{prefisso}_apertura")
        fonte = st.text_area("Fonte (obbligatoria)", rec.get("fonte") or "", key=f"{prefisso}_fonte", height=68)
        dimostrativo = st.checkbox(
            "Dato dimostrativo (segnaposto, non un punto reale)",
            rec.get("dimostrativo") == "sì",
            key=f"{prefisso}_dimostrativo",
        )
        st.markdown("**Orario dello sportello** — una riga per fascia; giorno lun…dom, orari HH:MM, fine fino a 24:00.")
        tabella = pd.DataFrame(
            [{**f, "dimostrativo": f.get("dimostrativo") == "sì"} for f in orario], columns=list(COLONNE_ORARIO)
        )
        tabella["dimostrativo"] = tabella["dimostrativo"].fillna(False).astype(bool)
        modificato = st.data_editor(
            tabella.astype({c: "string" for c in COLONNE_ORARIO if c != "dimostrativo"}),
            num_rows="dynamic",
            key=f"{prefisso}_orario",
            width="stretch",
            hide_index=True,
            column_config={
                "giorno": st.column_config.TextColumn("Giorno", help="lun, mar, mer, gio, ven, sab o dom"),
                "inizio": st.column_config.TextColumn("Inizio", help="HH:MM"),
                "fine": st.column_config.TextColumn("Fine", help="HH:MM (fino a 24:00)"),
                "volontari": st.column_config.TextColumn("Volontari", help="numero intero, facoltativo"),
                "fonte": st.column_config.TextColumn("Fonte", width="large"),
                "dimostrativo": st.column_config.CheckboxColumn("Dimostrativo"),
            },
        )
        salva = st.form_submit_button("Salva le modifiche", type="primary", icon=":material/save:")

    if scelta != NUOVO and st.button(
        "Ricarica il punto con i dati attuali", icon=":material/refresh:", key="gestione_ricarica"
    ):
        basi.pop(scelta, None)
        st.session_state[_K_RICARICHE] = st.session_state.get(_K_RICARICHE, 0) + 1
        st.rerun()

    if salva:
        nuovo_rec = {
            "id": (nuovo_id or "").strip(),
            "nome": nome,
            "codice_istat": codice,
            "stato": stato,
            "indirizzo": indirizzo,
            "lat": lat,
            "lon": lon,
            "posizione": posizione,
            "ente_gestore": ente,
            "partner": partner,
            "apertura": apertura,
            "fonte": fonte,
            "dimostrativo": "sì" if dimostrativo else "no",
        }
        nuovo_rec = {k: registro.testo(v) for k, v in nuovo_rec.items()}
        righe = [registro.record(r, COLONNE_ORARIO) for r in modificato.to_dict("records")]
        nuovo_orario = [r for r in righe if any(r.get(c) for c in COLONNE_ORARIO if c != "dimostrativo")]
        try:
            esito = store.salva_punto(None if scelta == NUOVO else scelta, nuovo_rec, nuovo_orario, versione, chi)
        except DatiNonValidi as exc:
            st.error(
                f"Non salvato: {len(exc.problemi)} problemi. Correggere e salvare di nuovo.", icon=":material/error:"
            )
            st.dataframe(_elenco_problemi(exc.problemi), hide_index=True, width="stretch")
        except Conflitto as exc:
            st.error(_md(exc.messaggio), icon=":material/sync_problem:")
            if exc.attuale is not None:
                tuo = {**nuovo_rec, "id": scelta}
                campi = [c for c in COLONNE_PUNTI if len({rec.get(c), exc.attuale.get(c), tuo.get(c)}) > 1]
                st.markdown("Confronto: quando hai iniziato, ora nel registro, la tua versione (non salvata).")
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Campo": c,
                                "Quando hai iniziato": rec.get(c),
                                "Ora nel registro": exc.attuale.get(c),
                                "Tua versione": tuo.get(c),
                            }
                            for c in campi
                        ],
                        columns=["Campo", "Quando hai iniziato", "Ora nel registro", "Tua versione"],
                    ),
                    hide_index=True,
                    width="stretch",
                )
        else:
            id_salvato = nuovo_rec["id"] if scelta == NUOVO else scelta
            basi.pop(id_salvato, None)
            if esito.revisione is None:
                st.session_state[_K_ESITO] = "Nessuna modifica da salvare."
            else:
                st.session_state[_K_ESITO] = "Salvato. " + _md(" · ".join(esito.modifiche))
                if scelta == NUOVO:
                    st.session_state["gestione_punto_prossimo"] = id_salvato
            st.rerun()


# --- import a register --------------------------------------------------------------------------

with tab_importa:
    st.markdown(
        "Importare un registro completo sostituisce il registro attuale: i punti che non sono nel file vengono "
        "rimossi. Prima di scrivere qualsiasi cosa l'app mostra tutti i problemi del file, oppure l'elenco delle "
        "modifiche da confermare. L'importazione è tutto-o-niente."
    )
    d1, d2 = st.columns(2)
    d1.download_button(
        "Scarica il registro attuale (Excel)",
        lambda: registro.xlsx_registro(punti_rec, fasce_rec),
        "registro-punti.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="gestione_scarica_xlsx",
        on_click="ignore",
    )
    d2.download_button(
        "Scarica il registro attuale (CSV)",
        lambda: registro.csv_testo(punti_rec, COLONNE_PUNTI).encode("utf-8"),
        "punti.csv",
        mime="text/csv",
        icon=":material/download:",
        key="gestione_scarica_csv",
        on_click="ignore",
    )
    file_p = st.file_uploader(
        "Registro dei punti: CSV come data/punti.csv, oppure Excel con i fogli «punti» e (facoltativo) «sportelli»",
        type=["csv", "xlsx"],
        max_upload_size=MAX_MB,
        key="gestione_file",
    )
    file_s = st.file_uploader(
        "Fasce orarie degli sportelli (CSV come data/sportelli.csv, facoltativo)",
        type=["csv"],
        max_upload_size=MAX_MB,
        key="gestione_file_sportelli",
    )
    if file_p is None:
        st.session_state.pop(_K_ANTEPRIMA, None)
    else:
        chiave = (file_p.file_id, file_s.file_id if file_s else None)
        salvata = st.session_state.get(_K_ANTEPRIMA)
        if salvata is None or salvata[0] != chiave:
            anteprima = store.anteprima_import(
                file_p.name, file_p.getvalue(), file_s.name if file_s else None, file_s.getvalue() if file_s else None
            )
            st.session_state[_K_ANTEPRIMA] = (chiave, anteprima)
        anteprima: Anteprima = st.session_state[_K_ANTEPRIMA][1]
        if not anteprima.valida:
            st.error(
                f"Il file contiene {len(anteprima.problemi)} problemi: nulla è stato importato. "
                "Correggere il file e caricarlo di nuovo.",
                icon=":material/error:",
            )
            st.dataframe(_elenco_problemi(anteprima.problemi), hide_index=True, width="stretch")
        else:
            if anteprima.avvisi:
                with st.expander(f"Avvisi sul file ({len(anteprima.avvisi)})"):
                    st.markdown("\n".join(f"- {_md(str(p))}" for p in anteprima.avvisi))
            if not anteprima.n_modifiche:
                st.info("Il file è identico al registro attuale: niente da importare.")
            else:
                righe = (
                    [{"Punto": i, "Cosa": "nuovo punto", "Modifiche": ""} for i in anteprima.nuovi]
                    + [{"Punto": i, "Cosa": "modificato", "Modifiche": t} for i, t in anteprima.modificati.items()]
                    + [
                        {"Punto": i, "Cosa": "rimosso (con le sue fasce orarie)", "Modifiche": ""}
                        for i in anteprima.rimossi
                    ]
                    + [{"Punto": i, "Cosa": "orario", "Modifiche": t} for i, t in anteprima.orari.items()]
                )
                st.markdown(
                    f"**Anteprima:** {len(anteprima.nuovi)} nuovi, {len(anteprima.modificati)} modificati, "
                    f"{len(anteprima.rimossi)} rimossi, {len(anteprima.orari)} orari cambiati"
                    + ("" if anteprima.sportelli_nel_file else " (orari non nel file: restano quelli attuali)")
                    + "."
                )
                st.dataframe(pd.DataFrame(righe), hide_index=True, width="stretch")
                if st.button(
                    f"Conferma l'importazione ({anteprima.n_modifiche} modifiche)",
                    type="primary",
                    icon=":material/upload:",
                    key="gestione_conferma",
                ):
                    try:
                        esito = store.applica_import(anteprima, chi)
                    except Conflitto as exc:
                        st.session_state.pop(_K_ANTEPRIMA, None)
                        st.error(_md(exc.messaggio), icon=":material/sync_problem:")
                    else:
                        st.session_state.pop(_K_ANTEPRIMA, None)
                        st.session_state[_K_BASI] = {}
                        st.session_state[_K_ESITO] = (
                            f"Registro importato da «{_md(anteprima.file)}»: {len(esito.modifiche)} modifiche registrate."
                        )
                        st.rerun()


# --- history ------------------------------------------------------------------------------------

with tab_storico:
    filtro_punto = st.selectbox(
        "Punto",
        ["", *nomi],
        format_func=lambda i: "Tutti i punti" if not i else f"{nomi.get(i, i)} ({i})",
        key="gestione_storico_punto",
    )
    modifiche = store.modifiche(filtro_punto or None, limite=500)
    st.caption(
        "Lo storico è in sola aggiunta: il database rifiuta di cambiare o cancellare una riga. "
        "Le righe datate prima della creazione del database vengono da data/storico_punti.csv."
    )
    tabella_storico = pd.DataFrame(
        {
            "Quando": [_ora(q) for q in modifiche["quando"]],
            "Chi": modifiche["chi"],
            "Punto": modifiche["punto"],
            "Cosa": modifiche["oggetto"] + " · " + modifiche["azione"],
            "Modifiche (prima → dopo)": modifiche["modifiche"],
            "Nota": modifiche["nota"].fillna(""),
        }
    )
    st.dataframe(tabella_storico, hide_index=True, width="stretch")
