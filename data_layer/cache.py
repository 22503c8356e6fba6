"""Cached reads: keyed by the database URL and every filter, cleared by every write."""

from __future__ import annotations

import streamlit as st

# The URL is a real (hashed) argument of every query, so one store's rows never serve another.
cached_query = st.cache_data(ttl="10m", max_entries=512, show_spinner=False)


def clear_reads() -> None:
    """Forget every cached query result (after a write, between tests)."""
    st.cache_data.clear()
