"""Text from data or from a link, shown as text: the Streamlit layer's name for the one escaper
(cittadelnoi.core.testo)."""

from __future__ import annotations

from cittadelnoi.core.testo import markdown as md
from cittadelnoi.core.testo import plotly

__all__ = ["md", "plotly"]
