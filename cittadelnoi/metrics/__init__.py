"""Figures derived from the loaded data: status per quartiere, rankings, tables, the filter."""
