#!/usr/bin/env python3
"""Companion of brask-bench: pandas.read_html (lxml) on a saved BRASK result page, and the report.

  brask_bench.py time FILE N          one JSON line: median ms over N parses of the bytes, cells, sum
  brask_bench.py report RESULTS.jsonl print both times and the ratio

pandas reads the same bytes to a DataFrame of numbers: the result table picked by its class, Norwegian
thousands separators (non-breaking space) and decimal comma, the SUM row and column dropped for the sum.
"""
import io
import json
import statistics
import sys
import time

import pandas


def parse(data: bytes):
    # read_html wants text; the bytes are UTF-8 (as served). Decoding is part of the work timed.
    tables = pandas.read_html(io.StringIO(data.decode("utf-8")), flavor="lxml", attrs={"class": "resultat"},
                              thousands="\u00a0", decimal=",")
    return tables[0]


def time_parse(path, n):
    data = open(path, "rb").read()
    parse(data)  # warm-up: imports and lxml's first parse
    times = []
    frame = None
    for _ in range(n):
        start = time.perf_counter()
        frame = parse(data)
        times.append((time.perf_counter() - start) * 1000)
    body = frame.iloc[:-1, 1:-1]  # without the label column, the SUM row and the SUM column
    total = float(body.apply(pandas.to_numeric, errors="coerce").sum().sum())
    print(json.dumps({"tool": "pandas.read_html (lxml)", "iterations": n, "median_ms": statistics.median(times),
                      "min_ms": min(times), "cells": int(body.shape[0] * body.shape[1]), "sum": total, "bytes": len(data),
                      "pandas": pandas.__version__}))


def report(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    kilde = next(r for r in rows if r["tool"] == "kilde")
    pandas_row = next(r for r in rows if r["tool"].startswith("pandas"))
    for r in (kilde, pandas_row):
        print(f"{r['tool']:<28} median {r['median_ms']:9.3f} ms   min {r['min_ms']:9.3f} ms   "
              f"{r['cells']} cells, sum {r['sum']:.0f}   ({r['iterations']} parses of {r['bytes']} bytes)")
    if kilde["cells"] != pandas_row["cells"] or kilde["sum"] != pandas_row["sum"]:
        print("MISMATCH: the two parsers did not read the same cells")
        sys.exit(1)
    print(f"ratio (pandas / Kilde, medians): {pandas_row['median_ms'] / kilde['median_ms']:.1f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "time":
        time_parse(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
