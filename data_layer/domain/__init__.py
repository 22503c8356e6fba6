"""Pure rules and words: no store, no Streamlit, nothing read from outside (money, text, pacing, the levy…)."""
