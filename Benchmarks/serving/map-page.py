#!/usr/bin/env python3
"""The map page as a browser gets it: bytes transferred (gzip) and time to first render, in headless Chromium.

Usage: map-page.py URL [RUNS]. Prints the median of RUNS cold loads (a new browser context each, no cache).
"""
import statistics, sys
from playwright.sync_api import sync_playwright

url, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
fcp, transfer, decoded, load = [], [], [], []
with sync_playwright() as p:
    # launch() gives the browser a fresh temporary profile of its own; each context below starts with an empty cache.
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(url, wait_until="load")
        nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        # Paint entries arrive asynchronously: wait for first-contentful-paint through a buffered observer.
        paint = page.evaluate("""() => new Promise(resolve => {
            const done = () => resolve(Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime])));
            new PerformanceObserver(l => { if (l.getEntriesByName('first-contentful-paint').length) done(); }).observe({type: 'paint', buffered: true});
            setTimeout(done, 3000);
        })""")
        assert page.locator("svg#map path.k").count() == 357
        transfer.append(nav["transferSize"])
        decoded.append(nav["decodedBodySize"])
        fcp.append(paint.get("first-contentful-paint", float("nan")))
        load.append(nav["loadEventEnd"])
        ctx.close()
    browser.close()
print(f"map page: {statistics.median(transfer) / 1024:.1f} KiB transferred (gzip), {statistics.median(decoded) / 1024:.1f} KiB decoded; "
      f"first contentful paint {statistics.median(fcp):.0f} ms, load {statistics.median(load):.0f} ms (median of {runs} cold loads)")
