"""Session-state keys of the Streamlit layer: one home for each name (the URL's parameters: core.vista)."""

from cittadelnoi.core import vista

# Selectbox options: "" means no filter. None would show as "no selection" (an empty box).
NESSUNO = ""
ZONA = "filtro_zona"
QUARTIERE = "filtro_quartiere"
LINK = "filtro_da_link"
LINGUA = "lingua"
LINGUA_FILTRI = "lingua_dei_filtri"  # language the filter select boxes were last drawn in
PRESENTA = "presentazione"
GIRO = "giro_secondi"
AL = "stato_al"  # the overview's "Stato al" slider (a date; absent or today = the live register)
DAL = "confronto_dal"  # the sidebar's reference date for the KPIs' change
PUNTO = "punto_scelto"  # id of the point picked on the map (its popup opens)
# The overview's panels (expanders): name in the URL (vista.PANNELLI) -> widget key.
PANNELLI = {nome: f"apri_{nome}" for nome in vista.PANNELLI}
URL_SCRITTO = "url_scritto"  # our parameters as the app last wrote them to the URL
URL_VINCE = "url_vince"  # this run: the URL sets the view (first run of a session, or Back/Forward)
