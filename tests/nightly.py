"""One night of the whole pipeline (no Airflow) for end-to-end tests: a red verdict is
expected where the portal plants broken inputs, but a night whose validate, load or shards
failed must fail the test that reads its warehouse, never pass on what an earlier night left."""
from __future__ import annotations

from etl.pipeline.runner import run_all
from etl.runstore import VERDICT, RunStore
from etl.settings import Settings

# verdict reasons that mean the night itself broke (see etl/notify/problems.py), not its inputs
BROKEN = ("LOAD FAILED", "load did not run", "checks could not run", "did not finish",
          "could not be evaluated", "dropped without an error row", "alert did not run")


def run_night(run_id: str, settings: Settings) -> dict:
    """Run the night; return its load counts (with `verdict`). Fails when the night broke."""
    counts = run_all(run_id, settings)
    verdict = RunStore(settings, run_id).get(VERDICT) or {}
    broken = [r for r in verdict.get("reasons", []) if any(b.lower() in r.lower() for b in BROKEN)]
    assert not broken, f"night {run_id} broke: {broken}"
    assert set(counts) - {"verdict"}, f"night {run_id} loaded nothing: {counts}"
    return counts
