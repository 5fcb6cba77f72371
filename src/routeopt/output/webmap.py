"""``map.html``: the plan's routes on an interactive map that works offline.

One self-contained page: Leaflet's script and style sheet (vendored from the npm package
``leaflet`` 1.9.4, BSD-2-Clause, see ``assets/leaflet/LICENSE``) and its images are inlined, and a
Content-Security-Policy forbids the page any network request. Without tiles the routes are drawn
on a plain background with a scale bar, so the page means something offline; ``tiles`` (a URL
template) adds a background map that then needs the network.

Each rep and day is its own layer (coloured by rep, toggled in the layer control or per rep in
the legend; ``map.html#date=2026-12-01`` opens with only that day's layers on); visits are
numbered in visiting order; a popup gives name, time and address. The plan's data travel as
JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and
popups and labels are built with ``textContent`` (the layer control's labels HTML-escaped), so
no customer or rep name can inject markup.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from ..model import WEEKDAY_NAMES, DayRoute, Problem, hhmm
from .colors import rep_color

LEAFLET_VERSION = "1.9.4"
_ASSETS = resources.files("routeopt.output") / "assets" / "leaflet"


def _leaflet_css() -> str:
    css = (_ASSETS / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (_ASSETS / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([\w\-]+\.png)\)", inline, css)
    return css.replace("behavior: url(#default#VML);", "")


def _leaflet_js() -> str:
    js = (_ASSETS / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"//# sourceMappingURL=\S+", "", js)


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` block or open another one."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def map_data(problem: Problem, routes: Sequence[DayRoute]) -> dict[str, Any]:
    """What the page draws: reps (id, name, colour, start and end) and one entry per rep-day with
    its path and its visits in order (number, name, id, times, address, place)."""
    address = {c.id: c.address for c in problem.customers}
    reps = []
    index = {}
    for i, rep in enumerate(problem.reps):
        index[rep.id] = i
        reps.append({"id": rep.id, "name": rep.name, "color": rep_color(i),
                     "start": [rep.start_lat, rep.start_lon], "end": list(rep.end)})
    days = []
    for route in sorted(routes, key=lambda r: (index[r.rep], r.date)):
        path = [[s.lat, s.lon] for s in route.stops if s.kind != "break"]
        stops: list[dict[str, Any]] = []
        for s in route.stops:
            if s.kind != "visit":
                continue
            stops.append({
                "n": len(stops) + 1, "id": s.customer_id, "name": s.customer_name or s.customer_id,
                "time": f"{hhmm(s.start)}–{hhmm(s.end)}", "arrive": hhmm(s.arrive),
                "address": address.get(s.customer_id, ""), "lat": s.lat, "lon": s.lon,
            })
        breaks = [f"{hhmm(s.start)}–{hhmm(s.end)}" for s in route.stops if s.kind == "break"]
        days.append({
            "rep": index[route.rep], "date": route.date.isoformat(),
            "weekday": WEEKDAY_NAMES[route.date.weekday()], "path": path, "stops": stops,
            "lunch": breaks[0] if breaks else "", "travel_min": route.travel_min,
        })
    h = problem.horizon
    return {"title": f"routeopt plan {h.start.isoformat()} – {h.end.isoformat()}", "reps": reps, "days": days}


def _attribution(url: str) -> str:
    host = urlsplit(url).hostname or url
    return "© OpenStreetMap contributors" if "openstreetmap" in host else f"tiles: {host}"


_PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="routeopt, Leaflet {leaflet_version}">
<title>{title}</title>
<style>{leaflet_css}</style>
<style>
html, body {{ height: 100%; margin: 0; font: 14px/1.4 system-ui, sans-serif; }}
#map {{ position: absolute; inset: 0; background: #f4f3ef; }}
.stop-icon span {{ display: block; width: 22px; height: 22px; border-radius: 50%; color: #fff;
  font: bold 11px/22px system-ui, sans-serif; text-align: center; border: 2px solid #fff;
  box-shadow: 0 0 2px rgba(0,0,0,.6); box-sizing: border-box; }}
.office-icon span {{ display: block; width: 18px; height: 18px; border: 3px solid #222; box-sizing: border-box; }}
.legend {{ background: #fff; padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.4);
  max-height: 60vh; overflow: auto; }}
.legend h1 {{ font-size: 14px; margin: 0 0 4px; }}
.legend label {{ display: block; white-space: nowrap; cursor: pointer; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; margin: 0 6px 0 4px; border-radius: 2px; }}
.popup-name {{ font-weight: bold; }}
</style>
</head>
<body>
<div id="map"></div>
<script id="plan-data" type="application/json">{data}</script>
<script>{leaflet_js}</script>
<script>
(function () {{
  "use strict";
  var plan = JSON.parse(document.getElementById("plan-data").textContent);
  var tiles = {tiles};
  var map = L.map("map", {{ zoomSnap: 0.25 }});
  if (tiles) {{ L.tileLayer(tiles.url, {{ attribution: tiles.attribution, maxZoom: 19 }}).addTo(map); }}
  L.control.scale({{ imperial: false }}).addTo(map);
  function esc(text) {{
    return String(text).replace(/[&<>"']/g, function (c) {{
      return {{ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }}[c];
    }});
  }}
  function icon(cls, text, color) {{
    var span = document.createElement("span");
    span.textContent = text;
    span.style.background = color;
    return L.divIcon({{ className: cls, html: span, iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10] }});
  }}
  function popup(lines) {{
    var box = document.createElement("div");
    lines.forEach(function (line, i) {{
      if (!line) return;
      var div = document.createElement("div");
      if (i === 0) div.className = "popup-name";
      div.textContent = line;
      box.appendChild(div);
    }});
    return box;
  }}
  var overlays = {{}}, byRep = plan.reps.map(function () {{ return []; }});
  var bounds = [], dayGroups = [], officeBounds = [];
  plan.reps.forEach(function (rep, i) {{
    var group = L.layerGroup();
    var where = [["start", rep.start]];
    if (rep.end[0] !== rep.start[0] || rep.end[1] !== rep.start[1]) where.push(["end", rep.end]);
    where.forEach(function (w) {{
      L.marker(w[1], {{ icon: icon("office-icon", "", rep.color), title: rep.id + " " + w[0] }})
        .bindPopup(popup([rep.name || rep.id, "rep " + rep.id + ": " + w[0] + " of the day"])).addTo(group);
      bounds.push(w[1]);
      officeBounds.push(w[1]);
    }});
    group.addTo(map);
    byRep[i].push(group);
    overlays[esc(rep.id + " start/end")] = group;
  }});
  plan.days.forEach(function (day) {{
    var rep = plan.reps[day.rep];
    var group = L.layerGroup();
    L.polyline(day.path, {{ color: rep.color, weight: 3, opacity: 0.8 }}).addTo(group);
    day.stops.forEach(function (s) {{
      L.marker([s.lat, s.lon], {{ icon: icon("stop-icon", String(s.n), rep.color), title: s.n + ". " + s.name }})
        .bindPopup(popup([
          s.name,
          rep.id + " · " + day.date + " (" + day.weekday + ") · visit " + s.n,
          s.time + " (arrive " + s.arrive + ")",
          s.address,
          "customer " + s.id
        ])).addTo(group);
      bounds.push([s.lat, s.lon]);
    }});
    group.addTo(map);
    dayGroups.push(group);
    byRep[day.rep].push(group);
    var label = rep.id + " · " + day.date + " " + day.weekday + " · " + day.stops.length + " visits";
    overlays[esc(label)] = group;
  }});
  L.control.layers(null, overlays, {{ collapsed: true }}).addTo(map);
  var legend = L.control({{ position: "bottomleft" }});
  legend.onAdd = function () {{
    var box = L.DomUtil.create("div", "legend");
    var h = document.createElement("h1");
    h.textContent = plan.title;
    box.appendChild(h);
    plan.reps.forEach(function (rep, i) {{
      var label = document.createElement("label");
      var check = document.createElement("input");
      check.type = "checkbox";
      check.checked = true;
      check.addEventListener("change", function () {{
        byRep[i].forEach(function (g) {{ if (check.checked) g.addTo(map); else map.removeLayer(g); }});
      }});
      var swatch = document.createElement("i");
      swatch.style.background = rep.color;
      label.appendChild(check);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(rep.name ? rep.id + " " + rep.name : rep.id));
      box.appendChild(label);
    }});
    L.DomEvent.disableClickPropagation(box);
    return box;
  }};
  legend.addTo(map);
  var only = /^#date=(\d{{4}}-\d{{2}}-\d{{2}})$/.exec(location.hash);
  if (only) {{
    bounds = officeBounds.slice();
    plan.days.forEach(function (day, i) {{
      if (day.date !== only[1]) map.removeLayer(dayGroups[i]);
      else day.stops.forEach(function (s) {{ bounds.push([s.lat, s.lon]); }});
    }});
  }}
  if (bounds.length) map.fitBounds(bounds, {{ padding: [30, 30] }}); else map.setView([35.68, 139.76], 10);
}})();
</script>
</body>
</html>
"""


def map_html(problem: Problem, routes: Sequence[DayRoute], tiles: str | None = None) -> bytes:
    """The page ``map.html`` as UTF-8 bytes (see the module's description).

    ``tiles`` is a tile URL template such as ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``;
    without it the page makes no network request at all.
    """
    data = map_data(problem, routes)
    img_src = f"data: {urlsplit(tiles).scheme}:" if tiles else "data:"
    csp = f"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src {img_src}"
    tile_js = _json_for_script({"url": tiles, "attribution": html.escape(_attribution(tiles))}) if tiles else "null"
    page = _PAGE.format(
        csp=html.escape(csp), leaflet_version=LEAFLET_VERSION, title=html.escape(data["title"]),
        leaflet_css=_leaflet_css(), leaflet_js=_leaflet_js(), data=_json_for_script(data), tiles=tile_js,
    )
    return page.encode("utf-8")
