"""The structure drawn from the imports: nothing below the pipeline imports it, and the run
store (etl/runstore.py) is the only module that builds paths in a run's folder."""
from __future__ import annotations

import ast
from pathlib import Path

from etl.settings import ROOT

ETL = ROOT / "etl"
# the pipeline's own modules and the entry points above it (the CLI, `make demo`, its report)
ABOVE_PIPELINE = {"etl/__main__.py", "etl/demo.py", "etl/report.py"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    package = _module(path).split(".") if path.name == "__init__.py" else _module(path).split(".")[:-1]
    return imports_of(path.read_text(encoding="utf-8"), package)


def imports_of(source: str, package: list[str]) -> set[str]:
    """Absolute names of every module the source imports (relative imports resolved against
    its `package`, also those inside functions): each import's target and, for
    `from X import y`, X.y as well."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


def _sources(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py") if ".venv" not in p.parts)


def test_the_import_resolver_sees_relative_and_nested_imports() -> None:
    """The checks below are only as good as this: a relative import inside a function counts."""
    assert "etl.runstore" in imports(ETL / "notify" / "problems.py")
    assert "etl.pipeline.crawl" in imports_of("def f():\n    from ..pipeline.crawl import x\n", ["etl", "discovery"])
    assert "etl.pipeline" in imports_of("from .. import pipeline\n", ["etl", "notify"]) | \
        imports_of("import etl.pipeline.plan\n", ["etl"])
    assert "etl.pipeline.plan" in imports_of("from ..pipeline import plan\n", ["etl", "notify"])


def test_nothing_below_the_pipeline_imports_it() -> None:
    offenders = {}
    for path in _sources("etl"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("etl/pipeline/") or rel in ABOVE_PIPELINE:
            continue
        bad = sorted(m for m in imports(path) if m == "etl.pipeline" or m.startswith("etl.pipeline."))
        if bad:
            offenders[rel] = bad
    assert not offenders, f"modules below the pipeline import it: {offenders}"


def _staging_paths(source: str, names: set[str]) -> list[str]:
    """Where the source builds a path in a run's folder itself: `<settings>.staging(...)`, a
    `/ "staging"` join, or a run-store file name (verdict.json, dq_results.parquet...)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "staging":
            out.append(f"line {node.lineno}: .staging(...)")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and \
                isinstance(node.right, ast.Constant) and node.right.value == "staging":
            out.append(f"line {node.lineno}: / 'staging'")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
            out.append(f"line {node.lineno}: {node.value!r}")
    return out


def test_only_the_run_store_builds_paths_in_a_run_folder() -> None:
    from etl.runstore import ENTRIES, FRAMES
    names = {e.file for e in ENTRIES} | {f.file for f in FRAMES} | {"facts_quarantined.parquet"}
    offenders = {}
    for path in _sources("etl", "dags", "tests", "benchmarks"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("etl/runstore.py", "etl/settings.py", "tests/test_layers.py"):
            continue                                  # the store; the data folder's one definition
        found = _staging_paths(path.read_text(encoding="utf-8"), names)
        if found:
            offenders[rel] = found
    assert not offenders, f"paths in a run's folder built outside etl/runstore.py: {offenders}"


def test_the_layout_check_catches_a_reader_of_its_own() -> None:
    """A module reading the verdict by its file name, or globbing the staging folder, is caught."""
    own = "def f(settings, run_id):\n    return settings.staging(run_id) / 'verdict.json'\n"
    glob = "def g(data):\n    return (data / 'staging').glob('*/x')\n"
    assert len(_staging_paths(own, {"verdict.json"})) == 2 and len(_staging_paths(glob, set())) == 1
