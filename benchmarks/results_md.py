"""``benchmarks/RESULTS.md``: a short "Current figures" table on top, then the History of records.

The table has one row per benchmark: its latest record's headline figure, the command, the
commit, the date and the History section it comes from. A benchmark script with ``--record``
calls :func:`record`, which appends the section at the end of the History (oldest first, so
"the record above" keeps its meaning) and replaces that benchmark's row (or adds it) in one
atomic write under a lock: runs that finish at the same moment keep both records.

History headings are ``### DATE · TITLE · commit COMMIT`` and unique (a repeated one gets `` (2)`` …).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeopt.output.atomic import write_file

HERE = Path(__file__).resolve().parent
RESULTS_MD = HERE / "RESULTS.md"
TABLE_START = "<!-- current-figures: one row per benchmark, kept up to date by benchmarks/results_md.py -->"
TABLE_END = "<!-- /current-figures -->"
COLUMNS = ("benchmark", "figure", "command", "commit", "date", "from (History)")
HISTORY = "## History"


@dataclass(frozen=True)
class Figure:
    """A benchmark's row of the current-figures table (``benchmark`` is the key of the row)."""

    benchmark: str
    figure: str
    command: str


def commit() -> str:
    """The checked-out commit, ``-dirty`` when the tree has changes (``?`` outside git)."""
    done = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def command_line(script: str, argv: Sequence[str], drop: Sequence[str] = ("--out", "--note")) -> str:
    """``python benchmarks/SCRIPT ARGS`` for the table: the arguments without the options in ``drop``
    (and their values), which belong to one machine or to the History section."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in drop:
            skip = True
        elif not arg.startswith(tuple(f"{d}=" for d in drop)):
            kept.append(arg)
    return " ".join(["python", f"benchmarks/{script}", *(shlex.quote(a) for a in kept)])


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _unique(heading: str, text: str) -> str:
    taken = set(re.findall(r"^### (.+)$", text, flags=re.MULTILINE))
    unique, n = heading, 1
    while unique in taken:
        n += 1
        unique = f"{heading} ({n})"
    return unique


def with_record(text: str, title: str, body: str, figure: Figure | None, date: str, code: str) -> str:
    """``text`` (the whole file) with the section ``### DATE · TITLE`` (made unique) and ``body``
    appended to the History and, given ``figure``, its row of the table replaced or added.

    Raises
    ------
    ValueError
        When ``text`` has no current-figures table (its two marker lines) or no History heading.
    """
    if TABLE_START not in text or TABLE_END not in text or f"\n{HISTORY}\n" not in text:
        raise ValueError(f"RESULTS.md needs the lines {TABLE_START!r} … {TABLE_END!r} and {HISTORY!r}.")
    heading = _unique(f"{date} · {title} · commit {code}", text)
    text = text.rstrip("\n") + f"\n\n### {heading}\n\n{body.strip()}\n"
    if figure is None:
        return text
    head, rest = text.split(TABLE_START, 1)
    table, tail = rest.split(TABLE_END, 1)
    rows = [line for line in table.strip().splitlines() if line.startswith("|")]
    new = _row([figure.benchmark, figure.figure, f"`{figure.command}`", code, date, heading])
    key = _row([figure.benchmark])[:-1]  # "| benchmark |" without the closing bar
    rows = [new if row.startswith(key) else row for row in rows]
    if new not in rows:
        rows.append(new)
    return f"{head}{TABLE_START}\n" + "\n".join(rows) + f"\n{TABLE_END}{tail}"


def record(title: str, body: str, figure: Figure | None, path: Path = RESULTS_MD) -> None:
    """Append a History section to ``path`` and update ``figure``'s row (see :func:`with_record`),
    dated today and marked with the checked-out commit."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8")
        write_file(path, with_record(text, title, body, figure, dt.date.today().isoformat(), commit()).encode("utf-8"))
