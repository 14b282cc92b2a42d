"""The two catalogues stay in step, and numbers read the way each language writes them."""

import re
import tomllib
from pathlib import Path

import pytest

from planner.i18n import catalogue, coded, fmt_money, fmt_number, fmt_percent, t

LOCALES = Path(__file__).resolve().parent.parent / "planner" / "locales"


def test_catalogues_have_the_same_keys():
    vi, en = catalogue("vi"), catalogue("en")
    assert sorted(set(vi) - set(en)) == []
    assert sorted(set(en) - set(vi)) == []


def test_catalogues_use_the_same_placeholders():
    vi, en = catalogue("vi"), catalogue("en")
    for key in vi:
        assert set(re.findall(r"{(\w+)}", vi[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_catalogue_files_are_valid_toml():
    for path in LOCALES.glob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_codes_in_words_from_a_catalogue_table():
    assert coded("vocab.source", "state_budget", "vi") == "Ngân sách nhà nước"
    assert t("vocab.total_budget", "en") == "Total budget"
    assert coded("vocab.source", "nguon_thu_khac", "en") == "nguon_thu_khac"  # unknown: as is
    assert coded("vocab.source", None, "en") is None  # not text: as is


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [(1234567, "vi", 0, "1.234.567"), (1234567, "en", 0, "1,234,567"),
     (2.34, "vi", 2, "2,34"), (2.34, "en", 2, "2.34")],
)
def test_numbers(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_money_in_dong_trieu_and_ty():
    assert fmt_money(1_234_567, "vi", unit="dong") == "1.234.567 đ"
    assert fmt_money(12_500_000, "vi") == "12,5 triệu đ"
    assert fmt_money(60_000_000_000, "vi") == "60 tỷ đ"
    assert fmt_money(1_230_000_000, "en") == "1.23 billion VND"
    assert fmt_money(None) == "–"


def test_percent():
    assert fmt_percent(0.9716, "vi") == "97,2%"
    assert fmt_percent(0.9716, "en") == "97.2%"


def test_unknown_key_falls_back_to_the_key_and_unknown_language_is_refused():
    assert t("no.such.key", "vi") == "no.such.key"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        catalogue("fr")
