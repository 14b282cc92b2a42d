"""Plan page (Phương án): placeholder until the optimiser lands."""

import streamlit as st

from planner.ui.widgets import tr

if __name__ == "__main__":
    st.title(tr("plan.title"))
