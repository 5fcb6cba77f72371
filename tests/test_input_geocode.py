"""routeopt geocode: coordinates for address-only customers, cached, never on the network here
(every lookup below is a stand-in for the web service)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location
from typer.testing import CliRunner

from routeopt.errors import InputError
from routeopt.input import geocode as g
from routeopt.input.customers import read_customers
from routeopt_cli.main import app

runner = CliRunner()
PLACES = {"香川県高松市番町4-1-10": (34.340149, 134.043444), "香川県高松市サンポート2-1": (34.350839, 134.046939)}
TABLE = (
    "id,name,address,lat,lon,frequency\n"
    "K01,県庁,香川県高松市番町4-1-10,,,weekly\n"
    "K02,駅前,香川県高松市サンポート2-1,,,weekly\n"
    "K03,既知,香川県高松市どこか1-1,34.3,134.0,weekly\n"
    "K04,不明,存在しない住所999,,,weekly\n"
)


class Service:
    """A stand-in geocoding service that counts the questions it is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, address: str) -> tuple[float, float] | None:
        self.asked.append(address)
        return PLACES.get(address)


@pytest.fixture
def service(monkeypatch):
    fake = Service()
    monkeypatch.setattr("routeopt_cli.geocode.geopy_lookup", lambda *args, **kwargs: fake)
    return fake


def write_table(folder: Path) -> Path:
    path = folder / "customers.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_geocode_fills_address_only_rows_and_the_result_can_be_planned(tmp_path, service):
    out = tmp_path / "located.csv"
    result = runner.invoke(app, ["geocode", str(write_table(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 addresses located (3 asked of nominatim" in result.output
    assert "warning: 1 addresses not found (K04)" in result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert (rows["K01"]["lat"], rows["K01"]["lon"]) == ("34.340149", "134.043444")
    assert (rows["K03"]["lat"], rows["K03"]["lon"]) == ("34.3", "134.0")  # had coordinates: untouched
    assert rows["K04"]["lat"] == "" and rows["K02"]["name"] == "駅前"
    with pytest.raises(InputError, match="row 5 .*lat"):  # the unknown address still needs coordinates
        read_customers(out)


def test_a_second_run_asks_the_service_nothing_it_already_answered(tmp_path, service):
    table, out = write_table(tmp_path), tmp_path / "located.csv"
    runner.invoke(app, ["geocode", str(table), "--out", str(out)])
    first = out.read_bytes()
    service.asked.clear()
    result = runner.invoke(app, ["geocode", str(table), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert service.asked == []  # found and not-found answers both come from the cache
    assert out.read_bytes() == first
    assert g.read_cache(tmp_path / "geocode-cache.csv") == {**PLACES, "存在しない住所999": None}


def test_a_failing_service_stops_with_one_line_and_keeps_what_was_found(tmp_path, monkeypatch):
    def offline_after_one(address):
        if address != "香川県高松市番町4-1-10":
            raise GeocoderUnavailable("no network")
        return PLACES[address]

    monkeypatch.setattr("routeopt_cli.geocode.geopy_lookup", lambda *args, **kwargs: offline_after_one)
    out = tmp_path / "located.csv"
    result = runner.invoke(app, ["geocode", str(write_table(tmp_path)), "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "geocoding stopped at row 3 (id=K02" in lines[0] and "no network" in lines[0]
    assert not out.exists()
    assert g.read_cache(tmp_path / "geocode-cache.csv") == {"香川県高松市番町4-1-10": PLACES["香川県高松市番町4-1-10"]}


def test_geopy_lookup_asks_the_named_service_through_the_rate_limiter(monkeypatch):
    asked = []

    def geocode(self, query, *args, **kwargs):
        asked.append((self.domain, query))
        return Location("高松", (34.34, 134.04), {}) if query == "高松" else None

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", geocode)
    lookup = g.geopy_lookup("nominatim", "routeopt-tests", domain="nominatim.example.org", min_delay=0)
    assert lookup("高松") == (34.34, 134.04) and lookup("どこでもない") is None
    assert asked == [("nominatim.example.org", "高松"), ("nominatim.example.org", "どこでもない")]


def test_an_unknown_service_is_bad_input_named_by_its_parameter():
    with pytest.raises(InputError, match='^service "no-such-service"') as caught:
        g.geopy_lookup("no-such-service")
    assert caught.value.param == "service"


def test_the_cli_names_the_flag_of_an_unknown_service(tmp_path):
    table = tmp_path / "c.csv"
    table.write_text("id,address\nC1,高松市\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["geocode", str(table), "--out", str(tmp_path / "o.csv"),
                                      "--service", "no-such-service"])
    assert result.exit_code == 2
    assert result.output.startswith('error: --service "no-such-service"')


def test_a_file_that_is_not_a_cache_is_refused(tmp_path):
    path = tmp_path / "cache.csv"
    path.write_text("id,lat\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a geocoding cache"):
        g.read_cache(path)


@pytest.mark.parametrize(("extra", "says"), [
    (["--encoding", "latin1"], '--encoding "latin1" is not supported'),
    (["--min-delay", "-1"], "--min-delay -1.0 must be >= 0 seconds."),
])
def test_bad_options_are_refused_before_any_request(tmp_path, service, extra, says):
    result = runner.invoke(app, ["geocode", str(write_table(tmp_path)), "--out", str(tmp_path / "o.csv"), *extra])
    assert result.exit_code == 2 and says in result.output
    assert service.asked == []


def test_a_table_without_address_only_rows_is_written_back_as_it_was(tmp_path, service):
    table = tmp_path / "customers.csv"
    table.write_text("id,lat,lon\nK1,34.3,134.0\n", encoding="utf-8")
    result = runner.invoke(app, ["geocode", str(table), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0 and "no row has an address without coordinates" in result.output
    assert service.asked == []
