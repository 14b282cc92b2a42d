"""Builders for small allocation instances, and the rules every plan must keep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

M = 1_000_000  # one million đồng


def gaps_table(rows: list[dict]) -> pd.DataFrame:
    """A gaps table (as planner.domain.gaps.staffing_gaps makes) from short row dicts.

    Each row needs unit_id, position_id and cost (đồng per hire); vacancies (default 1) or
    quota/headcount; optional priority, funding_source, min_hires, max_hires, departures.
    """
    out = []
    for r in rows:
        headcount = r.get("headcount", 0)
        departures = r.get("expected_departures", 0)
        quota = r.get("quota", headcount - departures + r.get("vacancies", 1))
        vacancies = max(0, quota - headcount + departures)
        out.append({
            "unit_id": r["unit_id"], "unit_name": r.get("unit_name", f"Đơn vị {r['unit_id']}"),
            "position_id": r["position_id"],
            "position_name": r.get("position_name", f"Vị trí {r['position_id']}"),
            "staff_type": r.get("staff_type", "civil_servant"),
            "funding_source": r.get("funding_source", "state_budget"),
            "sector": r.get("sector", ""), "grade": r.get("grade", ""),
            "quota": quota, "headcount": headcount, "expected_departures": departures,
            "salary_coefficient": 2.34, "allowance_rate": 0.0, "annual_cost": float(r["cost"]),
            "priority": float(r.get("priority", 1.0)),
            "min_hires": r.get("min_hires", pd.NA), "max_hires": r.get("max_hires", pd.NA),
            "source_row": len(out) + 2, "vacancies": vacancies,
            "surplus": max(0, headcount - departures - quota),
            "annual_cost_per_hire": float(r["cost"]),
        })
    t = pd.DataFrame(out)
    t["min_hires"] = t["min_hires"].astype("Int64")
    t["max_hires"] = t["max_hires"].astype("Int64")
    return t


def units_table(rows: list[dict]) -> pd.DataFrame:
    t = pd.DataFrame([{"unit_id": r["unit_id"], "unit_name": r.get("unit_name", r["unit_id"]),
                       "max_hires": r.get("max_hires", pd.NA),
                       "budget_cap": r.get("budget_cap", math.nan),
                       "min_fill": r.get("min_fill", math.nan)} for r in rows])
    t["max_hires"] = t["max_hires"].astype("Int64")
    t["budget_cap"] = t["budget_cap"].astype(float)
    t["min_fill"] = t["min_fill"].astype(float)
    return t


def hires_of(allocation) -> dict[str, int]:
    """position_id → hires."""
    return dict(zip(allocation.plan["position_id"], allocation.plan["hires"].astype(int),
                    strict=True))


def unit_rooms(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per (unit, staff type), from the rule's words: staff staying plus hires may not pass
    the quota through hiring, and where staff already reach it no hire at all. Columns:
    quota, staying, room (hires allowed), vac (sum of the positions' vacancies), hireable."""
    t = pd.DataFrame({"unit_id": gaps["unit_id"], "staff_type": gaps["staff_type"],
                      "quota": gaps["quota"],
                      "staying": gaps["headcount"] - gaps["expected_departures"],
                      "vac": gaps["vacancies"]})
    g = t.groupby(["unit_id", "staff_type"]).sum()
    g["room"] = [q - s if q > s else 0 for q, s in zip(g["quota"], g["staying"], strict=True)]
    g["hireable"] = [min(r, v) for r, v in zip(g["room"], g["vac"], strict=True)]
    return g


def assert_plan_keeps_the_rules(allocation, gaps: pd.DataFrame, units: pd.DataFrame | None,
                                *, budgets: dict | None = None, total_budget=None,
                                min_fill=None) -> None:
    """Whole hires within each row's bounds; no budget, cap or minimum broken."""
    plan = allocation.plan
    h = plan["hires"].to_numpy(dtype=float)
    assert np.all(h == np.round(h))
    vac = gaps["vacancies"].to_numpy()
    lo = gaps["min_hires"].fillna(0).to_numpy(dtype=float)
    hi = np.minimum(vac, gaps["max_hires"].astype("float64").fillna(np.inf).to_numpy())
    assert np.all(h >= lo) and np.all(h <= hi)
    cost = h * gaps["annual_cost_per_hire"].to_numpy()
    spent = pd.Series(cost).groupby(gaps["funding_source"].to_numpy()).sum()
    for source, budget in (budgets or {}).items():
        assert spent.get(source, 0.0) <= budget, (source, spent.get(source), budget)
    if total_budget is not None:
        assert cost.sum() <= total_budget
    by_group = pd.DataFrame({"unit_id": gaps["unit_id"], "staff_type": gaps["staff_type"],
                             "h": h}).groupby(["unit_id", "staff_type"])["h"].sum()
    rooms = unit_rooms(gaps)
    for key, hired in by_group.items():
        quota, staying = rooms.at[key, "quota"], rooms.at[key, "staying"]
        assert hired == 0 or staying + hired <= quota, (key, staying, hired, quota)
    hireable = rooms.groupby("unit_id")["hireable"].sum()
    per_unit = pd.DataFrame({"unit_id": gaps["unit_id"], "h": h, "cost": cost}
                            ).groupby("unit_id").sum()
    per_unit["vac"] = hireable
    settings = units.set_index("unit_id") if units is not None else None
    for unit_id, row in per_unit.iterrows():
        fill = min_fill
        if settings is not None and unit_id in settings.index:
            s = settings.loc[unit_id]
            if not pd.isna(s["min_fill"]):
                fill = s["min_fill"]
            if not pd.isna(s["max_hires"]):
                assert row["h"] <= s["max_hires"]
            if not pd.isna(s["budget_cap"]):
                assert row["cost"] <= s["budget_cap"]
        if fill is not None:
            assert row["h"] >= math.floor(fill * row["vac"] + 1e-9)
    assert allocation.total_hires == int(h.sum())
    assert math.isclose(allocation.total_cost, float(cost.sum()))
