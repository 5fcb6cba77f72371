"""The one exception hierarchy of routeopt, and its one warning.

The CLI catches :class:`RouteoptError` at its boundary and turns it into a one-line message and
an exit status: 2 for :class:`InputError` and :class:`MissingExtraError`, 3 for :class:`InfeasibleError`.
What the library notices and handles without refusing (rows left out, appointments outside the
plan) it says with a :class:`RouteoptWarning` (Python's ``warnings``), which the CLI prints as a
``warning:`` line.
"""

from __future__ import annotations


class RouteoptError(Exception):
    """Base class of every error routeopt raises on purpose."""


class InputError(RouteoptError, ValueError):
    """Bad input: the message is one sentence naming file, row, column, value and rule.

    A bad argument of a library function names the parameter as ``param`` and the message
    starts with that name (``weeks "0" must be …``), so that a front end can say it in its own
    words (the CLI names its flag instead).
    """

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class AmbiguousSheetError(InputError):
    """Several sheets of a workbook hold a table and none was named."""


class TooManyCustomersError(InputError):
    """One rep owns more customers than one rep's problem can hold in memory.

    ``rep`` is the rep's id (``None`` for the customers without a rep, which are first given the
    nearest rep's start), ``customers`` their number and ``limit`` the most one rep can have."""

    def __init__(self, rep: str | None, customers: int, limit: int) -> None:
        who = f"rep {rep} owns" if rep is not None else "there are"
        what = "customers" if rep is not None else "customers without a rep"
        super().__init__(
            f"{who} {customers:,} {what}; one rep can be planned with at most {limit:,}: "
            "split the territory among more reps."
        )
        self.rep = rep
        self.customers = customers
        self.limit = limit


class InfeasibleError(RouteoptError):
    """Valid input of which nothing at all can be planned."""


class MissingExtraError(RouteoptError, ImportError):
    """An optional dependency is not installed: the message names the extra that installs it."""


class RouteoptWarning(UserWarning):
    """Something in the input that routeopt handled without refusing it, said once."""


def where(source: str, row: int | None = None, record_id: str | None = None) -> str:
    """Format the location part of an error message: ``customers.csv row 17 (id=C042)``.

    ``row`` is the 1-based line number a spreadsheet shows (header = row 1).
    """
    text = source
    if row is not None:
        text += f" row {row}"
    if record_id:
        text += f" (id={record_id})"
    return text


def bad_value(
    source: str, row: int | None, record_id: str | None, column: str, value: object, rule: str
) -> InputError:
    """Build the standard error for one bad cell.

    >>> str(bad_value("customers.csv", 17, "C042", "hours", "18:00-09:00", "ends before it starts"))
    'customers.csv row 17 (id=C042): hours "18:00-09:00" ends before it starts.'
    """
    rule = rule.rstrip(".")
    return InputError(f'{where(source, row, record_id)}: {column} "{value}" {rule}.')
