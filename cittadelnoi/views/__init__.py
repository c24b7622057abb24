"""What the data look like: the map, the charts, the downloads. No Streamlit here."""
