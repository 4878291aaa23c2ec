"""The code location in dagster/ under the real Dagster (scripts/dagster-check runs it in the dagster venv).

Usage: python definitions_test.py KILDE_BINARY

1. The definitions equal `kilde assets --json`: an asset per dataset and mart, a schedule per dataset with its cron
   line and time zone, the mart depending on the datasets it reads.
2. One dataset asset materialises through the code location's own PipesSubprocessClient against `kilde sim`, into a
   temporary SQLite store, with Kilde's row counts as metadata.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

KILDE = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


sim = subprocess.Popen([KILDE, "sim", "--port", "0"], stdout=subprocess.PIPE, text=True)
try:
    match = re.search(r"--sim-url (http://[^\s;]+)", sim.stdout.readline())
    if not match:
        raise SystemExit("definitions_test: kilde sim did not say where it listens")
    os.environ["KILDE_BIN"] = KILDE
    os.environ["KILDE_STORE"] = "sqlite:" + os.path.join(tempfile.mkdtemp(prefix="kilde-dagster-defs-"), "kilde.sqlite")
    os.environ["KILDE_INGEST_ARGS"] = f"--sim-url {match.group(1)}"
    # Kilde's reads need a migrated store: `kilde assets` lists what the store's catalogue holds.
    subprocess.run([KILDE, "migrate"], check=True, capture_output=True)
    sys.path.insert(0, os.path.join(REPO, "dagster"))
    import dagster as dg
    from kilde_dagster import definitions

    entries = json.loads(subprocess.run([KILDE, "assets", "--json"], check=True, capture_output=True, text=True).stdout)
    repo = definitions.defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    check(keys == {definitions.asset_name(e["asset"]) for e in entries}, f"one Dagster asset per Kilde asset ({len(keys)})")
    schedules = {s.name: (s.cron_schedule, s.execution_timezone) for s in repo.schedule_defs}
    for e in (e for e in entries if e["kind"] == "dataset"):
        name = definitions.asset_name(e["asset"]) + "_schedule"
        check(schedules.get(name) == (e["schedule"], e["time_zone"]), f"{name}: {schedules.get(name)}")
    mart = next(e for e in entries if e["kind"] == "mart")
    parents = {k.to_user_string() for k in repo.asset_graph.get(dg.AssetKey(definitions.asset_name(mart["asset"]))).parent_keys}
    check(parents == {definitions.asset_name(d) for d in mart["depends_on"].split(",")} and "ssb_08764" in parents,
          f"the mart depends on its inputs: {sorted(parents)}")

    job = repo.get_job("ssb_08764_job")
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral())
    check(result.success, "ssb_08764_job materialises through the code location")
    events = result.get_asset_materialization_events()
    metadata = events[0].materialization.metadata if events else {}
    check(metadata.get("rows_added") is not None and metadata["rows_added"].value > 0, f"rows_added {metadata.get('rows_added')}")
finally:
    sim.terminate()

print(f"definitions_test: {'FAILED: ' + '; '.join(failures) if failures else 'passed'}")
sys.exit(1 if failures else 0)
