"""The office corpus (issue 11): every workbook read to the figures on its printed form, or
refused with a message naming the ambiguity and the ``--map`` that resolves it.

The expected figures are the ones typed in each case (tests/corpus); units, rows, quota,
headcount and vacancies are derived from them by the rule's definition
(vacancies = max(0, quota − headcount + expected departures)), never by the code under test.
"""

from __future__ import annotations

import pytest
from corpus import CASES, Case

from planner.i18n import problem_message
from planner.inputs import load_inputs
from planner.io.sources import SourceFile
from planner.problems import InputError


def _load(case: Case, mappings=None):
    heads = SourceFile(case.headcounts_name, case.headcounts) if case.headcounts else None
    return load_inputs(SourceFile(case.name, case.quotas), heads, mappings=mappings,
                       year=case.year)


def _assert_read(case: Case, inputs) -> None:
    got = [tuple(r) for r in inputs.positions[
        ["unit_name", "position_name", "staff_type", "quota", "headcount"]].itertuples(
        index=False)]
    assert got == list(case.rows)
    expected_units = {r[0] for r in case.rows}
    assert inputs.positions["unit_id"].nunique() == len(expected_units)
    assert len(inputs.positions) == len(case.rows)
    assert int(inputs.positions["quota"].sum()) == sum(r[3] for r in case.rows)
    assert int(inputs.positions["headcount"].sum()) == sum(r[4] for r in case.rows)
    assert int(inputs.positions["expected_departures"].sum()) == case.departures
    vacancies = (inputs.positions["quota"] - inputs.positions["headcount"]
                 + inputs.positions["expected_departures"]).clip(lower=0).sum()
    by_definition = sum(max(0, q - h) for *_, q, h in case.rows) + case.departures
    assert int(vacancies) == by_definition


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_office_file_is_read_right_or_refused_naming_the_fix(case: Case):
    if case.refused is None:
        inputs = _load(case)
        _assert_read(case, inputs)
        codes = {w.code for w in inputs.warnings}
        assert set(case.warnings) <= codes, codes
        return
    with pytest.raises(InputError) as caught:
        _load(case)
    errors = [p for p in caught.value.errors if p.code == case.refused]
    assert errors, [p.code for p in caught.value.errors]
    for p in errors:
        for lang in ("vi", "en"):
            text = problem_message(p, lang)
            assert "{" not in text and text.strip()
    if case.fix:
        (col,) = next(iter(case.fix.values()))
        # the message names the candidates and the --map option
        text = problem_message(errors[0], "en")
        assert f"--map {col}=" in text
        _assert_read(case, _load(case, mappings=case.fix))


def test_the_corpus_has_at_least_25_files_and_covers_refusals():
    assert len(CASES) >= 25
    assert sum(c.refused is not None for c in CASES) >= 5
