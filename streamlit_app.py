"""Entry point of the web app (placeholder until the app issue lands)."""

import streamlit as st

from planner.gaps import headline, staffing_gaps
from planner.inputs import load_inputs
from planner.sample import SAMPLE_FILES

st.set_page_config(page_title="Kế hoạch tuyển dụng", layout="wide")
inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
st.title("Kế hoạch tuyển dụng — tỉnh mẫu")
st.write(headline(staffing_gaps(inputs.positions)))
