"""Generate the web page's world outline (src/rasad/web/static/world.json) from Natural Earth.

Input: scripts/data/world-atlas/countries-50m.json, the TopoJSON of the npm package
world-atlas 2.0.2 (ISC licence, see LICENSE beside it; the shapes are Natural Earth's 1:50m
admin-0 countries, public domain). The arcs are simplified (Douglas-Peucker) before they are
joined into rings, so neighbouring countries keep a common border. Output, in an
equirectangular projection scaled by 10 (x = (lon + 180) * 10, y = (90 - lat) * 10):

    {"generated": "...", "width": 3600, "height": 1800,
     "countries": [{"iso3": "IRN", "name": "Iran", "d": "M... l... z"}, ...],
     "centroids": {"IRN": [lat, lon], ...}}

A country's centroid is that of its largest polygon (so France's is in Europe); the web page
puts an event with a country but no coordinates there. ISO 3166 alpha-3 codes come from
pycountry (Kosovo has none: XKX, as the EU and the World Bank use). Run
``python scripts/build_world.py``; tests/test_api.py regenerates the file and compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "data" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "src" / "rasad" / "web" / "static" / "world.json"
TOLERANCE = 0.08  # degrees: below what the page can show at its largest zoom
SCALE = 10
MIN_LAT = -60.0  # Antarctica is left out: no news events, much ink
EXTRA_CODES = {"Kosovo": "XKX"}

Point = tuple[float, float]


def _decode_arcs(topo: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def _simplify(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, iterative; the end points stay."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if norm == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / norm
                t = min(1.0, max(0.0, t))
                d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > best:
                best, best_i = d, i
        if best > tol2:
            keep[best_i] = True
            stack += [(a, best_i), (best_i, b)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def _ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    out: list[Point] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def _xy(p: Point) -> tuple[int, int]:
    return round((p[0] + 180) * SCALE), round((90 - p[1]) * SCALE)


def _unwrap(ring: list[Point]) -> list[Point]:
    """A ring across the antimeridian (Russia's far east, Fiji) drawn east of 180°, in one piece."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return ring
    return [(x + 360, y) if x < 0 else (x, y) for x, y in ring]


def _path(polygons: list[list[list[Point]]]) -> str:
    parts = []
    for poly in polygons:
        for ring in map(_unwrap, poly):
            pts = []
            for p in ring:
                q = _xy(p)
                if not pts or q != pts[-1]:
                    pts.append(q)
            if len(pts) < 3:
                continue
            x0, y0 = pts[0]
            seg = [f"M{x0} {y0}"]
            rel = []
            for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
                rel.append(f"{x2 - x1} {y2 - y1}")
            seg.append("l" + " ".join(rel) + "z")
            parts.append("".join(seg))
    return "".join(parts)


def _area_centroid(ring: list[Point]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def _iso3(geom: dict) -> str | None:
    num = geom.get("id")
    if num is not None:
        c = pycountry.countries.get(numeric=str(num).zfill(3))
        if c is not None:
            return str(c.alpha_3)
    return EXTRA_CODES.get(geom["properties"].get("name", ""))


def build() -> str:
    topo = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = [_simplify(a, TOLERANCE) for a in _decode_arcs(topo)]
    countries = []
    centroids: dict[str, list[float]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        rings = [[_ring(r, arcs) for r in poly] for poly in polys]
        rings = [p for p in rings if p and max(pt[1] for pt in p[0]) > MIN_LAT]
        if not rings:
            continue
        iso3 = _iso3(geom)
        name = geom["properties"].get("name", "")
        countries.append({"iso3": iso3 or "", "name": name, "d": _path(rings)})
        if iso3:
            area, lon, lat = max(_area_centroid(p[0]) for p in rings)
            if area > 0 or iso3 not in centroids:
                centroids[iso3] = [round(lat, 2), round(lon, 2)]
    countries.sort(key=lambda c: (c["iso3"], c["name"]))
    data = {
        "generated": ("generated by scripts/build_world.py from world-atlas 2.0.2 countries-50m.json "
                      "(Natural Earth 1:50m, public domain; ISC); do not edit"),
        "width": 360 * SCALE, "height": round((90 - MIN_LAT) * SCALE),
        "countries": countries,
        "centroids": dict(sorted(centroids.items())),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
