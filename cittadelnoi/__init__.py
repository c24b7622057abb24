"""Logic of the Brescia Città del Noi dashboard: data loading and validation, metrics,
map and chart builders, and the data store. Only `cittadelnoi.ui` imports Streamlit."""
