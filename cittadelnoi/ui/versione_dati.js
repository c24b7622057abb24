// The data-version check of every open page (ui/archivio.py, aggiorna_se_cambiano_i_dati), a
// Streamlit component (st.components.v2) with no HTML of its own.
//
// Every few seconds it asks the server which data version it serves (GET /versione, from memory,
// cittadelnoi/web/rotte.py) and reruns the page only when the data changed (an edit on the
// Gestione page, in any replica, or a file saved in data/), or when another server process answers
// (the page's replica died and its websocket moved to another one, or the server restarted: the
// page runs there by itself, with its view). While nothing changes, nothing runs on the server.
// The check it replaces was a timer on the server's side (st.fragment(run_every=3)) that ran a
// piece of the page every 3 seconds in every open tab; the browser tests had to retry their clicks
// around those runs (issue 21, point 1).
//
// `data`: {versione: the version the page shows, visto: the version the server's watcher had when
// the page ran (it may lag behind the page: catching up is no change), processo: the server
// process that ran the page, url, ogni_ms}.
export default function (component) {
  const { data, setTriggerValue } = component;
  const stato = window.__cdnVersioneDati || (window.__cdnVersioneDati = { timer: null, segnalata: null, giri: 0 });
  stato.data = data;
  stato.segnala = setTriggerValue;

  // What the server answers, if it differs from the page: "process version", else null.
  async function differenza() {
    const d = stato.data;
    let risposta;
    try {
      const r = await fetch(d.url, { cache: "no-store", credentials: "same-origin" });
      if (!r.ok) return null;
      risposta = await r.json();
    } catch (errore) {
      return null; // the server is restarting, or the network is down: the next round asks again
    }
    const nuovi = risposta.versione && risposta.versione !== d.versione && risposta.versione !== d.visto;
    const altrove = risposta.processo && risposta.processo !== d.processo;
    return nuovi || altrove ? risposta.processo + " " + risposta.versione : null;
  }

  async function giro() {
    stato.giri += 1;
    const prima = await differenza();
    if (prima === null) return;
    // Once: the page's rerun brings the new version and process in `data`; again only if that rerun
    // has not come a few rounds later (a request lost with a reconnection).
    if (prima === stato.segnalata && stato.giri - stato.giro_segnalato < 4) return;
    // Asked again half a round later: a run of this page that is under way (the one that saved a
    // change on the Gestione page, say) brings the new version by then, and is not cut short by
    // a rerun (its message «Salvato» would be lost).
    await new Promise((fatto) => setTimeout(fatto, stato.data.ogni_ms / 2));
    if ((await differenza()) !== prima) return;
    stato.segnalata = prima;
    stato.giro_segnalato = stato.giri;
    stato.segnala("cambiata", prima + " " + stato.giri);
  }

  if (stato.timer === null) stato.timer = setInterval(giro, data.ogni_ms);
  return function () {
    clearInterval(stato.timer);
    stato.timer = null;
  };
}
