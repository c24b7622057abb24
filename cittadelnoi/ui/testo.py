"""Text from data or from a link, shown as text: the one escaper of the Streamlit layer."""

from __future__ import annotations


def md(text: str) -> str:
    # File contents reach the page through these messages: keep them from becoming markdown/HTML.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("[", "\\[")
