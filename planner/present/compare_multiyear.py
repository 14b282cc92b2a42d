"""Comparing saved multi-year plans (issue 15): per year, each plan's hires, vacancies at the
year's end and staff above quota at the year's end, and their differences from the first.

The figures are the sums over the plan's rows (one per unit, position and year, the columns of
the ``plan`` CSV): ``hires``, ``vacancies_end`` and ``surplus_end`` of each year. A multi-year
plan and a one-year plan are not compared (their figures mean different things): the refusal
says which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from planner.i18n import t
from planner.present.compare import CompareError, inputs_warning
from planner.present.compare import _inputs as input_table
from planner.store.records import StoredScenario

#: the per-year figures compared, columns of the stored plan
FIGURES = ("hires", "vacancies_end", "surplus_end")


@dataclass(frozen=True)
class MultiYearComparison:
    labels: tuple[str, ...]  # one per plan: its name (with "#id" when names repeat)
    ids: tuple[int, ...]
    #: year, then <figure>_<i> for each plan i (1-based) and <figure>_diff_<i> for i ≥ 2
    #: (plan i − plan 1); a year outside a plan's years is blank (<NA>)
    per_year: pd.DataFrame
    inputs: pd.DataFrame  # role, name_i, fingerprint_i, same (as the one-year comparison's)
    same_inputs: bool

    def warning(self, lang: str = "vi") -> str | None:
        """The different-input-data warning, or None when the inputs are the same."""
        return inputs_warning(self.labels, self.inputs, same_inputs=self.same_inputs,
                              lang=lang)

    def headers(self, lang: str) -> dict[str, str]:
        """Column → header in ``lang`` ("Số tuyển · Phương án B − Phương án A")."""
        out = {"year": t("multiyear.column.year", lang)}
        for figure in FIGURES:
            words = t(f"multiyear.column.{figure}", lang)
            for i, label in enumerate(self.labels, start=1):
                out[f"{figure}_{i}"] = f"{words} · {label}"
                if i > 1:
                    out[f"{figure}_diff_{i}"] = f"{words} · {label} − {self.labels[0]}"
        return out


def is_multiyear_comparison(stored: Sequence[StoredScenario]) -> bool:
    """Whether ``stored`` are multi-year plans; a mix of multi-year and one-year plans is
    refused (:class:`CompareError` ``mixed_kinds``, naming the multi-year ones)."""
    kinds = [s.is_multiyear for s in stored]
    if any(kinds) and not all(kinds):
        names = ", ".join(f"“{s.name}”" for s in stored if s.is_multiyear)
        raise CompareError("mixed_kinds", f"multi-year plans ({names}) cannot be compared "
                           "with one-year plans", names=names)
    return all(kinds)


def compare_multiyear(stored: Sequence[StoredScenario]) -> MultiYearComparison:
    """Compare 2 or 3 saved multi-year plans year by year."""
    if not 2 <= len(stored) <= 3:
        raise CompareError("how_many", f"compare two or three scenarios, not {len(stored)}",
                           n=len(stored))
    is_multiyear_comparison(stored)
    names = [s.name for s in stored]
    labels = tuple(f"{n} (#{s.id})" if names.count(n) > 1 else n
                   for n, s in zip(names, stored, strict=True))
    sums = []
    for s in stored:
        plan = s.multiyear_tables.get("my_plan")
        if plan is None:
            raise CompareError("no_result", f"scenario {s.name!r} was saved without a result",
                               name=s.name)
        sums.append(plan.groupby("year", sort=True)[list(FIGURES)].sum())
    years = sorted(set().union(*(set(int(y) for y in g.index) for g in sums)))
    table = pd.DataFrame({"year": years})
    for figure in FIGURES:
        for i, g in enumerate(sums, start=1):
            values = g[figure].rename(index=int)
            table[f"{figure}_{i}"] = table["year"].map(values).astype("Int64")
        for i in range(2, len(sums) + 1):
            table[f"{figure}_diff_{i}"] = table[f"{figure}_{i}"] - table[f"{figure}_1"]
    return MultiYearComparison(labels=labels, ids=tuple(int(s.id) for s in stored),
                               per_year=table, inputs=input_table(stored),
                               same_inputs=len({s.inputs_fingerprint for s in stored}) == 1)
