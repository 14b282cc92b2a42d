"""The Streamlit app's pages and helpers (the only part of ``planner`` that imports Streamlit).

Modules without Streamlit: :mod:`planner.ui.labels` (words, number formats and colours, also used
by :mod:`planner.charts`). Everything else here runs inside a Streamlit script run.
"""
