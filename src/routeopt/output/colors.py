"""Colours shared by the figures and the map, so a rep has the same colour in both."""

from __future__ import annotations

REP_COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
              "#469990", "#800000", "#808000", "#000075")
"""One colour per rep, in the reps' order, cycled when there are more reps."""
SEGMENT_COLORS = {"drive": "#4c78a8", "visit": "#59a14f", "wait": "#f2b447", "lunch": "#b07aa1"}
"""What a rep's minutes are spent on, as the figures colour it."""


def rep_color(index: int) -> str:
    """The colour of the ``index``-th rep (``#rrggbb``)."""
    return REP_COLORS[index % len(REP_COLORS)]
