"""map.html: self-contained (no network), names escaped, one layer per rep and day, numbered stops;
checked in a real headless Chromium when one is installed."""

import html
import json
import re
from html.parser import HTMLParser

import pytest
from browser import dump_dom, find_chromium, screenshot
from PIL import Image, ImageStat
from plan_fixture import EVIL_REP, SCRIPT_NAME, tiny_plan

from routeopt import OutputOptions
from routeopt.output.colors import rep_color
from routeopt.output.webmap import map_data, map_html

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="no Chromium binary (apt-get install chromium)")

PROBE = """<script>
(function () {
  var probe = {failed: [], csp: [], alerts: [], resources: [], popups: []};
  window.alert = function (m) { probe.alerts.push(String(m)); };
  window.addEventListener("error", function (e) {
    var t = e.target;
    probe.failed.push(t && t !== window ? (t.src || t.href || t.tagName) : "script error: " + e.message);
  }, true);
  document.addEventListener("securitypolicyviolation", function (e) {
    probe.csp.push(e.blockedURI + " " + e.violatedDirective);
  });
  window.addEventListener("load", function () { setTimeout(function () {
    probe.resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
    probe.stops = document.querySelectorAll(".stop-icon").length;
    probe.offices = document.querySelectorAll(".office-icon").length;
    probe.overlays = document.querySelectorAll(".leaflet-control-layers-overlays label").length;
    probe.legend = document.querySelector(".legend").textContent;
    probe.injected = document.querySelectorAll(".legend b, img[onerror], .leaflet-popup-content script").length;
    probe.stopNumbers = Array.prototype.map.call(document.querySelectorAll(".stop-icon"),
                                                 function (el) { return el.textContent; });
    var icons = Array.prototype.slice.call(document.querySelectorAll(".stop-icon"));
    function next() {  // open each stop's popup in turn, a moment apart, and read it
      var c = document.querySelector(".leaflet-popup-content");
      if (c) {
        probe.popups.push(c.innerText);
        probe.injected += document.querySelectorAll(".leaflet-popup-content script, img[onerror]").length;
      }
      var close = document.querySelector(".leaflet-popup-close-button");
      if (close) close.click();
      if (icons.length) { icons.shift().click(); setTimeout(next, 300); return; }
      var out = document.createElement("pre");
      out.id = "probe";
      out.textContent = JSON.stringify(probe);
      document.body.appendChild(out);
    }
    next();
  }, 500); });
})();
</script>"""


