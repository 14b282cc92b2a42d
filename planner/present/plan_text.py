"""The plan and why there is none, in the officer's words: the lines ``solve`` and ``sweep``
print, and the explanation of an infeasible plan that the workbook's Summary sheet shows too.

Every string comes from the ``[opt]`` table of the message catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.i18n import catalogue, coded, fmt_money, fmt_number, fmt_percent, t
from planner.optimise.result import (
    Allocation,
    BudgetKey,
    Infeasibility,
    InfeasibleReason,
    UnitBeyondCapacity,
    UnitOverCap,
    valued_budget,
)
from planner.present.labels import budget_name, source_name

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario

def status_line(allocation: Allocation, lang: str) -> str:
    gap = fmt_percent(allocation.gap, lang, 3) if allocation.gap is not None else "–"
    status = t(f"opt.status.{allocation.status.value}", lang, gap=gap)
    return t("opt.status_line", lang, status=status, solver=allocation.solver,
             seconds=fmt_number(allocation.solve_seconds, lang, 2),
             build=fmt_number(allocation.build_seconds, lang, 2))


def human_summary(allocation: Allocation, scenario: Scenario, lang: str) -> str:
    def m(v: float | None) -> str:
        return fmt_money(v, lang)

    by_unit = allocation.by_unit
    lines = [t("opt.hires", lang, hires=fmt_number(allocation.total_hires, lang),
               units=fmt_number(int((by_unit["hires"] > 0).sum()), lang),
               remaining=fmt_number(int(by_unit["remaining_vacancies"].sum()), lang),
               vacancies=fmt_number(int(by_unit["vacancies"].sum()), lang))]
    objective = scenario.objective.value
    value = allocation.objective
    shown = (m(value) if objective == "min_cost" else fmt_percent(value, lang, 1)
             if objective == "fair" else fmt_number(value, lang, 2))
    lines.append(t(f"opt.objective.{objective}", lang, value=shown))
    lines.append(t("opt.cost_head", lang))
    for source, cost in allocation.cost_by_source.items():
        budget = allocation.budgets.get(source)
        share = allocation.budget_used_share.get(source)
        lines.append(t("opt.cost_line", lang, source=source_name(source, lang), cost=m(cost),
                       budget=m(budget), share=fmt_percent(share, lang))
                     if budget is not None else
                     t("opt.cost_line_free", lang, source=source_name(source, lang),
                       cost=m(cost)))
    if allocation.total_budget is not None:
        lines.append(t("opt.total_line", lang, cost=m(allocation.total_cost),
                       budget=m(allocation.total_budget),
                       share=fmt_percent(allocation.total_budget_used_share, lang)))
    else:
        lines.append(t("opt.total_line_free", lang, cost=m(allocation.total_cost)))
    if objective == "min_cost":
        items = "; ".join(f"{source_name(s, lang)} {m(c)}"
                          for s, c in allocation.cost_by_source.items())
        lines.append(t("opt.min_cost_needs", lang, target=fmt_percent(scenario.target_fill,
                                                                      lang, 0), items=items))
    for rec in allocation.budget_values.to_dict("records"):
        if rec["method"] == "not_applicable":
            continue
        source = budget_name(valued_budget(rec), lang)
        if not rec["binding"]:
            lines.append(t("opt.value_none", lang, source=source, slack=m(rec["slack"])))
            continue
        value = rec["value_per_billion"]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            lines.append(t("opt.value_unknown", lang, source=source))
            continue
        shown = fmt_number(value * (100 if rec["value_unit"] == "min_fill_rate" else 1),
                           lang, 2)
        second = t(f"opt.value.{rec['value_unit']}", lang, value=shown)
        people = rec.get("hires_per_billion")
        if people is not None and not (isinstance(people, float) and math.isnan(people)):
            lines.append(t("opt.value_people", lang, source=source,
                           people=fmt_number(people, lang), second=second,
                           method=t(f"opt.method.{rec['method']}", lang)))
        else:
            lines.append(t("opt.value_line", lang, source=source, value=second,
                           method=t(f"opt.method.{rec['method']}", lang)))
    lines += why_lines(by_unit, lang)
    return "\n".join(lines)


def why_lines(by_unit: pd.DataFrame, lang: str, limit: int = 5) -> list[str]:
    """The units left with vacancies (most first, up to ``limit``) and why, in words."""
    if "why" not in by_unit.columns or "remaining_vacancies" not in by_unit.columns:
        return []
    left = by_unit[by_unit["remaining_vacancies"].fillna(0) > 0].sort_values(
        ["remaining_vacancies", "unit_name"], ascending=[False, True], kind="stable")
    lines = []
    for rec in left.head(limit).to_dict("records"):
        words = why_words(rec, lang)
        if words:
            lines.append(t("opt.why_line", lang, unit=f"{rec['unit_name']} ({rec['unit_id']})",
                           remaining=fmt_number(rec["remaining_vacancies"], lang), why=words))
    if lines:
        lines.insert(0, t("opt.why_head", lang))
        if len(left) > limit:
            lines.append(t("opt.more", lang, n=len(left) - limit))
    return lines


def explain_infeasible(info: Infeasibility | None, lang: str, limit: int = 10) -> str:
    """The explanation of an infeasible plan, in words an officer can act on."""
    if info is None:
        return t("opt.status.infeasible", lang)

    def m(v: float | None) -> str:
        return fmt_money(v, lang)

    reason = info.reason
    lines = [t("opt.infeasible.head", lang,
               requirement=t(f"opt.requirement.{info.requirement}", lang))]
    count = info.count
    if reason in (InfeasibleReason.PIN_ABOVE_VACANCIES, InfeasibleReason.PIN_ABOVE_MAX_HIRES):
        lines.append(t(f"opt.infeasible.{reason}", lang, count=count))
        lines += [t("opt.infeasible.pin_line", lang,
                    unit=_named(r.unit_name, r.unit_id),
                    position=_named(r.position_name, r.position_id),
                    min_hires=r.min_hires, vacancies=r.vacancies,
                    max_hires=r.max_hires) for r in info.pins[:limit]]
    elif reason is InfeasibleReason.PIN_ABOVE_QUOTA:
        lines.append(t("opt.infeasible.pin_above_quota", lang, count=count))
        lines += [t("opt.infeasible.quota_line", lang, unit=_named(g.unit_name, g.unit_id),
                    staff_type=coded("vocab.staff_type", g.staff_type, lang),
                    pinned=g.pinned, room=g.room) for g in info.groups[:limit]]
    elif reason is InfeasibleReason.CAPACITY:
        lines.append(t("opt.infeasible.capacity", lang, count=count))
        lines += [t("opt.infeasible.capacity_line", lang, unit=_named(u.unit_name, u.unit_id),
                    required=u.required, possible=u.possible)
                  for u in info.units[:limit] if isinstance(u, UnitBeyondCapacity)]
    elif reason is InfeasibleReason.UNIT_BUDGET_CAP:
        lines.append(t("opt.infeasible.unit_budget_cap", lang, count=count))
        lines += [t("opt.infeasible.cap_line", lang, unit=_named(u.unit_name, u.unit_id),
                    budget_cap=m(u.budget_cap), needed=m(u.needed))
                  for u in info.units[:limit] if isinstance(u, UnitOverCap)]
    elif reason is InfeasibleReason.SOLVER:
        lines.append(t("opt.infeasible.solver", lang))
    else:
        needs = "; ".join(f"{source_name(s, lang)} {m(v)}"
                          for s, v in info.min_budget_by_source.items())
        lines.append(t("opt.infeasible.budget", lang, needs=needs))

        def exact(v: float | None) -> str:  # to the đồng
            return fmt_money(v, lang, unit="dong")

        for key, v in info.shortfalls().items():
            lines.append(t("opt.infeasible.short_line", lang, source=budget_name(key, lang),
                           needed=exact(v.needed), budget=exact(v.budget),
                           missing=exact(v.missing)))
        if info.together:
            lines.append(t("opt.infeasible.together", lang))
        elif len(info.short) > 1:
            lines.append(t("opt.infeasible.each_alone", lang))
        if not info.exact:
            lines.append(t("opt.infeasible.not_proven", lang))
        table = info.driving_units
        if len(table):
            lines.append(t("opt.infeasible.drivers", lang))
            r: Any  # itertuples' named fields are known only at run time
            for r in table.head(limit).itertuples():
                lines.append(t("opt.infeasible.driver_line", lang,
                               unit=f"{r.unit_name} ({r.unit_id})",
                               required=fmt_number(r.min_required, lang),
                               cost=m(r.cost_of_requirement)))
    if count > limit:
        lines.append(t("opt.more", lang, n=count - limit))
    return "\n".join(lines)


def _named(name: str, code: str) -> str:
    return f"{name} ({code})" if name and name != code else str(code)


def why_words(record: Mapping[Any, Any], lang: str) -> str | None:
    """Why a unit left with vacancies got no more hires, in words with its figures
    (:mod:`planner.optimise.why_not`); None for a unit with nothing left to fill or no reason
    known."""
    code = record.get("why")
    if not isinstance(code, str) or not code or f"opt.why.{code}" not in catalogue(lang):
        return None

    def m(v: Any) -> str:
        return fmt_money(v, lang)

    def num(v: Any) -> str:
        return "–" if _blank(v) else fmt_number(v, lang, 2 if v % 1 else 0)

    key = BudgetKey.of_row(record.get("why_budget"), record.get("why_budget_is_total"))
    params = {
        "position": record.get("why_position") or "–",
        "priority": num(record.get("why_priority")), "cost": m(record.get("why_cost")),
        "budget": "–" if key is None else budget_name(key, lang),
        "left": m(record.get("why_left")), "limit": num(record.get("why_limit")),
        "limit_money": m(record.get("why_limit")),
        "funded_unit": record.get("funded_unit") or "–",
        "funded_position": record.get("funded_position") or "–",
        "funded_priority": num(record.get("funded_priority")),
        "funded_cost": m(record.get("funded_cost")),
    }
    text = t(f"opt.why.{code}", lang, **params)
    required = record.get("why_required")
    if not _blank(required):
        text = t("opt.why_minimum_met", lang, required=fmt_number(required, lang), rest=text)
    return text


def _blank(v: Any) -> bool:
    return v is None or bool(pd.isna(v))
