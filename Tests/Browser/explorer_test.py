#!/usr/bin/env python3
"""Browser tests of the Kilde explorer: what a person sees, in headless Chromium driven by Playwright.

Run by scripts/browser-tests against a running `kilde serve` whose demo store holds ssb-08764 (ingested from the
simulator) and no ssb-12058 yet, with admin ingest enabled. Screenshots go to artifacts/browser/ (git-ignored).
Usage: explorer_test.py BASE_URL
"""
import json, os, sys, tempfile, time, traceback
from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/")
SHOTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "artifacts", "browser")
os.makedirs(SHOTS, exist_ok=True)
results = []


def check(name):
    def wrap(fn):
        def run(page):
            try:
                fn(page)
                results.append((name, None))
                print(f"PASS {name}")
            except Exception as e:  # a failed check is reported, the others still run
                results.append((name, e))
                print(f"FAIL {name}: {e}")
                traceback.print_exc()
                page.screenshot(path=os.path.join(SHOTS, f"FAILED-{name}.png"), full_page=True)
        run.__name__ = name
        return run
    return wrap


def api(page, path):
    r = page.request.get(BASE + path)
    assert r.ok, f"{path}: HTTP {r.status}"
    return r.json()


@check("catalogue")
def catalogue(page):
    page.goto(BASE + "/")
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible(), "DEMO DATA banner not visible"
    rows = page.locator("#assets tbody tr")
    keys = [rows.nth(i).get_attribute("data-asset") for i in range(rows.count())]
    # Every asset the API lists (each catalogue dataset and the mart), each once.
    assets = [a["key"] for a in api(page, "/v1/assets")]
    assert sorted(keys) == sorted(assets) and "mart:kommune_indicators" in keys and "ssb-08764" in keys, (keys, assets)
    row = page.locator('#assets tr[data-asset="ssb-08764"]')
    freshness = next(a["freshness"] for a in api(page, "/v1/assets") if a["key"] == "ssb-08764")
    assert freshness in ("fresh", "stale") and freshness in row.inner_text(), (freshness, row.inner_text())
    assert page.locator('#assets tr[data-asset="ssb-12058"]').inner_text().find("never") >= 0
    page.get_by_role("link", name="Kart over kommunene →").click()
    page.wait_for_url(BASE + "/map")
    page.goto(BASE + "/")
    page.screenshot(path=os.path.join(SHOTS, "catalogue.png"), full_page=True)


@check("map")
def map_page(page):
    page.goto(BASE + "/map")
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible()
    paths = page.locator("svg#map path.k")
    assert paths.count() == 357, paths.count()
    data = api(page, "/v1/kommune-indicators?indicator=ssb-08764")
    with_value = {r["kommune"] for r in data["rows"]}
    # What a person sees: paths painted with a class colour rather than the no-data hatch.
    filled = page.evaluate("""() => [...document.querySelectorAll('svg#map path.k')]
        .filter(p => !getComputedStyle(p).fill.includes('url')).map(p => p.dataset.k)""")
    assert set(filled) == with_value, (len(filled), len(with_value))
    assert len(filled) == len(data["rows"]) > 0
    attribution = page.locator("#attribution").inner_text()
    assert "Kilde: Statistisk sentralbyrå, tabell 08764" in attribution, attribution
    assert page.locator("#legend .sw").count() >= 2
    oslo = page.locator('svg#map path[data-k="0301"]')
    oslo.hover(force=True)
    assert page.locator("#p-name").inner_text().startswith("Oslo"), page.locator("#p-name").inner_text()
    assert "Andel av landet" in page.locator("#p-share").inner_text()
    page.screenshot(path=os.path.join(SHOTS, "map-laptop.png"), full_page=True)
    # What is not drawn is said, and listed on request.
    unmatched = page.locator("#unmatched")
    assert unmatched.locator("summary").inner_text().startswith(f"{len(data['unmatched'])} regioner er ikke tegnet"), unmatched.inner_text()
    assert not unmatched.locator("li").first.is_visible()
    unmatched.locator("summary").click()
    assert unmatched.locator("li", has_text="Longyearbyen (2111): ikke en kommune").is_visible()
    # The year selector: another year reloads the map for that year, drawn on that year's kommune structure
    # (2024: 357 kommuner; up to 2023 the 2020 structure's 356, older codes carried over through Klass's changes).
    years = api(page, "/v1/indicators")[0]["years"]
    assert years[-1] == 2024 and page.locator("svg#map").get_attribute("data-structure") == "2024"
    page.select_option("#mapform select[name=year]", str(years[0]))
    page.wait_for_url(f"**year={years[0]}**")
    assert page.locator("svg#map path.k").count() == 356
    assert page.locator("svg#map").get_attribute("data-structure") == "2020"
    older = api(page, f"/v1/kommune-indicators?indicator=ssb-08764&year={years[0]}")
    assert {u["reason"] for u in older["unmatched"]} >= {"country", "county", "not_a_kommune", "merged_not_summable", "split"}, older["unmatched"][:5]
    page.screenshot(path=os.path.join(SHOTS, "map-2015.png"), full_page=True)


