"""Stored text shown as typed, wherever Streamlit reads markdown. Numbers, money and times are worded by
data_layer/domain/text.py, the one place that does."""

from __future__ import annotations

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def escape_markdown(text: object) -> str:
    """Stored text (a name, a note, a title) shown as the very characters typed, wherever Streamlit reads
    markdown: no link, image, emphasis or HTML can come out of it."""
    return str(text).translate(_MARKDOWN)
