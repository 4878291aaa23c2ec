#!/usr/bin/env python3
"""Builds the two committed geo resources from ../shared/fixtures/geo (2024 kommune structure).

1. Sources/KildeCatalog/seeds/kommune_dim.csv: the versioned seed of the `kommune_dim` mart: kommune number,
   name, fylke number and name, population (aprestmo/norway-geodata 2025, where the code matches) and the
   area-weighted centroid of the kommune's polygons (WGS84).
2. Sources/KildeServer/Resources/kommuner-2024.tsv: one line per kommune, `number<TAB>svg path`, projected
   and simplified for the server-rendered choropleth (Douglas-Peucker, then coordinates quantised to an
   integer grid and written as relative moves), so the map page stays small.

Boundaries © Kartverket (CC BY 4.0) via robhop/fylker-og-kommuner. Deterministic: re-running on the same
fixtures gives byte-identical files. Usage: python3 scripts/build-geo-resources.py
"""
import csv, json, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEO = os.path.join(REPO, "..", "shared", "fixtures", "geo")
KOMMUNER = os.path.join(GEO, "robhop-fylker-og-kommuner", "2024", "Kommuner-S.geojson")
FYLKER = os.path.join(GEO, "robhop-fylker-og-kommuner", "2024", "Fylker-S.geojson")
POPULATION = os.path.join(GEO, "aprestmo-norway-geodata", "municipalities-2025.json")
SEED_OUT = os.path.join(REPO, "Sources", "KildeCatalog", "seeds", "kommune_dim.csv")
MAP_OUT = os.path.join(REPO, "Sources", "KildeServer", "Resources", "kommuner-2024.tsv")

# The map's coordinate grid: width in units; points closer than TOLERANCE units to a simplified line are dropped.
WIDTH = 1000.0
TOLERANCE = 0.35
LAT0 = 65.0  # equirectangular with the x scale of Norway's middle latitude: simple, and close enough for a choropleth


def rings(geometry):
    """Every outer and inner ring of a Polygon or MultiPolygon, as lists of (lon, lat)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def ring_area_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return a / 2, cx, cy


def centroid(geometry):
    """Area-weighted centroid over all polygons (holes subtract), computed in a locally scaled plane."""
    area = sx = sy = 0.0
    for polygon in rings(geometry):
        for i, ring in enumerate(polygon):
            pts = [(lon * math.cos(math.radians(LAT0)), lat) for lon, lat in ring]
            signed, cx, cy = ring_area_centroid(pts)
            if signed == 0:
                continue
            weight = abs(signed) if i == 0 else -abs(signed)  # ring 0 is the outer ring, the rest are holes
            area += weight
            sx += cx / (6 * signed) * weight
            sy += cy / (6 * signed) * weight
    lon = sx / area / math.cos(math.radians(LAT0))
    return round(sy / area, 5), round(lon, 5)


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points, tolerance):
    """Iterative Douglas-Peucker (recursion would overflow on long coastlines)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def main():
    kommuner = json.load(open(KOMMUNER, encoding="utf-8"))["features"]
    fylker = {f["properties"]["fylkesnummer"]: f["properties"]["fylkesnavn"]
              for f in json.load(open(FYLKER, encoding="utf-8"))["features"]}
    population = {m["id"]: m.get("population") for m in json.load(open(POPULATION, encoding="utf-8"))}

    lons = [lon for k in kommuner for poly in rings(k["geometry"]) for ring in poly for lon, _ in ring]
    lats = [lat for k in kommuner for poly in rings(k["geometry"]) for ring in poly for _, lat in ring]
    kx = math.cos(math.radians(LAT0))
    min_x, max_x = min(lons) * kx, max(lons) * kx
    max_y = max(lats)
    scale = WIDTH / (max_x - min_x)

    def project(lon, lat):
        return ((lon * kx - min_x) * scale, (max_y - lat) * scale)

    seed_rows, map_rows = [], []
    for k in sorted(kommuner, key=lambda f: f["properties"]["kommunenummer"]):
        nr = k["properties"]["kommunenummer"]
        name = k["properties"]["kommunenavn"]
        fylke = nr[:2]
        if fylke not in fylker:
            sys.exit(f"kommune {nr} has no fylke {fylke} in Fylker-S.geojson")
        lat, lon = centroid(k["geometry"])
        pop = population.get(nr)
        seed_rows.append([nr, name, fylke, fylker[fylke], "" if pop is None else pop, f"{lat:.5f}", f"{lon:.5f}"])

        parts = []
        for polygon in rings(k["geometry"]):
            for ring in polygon:
                pts = douglas_peucker([project(lon, lat) for lon, lat in ring], TOLERANCE)
                q = []
                for x, y in pts:
                    p = (round(x * 2), round(y * 2))  # half-unit grid: integers in the path, half the rounding error
                    if not q or q[-1] != p:
                        q.append(p)
                if len(q) < 3:
                    continue  # an islet smaller than the grid: invisible at this scale
                d = f"M{q[0][0]} {q[0][1]}"
                for (x0, y0), (x1, y1) in zip(q, q[1:]):
                    d += f"l{x1 - x0} {y1 - y0}"
                parts.append(d + "z")
        if not parts:
            # Keep at least a dot so every kommune has a path a person can hover.
            x, y = project(lon, lat)
            parts.append(f"M{round(x * 2)} {round(y * 2)}l2 0l0 2l-2 0z")
        map_rows.append(f"{nr}\t{''.join(parts)}")

    os.makedirs(os.path.dirname(SEED_OUT), exist_ok=True)
    with open(SEED_OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kommune_nr", "kommune_name", "fylke_nr", "fylke_name", "population", "lat", "lon"])
        w.writerows(seed_rows)
    os.makedirs(os.path.dirname(MAP_OUT), exist_ok=True)
    height = math.ceil((max_y - min(lats)) * scale * 2)
    with open(MAP_OUT, "w", encoding="utf-8") as f:
        f.write(f"# viewBox 0 0 {int(WIDTH * 2)} {height}; © Kartverket (CC BY 4.0) via robhop/fylker-og-kommuner; built by scripts/build-geo-resources.py\n")
        f.write("\n".join(map_rows) + "\n")
    print(f"{len(seed_rows)} kommuner -> {SEED_OUT}; map {os.path.getsize(MAP_OUT)} bytes -> {MAP_OUT}")


if __name__ == "__main__":
    main()