def probed_page(tmp_path, page: bytes, extra_head: str = "", drop_csp: bool = False):
    """Write ``page`` with the probe as the first thing in <head>, load it in Chromium, return the probe."""
    text = page.decode("utf-8")
    if drop_csp:
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    text = text.replace("<head>", "<head>\n" + PROBE + extra_head, 1)
    path = tmp_path / "map.html"
    path.write_text(text, encoding="utf-8")
    dom = dump_dom(path.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_page_loads_nothing_from_outside():
    page = map_html(tiny_plan().problem, tiny_plan().routes).decode("utf-8")
    parser = Tags()
    parser.feed(page)
    assert not [t for t in parser.tags if t[0] in ("script", "img", "iframe") and "src" in t[1]]
    assert not [t for t in parser.tags if t[0] == "link"]
    assert set(re.findall(r"url\((\w+):", page)) <= {"data"}
    csp = next(a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "img-src data:" in csp and "https:" not in csp


def test_names_are_escaped_and_the_data_reads_back_exactly():
    plan = tiny_plan()
    page = map_html(plan.problem, plan.routes).decode("utf-8")
    for raw in (SCRIPT_NAME, "<img src=x onerror=alert(2)>", "<b>two</b>"):
        assert raw not in page
    block = re.search(r'<script id="plan-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(block) == map_data(plan.problem, plan.routes)


def test_the_data_has_one_entry_per_rep_day_with_visits_numbered_in_order():
    plan = tiny_plan()
    data = map_data(plan.problem, plan.routes)
    itinerary = plan.itinerary()
    assert len(data["days"]) == len(itinerary.groupby(["rep", "date"]))
    for day in data["days"]:
        rep = data["reps"][day["rep"]]["id"]
        rows = itinerary[(itinerary.rep == rep) & (itinerary.date == day["date"]) & (itinerary.kind == "visit")]
        assert [s["id"] for s in day["stops"]] == list(rows["customer_id"])
        assert [s["n"] for s in day["stops"]] == list(range(1, len(rows) + 1))
        assert [s["time"].split("–")[0] for s in day["stops"]] == list(rows["start"])
    assert {r["color"] for r in data["reps"]} == {rep_color(0), rep_color(1)}


def test_tiles_are_only_used_on_request():
    plan = tiny_plan()
    page = map_html(plan.problem, plan.routes, tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png").decode()
    assert "img-src data: https:" in page and "OpenStreetMap contributors" in page
    with pytest.raises(ValueError, match="URL template"):
        OutputOptions(map=True, map_tiles="javascript:alert(1)")


def test_the_plan_folder_gets_map_html_on_request(tmp_path):
    out = tiny_plan().write(tmp_path / "plan", outputs=OutputOptions(map=True))
    assert (out / "map.html").read_bytes().startswith(b"<!DOCTYPE html>")


@needs_chromium
def test_in_chromium_the_map_loads_offline_with_every_marker_and_escaped_popups(tmp_path):
    plan = tiny_plan()
    probe = probed_page(tmp_path, map_html(plan.problem, plan.routes))
    assert probe["failed"] == [] and probe["csp"] == [] and probe["resources"] == []
    visits = plan.summary()["totals"]["visits_planned"]
    assert probe["stops"] == visits == 5
    assert probe["offices"] == 2
    assert probe["overlays"] == 3 + 2  # one layer per rep-day, one per rep's start/end
    assert sorted(probe["stopNumbers"]) == ["1", "1", "1", "2", "3"]
    assert probe["alerts"] == [] and probe["injected"] == 0
    assert len(probe["popups"]) == visits
    assert any(SCRIPT_NAME in p and "<img src=x onerror=alert(2)>" in p for p in probe["popups"])
    assert any("山田商店" in p and "12:35" not in p and "09:10–09:40" in p for p in probe["popups"])
    assert "<b>two</b>" in probe["legend"] and EVIL_REP in probe["legend"]


@needs_chromium
@pytest.mark.parametrize("drop_csp", [False, True])
def test_the_probe_catches_a_page_that_reaches_for_the_network(tmp_path, drop_csp):
    """The check above can fail: a page that loads a script from elsewhere (here a closed port on
    this machine, so nothing leaves it) is reported, with or without the page's CSP."""
    plan = tiny_plan()
    probe = probed_page(tmp_path, map_html(plan.problem, plan.routes),
                        extra_head='<script src="http://127.0.0.1:9/leaflet.js"></script>', drop_csp=drop_csp)
    assert any("127.0.0.1:9" in f for f in probe["failed"])


@needs_chromium
def test_a_screenshot_of_the_map_is_not_blank(tmp_path):
    plan = tiny_plan()
    (tmp_path / "map.html").write_bytes(map_html(plan.problem, plan.routes))
    png = screenshot((tmp_path / "map.html").as_uri(), tmp_path / "map.png", size=(800, 600))
    image = Image.open(png).convert("RGB")
    assert image.size == (800, 600)
    assert max(ImageStat.Stat(image).stddev) > 10
    red = tuple(int(rep_color(0)[i:i + 2], 16) for i in (1, 3, 5))
    near = sum(1 for px in image.get_flattened_data() if sum(abs(a - b) for a, b in zip(px, red, strict=True)) < 40)
    assert near > 200  # the first rep's route and markers are drawn in its colour
