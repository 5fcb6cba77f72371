"""Working days: the horizon, public holidays (through the maintained ``holidays`` library)."""

from __future__ import annotations

import datetime as dt

import holidays as holidays_lib

from ..errors import InputError
from . import Horizon


def make_horizon(start: dt.date, weeks: int, holiday_country: str | None = None) -> Horizon:
    """The planning horizon of ``weeks`` weeks from ``start``, without the public holidays of
    ``holiday_country`` (an ISO code such as ``"JP"``; ``None`` = no holidays).

    Raises
    ------
    InputError
        When ``weeks`` is not 1..52 or the country is unknown to the ``holidays`` library.
    """
    if not 1 <= weeks <= 52:
        raise InputError(f'weeks "{weeks}" must be a whole number of weeks from 1 to 52.', param="weeks")
    end = start + dt.timedelta(days=7 * weeks - 1)
    days: frozenset[dt.date] = frozenset()
    if holiday_country:
        code = holiday_country.strip().upper()
        try:
            table = holidays_lib.country_holidays(code, years=range(start.year, end.year + 1))
        except NotImplementedError:
            raise InputError(
                f'holiday_country "{holiday_country}" is not a country code the holidays library knows.',
                param="holiday_country",
            ) from None
        days = frozenset(d for d in table if start <= d <= end)
        holiday_country = code
    return Horizon(start=start, weeks=weeks, holidays=days, holiday_country=holiday_country or None)
