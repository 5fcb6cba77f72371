"""The short summary table ``routeopt plan`` prints at the end (rich)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text


def summary_table(summary: Mapping[str, Any], rep_names: Mapping[str, str], hint_free: str = "") -> Table:
    """One row per rep and a total: days worked, visits planned/due, driving, work, waiting, overtime;
    under it, each rep's days used of its working days with the least and most working minutes of a
    day, and how many customers keep one weekday and how much their visit times spread, and how many
    kept the weekday of their last visit before the plan (with ``hint_free`` after it, when the plan
    kept those weekdays on purpose: how to choose them afresh).

    Cells are plain text (a rep named ``[bold]`` is shown as written, not as markup).
    """
    table = Table(title="plan summary (drive, wait, overtime in minutes)", show_footer=True,
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    totals = summary["totals"]
    columns = (
        ("rep", "total"),
        ("name", ""),
        ("days", str(sum(r["days_worked"] for r in summary["per_rep"].values()))),
        ("visits", f"{totals['visits_planned']}/{totals['visits_due']}"),
        ("drive", str(totals["travel_min"])),
        ("km", f"{totals['travel_km']:.1f}"),
        ("work h", f"{totals['work_min'] / 60:.1f}"),
        ("wait", str(totals["wait_min"])),
        ("overtime", str(totals["overtime_min"])),
    )
    for i, (header, footer) in enumerate(columns):
        table.add_column(header, footer=footer, justify="left" if i < 2 else "right", no_wrap=True,
                         overflow="ellipsis", max_width=16 if i < 2 else None)
    for rep_id, r in summary["per_rep"].items():
        cells = (
            rep_id, rep_names.get(rep_id, ""), str(r["days_worked"]), f"{r['visits_planned']}/{r['visits_due']}",
            str(r["travel_min"]), f"{r['travel_km']:.1f}", f"{r['work_min'] / 60:.1f}", str(r["wait_min"]),
            str(r["overtime_min"]),
        )
        table.add_row(*(Text(c) for c in cells))
    lines = ["days used: " + "; ".join(
        f"{rep_id} {r['days_used']}/{r['working_days']} ({r['day_work_min_least']}-{r['day_work_min_most']} min a day)"
        for rep_id, r in summary["per_rep"].items() if "days_used" in r)]
    regular = totals.get("regularity") or {}
    if regular.get("customers"):
        weight = summary.get("options", {}).get("course_weight")
        worth = f", at {weight:g} min a visit off its weekday" if weight is not None else ""
        lines.append(f"{regular['kept']}/{regular['customers']} customers with 2+ visits kept on one weekday "
                     f"({regular['share']:.0%}{worth}); their visit times spread {regular['start_spread_min']:.0f} min")
    if regular.get("last_weekday_customers"):
        hint = f" ({hint_free})" if hint_free and summary.get("options", {}).get("last_weekday") == "keep" else ""
        lines.append(f"{regular['last_weekday_kept']}/{regular['last_weekday_customers']} customers on the weekday of "
                     f"their last visit before the plan ({regular['last_weekday_share']:.0%}){hint}")
    table.caption = Text("\n".join(lines))
    table.caption_justify = "left"
    return table
