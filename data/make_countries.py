#!/usr/bin/env python3
"""Build data/countries-110m.txt from world-atlas' countries-110m.json.

Usage:
    python3 data/make_countries.py path/to/countries-110m.json [output.txt]

The output path defaults to countries-110m.txt next to this script.
Standard library only.

Steps: decode the TopoJSON (quantized, delta-encoded arcs), build (lon, lat)
rings for every Polygon / MultiPolygon country, simplify each ring with
Douglas-Peucker, round to 2 decimals, drop consecutive duplicate points and
rings with fewer than 4 points, skip Antarctica, sort by name and write one
tab-separated line per country.
"""

import json
import os
import sys

TOLERANCE = 0.08  # degrees, Douglas-Peucker
DECIMALS = 2
SKIP = {"Antarctica"}

HEADER = """\
# Natural Earth 1:110m admin-0 countries (public domain, naturalearthdata.com),
# via the world-atlas npm package (v{version}, countries-110m.json),
# simplified by data/make_countries.py (Douglas-Peucker {tol}\u00b0, {dec} decimals).
# Format: one line per country, sorted by name:
#   NAME<TAB>RING<TAB>RING...
# Each RING is "lon,lat lon,lat ..." (degrees, WGS84), space-separated points.
# Rings are closed (last point equals first). Exterior and hole rings of all
# polygons are listed in source order; holes are not marked (use even-odd fill).
# Lines starting with '#' are comments.
"""


def decode_arcs(topo):
    """Return the arcs as lists of absolute (lon, lat) floats."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts = []
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            for p in arc:
                x += p[0]
                y += p[1]
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(pts)
    return arcs


def ring_from_arcs(indices, arcs):
    ring = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        # consecutive arcs share their joining point
        ring.extend(pts if not ring else pts[1:])
    return ring


def perp_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    cx, cy = ax + t * dx, ay + t * dy
    return ((px - cx) ** 2 + (py - cy) ** 2) ** 0.5


def douglas_peucker(pts, tol):
    """Iterative Douglas-Peucker; keeps the first and last point."""
    n = len(pts)
    if n < 3:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        s, e = stack.pop()
        best, idx = -1.0, -1
        for k in range(s + 1, e):
            d = perp_dist(pts[k], pts[s], pts[e])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((s, idx))
            stack.append((idx, e))
    return [p for p, k in zip(pts, keep) if k]


def fmt(v):
    s = "%.*f" % (DECIMALS, v)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def process_ring(ring, tol):
    simp = douglas_peucker(ring, tol)
    if len(simp) < 4:
        return None
    out = []
    for x, y in simp:
        p = (fmt(x), fmt(y))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) < 4:
        return None
    return " ".join("%s,%s" % p for p in out)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    src = argv[1]
    dst = argv[2] if len(argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "countries-110m.txt")
    tol = float(os.environ.get("DP_TOLERANCE", TOLERANCE))

    with open(src, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)

    # world-atlas version, if package.json sits next to the input file
    version = "2"
    pkg = os.path.join(os.path.dirname(os.path.abspath(src)), "package.json")
    if os.path.exists(pkg):
        with open(pkg, encoding="utf-8") as f:
            version = json.load(f).get("version", version)

    rows = []
    npoints = 0
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name", "").strip()
        if not name or name in SKIP:
            continue
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        rings = []
        for poly in polys:
            for ring_idx in poly:
                r = process_ring(ring_from_arcs(ring_idx, arcs), tol)
                if r:
                    rings.append(r)
                    npoints += r.count(" ") + 1
        if rings:
            name = name.replace("\t", " ")
            rows.append((name, "\t".join([name] + rings)))

    rows.sort(key=lambda r: r[0])
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(version=version, tol=tol, dec=DECIMALS))
        for _, line in rows:
            f.write(line + "\n")
    sys.stderr.write("wrote %s: %d countries, %d points, %d bytes\n"
                     % (dst, len(rows), npoints, os.path.getsize(dst)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
