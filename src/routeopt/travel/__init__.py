"""Travel times and distances between places."""

from .base import Matrices, Point, TravelModel, legs_between
from .greatcircle import GreatCircle
from .matrix_file import MatrixFile

__all__ = ["GreatCircle", "Matrices", "MatrixFile", "Point", "TravelModel", "legs_between"]
