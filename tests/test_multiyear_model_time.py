"""The multi-year model's early stop, gap and time limits (issue 18): HiGHS's stop rule on
hand values, the time and gap each HiGHS run is given, and what a stage returns when the
model's clock jumps past its limit after a chosen run, so HiGHS stops at once whatever the
machine. Expected plans come from their rule (dynamic programming, the greedy by priority per
đồng, the fractional knapsack), never from the model. Split from
tests/test_mutation_kills_model_multiyear.py (same cases, same conventions)."""

from __future__ import annotations

import numpy as np
import pytest
from multiyear_model_cases import M, _best_by_dynamic_programming, _knapsack, _knapsack_mip, _mip

from planner.optimise.model import FEASIBILITY_TOLERANCE
from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear

# --- HiGHS's early stop, its gap and time limits ---------------------------------------------


@pytest.mark.parametrize(("bound", "target", "gap", "maximise", "proves"), [
    # maximised: bound − target ≤ gap · |target|; 1 % of 100 is 1
    (101.0, 100.0, 0.01, True, True), (101.01, 100.0, 0.01, True, False),
    (99.0, 100.0, 0.01, True, True),  # a bound below the plan's value proves it at once
    # minimised: target − bound ≤ gap · |target|
    (99.0, 100.0, 0.01, False, True), (98.99, 100.0, 0.01, False, False),
    (101.0, 100.0, 0.01, False, True), (101.0, 100.0, 0.0, True, False),
    # a negative target: the gap is a share of its size (1 % of |−100| = 1)
    (-99.0, -100.0, 0.01, True, True), (-99.5, -100.0, 0.0, True, False),
    (-101.0, -100.0, 0.01, False, True), (-101.5, -100.0, 0.01, False, False),
    # gap 0 (or a target of 0): the solver's absolute gap 1e-6 is the slack
    (100.000001, 100.0, 0.0, True, True), (100.000003, 100.0, 0.0, True, False),
    (99.999999, 100.0, 0.0, False, True), (99.999997, 100.0, 0.0, False, False),
    (0.000001, 0.0, 0.5, True, True), (0.000003, 0.0, 0.5, True, False),
    # no bound yet (±inf) or not a number proves nothing, whichever the sense
    (np.inf, 100.0, 0.01, True, False), (-np.inf, 100.0, 0.01, True, False),
    (np.inf, 100.0, 0.01, False, False), (-np.inf, 100.0, 0.01, False, False),
    (np.nan, 100.0, 0.01, True, False)])
def test_the_early_stop_rule_on_both_sides_of_its_edge(bound, target, gap, maximise, proves):
    from planner.optimise.model_multiyear import bound_proves

    assert bound_proves(bound, target, gap=gap, maximise=maximise) is proves


