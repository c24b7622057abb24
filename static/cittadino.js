// The citizen pages (/quartieri/<codice>, /punti/<id>; cittadelnoi/views/pagine_cittadine.py):
// each desk's "open now" or next opening, at the moment the page is read, in Brescia's time zone
// (the page gives it: data-fuso on <main>, from core/tempo.py) whatever the phone's own zone.
// The slots are in each point's data-fasce: [[weekday 0 = Monday, start minute, end minute], ...].
// Without this script the page shows the weekly schedule, which is always there.
(function () {
  "use strict";
  var main = document.getElementById("contenuto");
  if (!main || !window.Intl) return;
  var testi = JSON.parse(main.getAttribute("data-testi"));
  var parti = {};
  new Intl.DateTimeFormat("en-GB", {timeZone: main.getAttribute("data-fuso"), weekday: "short", hour: "2-digit",
    minute: "2-digit", hourCycle: "h23"}).formatToParts(new Date()).forEach(function (p) { parti[p.type] = p.value; });
  var giorno = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parti.weekday);
  var ora = parseInt(parti.hour, 10) * 60 + parseInt(parti.minute, 10), adesso = giorno * 1440 + ora;

  function hhmm(m) {
    return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }

  function testo(fasce) {
    var meglio = null;
    for (var i = 0; i < fasce.length; i++) {
      var inizio = fasce[i][0] * 1440 + fasce[i][1], fine = fasce[i][0] * 1440 + fasce[i][2];
      if (inizio <= adesso && adesso < fine) return testi.aperto_fino.replace("{ora}", hhmm(fasce[i][2]));
      var tra = (inizio - adesso + 10080) % 10080;
      if (meglio === null || tra < meglio[0]) meglio = [tra, fasce[i]];
    }
    var giorni = Math.floor((ora + meglio[0]) / 1440);
    var quando = giorni === 0 ? testi.oggi : giorni === 1 ? testi.domani : testi.giorni[meglio[1][0]];
    return testi.chiuso_apre.replace("{quando}", quando).replace("{ora}", hhmm(meglio[1][1]));
  }

  document.querySelectorAll("[data-fasce]").forEach(function (punto) {
    var fasce = JSON.parse(punto.getAttribute("data-fasce"));
    var dove = punto.querySelector(".adesso");
    if (!fasce.length || !dove) return;
    dove.textContent = testo(fasce);
    dove.hidden = false;
  });
})();
