"""The domain types: reason codes, the rhythm's default gaps, the limits of a customer."""

import re

import pytest

from routeopt.model import MAX_VISIT_MINUTES, Customer, ReasonCode, VisitRule


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


@pytest.mark.parametrize(("target", "gaps"), [(1, (1, 1)), (3.5, (2, 5)), (5, (4, 6)), (7, (5, 9)), (28, (20, 36))])
def test_default_gaps_are_the_specs_with_python_round(target, gaps):
    # 0.7·5 and 1.3·5 are 3.5 and 6.5 in floating point; round() takes both to the even 4 and 6
    assert VisitRule.default_gaps(target) == gaps
    assert VisitRule.from_target(target) == VisitRule(target, *gaps)


def test_a_given_gap_bound_replaces_only_its_own_default():
    assert VisitRule.from_target(7, min_gap=6) == VisitRule(7, 6, 9)
    assert VisitRule.from_target(7, max_gap=12) == VisitRule(7, 5, 12)


def test_a_given_gap_bound_may_not_cross_the_other_default():
    with pytest.raises(ValueError, match="gap bounds 10-9"):
        VisitRule.from_target(7, min_gap=10)


def test_a_visit_may_last_up_to_the_longest_visit_and_no_longer():
    assert Customer("C1", 34.3, 134.0, visit_minutes=MAX_VISIT_MINUTES).visit_minutes == 720
    with pytest.raises(ValueError, match="must be 1..720"):
        Customer("C1", 34.3, 134.0, visit_minutes=MAX_VISIT_MINUTES + 1)
