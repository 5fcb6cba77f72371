"""Travel times and distances between places."""

from .base import Matrices, Point, TravelModel, end_point, legs_between, start_point
from .greatcircle import GreatCircle
from .matrix_file import MatrixFile

__all__ = ["GreatCircle", "Matrices", "MatrixFile", "Point", "TravelModel", "end_point", "legs_between", "start_point"]
