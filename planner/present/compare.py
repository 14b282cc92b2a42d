"""Compare two or three saved scenarios side by side.

``compare_scenarios(stored)`` takes :class:`planner.store.StoredScenario` objects (with their
plans) and returns a :class:`Comparison`: the headline figures side by side, the parameters
that differ, a per-unit table of hires and remaining vacancies with the differences, and
whether the scenarios were solved on the same input tables. Differences are always "this
scenario minus the first one" (the first scenario is the reference).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.domain.columns import label
from planner.domain.gaps import overall_fill_rate
from planner.i18n import catalogue, coded, fmt_money, fmt_number, fmt_percent, t
from planner.present.labels import column_kind
from planner.store.records import StoredScenario


class CompareError(ValueError):
    """The scenarios cannot be compared; ``code`` keys the message (``store.compare.<code>``)."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params

    def message(self, lang: str = "vi") -> str:
        return t(f"store.compare.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Comparison:
    labels: tuple[str, ...]  # one per scenario: its name (with "#id" when names repeat)
    ids: tuple[int, ...]
    headline: pd.DataFrame  # figure, kind, s1, s2[, s3], diff_2[, diff_3]
    parameters: pd.DataFrame  # parameter, s1, s2[, s3], differs
    by_unit: pd.DataFrame  # unit_id, unit_name, hires_i, remaining_i, hires_diff_i, ...
    inputs: pd.DataFrame  # role, name_i, fingerprint_i, same
    same_inputs: bool

    @property
    def n(self) -> int:
        return len(self.labels)

    def warning(self, lang: str = "vi") -> str | None:
        """The different-input-data warning, or None when the inputs are the same."""
        return inputs_warning(self.labels, self.inputs, same_inputs=self.same_inputs,
                              lang=lang)


def inputs_warning(labels: Sequence[str], inputs: pd.DataFrame, *, same_inputs: bool,
                   lang: str) -> str | None:
    """The warning that plans compared were made from different input data (naming the
    tables that differ; ``inputs``: role, …, same), or None when the inputs are the same."""
    if same_inputs:
        return None
    roles = [r for r, same in zip(inputs["role"], inputs["same"], strict=True) if not same]
    return t("store.compare.different_inputs", lang, names=", ".join(labels),
             tables=", ".join(t(f"store.role.{r}", lang) for r in roles) or "–")


#: figures of the headline table, in order
HEADLINE_FIGURES = ("status", "objective", "total_hires", "hires_cost", "budget_total",
                    "vacancies", "remaining_vacancies", "fill_rate_before", "fill_rate_after",
                    "units_with_hires")
#: how the figures that are not columns are shown (the others: their column's kind)
_FIGURE_ONLY_KINDS = {"status": "text", "objective": "text", "total_hires": "count",
                      "budget_total": "money", "units_with_hires": "count"}


def figure_kind(figure: str) -> str:
    """text, count, money or share ("cost:<source>" figures are money)."""
    if figure in _FIGURE_ONLY_KINDS:
        return _FIGURE_ONLY_KINDS[figure]
    shown = column_kind(figure)
    return {"count": "count", "rate": "share"}.get(shown, "money")


#: Which way is better for a figure: +1 more is better, -1 fewer is better, 0 neither (money
#: spent is a choice, not a score). Colours of differences follow it (issue 13): three more
#: remaining vacancies are worse, shown red, not green.
BETTER = {"total_hires": 1, "remaining_vacancies": -1, "fill_rate_after": 1,
          "units_with_hires": 1, "hires": 1, "remaining": -1}


def effect(figure: str, difference: Any) -> str | None:
    """"better", "worse" or None (no difference, or a figure with no better direction)."""
    direction = BETTER.get(figure, 0)
    if not direction or difference is None or pd.isna(difference) or difference == 0:
        return None
    return "better" if direction * float(difference) > 0 else "worse"


def compare_scenarios(stored: Sequence[StoredScenario]) -> Comparison:
    """Compare 2 or 3 saved scenarios (each a :class:`planner.store.StoredScenario`)."""
    if not 2 <= len(stored) <= 3:
        raise CompareError("how_many", f"compare two or three scenarios, not {len(stored)}",
                           n=len(stored))
    for s in stored:
        _plan(s)
    labels = _labels(stored)
    return Comparison(
        labels=labels, ids=tuple(int(s.id) for s in stored),
        headline=_headline(stored), parameters=_parameters(stored),
        by_unit=_by_unit(stored), inputs=_inputs(stored),
        same_inputs=len({s.inputs_fingerprint for s in stored}) == 1,
    )


def _labels(stored: Sequence[StoredScenario]) -> tuple[str, ...]:
    names = [s.name for s in stored]
    return tuple(f"{n} (#{s.id})" if names.count(n) > 1 else n
                 for n, s in zip(names, stored, strict=True))


def _plan(s: StoredScenario) -> pd.DataFrame:
    """The scenario's plan; a scenario saved without one cannot be compared."""
    if s.plan is None:
        raise CompareError("no_result", f"scenario {s.name!r} was saved without a result; "
                           "solve it and save it again to compare it", name=s.name)
    return s.plan


def _figures(s: StoredScenario) -> dict[str, Any]:
    plan = _plan(s)
    quota = float(plan["quota"].sum())
    staying = float((plan["headcount"] - plan["expected_departures"]).sum())
    hires = float(plan["hires"].sum())
    cost = plan["hires"] * plan["annual_cost_per_hire"] if "hires_cost" not in plan \
        else plan["hires_cost"]
    by_source = cost.groupby(plan["funding_source"]).sum()
    unit_hires = plan.groupby("unit_id")["hires"].sum()
    out: dict[str, Any] = {
        "status": s.info.status or "–",
        "objective": str(s.scenario.objective),
        "total_hires": int(hires),
        "hires_cost": float(cost.sum()),
        "budget_total": float(sum(s.scenario.budgets.values())) if s.scenario.budgets
        else s.scenario.total_budget,
        "vacancies": int(plan["vacancies"].sum()),
        "remaining_vacancies": int(plan["remaining_vacancies"].sum()),
        "fill_rate_before": overall_fill_rate(staying, quota),
        "fill_rate_after": overall_fill_rate(staying + hires, quota),
        "units_with_hires": int((unit_hires > 0).sum()),
    }
    for source, value in by_source.items():
        out[f"cost:{source}"] = float(value)
    return out


def _headline(stored: Sequence[StoredScenario]) -> pd.DataFrame:
    figures = [_figures(s) for s in stored]
    order = list(HEADLINE_FIGURES)
    sources = sorted({k for f in figures for k in f if k.startswith("cost:")},
                     key=lambda k: (-(figures[0].get(k) or 0.0), k))
    order[order.index("hires_cost") + 1:order.index("hires_cost") + 1] = sources
    rows = []
    for fig in order:
        kind = figure_kind(fig)
        row: dict[str, Any] = {"figure": fig, "kind": kind}
        values = [f.get(fig, 0.0 if fig.startswith("cost:") else None) for f in figures]
        for i, v in enumerate(values, start=1):
            row[f"s{i}"] = v
        for i in range(2, len(values) + 1):
            a, b = values[0], values[i - 1]
            row[f"diff_{i}"] = (b - a) if kind != "text" and a is not None and b is not None \
                else None
        rows.append(row)
    return pd.DataFrame(rows)


def _flat_parameters(s: StoredScenario) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in s.scenario.to_dict().items():
        if isinstance(value, Mapping):
            for k, v in value.items():
                out[f"{key}.{k}"] = _plain(v)
        elif key in ("rows", "units"):
            for item in value:
                ident = "/".join(str(item[k]) for k in ("unit_id", "position_id") if k in item)
                out[f"{key}[{ident}]"] = ", ".join(
                    f"{k}={_plain(v)}" for k, v in item.items()
                    if k not in ("unit_id", "position_id"))
        else:
            out[key] = _plain(value)
    return out


def parameter_label(key: str, lang: str = "vi") -> str:
    """A flattened parameter key ("budgets.state_budget", "rows[S03/P1]") in words."""
    if key.startswith(("rows[", "units[")):
        table, ident = key[:-1].split("[", 1)
        return f"{t(f'export.parameters.{table}', lang)}: {ident}"
    head, _, item = key.partition(".")
    if item:
        words = coded("export.staff_type" if head == "contribution_rates" else "store.source",
                      item, lang)
        return t(f"export.param.{head}", lang, item=words)
    return t(f"export.param.{key}", lang) if f"export.param.{key}" in catalogue(lang) else key


def parameter_value(key: str, value: str, lang: str = "vi") -> str:
    """A flattened parameter's value in words and the language's number format."""
    if value in ("None", "", "–"):
        return "–"
    if key == "objective":
        return str(coded("ui.objective", value, lang))
    if value in ("True", "False"):
        return t(f"store.cli.{'yes' if value == 'True' else 'no'}", lang)
    if key.startswith(("rows[", "units[")):
        parts = []
        for part in value.split(", "):
            name, _, v = part.partition("=")
            parts.append(f"{label(name, lang)} {parameter_value(name, v, lang)}")
        return ", ".join(parts)
    try:
        number = float(value)
    except ValueError:
        return value
    return fmt_number(number, lang, decimals=6)


def _plain(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) >= 1000:
        return str(int(v))
    return str(v)


def _parameters(stored: Sequence[StoredScenario]) -> pd.DataFrame:
    flats = [_flat_parameters(s) for s in stored]
    keys = list(dict.fromkeys(k for f in flats for k in f))
    rows = []
    for key in keys:
        values = [f.get(key, "–") for f in flats]
        rows.append({"parameter": key, **{f"s{i}": v for i, v in enumerate(values, start=1)},
                     "differs": len(set(values)) > 1})
    return pd.DataFrame(rows, columns=["parameter", *[f"s{i}" for i in
                                                      range(1, len(stored) + 1)], "differs"])


def _by_unit(stored: Sequence[StoredScenario]) -> pd.DataFrame:
    names: dict[str, str] = {}
    parts = []
    for i, s in enumerate(stored, start=1):
        plan = _plan(s)
        names.update(zip(plan["unit_id"], plan["unit_name"], strict=True))
        g = plan.groupby("unit_id", sort=False).agg(
            **{f"vacancies_{i}": ("vacancies", "sum"), f"hires_{i}": ("hires", "sum"),
               f"remaining_{i}": ("remaining_vacancies", "sum")})
        parts.append(g)
    table = pd.concat(parts, axis=1, join="outer")
    n = len(stored)
    for measure in ("hires", "remaining"):
        for i in range(2, n + 1):
            table[f"{measure}_diff_{i}"] = table[f"{measure}_{i}"] - table[f"{measure}_1"]
    table = table.round().astype("Int64")
    table.insert(0, "unit_name", [names[u] for u in table.index])
    table = table.rename_axis("unit_id").reset_index()
    diffs = [f"hires_diff_{i}" for i in range(2, n + 1)]
    table["changed"] = (table[diffs].fillna(0).abs().sum(axis=1) > 0) | \
        (table[[f"remaining_diff_{i}" for i in range(2, n + 1)]].fillna(0).abs().sum(axis=1) > 0)
    order = table[diffs].abs().max(axis=1).fillna(-1).astype("float64")
    table = table.assign(_o=-order).sort_values(["_o", "unit_name"], kind="stable")
    columns = ["unit_id", "unit_name",
               *[f"hires_{i}" for i in range(1, n + 1)], *diffs,
               *[f"remaining_{i}" for i in range(1, n + 1)],
               *[f"remaining_diff_{i}" for i in range(2, n + 1)],
               *[f"vacancies_{i}" for i in range(1, n + 1)], "changed"]
    out: pd.DataFrame = table[columns].reset_index(drop=True)
    return out


def _inputs(stored: Sequence[StoredScenario]) -> pd.DataFrame:
    roles = list(dict.fromkeys(f.role for s in stored for f in s.input_files))
    rows = []
    for role in roles:
        row: dict[str, Any] = {"role": role}
        prints = []
        for i, s in enumerate(stored, start=1):
            f = next((f for f in s.input_files if f.role == role), None)
            row[f"name_{i}"] = f.name if f else "–"
            row[f"fingerprint_{i}"] = f.fingerprint[:12] if f else "–"
            prints.append(f.fingerprint if f else None)
        row["same"] = len(set(prints)) == 1
        rows.append(row)
    if not rows:  # saved without input files: only the overall fingerprint is known
        same = len({s.inputs_fingerprint for s in stored}) == 1
        rows.append({"role": "all", **{f"name_{i}": "–" for i in range(1, len(stored) + 1)},
                     **{f"fingerprint_{i}": s.inputs_fingerprint[:12] or "–"
                        for i, s in enumerate(stored, start=1)}, "same": same})
    return pd.DataFrame(rows)


# --- showing ------------------------------------------------------------------------------------

def figure_label(figure: str, lang: str = "vi") -> str:
    if figure.startswith("cost:"):
        source = figure.split(":", 1)[1]
        return t("store.figure.cost_source", lang, source=coded("store.source", source, lang))
    return t(f"store.figure.{figure}", lang)


_TEXT_KEYS = {"status": "ui.status_short", "objective": "ui.objective"}


def text_value(figure: str, value: Any, lang: str = "vi") -> str:
    """A text figure in words (solver status, objective), the code itself when unknown."""
    table = _TEXT_KEYS.get(figure)
    if table is None or value is None:
        return "–" if value is None else str(value)
    return str(coded(table, str(value), lang))


def format_value(value: Any, kind: str, lang: str = "vi", *, signed: bool = False) -> str:
    """A headline value as people read it (money in đồng/triệu/tỷ, shares in %); a signed
    difference of shares is in percentage points ("+3,6 điểm %"), never "+3,6%"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if kind == "text":
        return str(value)
    sign = "+" if signed and value > 0 else ""
    if kind == "money":
        return sign + fmt_money(float(value), lang)
    if kind == "share":
        if signed:
            return t("compare.points", lang,
                     n=sign + fmt_number(float(value) * 100, lang, decimals=1))
        return sign + fmt_percent(float(value), lang)
    return sign + fmt_number(value, lang)


def headline_table(cmp: Comparison, lang: str = "vi") -> pd.DataFrame:
    """The headline figures as text, with headers in ``lang``: figure, each scenario, diffs."""
    out = pd.DataFrame({t("store.col.figure", lang): [figure_label(f, lang)
                                                       for f in cmp.headline["figure"]]})
    for i, name in enumerate(cmp.labels, start=1):
        out[name] = [text_value(f, v, lang) if k == "text" else format_value(v, k, lang)
                     for f, v, k in zip(cmp.headline["figure"], cmp.headline[f"s{i}"],
                                        cmp.headline["kind"], strict=True)]
    for i in range(2, cmp.n + 1):
        header = t("store.col.diff", lang, name=cmp.labels[i - 1], base=cmp.labels[0])
        out[header] = [format_value(v, k, lang, signed=True) if k != "text" else ""
                       for v, k in zip(cmp.headline[f"diff_{i}"], cmp.headline["kind"],
                                       strict=True)]
    return out


def by_unit_headers(cmp: Comparison, lang: str = "vi") -> dict[str, str]:
    """Display headers for :attr:`Comparison.by_unit` columns."""
    headers = {"unit_id": label("unit_id", lang), "unit_name": label("unit_name", lang),
               "changed": t("store.col.changed", lang)}
    for i, name in enumerate(cmp.labels, start=1):
        for measure in ("hires", "remaining", "vacancies"):
            headers[f"{measure}_{i}"] = t(f"store.col.{measure}", lang, name=name)
        if i > 1:
            for measure in ("hires", "remaining"):
                headers[f"{measure}_diff_{i}"] = t(f"store.col.{measure}_diff", lang,
                                                   name=name, base=cmp.labels[0])
    return headers
