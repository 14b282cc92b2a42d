"""The web app HR officers work in: page set-up, navigation and the shared sidebar.

Pages live in planner/ui/ and only gather inputs, call ``planner`` and show the results.
To add a page, add one ``page(...)`` line to the list below. Run with ``make run``.
"""

import streamlit as st

from planner.ui import auth, drafts, sidebar
from planner.ui.nav import page, unknown_address
from planner.ui.widgets import page_style, streamlit_words, tr

GAPS_PATH = "thieu-hut"  # the default page (at the root) is also reached by its name

st.set_page_config(page_title="Kế hoạch tuyển dụng", page_icon=":material/groups:",
                   layout="wide", initial_sidebar_state="expanded")
page_style()
sidebar.language()
streamlit_words()
st.set_page_config(page_title=tr("app.title"))
if not auth.gate():  # sign-in configured and nobody signed in: the sign-in page only
    st.stop()
sidebar.account()
drafts.restore()  # the officer's draft (page address or signed-in user), once per session
pages = [
    page("planner/ui/data_page.py", "data", ":material/upload_file:", "du-lieu"),
    page("planner/ui/gaps_page.py", "gaps", ":material/bar_chart:", "trang-dau",
         default=True),
    page("planner/ui/plan_page.py", "plan", ":material/tune:", "phuong-an"),
    page("planner/ui/scenarios_page.py", "scenarios", ":material/bookmarks:", "phuong-an-da-luu"),
    st.Page("planner/ui/multiyear_page.py", title=tr("multiyear.title"),
            icon=":material/event_repeat:", url_path="ke-hoach-nhieu-nam"),
]
# an address no page has: a page in the officer's language, not Streamlit's "Page not found"
unknown = unknown_address(pages, alias=GAPS_PATH, default_name="trang-dau")
navigation = st.navigation([*pages, unknown] if unknown else pages)
navigation.run()
sidebar.dataset_panel()  # after the page, so it shows what the page has just loaded or solved
drafts.save()  # the work as it now stands, kept server-side
