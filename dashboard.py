"""县残联工作看板 — the entry: ``streamlit run dashboard.py``.

An ASGI app (``st.App``): Streamlit serves the frame script (pages/common/frame.py), which is not
beside the ``pages/`` folder, so deep links work on the first request after a restart; beside it,
the app's own routes sign people in and out with an HttpOnly cookie (pages/common/auth_routes.py).
"""

import streamlit as st

from pages.common.auth_routes import ROUTES

app = st.App("pages/common/frame.py", routes=ROUTES)
