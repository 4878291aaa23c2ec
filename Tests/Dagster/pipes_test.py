"""`kilde ingest … --pipes` under the real Dagster (scripts/dagster-check runs it in a venv with dagster installed).

Usage: python pipes_test.py KILDE_BINARY

Starts `kilde sim` on a free port and materialises Dagster assets whose body runs the ingest with
PipesSubprocessClient, into a temporary SQLite store:
1. asset ssb_08764: the materialisation carries the run's row counts, run id, slices and latest period as typed
   metadata (Dagster records metadata only when the asset key matches, so the metadata is what is checked), and the
   progress lines are in the run's event log;
2. a multi-asset ssb_08764 + kommune_indicators declaring the mart's data tests as checks: a second ingest writes
   nothing new (rows_skipped_identical), the mart materialises and every check is reported and passes;
3. an unknown dataset: the run fails and Dagster's event log carries Kilde's error message;
4. an injected upstream fault (POST /_sim/fault): the slice fails, the run fails with Kilde's message.
"""

import os
import re
import subprocess
import sys
import tempfile
import urllib.request

import dagster as dg

KILDE = os.path.abspath(sys.argv[1])
MART_TESTS = ["not_null", "unique_indicator_kommune_year", "relationships_kommune_dim", "unique_kommune_dim", "unmatched_regions"]
failures = []
# One instance for every run, so each run's event log can be read back (the engine event Pipes records when the
# process closes with an exception is in the instance's log, not in the in-process result's events).
INSTANCE = dg.DagsterInstance.ephemeral()


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def start_sim():
    sim = subprocess.Popen([KILDE, "sim", "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = sim.stdout.readline()
    match = re.search(r"--sim-url (http://[^\s;]+)", line)
    if not match:
        sim.terminate()
        raise SystemExit(f"pipes_test: kilde sim did not say where it listens: {line!r}")
    return sim, match.group(1)


def ingest_command(dataset, store, sim_url):
    return [KILDE, "ingest", dataset, "--pipes", "--store", f"sqlite:{store}", "--sim-url", sim_url]


def dataset_asset(dataset, store, sim_url):
    @dg.asset(name="ssb_08764")
    def ingest_asset(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
        return pipes.run(command=ingest_command(dataset, store, sim_url), context=context).get_results()

    return ingest_asset


def dataset_and_mart_assets(store, sim_url):
    @dg.multi_asset(
        specs=[dg.AssetSpec("ssb_08764"), dg.AssetSpec("kommune_indicators")],
        check_specs=[dg.AssetCheckSpec(name, asset="kommune_indicators") for name in MART_TESTS],
    )
    def ingest_and_mart(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
        return pipes.run(command=ingest_command("ssb-08764", store, sim_url), context=context).get_results()

    return ingest_and_mart


def materialize(asset):
    return dg.materialize([asset], resources={"pipes": dg.PipesSubprocessClient()}, raise_on_error=False, instance=INSTANCE)


def metadata_of(result, key):
    """The metadata of the last materialisation of asset `key` in the run, values unwrapped; None when there is none."""
    mats = [e.event_specific_data.materialization for e in result.all_events if e.is_step_materialization]
    mats = [m for m in mats if m.asset_key == dg.AssetKey(key)]
    return {k: v.value for k, v in mats[-1].metadata.items()} if mats else None


def data_version_of(result, key):
    """The data version Dagster recorded on the last materialisation of asset `key` in the run."""
    mats = [e.event_specific_data.materialization for e in result.all_events if e.is_step_materialization]
    mats = [m for m in mats if m.asset_key == dg.AssetKey(key)]
    return (mats[-1].tags or {}).get("dagster/data_version") if mats else None


def pipes_errors(result):
    """Messages of the errors the ingest reported when it closed the Pipes connection."""
    events = [r.dagster_event for r in INSTANCE.all_logs(result.run_id) if r.dagster_event and r.dagster_event.is_engine_event]
    return [e.event_specific_data.error.message for e in events
            if "closed with exception" in (e.message or "") and e.event_specific_data and e.event_specific_data.error]


def main():
    sim, sim_url = start_sim()
    work = tempfile.mkdtemp(prefix="kilde-dagster-")
    store = os.path.join(work, "kilde.sqlite")
    try:
        result = materialize(dataset_asset("ssb-08764", store, sim_url))
        check(result.success, "first ingest: the run succeeds")
        md = metadata_of(result, "ssb_08764") or {}
        print(f"     metadata: {md}")
        for key in ["rows_added", "rows_updated", "rows_skipped_identical", "rows_deleted", "kilde_run_id", "slices_total", "slices_failed"]:
            check(isinstance(md.get(key), int), f"first ingest: metadata {key} is an int")
        check(md.get("rows_added", 0) > 0, "first ingest: rows_added > 0 into an empty store")
        check(md.get("slices_failed") == 0, "first ingest: no slice failed")
        logs = [r.user_message for r in INSTANCE.all_logs(result.run_id)]
        check(any(m.startswith("slice 1/") for m in logs), "first ingest: the progress lines are in Dagster's event log")
        check(isinstance(md.get("latest_period"), str) and re.fullmatch(r"\d{4}", md.get("latest_period", "")) is not None,
              "first ingest: latest_period is a year, as text")
        version = md.get("data_version")
        check(isinstance(version, str) and re.fullmatch(r"[0-9a-f]{16}", version or "") is not None,
              f"first ingest: data_version is 16 hex digits ({version})")
        check(data_version_of(result, "ssb_08764") == version, "first ingest: Dagster records the data version")

        result = materialize(dataset_and_mart_assets(store, sim_url))
        check(result.success, "second ingest with the mart: the run succeeds")
        md = metadata_of(result, "ssb_08764") or {}
        check(md.get("rows_added") == 0 and md.get("rows_skipped_identical", 0) > 0,
              f"second ingest: nothing new is written (added {md.get('rows_added')}, identical {md.get('rows_skipped_identical')})")
        check(md.get("data_version") == version and data_version_of(result, "ssb_08764") == version,
              f"second ingest: nothing changed, the same data version ({md.get('data_version')})")
        mart = metadata_of(result, "kommune_indicators") or {}
        check(re.fullmatch(r"[0-9a-f]{16}", mart.get("data_version", "")) is not None
              and data_version_of(result, "kommune_indicators") == mart.get("data_version"),
              f"second ingest: the mart has a data version ({mart.get('data_version')})")
        check(mart.get("rows", 0) > 0, f"second ingest: the mart materialises with its rows ({mart.get('rows')})")
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        check(sorted(checks) == sorted(MART_TESTS), f"second ingest: every mart data test is reported as a check ({sorted(checks)})")
        # unmatched_regions is a warning that fails on demo data (country and county rows); the error tests pass.
        check(all(checks.get(n) for n in MART_TESTS if n != "unmatched_regions"), "second ingest: the error-severity checks pass")

        result = materialize(dataset_asset("no-such-dataset", store, sim_url))
        errors = pipes_errors(result)
        check(not result.success, "unknown dataset: the run fails")
        check(any("unknown dataset" in e for e in errors), f"unknown dataset: Dagster shows Kilde's error ({errors})")

        urllib.request.urlopen(urllib.request.Request(f"{sim_url}/_sim/fault?spec=malformedx10", method="POST")).read()
        result = materialize(dataset_asset("ssb-08764", store, sim_url))
        errors = pipes_errors(result)
        check(not result.success, "injected fault: the run fails")
        check(any("slices failed" in e for e in errors), f"injected fault: Dagster shows Kilde's error ({errors})")
    finally:
        sim.terminate()
        sim.wait()
    if failures:
        print(f"pipes_test: {len(failures)} check(s) failed")
        sys.exit(1)
    print("pipes_test: all checks passed")


if __name__ == "__main__":
    main()
