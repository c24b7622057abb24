"""Session-state keys and URL parameters of the Streamlit layer: one home for each name."""

# Selectbox options: "" means no filter. None would show as "no selection" (an empty box).
NESSUNO = ""
ZONA = "filtro_zona"
QUARTIERE = "filtro_quartiere"
LINK = "filtro_da_link"
ENTRYPOINT = "dashboard_eseguito"
LINGUA = "lingua"
LINGUA_FILTRI = "lingua_dei_filtri"  # language the filter select boxes were last drawn in
PRESENTA = "presentazione"
GIRO = "giro_secondi"
PARAMETRI = ("zona", "quartiere", "lang", "presenta", "giro")
