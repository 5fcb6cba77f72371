"""The bar chart of working minutes per rep and split (the only module that imports matplotlib).

It uses matplotlib's object-oriented ``Figure`` (no pyplot, no global backend state), drawn by
the Agg canvas into PNG bytes.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def workload_figure(workloads: pd.DataFrame) -> Figure:
    """Grouped bars: one group per rep (rows of ``workloads``), one bar per split (columns),
    height = working minutes over the horizon; a dashed line per split at its mean.

    The bars of split ``k`` are the ``k``-th container of ``figure.axes[0].containers``.
    """
    fig = Figure(figsize=(max(6.0, 0.9 * len(workloads) + 2), 4.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = max(1, len(workloads.columns))
    width = 0.8 / n
    xs = range(len(workloads))
    for k, split in enumerate(workloads.columns):
        values = [float(v) for v in workloads[split]]
        bars = ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], values, width, label=str(split))
        mean = sum(values) / len(values) if values else 0.0
        ax.axhline(mean, color=bars.patches[0].get_facecolor() if bars.patches else "grey",
                   linestyle="--", linewidth=0.8)
    ax.set_xticks(list(xs), [str(r) for r in workloads.index])
    ax.set_xlabel("rep")
    ax.set_ylabel("working minutes over the horizon")
    ax.set_title("Workload per rep (dashed: mean of each split)")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def workload_png(workloads: pd.DataFrame) -> bytes:
    """The chart of :func:`workload_figure` as PNG bytes."""
    buf = io.BytesIO()
    workload_figure(workloads).savefig(buf, format="png")
    return buf.getvalue()
