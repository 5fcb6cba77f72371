"""The domain types: reason codes."""

import re

import pytest

from routeopt.model import ReasonCode


def test_reason_codes_are_short_distinct_snake_case_words_with_a_meaning():
    codes = [c.code for c in ReasonCode]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", c) and len(c) <= 20 for c in codes), codes
    assert all(c.meaning and "\n" not in c.meaning for c in ReasonCode)


def test_a_reason_code_is_found_again_from_its_text():
    for member in ReasonCode:
        assert ReasonCode.of(member.code) is member


@pytest.mark.parametrize("text", ["TOO_FAR", "too far", "", "capacity"])
def test_an_unknown_reason_code_names_the_known_ones(text):
    with pytest.raises(ValueError, match="unknown reason code .*closed, hours_too_short"):
        ReasonCode.of(text)
