"""Code review of issue 7, kept as a test: no path from a user's input to code execution,
unpickling, a shell, or files outside the app's own folders.

The source of ``planner/`` and ``streamlit_app.py`` is parsed (``ast``, so docstrings and
comments that mention these names do not count) and searched for:

- ``eval``/``exec``/``compile``/``__import__`` calls; ``pickle``, ``marshal``, ``shelve``,
  ``dill``, ``subprocess`` imports; ``os.system``/``os.popen``/``os.exec*``/``os.spawn*``;
  any ``shell=True``; ``yaml.load``; HTML from Python with ``unsafe_allow_html=True``;
- in the web app (``planner/ui`` and ``streamlit_app.py``): writing files at all (``open``,
  ``write_bytes``/``write_text``, ``mkdir``, ``unlink``, ``to_csv``/``to_excel`` with a
  path) and reading the URL's query string (``st.query_params``): uploads are read from their
  bytes, and the scenario store's location comes only from ``PLANNER_DATABASE_URL``. One
  exception: ``planner/ui/drafts.py`` keeps the tab's draft id in the address (issue 13), and
  reads back nothing but an id that matches the 32-character pattern of a random id.

The command line (``planner/cli``) writes files the user names on their own command line;
that is its job, not a path from the web.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL = sorted([*(ROOT / "planner").rglob("*.py"), ROOT / "streamlit_app.py"])
WEB = [p for p in ALL if p.name == "streamlit_app.py" or "ui" in p.relative_to(ROOT).parts]
#: the one web module allowed to read the query string: the draft id, checked against
#: planner.store.drafts.ID_PATTERN before anything is looked up
QUERY_PARAMS_OK = {ROOT / "planner" / "ui" / "drafts.py"}

BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
BANNED_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle",
                  "subprocess", "pty", "commands"}
BANNED_OS = {"system", "popen", "execl", "execle", "execlp", "execlpe", "execv", "execve",
             "execvp", "execvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv",
             "spawnve", "spawnvp", "spawnvpe", "startfile", "posix_spawn", "posix_spawnp"}
WEB_WRITES = {"write_bytes", "write_text", "mkdir", "unlink", "rmdir", "rename", "replace",
              "touch", "to_csv", "to_excel", "to_parquet", "to_pickle", "read_pickle",
              "savefig"}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def findings(path: Path, *, web: bool) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def hit(node: ast.AST, what: str) -> None:
        found.append(f"{rel(path)}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in BANNED_MODULES:
                    hit(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in BANNED_MODULES:
                hit(node, f"from {node.module} import …")
            if node.module == "os" and {a.name for a in node.names} & BANNED_OS:
                hit(node, "from os import a process function")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
                hit(node, f"{func.id}()")
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if owner == "os" and func.attr in BANNED_OS:
                    hit(node, f"os.{func.attr}()")
                if owner == "yaml" and func.attr in {"load", "unsafe_load", "full_load"}:
                    hit(node, f"yaml.{func.attr}()")
                if web and func.attr in WEB_WRITES and not (
                        func.attr in {"replace", "rename"} and not _is_path_method(node)):
                    hit(node, f".{func.attr}() in the web app")
            if web and isinstance(func, ast.Name) and func.id == "open":
                hit(node, "open() in the web app")
            for kw in node.keywords:
                if kw.arg in {"shell", "unsafe_allow_html"} and \
                        isinstance(kw.value, ast.Constant) and kw.value.value is True:
                    hit(node, f"{kw.arg}=True")
        elif web and isinstance(node, ast.Attribute) and node.attr == "query_params" \
                and path not in QUERY_PARAMS_OK:
            hit(node, "st.query_params in the web app")
    return found


def _is_path_method(call: ast.Call) -> bool:
    """``path.replace(target)``/``path.rename(target)`` (one argument), not ``text.replace(a,
    b)``, ``frame.rename(columns=…)`` or the store's ``rename(id, name, user)``."""
    return len(call.args) == 1 and not call.keywords


def test_the_search_covers_the_app():
    names = {rel(p) for p in ALL}
    assert {"streamlit_app.py", "planner/ui/data_page.py", "planner/io/inputs.py",
            "planner/store/scenarios.py", "planner/cli/solve.py"} <= names
    assert "planner/ui/data_page.py" in {rel(p) for p in WEB}
    assert "planner/cli/solve.py" not in {rel(p) for p in WEB}


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_no_code_execution_unpickling_or_shell(path):
    assert findings(path, web=path in WEB) == []


@pytest.mark.parametrize("source, what", [
    ("x = eval(text)", "eval()"),
    ("import pickle", "import pickle"),
    ("from subprocess import run", "from subprocess import"),
    ("import os\nos.system(cmd)", "os.system()"),
    ("run(cmd, shell=True)", "shell=True"),
    ("st.markdown(note, unsafe_allow_html=True)", "unsafe_allow_html=True"),
    ("Path(name).write_bytes(data)", ".write_bytes() in the web app"),
    ("Path(tmp).rename(uploaded.name)", ".rename() in the web app"),
    ("open(uploaded.name, 'wb')", "open() in the web app"),
    ("url = st.query_params['db']", "st.query_params in the web app"),
])
def test_the_search_finds_what_it_looks_for(tmp_path, monkeypatch, source, what):
    # the checks themselves can fail: each banned construct in a file of its own
    monkeypatch.setattr("test_code_safety.ROOT", tmp_path)
    path = tmp_path / "page.py"
    path.write_text(source, encoding="utf-8")
    assert any(what in f for f in findings(path, web=True))


def test_a_docstring_that_names_pickle_is_not_a_finding(tmp_path, monkeypatch):
    monkeypatch.setattr("test_code_safety.ROOT", tmp_path)
    path = tmp_path / "tables.py"
    path.write_text('"""JSON rather than pickle: nothing is executed when read."""\n'
                    "text = name.replace('a', 'b')\n", encoding="utf-8")
    assert findings(path, web=True) == []


def test_the_store_location_comes_from_the_environment_only():
    source = (ROOT / "planner/ui/scenarios_page.py").read_text(encoding="utf-8")
    assert "os.environ.get(ENV_URL" in source
    tree = ast.parse(source)
    store_calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                   and isinstance(n.func, ast.Name) and n.func.id == "ScenarioStore"]
    assert len(store_calls) == 1  # the one cached store, built from the environment's URL


def test_nothing_user_specific_is_a_shared_resource():
    # st.cache_resource objects are shared by every session: only the store (one per
    # database URL) may be one, and it keeps no user (the user is passed on every call)
    cached = []
    for path in WEB:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    "cache_resource" in ast.unparse(d) for d in node.decorator_list):
                cached.append((rel(path), node.name, [a.arg for a in node.args.args]))
    assert cached == [("planner/ui/scenarios_page.py", "_store", ["url"])]
    from planner.store import ScenarioStore

    init_args = ScenarioStore.__init__.__code__.co_varnames[
        :ScenarioStore.__init__.__code__.co_argcount + 1]
    assert not {"user", "owner"} & set(init_args)
