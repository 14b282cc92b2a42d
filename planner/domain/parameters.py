"""A plan's parameters checked in one place, with messages in the officer's language.

Every check of a parameter (the scenario, its file, the CLI's flags, the app's fields, the
optimiser's and the budget curve's arguments) is one of the functions here, and every refusal
is a :class:`ScenarioError` carrying a catalogue code (``[param]`` table of
planner/locales/*.toml) and the values it names: the front renders it in Vietnamese or
English (:meth:`ScenarioError.render`); ``str()`` of it is the English message.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeGuard

import numpy as np

from planner.i18n import catalogue, t

#: Largest plausible values: a count on one row (a whole province has ~30,000 posts), an
#: amount in đồng (a million billion), a priority weight. Beyond them a cell is a typing slip
#: (or an overflow waiting to happen), not data. The input tables' schemas use them too.
MAX_COUNT = 1_000_000
MAX_AMOUNT = 10**15
MAX_WEIGHT = 1_000


class ScenarioError(ValueError):
    """A parameter is invalid: ``code`` names the rule, ``params`` the culprit and its value.

    ``where`` (optional) places a per-row or per-unit setting: ("row", unit_id, position_id),
    ("unit", unit_id) or ("entry", kind, n) for the n-th ``[[rows]]``/``[[units]]`` entry."""

    def __init__(self, code: str, /, *, where: tuple[Any, ...] | None = None,
                 **params: Any) -> None:
        self.code = code
        self.where = where
        self.params = params
        super().__init__(self.render("en"))

    @classmethod
    def rendered(cls, message: str) -> ScenarioError:
        """A refusal whose message a front has already written in the officer's language
        (the CLI's flags: "--budget must be SOURCE=AMOUNT …")."""
        return cls("as_given", message=message)

    def render(self, lang: str = "vi") -> str:
        return self.render_with({k: _shown(k, v, lang) for k, v in self.params.items()}, lang)

    def render_with(self, shown: Mapping[str, Any], lang: str) -> str:
        """The message with ``shown`` as the values it names (a front may word a value its own
        way), then how many more culprits, and where the problem is."""
        text = t(f"param.{self.code}", lang, **shown)
        if int(self.params.get("more") or 0) > 0:  # the first culprit named, then how many more
            text += t("param.more", lang, n=self.params["more"])
        if self.where is None:
            return text
        kind, *keys = self.where
        prefix = t(f"param.where.{kind}", lang, **dict(zip(("a", "b"), map(str, keys),
                                                           strict=False)))
        return f"{prefix}: {text}"


def parameter_name(name: str, lang: str) -> str:
    """A parameter in words, its code beside it: "Tỷ lệ lấp đầy tối thiểu (min_fill)".
    ``budgets.<source>`` and ``contribution_rates.<staff type>`` name the entry too."""
    head, _, entry = name.partition(".")
    words = catalogue(lang).get(f"param.name.{head}")
    if words is None or words == head:  # English names a parameter by its code
        return name
    return f"{words} ({name})" if not entry else f"{words} – {entry} ({name})"


def _shown(key: str, value: Any, lang: str) -> Any:
    if key == "parameter":
        return parameter_name(str(value), lang)
    if key == "value":
        if isinstance(value, np.generic):  # 0.5, not np.float64(0.5)
            value = value.item()
        return f"{value!r:.80}"
    return value


# --- the checks ------------------------------------------------------------------------------

def is_number(v: object) -> TypeGuard[float]:
    """A finite real number, numpy's too (not a bool, not text)."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) \
        and bool(np.isfinite(float(v)))


def check_number(name: str, v: Any) -> float:
    if not is_number(v):
        raise ScenarioError("number", parameter=name, value=v)
    return float(v)


def check_positive(name: str, v: Any) -> float:
    if not (is_number(v) and v > 0):
        raise ScenarioError("positive", parameter=name, value=v)
    return float(v)


def check_non_negative(name: str, v: Any) -> float:
    if not (is_number(v) and v >= 0):
        raise ScenarioError("non_negative", parameter=name, value=v)
    return float(v)


def check_share(name: str, v: Any, *, where: tuple[Any, ...] | None = None) -> float:
    """A share from 0 to 1 (0.5 is 50 %)."""
    if not (is_number(v) and 0 <= v <= 1):
        raise ScenarioError("share", parameter=name, value=v, where=where)
    return float(v)


def check_amount(name: str, v: Any, *, where: tuple[Any, ...] | None = None) -> float:
    """An amount of đồng from 0 to MAX_AMOUNT."""
    if not (is_number(v) and 0 <= v <= MAX_AMOUNT):
        raise ScenarioError("amount", parameter=name, value=v, most=f"{MAX_AMOUNT:,}",
                            where=where)
    return float(v)


def check_whole(name: str, v: Any, *, least: int = 0, most: int = MAX_COUNT,
                where: tuple[Any, ...] | None = None) -> int | None:
    """A whole number from ``least`` to ``most`` (2.0 is 2; 1.5, -3, inf and "x" refused);
    None stays None."""
    if v is None:
        return None
    if not (is_number(v) and v == int(v) and least <= v <= most):
        raise ScenarioError("whole", parameter=name, value=v, least=least, most=f"{most:,}",
                            where=where)
    return int(v)


def check_priority(v: Any, *, where: tuple[Any, ...] | None = None) -> float:
    if not (is_number(v) and 0 < v <= MAX_WEIGHT):
        raise ScenarioError("priority", parameter="priority", value=v,
                            most=f"{MAX_WEIGHT:,}", where=where)
    return float(v)


def check_gap(v: Any) -> float:
    if not (is_number(v) and 0 <= v < 1):
        raise ScenarioError("gap", parameter="gap", value=v)
    return float(v)


def check_time_limit(v: Any) -> float | None:
    return None if v is None else check_positive("time_limit", v)


def check_choice[E: StrEnum](name: str, v: Any, kind: type[E]) -> E:
    try:
        return kind(str(v).lower() if isinstance(v, str) else v)
    except ValueError:
        raise ScenarioError("choice", parameter=name, value=v,
                            choices=", ".join(kind)) from None


def check_code(name: str, v: Any, *, where: tuple[Any, ...] | None = None) -> str:
    """A unit or position code, written as text."""
    if not (isinstance(v, str) and v.strip()):
        raise ScenarioError("code", parameter=name, value=v, where=where)
    return v


def check_known(name: str, v: str, known: Iterable[str]) -> None:
    """``v`` is one of ``known`` (a funding source of the data, …)."""
    names = list(known)
    if v not in names:
        raise ScenarioError("unknown_source", parameter=name, value=v,
                            known=", ".join(names))
