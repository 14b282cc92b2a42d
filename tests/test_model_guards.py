"""The one-year model refuses arrays that do not have one entry per column (HiGHS would read
a short cost array past its end and refuse short bounds without a word), naming the array."""

import numpy as np
import pytest
from optimise_cases import M, gaps_table

from planner.optimise.instance import prepare
from planner.optimise.model import AllocationModel


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_an_array_of_the_wrong_length_is_refused_by_name(solver):
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 1, "cost": 50 * M}])
    inst, _, _ = prepare(gaps, None, budgets=None, total_budget=None, min_fill=None,
                         objective="priority", target_fill=1.0, solver=solver,
                         time_limit=None, gap=1e-4)
    model = AllocationModel(inst.mip_data(), solver=solver)
    n = model.n_cols
    ok = {"objective": np.ones(n), "maximise": True, "integer": True, "lower": np.zeros(n),
          "upper": np.array([2.0, 1.0] + [0.0] * (n - 2))}
    run = model.run(**ok)
    assert run.x is not None and run.x[:2].tolist() == [2, 1]  # 2 + 1 vacancies filled
    for name, short in (("objective", np.ones(n - 1)), ("lower", np.zeros(n + 1)),
                        ("upper", np.ones((n, 1))), ("start", np.zeros(n - 1))):
        with pytest.raises(ValueError, match=rf"^{name} has shape .*; the model has {n} "):
            model.run(**{**ok, name: short})
