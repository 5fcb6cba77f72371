"""Coordinates for customers given by address only, through geopy, remembered in a cache file.

Geocoding asks a web service, so it runs only when asked (``routeopt geocode``), never while
planning. Every answer — found or not — is kept in a small CSV cache keyed by the address text,
so a second run asks the service only about addresses it has not seen (an address corrected in
the table is a new key). The service is chosen by geopy's name for it (``nominatim`` by
default, or a self-hosted Nominatim through ``domain``); geopy's ``RateLimiter`` keeps to the
service's pace (Nominatim's public server allows one request a second).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from routeopt.errors import InputError, RouteoptError
from routeopt.input.schema import CUSTOMER_COLUMNS
from routeopt.input.tables import ROW

Lookup = Callable[[str], "tuple[float, float] | None"]
"""An address → its (lat, lon), or ``None`` when the service does not know it."""
Cache = dict[str, "tuple[float, float] | None"]

CACHE_COLUMNS = ("address", "lat", "lon")
ADDRESS_COLUMNS = tuple(replace(c, required=False) if c.name in ("lat", "lon") else c for c in CUSTOMER_COLUMNS)
"""The customer schema for a table that may have addresses instead of coordinates."""


@dataclass
class GeocodeReport:
    """What :func:`fill_coordinates` did: customer ids filled (``asked`` of them by asking the
    service, the rest from the cache) and ``(id, address)`` pairs the service did not know."""

    filled: list[str] = field(default_factory=list)
    asked: int = 0
    not_found: list[tuple[str, str]] = field(default_factory=list)


def geopy_lookup(service: str = "nominatim", user_agent: str = "routeopt", domain: str | None = None,
                 min_delay: float = 1.0) -> Lookup:
    """A :data:`Lookup` asking geopy's ``service`` (e.g. ``nominatim``), at most one request every
    ``min_delay`` seconds. Service errors (offline, refused, quota) are raised, not swallowed.

    Raises
    ------
    InputError
        When geopy has no such service or refuses the settings.
    """
    try:
        geocoder_class = get_geocoder_for_service(service)
        geocoder = geocoder_class(user_agent=user_agent, **({"domain": domain} if domain else {}))
    except (GeopyError, TypeError) as exc:
        raise InputError(f'service "{service}": {exc}', param="service") from None
    ask = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=2, error_wait_seconds=2.0,
                      swallow_exceptions=False)

    def lookup(address: str) -> tuple[float, float] | None:
        location = ask(address)
        return None if location is None else (float(location.latitude), float(location.longitude))

    return lookup


def fill_coordinates(frame: pd.DataFrame, lookup: Lookup, cache: Cache) -> GeocodeReport:
    """Fill ``lat`` and ``lon`` of the rows of ``frame`` (a customers frame from
    :func:`~routeopt.input.tables.read_table` with :data:`ADDRESS_COLUMNS`) that have an address
    and neither coordinate, from ``cache`` or else by ``lookup`` (whose answers join ``cache``).

    Raises
    ------
    RouteoptError
        When the service fails (offline, refused, over quota); ``frame`` and ``cache`` then hold
        what was found before.
    """
    report = GeocodeReport()
    for k, rec in frame.iterrows():
        address = str(rec["address"]).strip()
        if not address or str(rec["lat"]).strip() or str(rec["lon"]).strip():
            continue
        if address not in cache:
            try:
                cache[address] = lookup(address)
            except GeopyError as exc:
                raise RouteoptError(
                    f"geocoding stopped at row {rec[ROW]} (id={rec['id']}, {address}): {type(exc).__name__}: "
                    f"{exc}; {len(report.filled)} addresses found before it are kept"
                ) from None
            report.asked += 1
        found = cache[address]
        if found is None:
            report.not_found.append((str(rec["id"]), address))
            continue
        frame.at[k, "lat"], frame.at[k, "lon"] = f"{found[0]:.6f}", f"{found[1]:.6f}"
        report.filled.append(str(rec["id"]))
    return report


def read_cache(path: Path) -> Cache:
    """The cache file at ``path`` (none yet: empty). Blank coordinates mean "not found"."""
    if not path.exists():
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as a geocoding cache ({exc}).") from None
    cache: Cache = {}
    for line, row in enumerate(rows, start=2):
        if row.keys() != set(CACHE_COLUMNS):
            raise InputError(f"{path}: not a geocoding cache (its columns should be {', '.join(CACHE_COLUMNS)}).")
        try:
            cache[row["address"]] = (float(row["lat"]), float(row["lon"])) if row["lat"] else None
        except ValueError:
            raise InputError(f'{path} row {line}: lat "{row["lat"]}" or lon "{row["lon"]}" is not a number.') from None
    return cache


def cache_bytes(cache: Cache) -> bytes:
    """The cache as CSV text (UTF-8 with a BOM), addresses in order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CACHE_COLUMNS)
    for address, found in sorted(cache.items()):
        writer.writerow([address, *(f"{x:.6f}" for x in found)] if found else [address, "", ""])
    return buf.getvalue().encode("utf-8-sig")
