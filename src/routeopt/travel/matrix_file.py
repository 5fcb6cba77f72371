"""A user-supplied travel matrix: a CSV of ``from_id, to_id, minutes, km`` rows.

Ids are customer ids and rep ids (a rep's start and end both use the rep id; a different end
location is named ``<rep id>:end``, see :func:`~routeopt.travel.base.end_point`). Every ordered
pair the plan needs must be present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .base import Matrices, Point, minutes_up

MATRIX_COLUMNS = ("from_id", "to_id", "minutes", "km")


@dataclass(frozen=True)
class MatrixFile:
    """Travel times and distances read from ``path`` (minutes rounded up to whole minutes)."""

    path: Path
    legs: dict[tuple[str, str], tuple[int, float]] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> MatrixFile:
        """Read and validate the file.

        Raises
        ------
        InputError
            When the file is missing, lacks a column, or has a non-numeric or negative value.
        """
        path = Path(path)
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError(f"{path.name}: file not found.") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"{path.name}: cannot be read as CSV ({exc}).") from None
        df.columns = [str(c).strip().lower() for c in df.columns]
        for col in MATRIX_COLUMNS:
            if col not in df.columns:
                raise InputError(f"{path.name}: missing column {col} (needs {', '.join(MATRIX_COLUMNS)}).")
        legs: dict[tuple[str, str], tuple[int, float]] = {}
        for row, rec in enumerate(df.itertuples(index=False), start=2):
            try:
                minutes, km = float(rec.minutes), float(rec.km)
            except ValueError:
                raise InputError(
                    f'{path.name} row {row}: minutes "{rec.minutes}" or km "{rec.km}" is not a number.'
                ) from None
            if not (minutes >= 0 and km >= 0):
                raise InputError(f'{path.name} row {row}: minutes "{rec.minutes}" and km must not be negative.')
            legs[(str(rec.from_id).strip(), str(rec.to_id).strip())] = (minutes_up(minutes), km)
        return cls(path=path, legs=legs)

    def matrices(self, points: Sequence[Point]) -> Matrices:
        n = len(points)
        minutes = np.zeros((n, n), dtype=np.int64)
        km = np.zeros((n, n), dtype=float)
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                if i == j or a.id == b.id:
                    continue
                leg = self.legs.get((a.id, b.id))
                if leg is None:
                    raise InputError(f"{self.path.name}: no row from_id={a.id} to_id={b.id}.")
                minutes[i, j], km[i, j] = leg
        return Matrices(minutes=minutes, km=km)

    def legs_between(self, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrices:
        """Travel of each leg ``origins[k]`` → ``destinations[k]`` only (1-D arrays)."""
        minutes = np.zeros(len(origins), dtype=np.int64)
        km = np.zeros(len(origins), dtype=float)
        for k, (a, b) in enumerate(zip(origins, destinations, strict=True)):
            if a.id == b.id:
                continue
            leg = self.legs.get((a.id, b.id))
            if leg is None:
                raise InputError(f"{self.path.name}: no row from_id={a.id} to_id={b.id}.")
            minutes[k], km[k] = leg
        return Matrices(minutes=minutes, km=km)

    def describe(self) -> dict[str, Any]:
        return {"kind": "matrix_file", "path": str(self.path)}
