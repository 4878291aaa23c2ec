#!/usr/bin/env python3
"""Builds the committed geo resources from ../shared/fixtures/geo, for each kommune structure a map is drawn in
(2020: 356 kommuner, drawing data up to 2023; 2024: 357 kommuner, drawing 2024 on).

1. Sources/KildeCatalog/seeds/kommune_dim.csv: the versioned seed of the `kommune_dim` mart, per structure:
   kommune number, name, fylke number and name, population and the area-weighted centroid of the kommune's
   polygons (WGS84). Populations are aprestmo/norway-geodata's 2025 list (2024 codes); a 2020 kommune has the
   sum of the 2024 kommuner that lie in it (Ålesund 2020 = Ålesund + Haram 2024).
2. Sources/KildeCatalog/seeds/kommune_crosswalk.csv: per structure, every kommune code in use up to then (with its
   first and last year) and the structure's kommune it became, from SSB's Klass change tables (see
   scripts/kommune_history.py): `structure,code,valid_from,valid_to,target`. A code with two targets was split.
3. Sources/KildeServer/Resources/kommuner-<structure>.tsv: one line per kommune, `number<TAB>svg path`, projected
   (one projection for every structure, so the maps line up) and simplified for the server-rendered choropleth
   (Douglas-Peucker, then coordinates quantised to an integer grid and written as relative moves), so the map
   page stays small.

Boundaries © Kartverket (CC BY 4.0) via robhop/fylker-og-kommuner. Deterministic: re-running on the same
fixtures gives byte-identical files. Usage: python3 scripts/build-geo-resources.py
"""
import csv, json, math, os, sys
import kommune_history as kh

REPO = os.path.dirname(kh.HERE)
POPULATION = os.path.join(kh.GEO, "aprestmo-norway-geodata", "municipalities-2025.json")
SEED_OUT = os.path.join(REPO, "Sources", "KildeCatalog", "seeds", "kommune_dim.csv")
CROSSWALK_OUT = os.path.join(REPO, "Sources", "KildeCatalog", "seeds", "kommune_crosswalk.csv")
MAP_OUT = os.path.join(REPO, "Sources", "KildeServer", "Resources", "kommuner-{}.tsv")

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


def inside(point, geometry):
    """Whether a (lon, lat) point lies in a Polygon or MultiPolygon (even-odd rule over every ring)."""
    x, y = point
    hit = False
    for polygon in rings(geometry):
        for ring in polygon:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    hit = not hit
    return hit


def interior_point(geometry):
    """A point inside the kommune: the middle of the widest stretch of the largest polygon's middle latitude (a
    centroid can fall in the sea for a kommune of islands or a crescent)."""
    outer = max((p[0] for p in rings(geometry)), key=lambda r: abs(ring_area_centroid(r)[0]))
    lats = [lat for _, lat in outer]
    y = (min(lats) + max(lats)) / 2 + 1e-9  # off any vertex
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for polygon in rings(geometry) for ring in polygon
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]) if (y0 > y) != (y1 > y))
    a, b = max(zip(xs[::2], xs[1::2]), key=lambda s: s[1] - s[0])
    return ((a + b) / 2, y)


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


def svg_path(geometry, project):
    """The kommune's rings as one SVG path on the half-unit grid; a dot where every ring is smaller than the grid."""
    parts = []
    for polygon in rings(geometry):
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
        lat, lon = centroid(geometry)
        x, y = project(lon, lat)
        parts.append(f"M{round(x * 2)} {round(y * 2)}l2 0l0 2l-2 0z")
    return "".join(parts)


def main():
    history = kh.History()
    k24, f24 = kh.geo_2024()
    k20, f20 = kh.geo_2020()
    structures = {
        2020: ({"%04d" % k["properties"]["kommunenummer"]: k["geometry"] for k in k20},
               {"%02d" % f["properties"]["fylkesnummer"]: f["properties"]["navn"] for f in f20}),
        2024: ({k["properties"]["kommunenummer"]: k["geometry"] for k in k24},
               {f["properties"]["fylkesnummer"]: f["properties"]["fylkesnavn"] for f in f24}),
    }
    if sorted(structures) != kh.STRUCTURES:
        sys.exit(f"structures {sorted(structures)} differ from kommune_history.STRUCTURES {kh.STRUCTURES}")
    population = {2024: {m["id"]: m.get("population") for m in json.load(open(POPULATION, encoding="utf-8"))}}
    # A 2020 kommune's population: the 2024 kommuner lying in it (each 2024 kommune lies in exactly one).
    population[2020] = {}
    for nr, geometry in structures[2024][0].items():
        point = interior_point(geometry)
        homes = [old for old, g in structures[2020][0].items() if inside(point, g)]
        if len(homes) != 1:
            sys.exit(f"2024 kommune {nr} lies in {len(homes)} kommuner of 2020: {homes}")
        if population[2024].get(nr) is not None:
            population[2020][homes[0]] = population[2020].get(homes[0], 0) + population[2024][nr]

    # One projection for every structure, from the bounds of them all.
    points = [pt for kommuner, _ in structures.values() for g in kommuner.values() for poly in rings(g) for ring in poly for pt in ring]
    kx = math.cos(math.radians(LAT0))
    min_x, max_x = min(lon for lon, _ in points) * kx, max(lon for lon, _ in points) * kx
    min_y, max_y = min(lat for _, lat in points), max(lat for _, lat in points)
    scale = WIDTH / (max_x - min_x)

    def project(lon, lat):
        return ((lon * kx - min_x) * scale, (max_y - lat) * scale)

    seed_rows = []
    height = math.ceil((max_y - min_y) * scale * 2)
    for structure, (kommuner, fylker) in sorted(structures.items()):
        map_rows = []
        for nr, geometry in sorted(kommuner.items()):
            fylke = nr[:2]
            if fylke not in fylker:
                sys.exit(f"kommune {nr} of {structure} has no fylke {fylke}")
            lat, lon = centroid(geometry)
            pop = population[structure].get(nr)
            seed_rows.append([structure, nr, history.name(nr, within=structure), fylke, fylker[fylke], "" if pop is None else pop, f"{lat:.5f}", f"{lon:.5f}"])
            map_rows.append(f"{nr}\t{svg_path(geometry, project)}")
        out = MAP_OUT.format(structure)
        with open(out, "w", encoding="utf-8") as f:
            f.write(f"# viewBox 0 0 {int(WIDTH * 2)} {height}; © Kartverket (CC BY 4.0) via robhop/fylker-og-kommuner; built by scripts/build-geo-resources.py\n")
            f.write("\n".join(map_rows) + "\n")
        print(f"{structure}: {len(map_rows)} kommuner; map {os.path.getsize(out)} bytes -> {out}")

    with open(SEED_OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["structure", "kommune_nr", "kommune_name", "fylke_nr", "fylke_name", "population", "lat", "lon"])
        w.writerows(seed_rows)
    crosswalk = history.crosswalk()
    with open(CROSSWALK_OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["structure", "code", "valid_from", "valid_to", "target"])
        w.writerows([s, c, "" if a is None else a, "" if b is None else b, t] for s, c, a, b, t in crosswalk)
    print(f"{len(seed_rows)} seed rows -> {SEED_OUT}; {len(crosswalk)} crosswalk rows -> {CROSSWALK_OUT}")


if __name__ == "__main__":
    main()
