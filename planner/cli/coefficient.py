"""``--default-coefficient [STAFF_TYPE=]VALUE``: the salary coefficient of rows that carry none.

Shared by ``gaps``, ``solve`` and ``sweep``. Without a staff type the value applies to every
staff type; the staff type may be typed as in the data ("VC", "Viên chức", "public_employee").
The value is a salary coefficient as offices type it ("2,67" or 2.67): above 0, at most 20.
Unset types keep the scenario's value (2.34 unless the scenario sets it).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from planner.domain.columns import Kind
from planner.domain.rules import MAX_SALARY_COEFFICIENT, StaffType
from planner.domain.scenario import ScenarioError
from planner.i18n import t

OPTION = "--default-coefficient"


def add_argument(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument(OPTION, action="append", default=None, metavar="[STAFF_TYPE=]VALUE",
                   help="salary coefficient of rows without one (default 2.34, chuyên viên "
                   "step 1), for every staff type or one: civil_servant=2.34, VC=2,1 "
                   "(repeatable)")


def parse(items: list[str], base: Mapping[str, float], lang: str = "vi") -> dict[str, float]:
    """The staff type → coefficient table the items give, over ``base``; ScenarioError (the
    catalogue message naming the item and what is expected) otherwise."""
    from planner.io.numbers import parse_number
    from planner.io.tables import staff_type_key

    out = {str(k): float(v) for k, v in base.items()}
    for item in items:
        staff_type, sep, number = item.rpartition("=")
        keys = [s.value for s in StaffType]
        if sep:
            key = staff_type_key(staff_type.strip().strip('"'))
            if key not in keys:
                raise ScenarioError.rendered(t("opt.bad_coefficient_type", lang, value=item,
                                      types=", ".join(keys)))
            keys = [key]
        value, reason = parse_number(number.strip(), Kind.COEFFICIENT)
        if reason is not None or value is None or not 0 < value <= MAX_SALARY_COEFFICIENT:
            raise ScenarioError.rendered(t("opt.bad_coefficient", lang, value=item,
                                  limit=f"{MAX_SALARY_COEFFICIENT:g}"))
        out.update(dict.fromkeys(keys, value))
    return out
