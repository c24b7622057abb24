"""Ore di volontariato: what the points did month by month (their reports, «ore effettuate»), then
their planned weekly desk slots («orario previsto») against the minimum that finanziamenti.csv
states (row ore_minime_sportello: 6 hours a week today). The parts live in
cittadelnoi.ui.ore_rendicontate and cittadelnoi.ui.ore_previste."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.ui import ore_previste, ore_rendicontate

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
ore_minime = fin.ore_minime(snap.finanziamenti)

st.title(_("Ore di volontariato agli sportelli"))
if not filtro.attivo:
    ambito = _("Vista su tutta la città.")
elif filtro.quartiere:
    ambito = _("Vista nel quartiere {quartiere}.").format(
        quartiere=ui.md(snap.quartieri.set_index("codice_istat").at[filtro.quartiere, "nome"])
    )
else:
    ambito = _("Vista nella zona {zona}.").format(zona=ui.md(filtro.zona))
st.caption(
    _(
        "Ogni punto di comunità dovrebbe tenere aperto lo sportello gestito da volontari almeno {ore} ore a "
        "settimana (Fondazione Cariplo)."
    ).format(ore=fmt.ore(ore_minime))
    + " "
    + ambito
)

fonte_minimo = _("minimo di {ore} ore/settimana: {fonte}").format(
    ore=fmt.ore(ore_minime), fonte=fin.fonte(snap.finanziamenti, fin.ORE_MINIME)
)
# What the points reported comes first; the planned slots follow as «orario previsto».
if ore_rendicontate.sezione(snap, codici, ore_minime, fonte_minimo) and ui.in_presentazione():
    st.stop()  # one screen on the projector: what was reported; else the planned slots, as before
ore_previste.sezione(snap, codici)
