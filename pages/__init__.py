"""The app's pages. Each module only defines ``render()``; dashboard.py registers it.

Executed on its own (Streamlit's legacy ``pages/`` mode after a restart), a module
defines functions and renders nothing.
"""
