#!/usr/bin/env python3
"""Makes a benchmark SQLite store with >= 1,000,000 atoms in fact_yearly.

`kilde migrate` creates the schema and registry; then synthetic categories of SSB dim 5 (cat 510…) get one atom per
region filter (372: 15 counties and 357 kommuner), year and, with --ages N, per synthetic building_age filter
(N values plus NULL, like BRASK's joint distribution). The store's triggers check every row, as for an ingest.
The store is marked as demo data: these are not real numbers.

Shapes: `--categories 30 --years 1935-2024` (wide: the typical request returns 300 rows) and
`--categories 3 --years 1995-2024 --ages 29` (joint: most atoms sit on another building-age value, the typical
request returns 30 rows).
Usage: make-store.py KILDE_BINARY STORE_PATH [--categories 30] [--years 1935-2024] [--ages 0]
"""
import argparse, os, sqlite3, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument("kilde")
ap.add_argument("store")
ap.add_argument("--categories", type=int, default=30)
ap.add_argument("--years", default="1935-2024")
ap.add_argument("--ages", type=int, default=0)
a = ap.parse_args()
first, last = map(int, a.years.split("-"))
if os.path.exists(a.store):
    os.remove(a.store)
subprocess.run([a.kilde, "migrate", "--store", "sqlite:" + a.store], check=True, stdout=subprocess.DEVNULL)
db = sqlite3.connect(a.store)
regions = [r[0] for r in db.execute("SELECT id FROM filters WHERE source_id = 5 AND axis = 'region' ORDER BY id")]
cats = list(range(510, 510 + a.categories))
db.executemany("INSERT INTO categories (source_id, dim_code, cat_code, native_api_code, native_name, name, standard_code, sort_order, is_native_only) "
               "VALUES (5, 5, ?, ?, ?, ?, NULL, ?, 0)", [(c, f"BENCH{c}", f"Bench category {c}", f"Bench {c}", 100 + c) for c in cats])
ages = list(range(58000, 58000 + a.ages))
db.executemany("INSERT INTO filters (id, source_id, axis, native_code, native_name, standard_code, applicable_dim_codes, sort_order) "
               "VALUES (?, 5, 'building_age', ?, ?, NULL, '5', ?)", [(i, f"AGE{i}", f"Bench age {i}", i) for i in ages])
db.execute("INSERT INTO store_meta (key, value) VALUES ('data_kind', 'demo') ON CONFLICT (key) DO NOTHING")
t = time.time()
now = "2026-01-01T00:00:00.000Z"
rows = ((5, 5, c, y, r, age, (c * 7 + y * 13 + r) % 97 + 1, now) for c in cats for r in regions for y in range(first, last + 1) for age in [None] + ages)
db.executemany("INSERT INTO fact_yearly (source_id, dim_code, cat_code, year, region_code, building_age_code, value, ingested_at) VALUES (?,?,?,?,?,?,?,?)", rows)
db.commit()
n = db.execute("SELECT count(*) FROM fact_yearly").fetchone()[0]
# No ANALYZE: a Kilde store never runs it, so neither does the benchmark's.
print(f"{n} atoms in fact_yearly ({len(cats)} categories x {len(regions)} regions x {last - first + 1} years x {len(ages) + 1} building ages) in {time.time() - t:.1f} s -> {a.store}")
