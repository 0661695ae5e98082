"""The labelled regression passages (tests/labelled/, our own writing, labelled under the
close-call rules of shared/eval CATEGORIES.md): value+unit and strict scores stay high.

Run `python tests/test_extract_labelled.py` to print every miss with its category_reason.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from etl.extract import extract_facts  # noqa: E402
from etl.records import Fact  # noqa: E402

LABELLED = Path(__file__).resolve().parent / "labelled"


def _gold() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for line in (LABELLED / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            out[g["doc"]].append(g)
    return out


def _match(gold: list[dict], pred: list[Fact]) -> list[tuple[dict, Fact | None]]:
    """Pair each gold fact with an unused prediction of the same value and unit, the one whose
    quote overlaps the gold quote first."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        cands = [i for i, p in enumerate(pred) if i not in used and p.unit == g["unit"]
                 and abs(p.value - g["value"]) <= 1e-6 * max(1.0, abs(g["value"]))]
        cands.sort(key=lambda i: not (g["quote"] in pred[i].quote or pred[i].quote in g["quote"]))
        if cands:
            used.add(cands[0])
            pairs.append((g, pred[cands[0]]))
        else:
            pairs.append((g, None))
    return pairs


def score() -> dict[str, float | list[str]]:
    n_gold = n_pred = matched = strict = 0
    misses: list[str] = []
    for doc, gold in sorted(_gold().items()):
        pred = extract_facts((LABELLED / f"{doc}.txt").read_text(encoding="utf-8"), doc)
        n_gold += len(gold)
        n_pred += len(pred)
        pairs = _match(gold, pred)
        for g, p in pairs:
            if p is None:
                misses.append(f"{doc} missed {g['quote']} = {g['value']:g} {g['unit']}")
                continue
            matched += 1
            if (p.qualifier, p.category) == (g["qualifier"], g["category"]):
                strict += 1
            else:
                misses.append(f"{doc} {g['quote']}: {p.qualifier}/{p.category}, gold {g['qualifier']}/"
                              f"{g['category']} ({p.category_reason})")
        paired = {id(p) for _, p in pairs if p is not None}
        misses += [f"{doc} extra {p.quote} = {p.value:g} {p.unit}" for p in pred if id(p) not in paired]

    def f1(k: int) -> float:
        return 2 * k / (n_gold + n_pred) if n_gold + n_pred else 1.0
    return {"f1": f1(matched), "strict_f1": f1(strict), "misses": misses,
            "category_accuracy": strict / matched if matched else 1.0}


def test_labelled_passages_score_high() -> None:
    s = score()
    assert s["f1"] >= 0.97, s["misses"]
    assert s["strict_f1"] >= 0.95, s["misses"]


def test_labelled_passages_cover_the_departments_the_dev_set_lacks() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in LABELLED.glob("*.txt"))
    for dept in ("公安", "税务", "卫生健康", "教育", "住房和城乡建设", "自然資源", "水利", "交通运输",
                 "人力资源和社会保障", "民政", "生态环境", "区人民政府", "主动公开政府信息"):
        assert dept in text, dept


if __name__ == "__main__":
    s = score()
    print("\n".join(s["misses"]))
    print(f"F1 {s['f1']:.3f} strict_F1 {s['strict_f1']:.3f} category_accuracy {s['category_accuracy']:.3f}")
