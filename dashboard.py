"""县残联工作看板 — the entry: ``streamlit run dashboard.py``.

An ASGI app (``st.App``): Streamlit serves the frame script (pages/common/frame.py), which is not
beside the ``pages/`` folder, so deep links work on the first request after a restart.
"""

import streamlit as st

app = st.App("pages/common/frame.py")
