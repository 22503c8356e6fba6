"""县残联工作看板 — the entry: ``streamlit run dashboard.py``. The frame is in pages/common/frame.py."""

from pages.common.frame import main

main()
