"""Run the extractor on the shared seeds and dev set and score both with shared/eval/score.py.

  .venv/bin/python benchmarks/score_eval.py [--verbose]
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from etl.extract import extract_facts  # noqa: E402

# ../shared from /work/main, ../../shared from a worktree /work/wt/<name>
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT.parent / "shared")
SETS = {
    "seeds": (sorted((SHARED / "seeds").glob("*.txt")), SHARED / "eval" / "gold_seeds.jsonl"),
    "dev": (sorted((SHARED / "eval" / "dev").glob("*.txt")), SHARED / "eval" / "dev" / "gold.jsonl"),
    "dev2": (sorted((SHARED / "eval" / "dev2").glob("*.txt")), SHARED / "eval" / "dev2" / "gold.jsonl"),
}


def main() -> None:
    verbose = "--verbose" in sys.argv
    for name, (files, gold) in SETS.items():
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
            for path in files:
                for f in extract_facts(path.read_text(encoding="utf-8"), path.stem):
                    out.write(json.dumps(asdict(f), ensure_ascii=False) + "\n")
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", out.name]
        res = subprocess.run(cmd + (["--verbose"] if verbose else []), capture_output=True, text=True)
        if res.returncode:
            sys.exit(res.stderr)
        lines = res.stdout.strip().splitlines()
        print(f"== {name}")
        print("\n".join(lines if verbose else lines[-1:]))
        Path(out.name).unlink()


if __name__ == "__main__":
    main()
