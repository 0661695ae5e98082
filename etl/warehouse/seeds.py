"""The dbt seeds (sql/seeds/*.csv): the reference data the models join and the schema tests
check against, generated from the project's domain knowledge by one function, so the
warehouse never holds a second copy that could disagree. `seed_frames()` is the one place
that reads the knowledge; the committed CSVs must equal what it generates
(tests/test_dbt_project.py), rewritten with `python -m etl.warehouse.seeds --write`.

  seed_region     GB/T 2260 divisions (etl/data/regions.tsv): core.dim_region, levels
  seed_metric     the catalog's metrics (units joined by `|`): core.dim_metric
  seed_unit       unit spellings by kind (percent, money): core.subject_hans, fact tests
  seed_category   the catalog's categories: accepted values of every `category` column
  seed_qualifier  qualifiers (exact, more_than, ...) and which are lower bounds
  seed_report_kind  report kinds (rule_of_law, disclosure, decoy)
  seed_level      government levels (national .. county) with their rank
  seed_unit_fold  counters folded to one unit before comparing (宗 -> 件): core.unit_fold
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..settings import ROOT

SEED_DIR = ROOT / "sql" / "seeds"


def regions_frame(path: Path | None = None) -> pd.DataFrame:
    """The gazetteer's divisions (etl/metadata/gazetteer.py DATA unless another file is given)."""
    if path is None:
        from ..metadata.gazetteer import DATA as path
    return pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)


def metric_frame() -> pd.DataFrame:
    """The metric dictionary from the extractor's catalog, `units` as a list."""
    from ..extract.catalog import metric_dictionary
    cols = ["metric", "name_zh", "definition", "category", "units", "min_value", "max_value"]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in metric_dictionary()], columns=cols)
    df["units"] = df["units"].map(lambda u: list(u) if isinstance(u, (list, tuple)) else [])
    for c in ("min_value", "max_value"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def seed_frames() -> dict[str, pd.DataFrame]:
    """{seed name: rows}: every seed, from the one knowledge file (etl/knowledge.py)."""
    from .. import knowledge
    t = knowledge.tables()
    metrics = metric_frame().assign(units=lambda d: d["units"].map("|".join))
    kinds = ["percent", "money"]
    units = t["units"][t["units"]["kind"].isin(kinds)]
    units = units.sort_values("kind", key=lambda k: k.map(kinds.index), kind="stable")[["unit", "kind"]]
    return {"seed_region": regions_frame(), "seed_metric": metrics, "seed_unit": units.reset_index(drop=True),
            "seed_category": t["categories"][["category"]],
            "seed_qualifier": t["qualifiers"][["qualifier", "name_zh", "is_lower_bound"]],
            "seed_report_kind": t["report_kinds"], "seed_level": t["levels"][["level", "rank", "name_zh"]],
            "seed_unit_fold": t["unit_folds"][["unit", "folded_unit", "metric"]]}


def seed_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


def stale_seeds(seed_dir: Path = SEED_DIR) -> list[str]:
    """Seeds whose committed CSV differs from what the knowledge generates."""
    return sorted(name for name, df in seed_frames().items()
                  if not (seed_dir / f"{name}.csv").exists()
                  or (seed_dir / f"{name}.csv").read_text(encoding="utf-8") != seed_text(df))


def write_seeds(seed_dir: Path = SEED_DIR) -> list[Path]:
    seed_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, df in seed_frames().items():
        (seed_dir / f"{name}.csv").write_text(seed_text(df), encoding="utf-8")
        out.append(seed_dir / f"{name}.csv")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl.warehouse.seeds", description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite sql/seeds/*.csv (else: exit 1 when stale)")
    args = ap.parse_args(argv)
    if args.write:
        for p in write_seeds():
            print(p)
        return 0
    stale = stale_seeds()
    for name in stale:
        print(f"stale: sql/seeds/{name}.csv (python -m etl.warehouse.seeds --write)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
