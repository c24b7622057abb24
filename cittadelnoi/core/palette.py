"""The app's colours: the Okabe-Ito palette (distinguishable with every common colour-vision
deficiency) and the colour of each status. Status is never shown by colour alone: the map adds
border styles and symbols, the charts hatching and text."""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design".
ARANCIO = "#E69F00"
CELESTE = "#56B4E9"
VERDE = "#009E73"
GIALLO = "#F0E442"
BLU = "#0072B2"
VERMIGLIO = "#D55E00"
PORPORA = "#CC79A7"
NERO = "#000000"

GRIGIO = "#595959"  # text and reference lines: 7:1 contrast on white
GRIGIO_CHIARO = "#9A9A9A"  # a quartiere without a point (fill, with a dotted border and a symbol)
TESTO = "#1b1e23"  # the app theme's text colour

# Status of a quartiere or point -> fill colour (metrics.stato's values).
COLORI_STATO = {"attivo": VERDE, "in_apertura": ARANCIO, "mancante": GRIGIO_CHIARO}
