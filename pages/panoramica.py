"""Panoramica: where the community points are, and which quartieri still have none."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import tempo
from cittadelnoi.ui import panoramica, panoramica_pannelli

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
oggi = tempo.oggi()
presenta = ui.in_presentazione()

# In presentation mode the page is one screen: title, figures, "Stato al" and the QR code on the
# left, the map at the screen's full height on the right. Elsewhere they stack, map below. The
# map is sent before the figures are computed (it is drawn below them all the same), so after a
# pick its update leaves the server first (issue 14, point 4; bench/scelta.py found no gain
# beyond the noise on its own: the browser's share is larger).
if presenta:
    sinistra, destra = st.columns([1, 2], gap="medium")
else:
    sinistra, destra = st.container(), st.container()

with sinistra:
    al, vista = panoramica.intestazione(snap, filtro, oggi)
passato = al if al < oggi else None
orari = ui.orari_sportelli(vista)
with destra:
    panoramica.mappa_della_vista(snap, vista, codici, filtro)
with sinistra:
    dimostrativi = panoramica.cifre(snap, vista, codici, al, oggi)
if presenta:
    st.stop()  # one screen: the rest of the page is for reading, not for the projector

panoramica.note_mappa(vista, dimostrativi)
panoramica_pannelli.storico(snap, filtro, passato)
panoramica_pannelli.tabella(vista, filtro, codici)
panoramica_pannelli.scarica(snap, vista, filtro, codici, passato, orari)
panoramica_pannelli.incorpora(snap, filtro)
