"""The metric catalog (catalog.yaml): keywords that name what a number counts, and the
dictionary analysts read (each metric's Chinese name, definition, category, units, range).

    catalog()            -> the catalog as loaded (also `etl.extract.catalog()`)
    metric_dictionary()  -> one dict per metric, the rows of core.dim_metric
    classify(pre, post, unit) -> the Metric a number belongs to
"""
from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import knowledge
from ..normalize import to_simplified
from ..trie import TrieScanner

CATALOG_PATH = knowledge.PATH          # the one knowledge file (etl/knowledge.py reads it)


@dataclass(frozen=True)
class Metric:
    id: str
    category: str
    priority: int
    units: frozenset[str] | None
    range: tuple[float, float] | None

    def accepts(self, unit: str | None) -> bool:
        return unit is None or self.units is None or unit in self.units


@dataclass(frozen=True)
class _Matcher:
    metrics: dict[str, Metric]
    keywords: TrieScanner                                     # the longest keyword at each position
    by_keyword: dict[str, tuple[tuple[Metric, int], ...]]    # keyword -> (metric, priority)
    mask_re: re.Pattern[str] | None                          # words hiding a false keyword
    # keyword -> ((metric, priority, units the metric accepts or None), ...) and the units any of
    # its metrics accepts (None: some metric takes every unit)
    entries: dict[str, tuple[tuple[Metric, int, frozenset[str] | None], ...]] = field(default_factory=dict)
    units_of: dict[str, frozenset[str] | None] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, Any]:
    """The metric catalog as loaded from catalog.yaml (keywords in Simplified).

    {"version": int, "metrics": {id: {"category", "priority", "units", "range", "keywords",
    "keyword_priority"}}}; the validation stage reads `range` per metric id. A keyword listed in
    `keyword_priority` carries that priority instead of the metric's (a weak generic noun such
    as 事项, or a strong one such as 工单); it is a keyword of the metric either way.
    """
    metrics = {}
    for mid, m in knowledge.metrics().items():
        kw_priority = {to_simplified(k): v for k, v in m.keyword_priority.items()}
        kws = {to_simplified(k) for k in m.keywords} | set(kw_priority)
        metrics[mid] = {
            "category": m.category,
            "priority": m.priority,
            "units": list(m.units) if m.units is not None else None,
            "range": list(m.range) if m.range is not None else None,
            "keywords": sorted(kws),
            "keyword_priority": kw_priority,
        }
    raw = _raw_catalog()
    masks = sorted({to_simplified(str(w)) for w in raw.get("masks") or []}, key=len, reverse=True)
    return {"version": raw.get("version"), "metrics": metrics, "masks": masks}


@lru_cache(maxsize=1)
def matcher() -> _Matcher:
    metrics: dict[str, Metric] = {}
    index: dict[str, list[tuple[Metric, int]]] = {}
    for mid, m in load_catalog()["metrics"].items():
        metric = Metric(mid, m["category"], m["priority"],
                        frozenset(m["units"]) if m["units"] is not None else None,
                        tuple(m["range"]) if m["range"] else None)
        metrics[mid] = metric
        for kw in m["keywords"]:
            index.setdefault(kw, []).append((metric, m["keyword_priority"].get(kw, metric.priority)))
    # The longest keyword at every position, overlaps included: in 全程网办率 both 全程网办
    # and 网办率 must be seen, not only the leftmost.
    keywords = TrieScanner([(index, "", "")])
    masks = load_catalog().get("masks") or []
    # A law's name (行政复议法, 行政处罚法) is masked, not 法律/法规/法治/法院 that start with 法.
    mask_re = re.compile("|".join(re.escape(w) + ("(?![律规治院])" if w.endswith("法") else "")
                                  for w in masks)) if masks else None
    entries = {k: tuple((m, p, m.units) for m, p in v) for k, v in index.items()}
    units_of = {k: None if any(m.units is None for m, _ in v) else frozenset[str]().union(*(m.units or () for m, _ in v))
                for k, v in index.items()}
    return _Matcher(metrics, keywords, {k: tuple(v) for k, v in index.items()}, mask_re, entries, units_of)


def _blank(w: re.Match[str]) -> str:
    return "\0" * len(w.group())


def classify(pre: str, post: str = "", unit: str | None = None) -> Metric | None:
    """The metric a number belongs to, from the words before it (`pre`, nearest last) and the
    noun phrase after its counter (`post`, head noun last). Highest priority (of the keyword,
    else of its metric) wins, then the keyword nearest to the number (for `post`: nearest to
    the head), then the longest."""
    return classify_ranked(pre, post, unit)[0]


def classify_ranked(pre: str, post: str = "", unit: str | None = None) -> tuple[Metric | None, int, str]:
    """classify(), the priority its winning keyword carried (-9 when nothing matched) and that
    keyword (what `category_reason` names)."""
    mt = matcher()
    best: Metric | None = None
    best_kw = ""
    best_key: tuple[int, int, int] | None = None
    entries_of, units_of, mask_re = mt.entries, mt.units_of, mt.mask_re
    for text in (pre, post):
        if not text:
            continue
        if mask_re is not None and mask_re.search(text):     # 设立法律服务站 holds no 立法
            text = mask_re.sub(_blank, text)
        n = len(text)
        for m in mt.keywords.longest_at_each(text):
            kw = m.group()
            if unit is not None and (units := units_of[kw]) is not None and unit not in units:
                # The longest keyword here counts other things (旁听庭审 in 次): a shorter one
                # at the same place may count this unit (旁听 in 人).
                kw = next((kw[:k] for k in range(len(kw) - 1, 1, -1) if kw[:k] in units_of
                           and ((u := units_of[kw[:k]]) is None or unit in u)), "")
                if not kw:
                    continue
            end = -(n - (m.start() + len(kw)))
            size = len(kw)
            for metric, priority, units in entries_of[kw]:
                if unit is not None and units is not None and unit not in units:
                    continue
                key = (priority, end, size)
                if best_key is None or key > best_key:
                    best, best_key, best_kw = metric, key, kw
    return best, (best_key[0] if best_key else -9), best_kw



def metric_dictionary() -> list[dict[str, Any]]:
    """The catalog as analysts read it, one row per metric (loaded as core.dim_metric):
    {metric, name_zh, definition, category, units, min_value, max_value}. `units` is the list
    of counters the metric accepts ([] = any); min/max are its plausible range (None = open)."""
    rows = []
    for mid, m in knowledge.metrics().items():
        lo, hi = m.range or (None, None)
        rows.append({"metric": mid, "name_zh": m.name_zh, "definition": m.definition, "category": m.category,
                     "units": list(m.units or []), "min_value": lo, "max_value": hi})
    return rows


def _raw_catalog() -> dict[str, Any]:
    return knowledge.raw()


def raw_catalog() -> dict[str, Any]:
    """catalog.yaml as written (the verbs, counted rules, categories and unit kinds included)."""
    return _raw_catalog()


class _CallableModule(types.ModuleType):
    """`from etl.extract import catalog; catalog()` has always returned the loaded catalog, and
    `etl.extract.catalog.metric_dictionary()` names this module: both keep working."""

    def __call__(self) -> dict[str, Any]:
        return load_catalog()


sys.modules[__name__].__class__ = _CallableModule