def _ratio_greedy(room, cost, priority, budget: int) -> np.ndarray:
    """The starting plan of a one-year knapsack, from its rule (multiyear_start): rows by
    priority per đồng (then row), each hired as far as its room and the money left allow."""
    order = sorted(range(len(room)), key=lambda r: (-priority[r] / cost[r], r))
    X, left = np.zeros(len(room), dtype=int), budget
    for r in order:
        X[r] = min(int(room[r]), left // int(cost[r]))
        left -= X[r] * int(cost[r])
    return X


def _fractional_knapsack(room, cost, priority, budget: float) -> float:
    """The relaxation's value (hires may be fractional): by priority per đồng, the last row
    taken in part."""
    value, left = 0.0, float(budget)
    for r in sorted(range(len(room)), key=lambda r: -priority[r] / cost[r]):
        take = min(float(room[r]), left / float(cost[r]))
        value += take * float(priority[r])
        left -= take * float(cost[r])
    return value


class _Runs:
    """Every HiGHS run of a solve: MultiYearModel._run wrapped (the real run, unchanged), its
    arguments, result, and the time and gap HiGHS was given (its ``time_limit`` option less
    its run clock before the run). ``jump_after``: the model's clock moves on by an hour when
    those runs (0, 1, …) end, so every later run has no time left and HiGHS stops at once,
    whatever the machine's speed."""

    def __init__(self, monkeypatch, jump_after=()):
        import time
        import types

        import planner.optimise.model_multiyear as module
        from planner.optimise.model_multiyear import MultiYearModel

        self.calls: list[dict] = []
        self.offset = 0.0
        real = MultiYearModel._run

        def run(model, goal, maximise, **kw):
            before = float(model.h.getRunTime())
            out = real(model, goal, maximise, **kw)
            self.calls.append({
                "goal": goal, "integer": kw.get("integer", True), "given": kw["time_limit"],
                "target": kw.get("target"), "start": kw["start"], "status": out[0],
                "x": out[1], "value": out[2], "bound": out[3],
                "seconds": float(model.h.getOptionValue("time_limit")[1]) - before,
                "gap": float(model.h.getOptionValue("mip_rel_gap")[1]),
                "abs_gap": float(model.h.getOptionValue("mip_abs_gap")[1]),
                "mip_tolerance": float(
                    model.h.getOptionValue("mip_feasibility_tolerance")[1]),
                "primal_tolerance": float(
                    model.h.getOptionValue("primal_feasibility_tolerance")[1])})
            if len(self.calls) - 1 in jump_after:
                self.offset += 3600.0
            return out

        monkeypatch.setattr(MultiYearModel, "_run", run)
        clock = types.SimpleNamespace(perf_counter=lambda: time.perf_counter() + self.offset)
        monkeypatch.setattr(module, "time", clock)


def _stopped_at_once(attempt, tries: int = 12) -> None:
    """HiGHS given no time stops at its first look at the clock; whether its first
    heuristics have found a plan by then depends on the machine's timing (about one run in
    five under load). ``attempt()`` runs the case once, checks that its answer is right
    either way and returns True when HiGHS found nothing of its own; it is repeated until
    that case has been seen."""
    for _ in range(tries):
        if attempt():
            return
    pytest.fail(f"HiGHS found a plan of its own in each of {tries} runs without time")


def test_a_stage_with_no_time_after_its_relaxation_returns_the_starting_plan(monkeypatch):
    # the 30-row knapsack of seed 0; the clock jumps an hour when the first stage's
    # relaxation ends: HiGHS gets no time for the whole problem and stops at once, started
    # from the starting plan (by priority per đồng, here also the relaxation rounded down).
    # That plan (or one HiGHS found before it stopped) is returned, feasible_time_limit,
    # the stage "time_limit" with its weighted hires; without a bound of HiGHS's own, the
    # relaxation's value is the bound. No cost stage is run.
    mip, (room, cost, priority) = _knapsack_mip(0)
    runs = _Runs(monkeypatch, jump_after={0})
    greedy = _ratio_greedy(room, cost, priority, 1_234)
    top, _ = _best_by_dynamic_programming(room, cost, priority, 123)
    assert (priority * greedy).sum() < top  # the search would have found better

    def attempt() -> bool:
        runs.calls.clear()
        res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
        X = res.cumulative[:, 0]
        assert res.status == "feasible_time_limit" and len(res.stages) == 1
        stage = res.stages[0]
        assert (room >= X).all() and (cost * X).sum() <= 1_234
        if stage.status == "optimal":  # HiGHS found and proved the optimum at once
            assert (priority * X).sum() == top
            return False
        assert (stage.goal, stage.status) == ("weighted_staff_years", "time_limit")
        assert stage.value == pytest.approx((priority * X).sum())
        assert (priority * X).sum() >= (priority * greedy).sum()
        # the relaxation had (nearly) the whole limit, the whole problem none, started from
        # the starting plan; HiGHS was told so
        lp, whole = runs.calls
        assert not lp["integer"] and 300 < lp["given"] <= 600
        assert lp["seconds"] == pytest.approx(lp["given"])
        assert whole["integer"] and whole["given"] == 0
        assert whole["seconds"] == pytest.approx(0)
        assert whole["target"] == pytest.approx((priority * greedy).sum())
        if whole["bound"] is not None or X.tolist() != greedy.tolist():
            return False
        assert stage.bound == pytest.approx(_fractional_knapsack(room, cost, priority, 1_234))
        return True

    _stopped_at_once(attempt)


def test_no_time_after_the_first_stage_skips_the_cost_stage(monkeypatch):
    # the clock jumps when the first stage's whole problem is solved: its plan is the
    # optimum (dynamic programming) but the cost stage never runs, so the plan is
    # feasible_time_limit (its cost is not proved least)
    mip, (room, cost, priority) = _knapsack_mip(0)
    runs = _Runs(monkeypatch, jump_after={1})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    top, _ = _best_by_dynamic_programming(room, cost, priority, 123)
    assert res.status == "feasible_time_limit"
    assert [(s.goal, s.status) for s in res.stages] == [("weighted_staff_years", "optimal")]
    assert (priority * res.cumulative[:, 0]).sum() == top
    assert res.stages[0].value == pytest.approx(top)
    assert len(runs.calls) == 2


def test_with_time_each_stage_gets_what_is_left_and_the_gap_asked(monkeypatch):
    # no clock jump: four runs (relaxation and whole problem per stage), each given what
    # is left of the ten minutes, HiGHS told that time and the gap asked (5 %), its
    # absolute gap 1e-6
    mip, _ = _knapsack_mip(1)
    runs = _Runs(monkeypatch)
    res = solve_multiyear(mip, time_limit=600.0, gap=0.05)
    assert res.status == "optimal"
    assert len(runs.calls) == 4
    given = [c["given"] for c in runs.calls]
    assert all(300 < g <= 600 for g in given) and given == sorted(given, reverse=True)
    for c in runs.calls:
        assert c["seconds"] == pytest.approx(c["given"])
        assert c["gap"] == 0.05 and c["abs_gap"] == 1e-6
        # the plans are feasible to 1e-7 (the one-year model's tolerance), MIP and LP alike
        assert c["mip_tolerance"] == c["primal_tolerance"] == FEASIBILITY_TOLERANCE == 1e-7
    # without a limit HiGHS has none; the default gap is 1e-4 (README: --gap, 0.01 %)
    runs.calls.clear()
    solve_multiyear(mip)
    assert [c["seconds"] for c in runs.calls] == [np.inf] * 4
    assert {c["gap"] for c in runs.calls} == {1e-4}
    from planner.optimise.model_multiyear import MultiYearModel

    runs.calls.clear()
    MultiYearModel(mip).solve()
    assert {c["gap"] for c in runs.calls} == {1e-4}


def test_the_relaxation_rounded_down_and_repaired_is_returned_when_time_runs_out(monkeypatch):
    # seed 0's knapsack whose unit must have 15 hires: priority per đồng cannot reach 15
    # within 1,234 million (the starting plan from nothing fails), the relaxation rounded
    # down and topped up can. With no time for the whole problem, HiGHS is started from
    # that plan, which (or a better one HiGHS found at once) comes back.
    mip, (room, cost, priority) = _knapsack_mip(0, unit_min=[[15]])
    runs = _Runs(monkeypatch, jump_after={0})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert res.status == "feasible_time_limit"
    start = runs.calls[1]["start"][:len(room)]
    X = res.cumulative[:, 0]
    for plan in (start, X):
        assert (plan >= 0).all() and (room >= plan).all() and (cost * plan).sum() <= 1_234
        assert plan.sum() >= 15
    assert runs.calls[1]["target"] == pytest.approx((priority * start).sum())
    assert (priority * X).sum() >= (priority * start).sum()
    assert res.stages[0].status in ("time_limit", "optimal")  # (HiGHS may prove it at once)
    assert res.stages[0].value == pytest.approx((priority * X).sum())


def _no_easy_plan(seed: int) -> tuple[MultiYearMip, tuple]:
    """Two years; the knapsack of ``seed`` (unit 1, source 0, 1,234 million a year) and
    unit 0 that must have one hire in year 2: row A (source 0, 210 million a year) or row B
    (source 1, whose 50 million a year pays no hire), both of priority 1. Priority per đồng
    spends year 1's money on the knapsack, so nobody fits in year 2; the relaxation needs
    only half an A, so rounded down it fails too. A plan exists: A in both years and the
    knapsack within the 1,024 million left."""
    room, cost, priority = _knapsack(seed)
    n = len(room)
    rooms = np.concatenate([room, [1, 1]])
    costs = np.concatenate([cost, [210, 100]]) * M
    return _mip(np.repeat(rooms[:, None], 2, axis=1),
                priority=np.concatenate([priority, [1, 1]]),
                cost=np.repeat(costs[:, None], 2, axis=1).astype(float),
                group=np.arange(n + 2), group_room=np.repeat(rooms[:, None], 2, axis=1),
                source=[0] * (n + 1) + [1], budgets=[[1_234 * M] * 2, [50 * M] * 2],
                unit=[1] * n + [0, 0], unit_min=[[0, 1], [0, 0]]), (room, cost, priority)


def test_no_plan_at_hand_when_time_runs_out_is_no_solution_not_infeasible(monkeypatch):
    mip, (room, cost, priority) = _no_easy_plan(0)
    # the optimum: A in both years (2 staff-years) and the best knapsack within 1,024
    # million, both years
    best, _ = _best_by_dynamic_programming(room, cost, priority, 102)
    res = solve_multiyear(mip, gap=0.0)
    assert res.status == "optimal"
    assert res.stages[0].value == pytest.approx(2 * best + 2)
    # no time once the relaxation is solved: no plan was at hand (HiGHS gets no start).
    # If HiGHS finds none at once, none is returned and the status says time ran out (not
    # infeasible: no least budgets are sought); a plan it finds is returned
    runs = _Runs(monkeypatch, jump_after={0})
    n = len(room)

    def attempt() -> bool:
        runs.calls.clear()
        res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
        assert [c["goal"] for c in runs.calls] == ["weighted_staff_years"] * 2
        assert runs.calls[1]["start"] is None
        assert res.least_budgets is None and len(res.stages) == 1
        if res.cumulative is not None:  # a plan HiGHS found at once (proved optimal or not)
            X = res.cumulative
            assert res.status == "feasible_time_limit"
            assert (np.diff(X, axis=1) >= 0).all() and X[n:, 1].sum() >= 1
            assert (cost * X[:n, 0]).sum() + 210 * X[n, 0] <= 1_234
            assert (cost * X[:n, 1]).sum() + 210 * X[n, 1] <= 1_234 and X[n + 1, 1] == 0
            return False
        assert res.status == "no_solution_time_limit"
        assert [(s.goal, s.status, s.value) for s in res.stages] == \
            [("weighted_staff_years", "time_limit", None)]
        assert res.stages[0].bound >= 2 * best + 2 - 1e-6  # the relaxation's bound
        return True

    _stopped_at_once(attempt)


def test_the_least_budget_run_has_a_minute_and_leaves_the_model_as_it_was(monkeypatch):
    # the A/B case: unit 0 needs one hire; A costs 100 million (source 0, budget 60), B 120
    # million (source 1, budget 60): half of each meets the minimum in the relaxation, no
    # whole plan does. The least budgets pass the cheaper: 100 million for source 0.
    from planner.optimise.model_multiyear import MultiYearModel

    mip = _mip([[1], [1]], cost=[[100 * M], [120 * M]], group=[0, 1],
               group_room=[[1], [1]], source=[0, 1], budgets=[[60 * M], [60 * M]],
               unit_min=[[1]])
    runs = _Runs(monkeypatch)
    model = MultiYearModel(mip)
    res = model.solve(time_limit=600.0, gap=0.0)
    assert res.status == "infeasible"
    assert res.least_budgets.tolist() == [[100 * M], [60 * M]]
    excess = runs.calls[-1]
    assert excess["goal"] == "excess" and excess["gap"] == 0.0
    assert excess["seconds"] == pytest.approx(60.0)  # a minute, whatever the plan's limit
    # the budgets hold again afterwards: the same model solved again is still infeasible
    again = model.solve(gap=0.0)
    assert again.status == "infeasible" and again.cumulative is None
    assert again.least_budgets.tolist() == [[100 * M], [60 * M]]


def test_a_run_stops_once_its_bound_proves_the_plan_it_was_given():
    # seed 0's knapsack, started from the priority-per-đồng plan (94 weighted hires) with a
    # target of 100 (above the relaxation's 95.44): the first bound HiGHS reports proves it,
    # so the run stops ("interrupted") with the plan it was given and a bound between the
    # optimum (95) and the relaxation
    from planner.optimise.model_multiyear import MultiYearModel

    mip, (room, cost, priority) = _knapsack_mip(0)
    greedy = _ratio_greedy(room, cost, priority, 1_234)
    model = MultiYearModel(mip)
    start = np.zeros(len(model.col))
    start[:len(room)] = greedy
    status, x, value, bound, _ = model._run("weighted_staff_years", True, time_limit=None,
                                            gap=0.0, start=start, target=100.0)
    top, _ = _best_by_dynamic_programming(room, cost, priority, 123)
    assert status == "interrupted"
    assert np.rint(x[:len(room)]).tolist() == greedy.tolist()
    assert value == pytest.approx((priority * greedy).sum())
    assert top - 1e-6 <= bound <= _fractional_knapsack(room, cost, priority, 1_234) + 1e-6
    # with the plan's own value as target and gap 0 the bound must reach it: HiGHS goes on
    # to the optimum
    status, _, value, bound, _ = model._run("weighted_staff_years", True, time_limit=None,
                                            gap=0.0, start=start,
                                            target=float((priority * greedy).sum()))
    assert status == "optimal" and value == pytest.approx(top)


def test_a_stage_whose_relaxation_gets_no_time_gives_back_its_start():
    # the knapsack of seed 0 over two years (1,234 then 1,500 million): with no time the
    # relaxation stops with nothing, so the stage goes straight to the whole problem, which
    # stops at once too. The plan it was started from comes back (the priority-per-đồng
    # plan kept both years, within 1,234 million each year), status "time_limit", its
    # weighted staff-years (twice the year's), no bound; with no start, no plan at all
    # (or, either way, a plan HiGHS found at once)
    import time

    from planner.optimise.model_multiyear import MultiYearModel

    room, cost, priority = _knapsack(0)
    n = len(room)
    mip = _mip(np.repeat(room[:, None], 2, axis=1), priority=priority,
               cost=np.repeat(cost[:, None], 2, axis=1) * M, group=np.arange(n),
               group_room=np.repeat(room[:, None], 2, axis=1),
               budgets=[[1_234 * M, 1_500 * M]])
    greedy = _ratio_greedy(room, cost, priority, 1_234)
    kept = np.repeat(greedy[:, None], 2, axis=1)

    def feasible(x) -> bool:
        X = np.rint(x[:2 * n]).reshape(n, 2)
        return bool((np.diff(X, axis=1) >= 0).all() and (room[:, None] >= X).all()
                    and (cost * X[:, 0]).sum() <= 1_234 and (cost * X[:, 1]).sum() <= 1_500)

    def with_start() -> bool:
        model = MultiYearModel(mip)
        start = np.zeros(len(model.col))
        start[:2 * n] = kept.reshape(-1)
        t0 = time.perf_counter()
        status, x, value, bound, seconds = model._stage("weighted_staff_years", True,
                                                        time_limit=0.0, gap=0.0,
                                                        start=start, first=True)
        wall = time.perf_counter() - t0
        assert feasible(x) and 0 <= seconds <= wall
        assert value == pytest.approx(float(np.repeat(priority, 2) @ np.rint(x[:2 * n])))
        if np.rint(x[:2 * n]).reshape(n, 2).tolist() != kept.tolist():
            return False
        assert status == "time_limit"
        assert value == pytest.approx(2 * (priority * greedy).sum())
        assert bound is None
        return True

    def without_start() -> bool:
        status, x, value, bound, _ = MultiYearModel(mip)._stage(
            "weighted_staff_years", True, time_limit=0.0, gap=0.0, start=None, first=True)
        if x is not None:
            assert feasible(x)
            return False
        assert (status, value, bound) == ("time_limit", None, None)
        return True

    _stopped_at_once(with_start)
    _stopped_at_once(without_start)


def test_a_time_limit_under_a_second_is_still_a_time_limit(monkeypatch):
    # the model's clock stands still: a limit of 0.9 s is never used up, so every stage
    # runs (each HiGHS run given 0.9 s, far more than a two-row case needs) and the plan
    # is optimal: X = 1, 1 for the priority-2 row and the other row (budget 200 million)
    import types

    import planner.optimise.model_multiyear as module

    monkeypatch.setattr(module, "time", types.SimpleNamespace(perf_counter=lambda: 0.0))
    res = solve_multiyear(_mip([[2, 2], [1, 1]], group=[0, 1], group_room=[[2, 2], [1, 1]],
                               budgets=[[200 * M, 200 * M]], priority=[1, 2]),
                          time_limit=0.9, gap=0.0)
    assert res.status == "optimal"
    assert res.cumulative.tolist() == [[1, 1], [1, 1]]
    assert [s.status for s in res.stages] == ["optimal", "optimal"]


def _two_year_knapsack(seed: int):
    """Two years, 30 rows in their own groups (room 1–3 both years), priorities 1–9, costs
    80–210 million in year 1 and up to 40 million more in year 2, one source with 1,000
    then 1,400 million: the starting plans and the relaxation differ from year to year."""
    rng = np.random.default_rng(seed)
    n = 30
    room = rng.integers(1, 4, size=n)
    c0 = rng.choice([80, 100, 130, 170, 210], size=n)
    c1 = c0 + rng.choice([0, 10, 20, 40], size=n)
    priority = rng.integers(1, 10, size=n)
    mip = _mip(np.repeat(room[:, None], 2, axis=1), priority=priority,
               cost=np.stack([c0, c1], axis=1) * M, group=np.arange(n),
               group_room=np.repeat(room[:, None], 2, axis=1), budgets=[[1_000 * M, 1_400 * M]])
    return mip, (room, c0, c1, priority)


def _two_year_best(room, c0, c1, priority, b0: int, b1: int) -> float:
    """The most weighted staff-years of the two-year knapsack, by dynamic programming over
    both years' money (tens of millions): each post of a row is left empty, filled from
    year 2 (paid c1, counts p) or from year 1 (paid c0 and c1, counts 2p; never undone)."""
    best = np.zeros((b0 + 1, b1 + 1))
    for r in range(len(room)):
        a0, a1, p = int(c0[r]) // 10, int(c1[r]) // 10, float(priority[r])
        for _ in range(int(room[r])):
            new = best.copy()
            new[:, a1:] = np.maximum(new[:, a1:], best[:, :b1 + 1 - a1] + p)
            new[a0:, a1:] = np.maximum(new[a0:, a1:], best[:b0 + 1 - a0, :b1 + 1 - a1] + 2 * p)
            best = new
    return float(best[b0, b1])


@pytest.mark.parametrize("seed", [22, 16])
def test_a_stage_stopped_at_once_returns_the_better_of_its_two_starting_plans(monkeypatch,
                                                                             seed):
    # two candidate plans before HiGHS searches: priority per đồng from nothing (solve's
    # starting plan) and the relaxation rounded down and topped up (the first stage's). On
    # seed 22 the second is optimal and the first is not; on seed 16 the first is optimal
    # and the second is not. With no time for the search HiGHS is started from the better
    # and that plan comes back: the optimum, by dynamic programming
    mip, (room, c0, c1, priority) = _two_year_knapsack(seed)
    runs = _Runs(monkeypatch, jump_after={0})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    best = _two_year_best(room, c0, c1, priority, 100, 140)
    X = res.cumulative
    assert res.status == "feasible_time_limit"
    assert (np.diff(X, axis=1) >= 0).all() and (room[:, None] >= X).all()
    assert (c0 * X[:, 0]).sum() <= 1_000 and (c1 * X[:, 1]).sum() <= 1_400
    assert (priority[:, None] * X).sum() == best
    assert res.stages[0].value == pytest.approx(best)
    assert runs.calls[1]["target"] == pytest.approx(best)


def _core_value(room, cost, priority, budget: int, core: int) -> float:
    """The core problem's optimum of a one-year knapsack, from its definition: the
    relaxation by priority per đồng (the break row taken in part); free the break row and
    then the rows of least |reduced cost| |p − λ·c| (λ = the break row's p / c), ``core``
    rows in all (by row on ties); fix the others at the relaxation's value rounded; the
    free rows then take the best of the money left (dynamic programming)."""
    n = len(room)
    lp, left, ratio = np.zeros(n), float(budget), 0.0
    for r in sorted(range(n), key=lambda r: -priority[r] / cost[r]):
        lp[r] = min(float(room[r]), left / float(cost[r]))
        left -= lp[r] * float(cost[r])
        if 0 < lp[r] < room[r]:
            ratio = priority[r] / cost[r]
    reduced = np.abs(priority - ratio * cost)
    reduced[np.abs(lp - np.round(lp)) > 1e-6] = -1.0
    free = np.zeros(n, dtype=bool)
    free[np.argsort(reduced, kind="stable")[:core]] = True
    fixed = np.round(lp) * ~free
    top, _ = _best_by_dynamic_programming(room[free], cost[free], priority[free],
                                          (budget - int((cost * fixed).sum())) // 10)
    return float((priority * fixed).sum()) + top


@pytest.mark.parametrize(("seed", "core"), [(8, 3), (1, 3)])
def test_a_stage_stopped_after_its_core_problem_returns_the_cores_plan(monkeypatch, seed,
                                                                       core):
    # above CORE columns the core problem is solved before the whole problem; with no time
    # left after it the whole problem is started from the core's plan when it beats the
    # starting plan, and that plan (or a better one HiGHS found at once) comes back. Seed 8
    # with 3 free columns: the core's best (92) is above priority per đồng (90) and below
    # the optimum (93); seed 1: the core reaches the optimum (93, priority per đồng 89)
    import planner.optimise.model_multiyear as module

    monkeypatch.setattr(module, "CORE", core)
    mip, (room, cost, priority) = _knapsack_mip(seed)
    runs = _Runs(monkeypatch, jump_after={1})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    expected = _core_value(room, cost, priority, 1_234, core)
    greedy = _ratio_greedy(room, cost, priority, 1_234)
    top, _ = _best_by_dynamic_programming(room, cost, priority, 123)
    assert expected > (priority * greedy).sum()
    assert [(c["goal"], c["integer"]) for c in runs.calls] == \
        [("weighted_staff_years", False), ("weighted_staff_years", True),
         ("weighted_staff_years", True)]
    assert runs.calls[1]["start"] is None and runs.calls[1]["given"] > 300
    assert runs.calls[1]["value"] == pytest.approx(expected)  # the core's best
    assert runs.calls[2]["target"] == pytest.approx(expected)
    assert runs.calls[2]["given"] == 0
    X = res.cumulative[:, 0]
    assert (room >= X).all() and (cost * X).sum() <= 1_234
    assert expected <= (priority * X).sum() <= top


def test_no_core_problem_up_to_core_columns(monkeypatch):
    # CORE at the number of columns (30): no core problem, only the relaxation and the
    # whole problem are run
    import planner.optimise.model_multiyear as module

    monkeypatch.setattr(module, "CORE", 30)
    mip, _ = _knapsack_mip(8)
    runs = _Runs(monkeypatch, jump_after={0})
    solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert [c["integer"] for c in runs.calls] == [False, True]
    monkeypatch.setattr(module, "CORE", 29)
    runs.calls.clear()
    solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert [c["integer"] for c in runs.calls][:3] == [False, True, True]


def test_a_fair_stage_stopped_at_once_reports_the_least_fill_of_its_plan(monkeypatch):
    # seed 0's knapsack as three units (rows r % 3), each with 2 staying and a final quota
    # of its rooms + 2: the fair stage's value is the least (staying + hires) / quota. With
    # no time after the relaxation, HiGHS is started from a plan whose value (its target)
    # is that plan's least fill, and the stage reports the least fill of the plan returned
    room, cost, priority = _knapsack(0)
    unit = np.arange(len(room)) % 3
    quota = np.array([room[unit == u].sum() + 2 for u in range(3)], dtype=float)
    mip = _mip(room[:, None], priority=priority, cost=cost[:, None] * M,
               group=np.arange(len(room)), group_room=room[:, None], budgets=[[1_234 * M]],
               unit=unit, unit_min=np.zeros((3, 1)), objective="fair", fair_quota=quota,
               fair_staying=[2, 2, 2])

    def least_fill(X) -> float:
        return min((2 + X[unit == u].sum()) / quota[u] for u in range(3))

    runs = _Runs(monkeypatch, jump_after={0})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert res.status == "feasible_time_limit"
    X = res.cumulative[:, 0]
    assert (room >= X).all() and (cost * X).sum() <= 1_234
    start = runs.calls[1]["start"]
    assert runs.calls[1]["target"] == pytest.approx(least_fill(start[:len(room)]))
    assert res.stages[0].goal == "min_ratio"
    assert res.stages[0].value == pytest.approx(least_fill(X))
    assert least_fill(X) >= least_fill(start[:len(room)]) - 1e-9


def test_the_core_problems_plan_is_taken_when_no_starting_plan_exists(monkeypatch):
    # the case of no easy plan (neither starting plan meets unit 0's year-2 minimum) with
    # 40 free columns of its 64: the core problem finds the optimum (A in both years, the
    # best knapsack within 1,024 million both years), HiGHS is started from it and, with
    # no time left, it comes back
    import planner.optimise.model_multiyear as module

    monkeypatch.setattr(module, "CORE", 40)
    mip, (room, cost, priority) = _no_easy_plan(0)
    best, _ = _best_by_dynamic_programming(room, cost, priority, 102)
    runs = _Runs(monkeypatch, jump_after={1})
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert [c["integer"] for c in runs.calls] == [False, True, True]
    assert runs.calls[2]["target"] == pytest.approx(2 * best + 2)
    assert res.status == "feasible_time_limit"
    assert res.stages[0].value == pytest.approx(2 * best + 2)
    X = res.cumulative
    assert X[len(room):, 1].sum() >= 1 and (np.diff(X, axis=1) >= 0).all()
