#!/usr/bin/env python3
"""Regenerates the SSB region rows of Sources/KildeCatalog/catalog/filters.csv (the other rows are kept).

Every kommune and fylke code in use from 2013 on, from SSB's Klass lists and the 2024 boundaries in
../shared/fixtures/geo (see scripts/kommune_history.py), with its level and years of use, so that data in the codes
of its own year is stored. Ids are stable across regenerations: kommune NNNN -> 50000 + NNNN (also the codes for
areas outside the kommuner, such as 2111 Longyearbyen and 9999 Uoppgitt, which have no level), county aggregate
EKAnn (table 12058) -> 59000 + nn, fylke nn (table 08764's Region) -> 58000 + nn. Codes no longer in use carry
SSB's year suffix in their name, e.g. "Halden (-2019)". Usage: python3 scripts/generate-ssb-regions.py
"""
import csv, os
import kommune_history as kh

FILTERS = os.path.join(kh.HERE, "..", "Sources", "KildeCatalog", "catalog", "filters.csv")
SOURCE = "5"  # ssb in sources.csv


def main():
    history = kh.History()
    with open(FILTERS, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, kept = rows[0], [r for r in rows[1:] if not (r[1] == SOURCE and r[2] == "region")]

    def year(v):
        return "" if v is None else str(v)

    fylker = history.fylker()
    current_first = lambda span: (span[1][1] is not None, span[0])  # codes still in use first, then by code
    region_rows = []
    for i, (nr, (first, last)) in enumerate(sorted(fylker.items(), key=current_first)):
        name = history.fylke_names[nr] + kh.years_label(first, last)
        region_rows.append([59000 + int(nr), SOURCE, "region", f"EKA{nr}", name, nr, "5", 100 + i, "county", year(first), year(last)])
    for i, (nr, (first, last)) in enumerate(sorted(fylker.items(), key=current_first)):
        name = history.fylke_names[nr] + kh.years_label(first, last)
        region_rows.append([58000 + int(nr), SOURCE, "region", nr, name, nr, "100", 200 + i, "county", year(first), year(last)])
    kommuner = sorted(history.years.items(), key=current_first)
    for i, (code, (first, last)) in enumerate(kommuner):
        name = history.name(code) + kh.years_label(first, last)
        region_rows.append([50000 + int(code), SOURCE, "region", code, name, code[:2], "5;100", 1000 + i, "municipality", year(first), year(last)])
    for i, (code, name) in enumerate(sorted(kh.NOT_KOMMUNER.items())):
        region_rows.append([50000 + int(code), SOURCE, "region", code, name, "", "5;100", 3000 + i, "", "", ""])

    with open(FILTERS, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(kept + region_rows)
    print(f"{len(region_rows)} region rows ({len(kommuner)} kommuner, {len(fylker)} fylker) -> {FILTERS}")


if __name__ == "__main__":
    main()
