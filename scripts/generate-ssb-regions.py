#!/usr/bin/env python3
"""Regenerates the SSB region rows of Sources/KildeCatalog/catalog/filters.csv.

Input: the 2024 kommune and fylke boundaries (robhop/fylker-og-kommuner, © Kartverket,
CC BY 4.0) in ../shared/fixtures/geo. Kommune filter ids are 50000 + kommune number,
county aggregates (SSB `EKA{nn}`) are 59000 + fylke number, so ids are stable across
regenerations. Usage: python3 scripts/generate-ssb-regions.py > /tmp/regions.csv
"""
import csv, json, os, sys

root = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures", "geo", "robhop-fylker-og-kommuner", "2024")
kommuner = json.load(open(os.path.join(root, "Kommuner-S.geojson"), encoding="utf-8"))["features"]
fylker = json.load(open(os.path.join(root, "Fylker-S.geojson"), encoding="utf-8"))["features"]
w = csv.writer(sys.stdout, lineterminator="\n")
for i, f in enumerate(sorted(fylker, key=lambda f: f["properties"]["fylkesnummer"])):
    nr = f["properties"]["fylkesnummer"]
    w.writerow([59000 + int(nr), 5, "region", f"EKA{nr}", f["properties"]["name"], nr, "5", 100 + i])
for i, k in enumerate(sorted(kommuner, key=lambda k: k["properties"]["kommunenummer"])):
    nr = k["properties"]["kommunenummer"]
    w.writerow([50000 + int(nr), 5, "region", nr, k["properties"]["kommunenavn"], nr[:2], "5;100", 1000 + i])
