"""File and sheet names made from ids that may hold any text stay safe and unique."""

import re

from hypothesis import given
from hypothesis import strategies as st

from routeopt.output.atomic import write_folder
from routeopt.output.names import file_stems, sheet_names

ids = st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=8, unique=True)


def test_a_safe_id_is_its_own_name():
    assert file_stems(["R1", "山田"]) == {"R1": "R1", "山田": "山田"}
    assert sheet_names(["R1"]) == {"R1": "R1"}


def test_ids_that_would_leave_the_folder_or_name_a_device_are_changed():
    stems = file_stems(["../R1", "a/b", "CON", ".hidden", "R1"])
    assert all(re.fullmatch(r"[\w\-]+", s) for s in stems.values())
    assert stems["R1"] == "R1" and stems["../R1"] != "R1"
    assert stems["CON"].upper() != "CON"


def test_ids_differing_only_in_case_get_different_names():
    stems = file_stems(["R1", "r1"])
    assert stems["R1"].casefold() != stems["r1"].casefold()
    sheets = sheet_names(["Summary", "R1"], taken=["Summary"])
    assert sheets["Summary"].casefold() != "summary"


@given(ids)
def test_file_stems_are_safe_unique_and_stable(values):
    stems = file_stems(values)
    assert len({s.casefold() for s in stems.values()}) == len(values)
    assert all(re.fullmatch(r"[\w\-]{1,60}", s) for s in stems.values())
    assert file_stems(reversed(values)) == stems


@given(ids)
def test_sheet_names_follow_excels_rules(values):
    names = sheet_names(values, taken=["Summary"])
    assert len({n.casefold() for n in names.values()} | {"summary"}) == len(values) + 1
    for n in names.values():
        assert 1 <= len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) and n[0] != "'" and n[-1] != "'"
        assert n.casefold() != "history"


@given(ids)
def test_files_named_after_any_ids_stay_inside_the_plan_folder(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("plan") / "p"
    files = {f"calendar-{s}.ics": b"x" for s in file_stems(values).values()}
    out = write_folder(folder, {"summary.json": b"{}", **files})
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, "summary.json"])
