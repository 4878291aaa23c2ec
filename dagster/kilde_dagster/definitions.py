"""Kilde's assets as a Dagster code location, generated from `kilde assets --json` when Dagster loads it.

Every catalogue dataset becomes an asset whose materialisation runs `kilde ingest DATASET --pipes` through
PipesSubprocessClient (row counts, run id and latest period arrive as metadata), with a schedule from the dataset's
cron line in its time zone. Every mart becomes an asset spec depending on the datasets it reads: Kilde rebuilds it
after those ingests (and reports its data tests), so the graph shows it without a second way to build it.

Environment:
  KILDE_BIN          the kilde binary (default: `kilde` on PATH)
  KILDE_STORE        the store every command uses (Kilde reads it itself), e.g. postgres://…
  KILDE_INGEST_ARGS  extra arguments for every ingest, e.g. `--sim-url http://127.0.0.1:8089`

Load it with `dagster dev -m kilde_dagster.definitions` from this directory.
"""

import json
import os
import re
import shlex
import subprocess

import dagster as dg

KILDE = os.environ.get("KILDE_BIN", "kilde")


def asset_name(key):
    """A Kilde asset key as a Dagster name: `ssb-08764` → `ssb_08764`, `mart:kommune_indicators` → `kommune_indicators`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key.split(":", 1)[-1])


def kilde_assets():
    """What `kilde assets --json` lists: each dataset and mart with its schedule and dependencies."""
    out = subprocess.run([KILDE, "assets", "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def dataset_asset(entry):
    key = entry["asset"]

    @dg.asset(name=asset_name(key), group_name="kilde", description=f"kilde ingest {key}",
              metadata={"kilde_asset": key, "schedule": entry["schedule"], "time_zone": entry["time_zone"]})
    def ingest(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
        command = [KILDE, "ingest", key, "--pipes", *shlex.split(os.environ.get("KILDE_INGEST_ARGS", ""))]
        return pipes.run(command=command, context=context).get_results()

    return ingest


def build(entries):
    """Assets, a job and a schedule per dataset, and the marts as specs with their inputs as dependencies."""
    assets, jobs, schedules = [], [], []
    for e in entries:
        if e["kind"] == "dataset":
            assets.append(dataset_asset(e))
            job = dg.define_asset_job(f"{asset_name(e['asset'])}_job", selection=[asset_name(e["asset"])])
            jobs.append(job)
            if e["schedule"]:
                schedules.append(dg.ScheduleDefinition(name=f"{asset_name(e['asset'])}_schedule", job=job,
                                                       cron_schedule=e["schedule"], execution_timezone=e["time_zone"] or "Europe/Oslo"))
        else:
            deps = [asset_name(d) for d in (e["depends_on"] or "").split(",") if d]
            assets.append(dg.AssetSpec(key=asset_name(e["asset"]), deps=deps, group_name="kilde",
                                       description=f"Kilde's mart {e['asset']}, rebuilt after its inputs",
                                       metadata={"kilde_asset": e["asset"]}))
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules, resources={"pipes": dg.PipesSubprocessClient()})


defs = build(kilde_assets())
