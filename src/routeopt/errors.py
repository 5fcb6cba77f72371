"""The one exception hierarchy of routeopt.

The CLI catches :class:`RouteoptError` at its boundary and turns it into a one-line message and
an exit status: 2 for :class:`InputError` and :class:`MissingExtraError`, 3 for :class:`InfeasibleError`.
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


class InfeasibleError(RouteoptError):
    """Valid input of which nothing at all can be planned."""


class MissingExtraError(RouteoptError, ImportError):
    """An optional dependency is not installed: the message names the extra that installs it."""


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
