"""The Streamlit app's pages and helpers (the only part of ``planner`` that imports Streamlit).

Words, number formats and colours shared with the charts live in :mod:`planner.present.labels`.
Everything here runs inside a Streamlit script run.
"""
