"""HTTP routes served next to the Streamlit app."""
