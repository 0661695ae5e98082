"""Run the extractor on the labelled sets and score each with shared/eval/score.py; list the
counted phrases no rule or keyword decided (the catalog grows from these) and how often each
counted rule decided.

  .venv/bin/python benchmarks/score_eval.py [--verbose] [--sets seeds,dev,dev2,labelled]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from etl.extract import extract_facts

# ../shared from /work/main, ../../shared from a worktree /work/wt/<name>
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT.parent / "shared")
LABELLED = ROOT / "tests" / "labelled"
SETS = {
    "seeds": (sorted((SHARED / "seeds").glob("*.txt")), SHARED / "eval" / "gold_seeds.jsonl"),
    "dev": (sorted((SHARED / "eval" / "dev").glob("*.txt")), SHARED / "eval" / "dev" / "gold.jsonl"),
    "dev2": (sorted((SHARED / "eval" / "dev2").glob("*.txt")), SHARED / "eval" / "dev2" / "gold.jsonl"),
    "labelled": (sorted(LABELLED.glob("*.txt")), LABELLED / "gold.jsonl"),    # the team's own passages
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args()
    for name in args.sets.split(","):
        files, gold = SETS[name]
        unmatched: Counter[str] = Counter()
        fired: Counter[str] = Counter()
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
            for path in files:
                for f in extract_facts(path.read_text(encoding="utf-8"), path.stem):
                    out.write(json.dumps(asdict(f), ensure_ascii=False) + "\n")
                    reason = f.category_reason
                    if reason.startswith("unmatched: counted "):
                        unmatched[reason[len("unmatched: counted "):].split(",")[0] + f" ({f.unit})"] += 1
                    if "; rule " in reason:
                        fired[reason.split("; rule ")[1].split(":")[0]] += 1
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", out.name]
        res = subprocess.run(cmd + (["--verbose"] if args.verbose else []), capture_output=True, text=True, check=False)
        Path(out.name).unlink()
        if res.returncode:
            sys.exit(res.stderr)
        lines = res.stdout.strip().splitlines()
        print(f"== {name}")
        print("\n".join(lines if args.verbose else lines[-1:]))
        print(f"   counted rules that decided: {dict(fired.most_common())}")
        print(f"   unmatched counted phrases ({sum(unmatched.values())}): "
              + ", ".join(f"{k} x{v}" if v > 1 else k for k, v in unmatched.most_common(25)))


if __name__ == "__main__":
    main()