@check("map-phone")
def map_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(BASE + "/map")
    box = page.locator("svg#map").bounding_box()
    assert box and box["width"] <= 390, box
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px wide"
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible()
    page.screenshot(path=os.path.join(SHOTS, "map-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@check("explore-series")
def explore(page):
    query = "dataset=ssb-08764&region=0301&years=2015-2023"
    page.goto(BASE + "/explore?" + query)
    facts = api(page, "/v1/facts?" + query)
    categories = {r["catCode"] for r in facts["rows"]}
    series = page.locator("#chart polyline.series")
    assert series.count() == len(categories) >= 1, (series.count(), categories)
    assert page.locator("#facts tbody tr").count() == len({r["period"] for r in facts["rows"]})
    assert "tabell 08764" in page.locator("#attribution").inner_text()
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible()
    page.screenshot(path=os.path.join(SHOTS, "explore.png"), full_page=True)


@check("explore-labels")
def explore_labels(page):
    page.goto(BASE + "/explore?dataset=ssb-12058&region=0301")
    region = page.get_by_label("Region (tom = alle)")
    assert region.is_visible()
    assert region.locator("option:checked").inner_text() == "Oslo"
    texts = region.locator("option").all_inner_texts()
    assert "Halden (-2019)" in texts and not any(t.startswith("0301") for t in texts), texts[:5]
    building = page.get_by_label("Bygningstype (tom = alle)")
    assert building.locator("option").all_inner_texts() == ["Boliger"]
    link = page.get_by_role("link", name="API: OpenAPI-dokument (JSON)")
    assert link.get_attribute("href") == "/v1/openapi.json"


@check("explore-ingest-progress")
def ingest_flow(page):
    page.goto(BASE + "/explore?dataset=ssb-12058&region=0301&years=2020-2024")
    assert page.locator("#empty").is_visible(), "the slice should start empty"
    # The ingest covers the page's selection (Oslo, 2020-2024), not the dataset's whole plan.
    with page.expect_request("**/explore/ingest") as sent:
        page.locator("#ingestform button").click()
    form = dict(p.split("=", 1) for p in (sent.value.post_data or "").split("&"))
    assert form.get("region") == "0301" and form.get("years") == "2020-2024", form
    page.locator("#progress").wait_for(state="visible")
    page.screenshot(path=os.path.join(SHOTS, "explore-progress.png"), full_page=True)
    # The page polls the run's phase_detail and reloads when the run ends; then the data is there.
    page.locator("#chart polyline.series").first.wait_for(timeout=60_000)
    runs = api(page, "/v1/runs?limit=5")
    run = next(r for r in runs if r["dataset"] == "ssb-12058")
    assert run["status"] == "complete" and run["progress"] == 1, run
    assert run["phaseDetail"]["canonical_progress"] == 1
    assert run["slicesTotal"] == 2, f"Oslo with and without the building-type filter, not the whole plan: {run}"
    facts = api(page, "/v1/facts?dataset=ssb-12058&region=0301&years=2020-2024")
    assert page.locator("#chart polyline.series").count() == len({r["catCode"] for r in facts["rows"]}) == 1
    assert {r["region"]["code"] for r in facts["rows"]} == {"0301"}
    assert {r["period"] for r in facts["rows"]} <= {str(y) for y in range(2020, 2025)}
    page.screenshot(path=os.path.join(SHOTS, "explore-after-ingest.png"), full_page=True)
    # Only that slice: another kommune, the whole country and other years are still empty.
    for other in ["region=4601&years=2020-2024", "years=2020-2024", "region=0301&years=2015-2019"]:
        assert api(page, "/v1/facts?dataset=ssb-12058&" + other)["rows"] == [], other
    page.goto(BASE + "/explore?dataset=ssb-12058&region=4601&years=2020-2024")
    assert page.locator("#empty").is_visible(), "Bergen was not part of the ingested slice"
    assert page.locator("#ingestform button").is_visible()


@check("compare")
def compare(page):
    # After the ingest flow the store holds ssb-12058 for Oslo: the explore page links to RESIDENTIAL across sources.
    page.goto(BASE + "/explore?dataset=ssb-12058&region=0301&building_type=RESIDENTIAL&years=2020-2024")
    page.locator("#comparelink").click()
    page.wait_for_url("**/explore/compare?**")
    assert "category=RESIDENTIAL" in page.url and "years=2020-2024" in page.url, page.url
    data = api(page, "/v1/compare?category=RESIDENTIAL&years=2020-2024&granularity=year")
    series = [s["dataset"] for s in data["series"]]
    assert series == ["ssb-12058"], series
    lines = page.locator("svg#chart polyline.series")
    assert lines.count() == len(series), lines.count()
    assert "demo data" in lines.first.get_attribute("data-series")
    credit = page.locator('#attributions li[data-dataset="ssb-12058"]').inner_text()
    assert "Kilde: Statistisk sentralbyrå, tabell 12058" in credit and "demo data" in credit, credit
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible()
    # The table shows the API's numbers, one row per period.
    rows = page.locator("#facts tbody tr")
    assert rows.count() == len(data["periods"]) > 0, rows.count()
    page.screenshot(path=os.path.join(SHOTS, "compare.png"), full_page=True)


@check("runs")
def runs(page):
    page.goto(BASE + "/runs")
    rows = page.locator("#runs tbody tr")
    assert rows.count() >= 3, rows.count()
    text = page.locator("#runs").inner_text()
    assert "ssb-12058" in text and "mart:kommune_indicators" in text and "complete" in text
    assert page.get_by_text("DEMO DATA", exact=True).first.is_visible()
    page.screenshot(path=os.path.join(SHOTS, "runs.png"), full_page=True)


@check("lineage")
def lineage(page):
    page.goto(BASE + "/lineage")
    nodes = page.locator("#lineage a[data-node]")
    keys = [nodes.nth(i).get_attribute("data-node") for i in range(nodes.count())]
    # The schema and every asset the API lists, each once, coloured by the API's freshness.
    assets = {a["key"]: a for a in api(page, "/v1/assets")}
    assert sorted(keys) == sorted(["schema"] + list(assets)), (keys, list(assets))
    for key, a in assets.items():
        state = page.locator(f'#lineage a[data-node="{key}"]').get_attribute("data-state")
        expected = "failed" if a.get("lastRunStatus") == "error" else a["freshness"]
        assert state == expected, (key, state, expected)
    fill = page.locator('#lineage a[data-node="ssb-08764"] rect').evaluate("r => getComputedStyle(r).fill")
    colour = {"fresh": "rgb(211, 240, 220)", "stale": "rgb(255, 232, 194)"}[assets["ssb-08764"]["freshness"]]
    assert fill == colour, f"a {assets['ssb-08764']['freshness']} node is {colour}, not {fill}"
    assert page.locator('#lineage path[data-from="ssb-08764"][data-to="mart:kommune_indicators"]').count() == 1
    page.screenshot(path=os.path.join(SHOTS, "lineage.png"), full_page=True)
    page.locator('#lineage a[data-node="ssb-08764"]').click()
    page.wait_for_url(BASE + "/explore?dataset=ssb-08764")


@check("api-reference")
def api_reference(page):
    page.goto(BASE + "/api")
    assert page.get_by_role("link", name="API", exact=True).get_attribute("aria-current") == "page"
    # Every operation of the server's own OpenAPI document, once.
    doc = api(page, "/v1/openapi.json")
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    ops = [(m.upper(), p) for p, item in doc["paths"].items() for m in item if m in methods]
    assert page.locator("section.op").count() == len(ops), (page.locator("section.op").count(), len(ops))
    for m, p in ops:
        assert page.locator(f'section.op[data-method="{m}"][data-path="{p}"]').count() == 1, (m, p)
    # Try it: GET /v1/facts for Oslo is sent to the live API, and its JSON answer is shown.
    form = page.locator('form.tryit[data-path="/v1/facts"]')
    form.locator("select[name=dataset]").select_option("ssb-08764")
    form.locator("input[name=region]").fill("0301")
    form.locator("input[name=years]").fill("2015-2023")
    with page.expect_response(lambda r: "/v1/facts?" in r.url) as sent:
        form.locator("button").click()
    assert "region=0301" in sent.value.url and "dataset=ssb-08764" in sent.value.url, sent.value.url
    answer = page.locator("#" + form.get_attribute("data-answer"))
    answer.and_(page.locator('[data-status="200"]')).wait_for()
    shown = json.loads(answer.locator("pre").inner_text())
    expected = api(page, "/v1/facts?dataset=ssb-08764&region=0301&years=2015-2023")
    assert shown == expected and len(shown["rows"]) > 0, (len(shown.get("rows", [])), len(expected["rows"]))
    assert "200" in answer.locator(".status").inner_text() and "application/json" in answer.locator(".status").inner_text()
    answer.scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(SHOTS, "api-tryit.png"), full_page=False)
    # A path parameter goes into the path; an error answer (a problem) is shown as such.
    form = page.locator('form.tryit[data-path="/v1/runs/{id}"]')
    form.locator("input[name=id]").fill("987654321")
    form.locator("button").click()
    answer = page.locator("#" + form.get_attribute("data-answer"))
    answer.and_(page.locator('[data-status="404"]')).wait_for()
    problem = json.loads(answer.locator("pre").inner_text())
    assert problem["status"] == 404 and "987654321" in problem["detail"], problem
    # On a phone the page does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(BASE + "/api")
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px wide"
    page.set_viewport_size({"width": 1280, "height": 900})


def main():
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="kilde-chromium-"), executable_path="/usr/bin/chromium",
                                                   args=["--no-sandbox"], headless=True, viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        for test in [catalogue, map_page, map_phone, explore, explore_labels, ingest_flow, compare, runs, lineage, api_reference]:
            test(page)
        ctx.close()
    failed = [n for n, e in results if e]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
