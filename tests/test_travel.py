"""The embedded travel model agrees with geopy and rounds each leg up to whole minutes."""

import math

import numpy as np
import pytest
from geopy.distance import great_circle

from routeopt.errors import InputError
from routeopt.model import Rep
from routeopt.travel import GreatCircle, MatrixFile, Point, end_point, start_point

TAKAMATSU = [
    Point("station", 34.3505, 134.0465),
    Point("ritsurin", 34.3297, 134.0443),
    Point("yashima", 34.3580, 134.1010),
    Point("megijima", 34.3940, 134.0530),
]


def test_great_circle_km_matches_geopy_times_detour():
    model = GreatCircle(detour_factor=1.3, speed_kmh=30)
    km = model.matrices(TAKAMATSU).km
    for i, a in enumerate(TAKAMATSU):
        for j, b in enumerate(TAKAMATSU):
            expected = great_circle((a.lat, a.lon), (b.lat, b.lon)).km * 1.3
            assert km[i, j] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_minutes_are_rounded_up_per_leg():
    model = GreatCircle(detour_factor=1.3, speed_kmh=30)
    m = model.matrices(TAKAMATSU)
    expected = np.ceil(m.km / 30 * 60 - 1e-9)
    assert (m.minutes == expected).all()
    assert m.minutes.dtype.kind == "i"
    assert (np.diag(m.minutes) == 0).all()
    # station → ritsurin is about 2.3 km great-circle: 3.0 road km at 30 km/h = 6 min (rounded up)
    assert m.minutes[0, 1] == math.ceil(m.km[0, 1] * 2 - 1e-9)


def test_speed_and_detour_change_the_minutes():
    slow = GreatCircle(detour_factor=1.5, speed_kmh=15).matrices(TAKAMATSU).minutes
    fast = GreatCircle(detour_factor=1.1, speed_kmh=60).matrices(TAKAMATSU).minutes
    assert (slow[0, 1:] > fast[0, 1:]).all()


def test_describe_names_the_model_for_summary_json():
    assert GreatCircle().describe() == {"kind": "great_circle", "detour_factor": 1.3, "speed_kmh": 30.0}


def test_rejects_absurd_speed():
    with pytest.raises(ValueError, match="speed"):
        GreatCircle(speed_kmh=0)


def test_matrix_file_gives_the_file_values(tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text("from_id,to_id,minutes,km\nA,B,12.2,5.5\nB,A,11,5.4\n", encoding="utf-8")
    m = MatrixFile.read(path).matrices([Point("A", 0, 0), Point("B", 0, 0)])
    assert m.minutes.tolist() == [[0, 13], [11, 0]]
    assert m.km.tolist() == [[0, 5.5], [5.4, 0]]


def test_matrix_file_names_a_missing_pair(tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text("from_id,to_id,minutes,km\nA,B,12,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="from_id=B to_id=A"):
        MatrixFile.read(path).matrices([Point("A", 0, 0), Point("B", 0, 0)])


def test_matrix_file_names_the_bad_row(tmp_path):
    path = tmp_path / "matrix.csv"
    path.write_text("from_id,to_id,minutes,km\nA,B,12,5\nB,A,soon,5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r'matrix.csv row 3: minutes "soon"'):
        MatrixFile.read(path)


def test_a_reps_end_is_named_by_its_id_unless_it_lies_elsewhere():
    home = Rep("R1", 34.35, 134.05)
    away = Rep("R2", 34.35, 134.05, end_lat=34.40, end_lon=134.10)
    assert (start_point(home), end_point(home)) == (Point("R1", 34.35, 134.05), Point("R1", 34.35, 134.05))
    assert (start_point(away), end_point(away)) == (Point("R2", 34.35, 134.05), Point("R2:end", 34.40, 134.10))
