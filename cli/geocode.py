"""``routeopt geocode``: fill the coordinates of customers given by address only."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from routeopt import __version__
from routeopt.errors import InputError, RouteoptError
from routeopt.input.geocode import ADDRESS_COLUMNS, cache_bytes, fill_coordinates, geopy_lookup, read_cache
from routeopt.input.tables import read_table
from routeopt.output.atomic import check_output, write_file
from routeopt.output.tables import codec_for, split_csv
from routeopt_cli.options import SheetOption


def geocode_command(
    customers: Annotated[Path, typer.Argument(help="Customer table with an address column (CSV or XLSX).")],
    out: Annotated[Path, typer.Option("--out", help="Customers CSV to write, with lat and lon filled in.")],
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Answers remembered between runs; default OUT's folder/geocode-cache.csv."),
    ] = None,
    service: Annotated[str, typer.Option("--service", help="geopy's name of the geocoding service.")] = "nominatim",
    domain: Annotated[
        str | None, typer.Option("--domain", help="Host of a self-hosted service, e.g. nominatim.example.org.")
    ] = None,
    user_agent: Annotated[
        str, typer.Option("--user-agent", help="Who is asking (Nominatim requires one naming your application).")
    ] = f"routeopt/{__version__}",
    min_delay: Annotated[float, typer.Option("--min-delay", help="Seconds between two requests.")] = 1.0,
    encoding: Annotated[str, typer.Option("--encoding", help="utf-8 (with BOM, for Excel) or cp932.")] = "utf-8",
    sheet: SheetOption = None,
) -> None:
    """Fill in lat and lon for rows that have an address but no coordinates (asks a web service)."""
    codec_for(encoding)  # an unknown encoding is refused before any request
    if not min_delay >= 0:
        raise InputError(f"--min-delay {min_delay} must be >= 0 seconds.")
    logging.getLogger("geopy").setLevel(logging.CRITICAL)  # no traceback per retry: a failure ends in one line
    cache_path = cache if cache is not None else out.parent / "geocode-cache.csv"
    for path in (out, cache_path):
        check_output(path)
    frame = read_table(customers, ADDRESS_COLUMNS, sheet)
    known = read_cache(cache_path)
    lookup = geopy_lookup(service, user_agent, domain, min_delay)
    try:
        report = fill_coordinates(frame, lookup, known)
    except RouteoptError:
        write_file(cache_path, cache_bytes(known))  # what was found is kept for the next run
        raise
    write_file(cache_path, cache_bytes(known))
    write_file(out, split_csv(frame, encoding))
    if not (report.filled or report.not_found):
        typer.echo(f"no row has an address without coordinates; {out} is the table as it was")
        return
    typer.echo(f"{len(report.filled)} addresses located ({report.asked} asked of {service}, the rest from "
               f"{cache_path}) → {out}")
    if report.not_found:
        listed = ", ".join(cid for cid, _ in report.not_found[:10]) + (" …" if len(report.not_found) > 10 else "")
        typer.echo(f"warning: {len(report.not_found)} addresses not found ({listed}): their rows keep blank "
                   "coordinates; correct the address or enter lat and lon by hand.", err=True)
