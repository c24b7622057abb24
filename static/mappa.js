/* The map of the quartieri and the community points (cittadelnoi/views/mapview.py builds the rest).
 *
 * Served by the app as /app/static/mappa.js, next to Leaflet and topojson-client in vendor/, and
 * put inside the page for the meeting kit (views/mappa_pubblica.incorpora_vendor). It defines one
 * function, `cdnMappa(d, mappa)`, that the map's own script calls with the map's data `d` (JSON
 * read from a <script type="application/json"> block of the page: nothing of the data is ever
 * code) and the Leaflet map. It draws the quartieri (TopoJSON), their labels and numbered key, and
 * the points with their tooltips and popups, built here only when opened.
 *
 * Text from the data (names and addresses come from files edited by people) goes into the page
 * with textContent, never as HTML.
 *
 * The selection (quartieri in view, the chosen one, the key, the bounds, the point whose popup is
 * open) is applied by `mappa.cdnSeleziona(s, daStreamlit)`: at once when the data carry it, else by
 * the selection's feature group (mapview.strato_selezione), which streamlit-folium evaluates again
 * at every pick without drawing a new map.
 */
(function () {
  "use strict";

  window.cdnMappa = function (d, mappa) {
    // Leaflet's credit stays, as text: the map links to no other host (issue 10, point 5).
    if (mappa.attributionControl) mappa.attributionControl.setPrefix("Leaflet");

    // A click on the map focuses it for the keyboard (Leaflet's Keyboard handler), and focusing an
    // element in a frame scrolls the page until the whole frame shows: with the map partly below the
    // fold, the first mouse press on a marker moved the page under the pointer, the release landed
    // elsewhere and the marker got no click (issue 21, point 6). The same focus, taken first and
    // without scrolling: Leaflet then finds the map focused and does nothing.
    mappa.getContainer().addEventListener("mousedown", function () {
      var c = mappa.getContainer();
      if (document.activeElement !== c) c.focus({preventScroll: true});
    }, true);

    function tabella(classe, etichette, valori) {
      var t = document.createElement("table");
      t.className = classe;
      etichette.forEach(function (etichetta, i) {
        var riga = t.insertRow(), th = document.createElement("th");
        th.scope = "row";
        th.textContent = etichetta;
        riga.appendChild(th);
        riga.insertCell().textContent = valori[i] == null ? d.testi.non_noto : valori[i];
      });
      return t;
    }

    function hhmm(m) {
      return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
    }

    // Desk open now, or when it opens next, in Rome's time whatever the viewer's time zone.
    function adesso(fasce) {
      if (!fasce || !fasce.length) return null;
      var parti = {};
      new Intl.DateTimeFormat("en-GB", {timeZone: "Europe/Rome", weekday: "short", hour: "2-digit",
        minute: "2-digit", hourCycle: "h23"}).formatToParts(new Date()).forEach(function (p) { parti[p.type] = p.value; });
      var g = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parti.weekday);
      var ora = parseInt(parti.hour, 10) * 60 + parseInt(parti.minute, 10), adessoMin = g * 1440 + ora;
      var meglio = null;
      for (var i = 0; i < fasce.length; i++) {
        var inizio = fasce[i][0] * 1440 + fasce[i][1], fine = fasce[i][0] * 1440 + fasce[i][2];
        if (inizio <= adessoMin && adessoMin < fine) return d.testi.aperto_fino.replace("{ora}", hhmm(fasce[i][2]));
        var tra = (inizio - adessoMin + 10080) % 10080;
        if (meglio === null || tra < meglio[0]) meglio = [tra, fasce[i]];
      }
      var giorni = Math.floor((ora + meglio[0]) / 1440);
      var quando = giorni === 0 ? d.testi.oggi : giorni === 1 ? d.testi.domani : d.testi.giorni[meglio[1][0]];
      return d.testi.chiuso_apre.replace("{quando}", quando).replace("{ora}", hhmm(meglio[1][1]));
    }

    // The selection now shown (see applica).
    var dentro = new Set(), scelto = null, limiti = null, voci = [], selezione = null;
    var quartieri = L.geoJSON(topojson.feature(d.topologia, d.topologia.objects.quartieri), {
      style: function (f) {
        var c = f.properties.codice_istat, q = d.quartieri[c], si = dentro.has(c), sc = c === scelto;
        var fill = d.colori_q ? d.colori_q[c] : d.colori[q.stato];
        return {fillColor: fill, fillOpacity: si ? (d.colori_q ? 0.85 : 0.7) : 0.15, color: sc ? "#000000" : "#333333",
                weight: sc ? 4 : 1.2, dashArray: d.bordi[q.stato], opacity: si ? 1 : 0.4};
      },
      onEachFeature: function (f, layer) {
        var q = d.quartieri[f.properties.codice_istat];
        layer.bindTooltip(function () {
          return tabella("cdn-tooltip", d.testi.quartiere, [q.nome, q.zona, q.stato_testo, q.punti_testo, q.area_testo]);
        }, {sticky: true});
        layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
        layer.on("mouseout", function () { quartieri.resetStyle(layer); });
        // The overview's map (mapview.prepara_base): a click picks the quartiere, shown at once
        // (sceglie), and goes on to Streamlit as before.
        if (d.clic_sceglie) layer.on("click", function () { sceglie(f.properties.codice_istat, layer); });
      }
    }).addTo(mappa);

    // Show now what the server will send back for a pick (dati_selezione of one quartiere; its
    // bounds are those of the original shape, these of the drawn one: a metre or two apart, less
    // than a pixel), before the round trip (issue 14, point 4).
    function sceglie(c, layer) {
      applica({dentro: [c], scelto: c, chiave: [[d.etichette[c], d.quartieri[c].nome]], limiti: layer.getBounds(),
               punto_aperto: null}, false);
    }

    // A pick in the sidebar's «Quartiere» or «Zona» list: the page's script (ui/menu.py) calls these.
    // A quartiere is shown at once, as a click on it; any pick closes the point's popup, also one of
    // the value already chosen, which Streamlit does not send (issue 21, point 1: «Tutti i
    // quartieri» left a popup opened from a link, and `punto=` in the URL).
    if (d.clic_sceglie) {
      window.cdnScegli = function (nome) {
        var trovato = false;
        quartieri.eachLayer(function (l) {
          var c = l.feature.properties.codice_istat;
          if (!trovato && d.quartieri[c].nome === nome) {
            trovato = true;
            sceglie(c, l);
          }
        });
        if (!trovato) mappa.closePopup();
      };
      window.cdnChiudiPunto = function () { mappa.closePopup(); };
    }

    // The overview's live map tells the page which point's popup is open: its id, or null once
    // closed, whatever opened or closed it (a click, Enter on a focused marker, the close button, a
    // click elsewhere, a pick). It goes as the value streamlit-folium sends to Python (pages/
    // panoramica.py reads `punto`), with the fields that component sent last, unchanged. Popups the
    // server asked for (cdnSeleziona) are not reported back: it knows them.
    var riferito = null, daRiferire = null, inAttesa = false, silenzioso = false;
    function riferisci(id) {
      if (!d.riporta_punti || silenzioso) return;
      daRiferire = id;
      if (inAttesa) return;
      // Once the current event is over: opening a popup closes the previous one first, and only
      // the end of the two (the new point) is sent.
      inAttesa = true;
      setTimeout(function () {
        inAttesa = false;
        var g = window.__GLOBAL_DATA__, s = window.Streamlit;
        if (daRiferire === riferito || !g || !s) return;
        riferito = daRiferire;
        s.setComponentValue(Object.assign({}, g.previous_data, {punto: riferito}));
      }, 0);
    }

    // Labels: text in the page (selectable, read by screen readers), numbers at the city view,
    // names once zoomed in; nudged apart where two would overlap. Only the quartieri in view carry one.
    var tutte = [], etichette = [], chiave = null, lista = null;
    // Their own pane, under the markers and after them in the page: a marker is the first focusable element.
    mappa.createPane("cdnEtichette").style.zIndex = 450;
    quartieri.eachLayer(function (layer) {
      var c = layer.feature.properties.codice_istat, testo = d.etichette[c];
      if (testo == null) return;
      var centro = L.latLng(d.quartieri[c].centro[0], d.quartieri[c].centro[1]);
      var box = document.createElement("span");
      var m = L.marker(centro, {icon: L.divIcon({html: box, className: "cdn-etichetta", iconSize: [0, 0]}),
                                interactive: false, keyboard: false, pane: "cdnEtichette"});
      tutte.push({m: m, box: box, centro: centro, numero: testo, nome: d.quartieri[c].nome, c: c});
    });

    function disponi() {
      // No view yet (see adatta): laid out at the first one.
      if (!mappa._loaded) return;
      var nomi = voci.length <= 1 || mappa.getZoom() >= 14;
      etichette.forEach(function (e) {
        e.box.textContent = nomi && !d.colori_q ? e.nome : e.numero;
        e.m.getElement().classList.toggle("cdn-nome", nomi && !d.colori_q);
      });
      // Positions in pixels, moved apart in memory, then set once: no layout per step.
      var pos = etichette.map(function (e) {
        var p = mappa.latLngToContainerPoint(e.centro);
        return {x: p.x, y: p.y, w: (e.box.offsetWidth || e.box.textContent.length * 8 + 10) + 2,
                h: (e.box.offsetHeight || 18) + 2};
      });
      // The points' markers stay where they are: a label that covers one moves off it.
      var ostacoli = [];
      mappa.eachLayer(function (l) {
        if (l.options && l.options.icon && l.options.icon.options.className === "cdn-punto") {
          var p = mappa.latLngToContainerPoint(l.getLatLng());
          ostacoli.push({x: p.x, y: p.y, w: 30, h: 30});
        }
      });
      // Greedy: each label takes the nearest spot around its quartiere's point that covers neither
      // a marker nor a label already placed (the least covered one if none is free).
      function coperto(a, b) {
        var x = (a.w + b.w) / 2 - Math.abs(a.x - b.x), y = (a.h + b.h) / 2 - Math.abs(a.y - b.y);
        return x > 0 && y > 0 ? x * y : 0;
      }
      var posti = ostacoli.slice();
      pos.forEach(function (p) {
        var ys = [0, p.h / 2 + 16, -(p.h / 2 + 16), 1.5 * p.h + 18, -(1.5 * p.h + 18)];
        var xs = [0, p.w / 2 + 16, -(p.w / 2 + 16), p.w + 6, -(p.w + 6)];
        var prove = [];
        xs.forEach(function (dx) { ys.forEach(function (dy) { prove.push([dx, dy]); }); });
        prove.sort(function (u, v) { return Math.hypot(u[0], u[1]) - Math.hypot(v[0], v[1]); });
        var meglio = null, costo = Infinity;
        for (var k = 0; k < prove.length && costo > 0; k++) {
          var c = {x: p.x + prove[k][0], y: p.y + prove[k][1], w: p.w, h: p.h}, somma = 0;
          posti.forEach(function (o) { somma += coperto(c, o); });
          if (somma < costo) { costo = somma; meglio = c; }
        }
        p.x = meglio.x;
        p.y = meglio.y;
        posti.push(meglio);
      });
      pos.forEach(function (p, i) { etichette[i].m.setLatLng(mappa.containerPointToLatLng(L.point(p.x, p.y))); });
    }

    // The numbered key, beside the map when more than one quartiere is in view.
    function componiChiave() {
      if (voci.length <= 1) {
        if (chiave) chiave.remove();
        return;
      }
      if (!chiave) {
        chiave = document.createElement("details");
        chiave.className = "cdn-chiave";
        chiave.open = window.innerWidth > 600;
        var titolo = document.createElement("summary");
        lista = document.createElement("ol");
        titolo.textContent = d.colori_q ? d.testi.chiave_classifica : d.testi.chiave;
        chiave.appendChild(titolo);
        chiave.appendChild(lista);
        L.DomEvent.disableClickPropagation(chiave);
        L.DomEvent.disableScrollPropagation(chiave);
        chiave.addEventListener("toggle", function () { if (!mossoDaUtente) adatta(); });
      }
      lista.textContent = "";
      voci.forEach(function (voce) {
        var li = document.createElement("li"), n = document.createElement("b");
        n.textContent = voce[0];
        li.appendChild(n);
        li.appendChild(document.createTextNode(" " + voce[1]));
        lista.appendChild(li);
      });
      if (!chiave.parentNode) mappa.getContainer().appendChild(chiave);
    }

    // Fit the view beside the key; fit again when the frame is resized, until the user moves the map.
    var mossoDaUtente = false;
    function adatta() {
      if (!limiti) return;
      var dim = mappa.getSize(), sinistra = chiave && chiave.parentNode && chiave.open ? chiave.offsetWidth + 20 : 10;
      // A frame not laid out yet (no size) waits for its "resize"; one narrower than the key fits
      // without it. Padding wider than the map makes Leaflet's zoom NaN (it threw "Invalid LatLng
      // object: (NaN, NaN)" in a frame that started with no size).
      if (dim.x < 40 || dim.y < 40) return;
      if (dim.x - sinistra - 10 < 40) sinistra = 10;
      mappa.fitBounds(limiti, {paddingTopLeft: [sinistra, 10], paddingBottomRight: [10, 10], animate: false});
    }
    mappa.on("zoomend", disponi);
    mappa.on("dragstart", function () { mossoDaUtente = true; });
    mappa.on("resize", function () { if (!mossoDaUtente) adatta(); disponi(); });

    // Markers are made when their quartiere first comes into view, then kept.
    var marcatori = d.punti.map(function () { return null; });
    function marcatore(p) {
      var stato = p[2], titolo = p[4] + " — " + d.testi.stati[stato] + (p[8] ? " — " + d.testi.indicativa : "");
      var icona = document.createElement("div");
      icona.className = "cdn-marker cdn-" + stato + (p[3] ? " cdn-demo" : "") + (p[8] ? " cdn-indicativa" : "");
      icona.setAttribute("role", "img");
      icona.setAttribute("aria-label", d.testi.stati[stato]);
      icona.textContent = d.simboli[stato] || "";
      var m = L.marker([p[0], p[1]], {
        icon: L.divIcon({html: icona, iconSize: [28, 28], iconAnchor: [14, 14], className: "cdn-punto"}),
        title: titolo, alt: titolo, keyboard: true
      }).bindTooltip(function () { return document.createTextNode(titolo); })
        .bindPopup(function () {
          var box = document.createElement("div"), nome = document.createElement("strong");
          box.className = "cdn-popup";
          box.dataset.punto = p[10];
          nome.textContent = p[4];
          box.appendChild(nome);
          if (p[3]) {
            var demo = document.createElement("p");
            demo.textContent = d.testi.dimostrativo;
            box.appendChild(demo);
          }
          if (p[13]) {
            var verifica = document.createElement("p");
            verifica.textContent = d.testi.da_verificare;
            box.appendChild(verifica);
          }
          var ora = adesso(p[11]);
          box.appendChild(tabella("", d.testi.punto.concat(ora ? [d.testi.adesso] : []), [d.testi.stati[stato], p[5], p[6],
            p[7] == null ? d.testi.orari_non_documentati : p[7], d.testi.posizione[p[8]], p[12], p[9]].concat(ora ? [ora] : [])));
          // The report form (/segnala), except in a page opened from a file (the meeting kit: no server).
          if (d.testi.segnala && location.protocol !== "file:") {
            var segnala = document.createElement("a");
            segnala.className = "cdn-segnala";
            segnala.href = d.testi.segnala[1] + encodeURIComponent(p[10]) + d.testi.segnala[2];
            segnala.target = "_blank";
            segnala.rel = "noopener";
            segnala.textContent = d.testi.segnala[0];
            box.appendChild(segnala);
          }
          return box;
        }, {maxWidth: 320});
      m.on("popupopen", function () { riferisci(p[10]); });
      m.on("popupclose", function () { riferisci(null); });
      return m;
    }

    // Show the selection `s`. From the server (daStreamlit), a selection equal to the one shown
    // changes nothing but the open point: it is the answer to a pick already shown (sceglie), or a
    // rerun for a point opened or closed here. Picked here, it always starts afresh, as a new map
    // would: no popup left open from the previous view.
    function applica(s, daStreamlit) {
      var nuova = JSON.stringify([s.dentro, s.scelto, s.chiave]);
      silenzioso = daStreamlit;
      try {
        if (!daStreamlit || nuova !== selezione) mostra(s);
        selezione = nuova;
        if (daStreamlit) apriPunto(s.punto_aperto);
        else mappa.closePopup();
      } finally {
        silenzioso = false;
      }
      if (daStreamlit) {
        riferito = s.punto_aperto || null;
        // A point opened or closed here just before, still to be sent, is sent all the same.
        if (!inAttesa) daRiferire = riferito;
      }
      // The server has had the last click on a quartiere: the next click, even on the same one
      // (after "all the quartieri" again), must reach Python as a new value. streamlit-folium sends
      // a value only when it differs from the one it sent last, and Python calls back only when
      // it differs from the one it has: both forget the click (one more value, with no click),
      // once the answer shows the quartiere clicked, not at an answer to something else.
      var g = window.__GLOBAL_DATA__, clic = g && g.previous_data && g.previous_data.last_active_drawing;
      if (daStreamlit && clic && clic.properties && clic.properties.codice_istat === s.scelto && window.Streamlit) {
        if (g.last_active_drawing === clic) g.last_active_drawing = null;  // else a newer click, still to be sent
        g.previous_data = Object.assign({}, g.previous_data, {last_active_drawing: null});
        window.Streamlit.setComponentValue(g.previous_data);
      }
    }

    function mostra(s) {
      mappa.closePopup();
      dentro = new Set(s.dentro);
      scelto = s.scelto;
      limiti = s.limiti;
      voci = s.chiave;
      quartieri.setStyle(quartieri.options.style);
      etichette = tutte.filter(function (e) { return dentro.has(e.c); });
      tutte.forEach(function (e) {
        if (dentro.has(e.c)) { if (!mappa.hasLayer(e.m)) e.m.addTo(mappa); } else { e.m.remove(); }
      });
      componiChiave();
      mossoDaUtente = false;
      adatta();
      d.punti.forEach(function (p, i) {
        if (dentro.has(p[14])) {
          if (!marcatori[i]) marcatori[i] = marcatore(p);
          if (!mappa.hasLayer(marcatori[i])) marcatori[i].addTo(mappa);
        } else if (marcatori[i]) {
          marcatori[i].remove();
        }
      });
      disponi();
    }

    // The popup of the point `id` open (the only one), or none when `id` is null.
    function apriPunto(id) {
      var aperto = null;
      marcatori.forEach(function (m, i) { if (m && d.punti[i][10] === id && mappa.hasLayer(m)) aperto = m; });
      if (!aperto) mappa.closePopup();
      else if (!aperto.isPopupOpen()) aperto.openPopup();
    }

    mappa.cdnSeleziona = applica;
    if (d.dentro) applica(d, true);
    // Again once the frame is laid out and its fonts are in: label sizes are known then.
    window.addEventListener("load", disponi);
    setTimeout(disponi, 300);
    return quartieri;
  };
})();
