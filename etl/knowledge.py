"""The project's domain knowledge, read from its one file (etl/catalog.yaml): categories, metrics,
counters and unit kinds, allowed (category, unit) pairs, unit folds, qualifiers, report kinds
and title heads, administrative levels.

Every reader goes through this module: the extractor (etl/extract), the quality suite generator
(etl/extract/vocabulary.py -> expectations/facts.json), discovery's title rules, the disclosure
reader's report kind, the region code of the national level (etl/metadata) and the warehouse,
whose seed tables are `tables()`. tests/test_knowledge.py fails when a reader keeps its own copy
and it disagrees. The file is checked when loaded (a metric of an unknown category, a fold of an
unknown metric or counter, ... raise KnowledgeError naming the entry).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    import pandas as pd

PATH = Path(__file__).resolve().parent / "catalog.yaml"
ANY_UNIT = "*"            # unit_pairs / metric_units: the metric takes any counter


class KnowledgeError(ValueError):
    """The knowledge file contradicts itself."""


@dataclass(frozen=True)
class MetricDef:
    id: str
    category: str
    name_zh: str
    definition: str
    priority: int
    units: tuple[str, ...] | None          # None: any counter; percent spellings completed
    range: tuple[float, float] | None      # plausible [min, max] in base units
    keywords: tuple[str, ...]              # as written (the extractor folds them to Simplified)
    keyword_priority: dict[str, int]


@dataclass(frozen=True)
class Qualifier:
    id: str
    name_zh: str
    lower_bound: bool                      # the true figure may be higher
    before: tuple[str, ...]                # words right before the number
    after: tuple[str, ...]                 # words right after its counter


@dataclass(frozen=True)
class ReportKind:
    id: str
    name_zh: str
    report: bool                           # False: a document read and found not to be a report
    subject: str                           # regex naming the kind in a title ("" for decoy)
    title_word: str
    title_heads: tuple[str, ...]
    title_not: tuple[str, ...]


@dataclass(frozen=True)
class TitleHead:
    word: str
    role: str                              # report / decoy
    reason: str


@dataclass(frozen=True)
class Level:
    id: str
    rank: int                              # 0 national, 1 province, 2 city, 3 county
    name_zh: str
    words: tuple[str, ...]                 # 省, 自治区 ...
    region: str                            # national: 全国 (its province column)
    code: str                              # national: 100000
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class UnitFold:
    unit: str
    folded: str
    metric: str | None                     # None: every metric


@lru_cache(maxsize=1)
def raw() -> dict[str, Any]:
    """The file as written (verbs, counted rules and masks included)."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    _check(data)
    return data


def _strs(xs: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in xs or ())


def version() -> int:
    return int(raw()["version"])


def categories() -> tuple[str, ...]:
    """The categories of shared/eval CATEGORIES.md, in its order (`other` last)."""
    return _strs(raw()["categories"])


def unit_kind(kind: str) -> tuple[str, ...]:
    """The spellings of one kind of unit (percent, money), as listed."""
    return _strs(raw()["unit_kinds"][kind])


def percent_units() -> tuple[str, ...]:
    return unit_kind("percent")


def money_units() -> tuple[str, ...]:
    return unit_kind("money")


def counters() -> tuple[str, ...]:
    """Every counter the extractor reads after a number, as listed."""
    return _strs(raw()["counters"])


def kind_of_unit(unit: str) -> str:
    """percent / money / count."""
    for kind, units in raw()["unit_kinds"].items():
        if unit in _strs(units):
            return str(kind)
    return "count"


@lru_cache(maxsize=1)
def metrics() -> dict[str, MetricDef]:
    """Every metric by id, in file order. A metric counted in one percent spelling accepts all."""
    pct = percent_units()
    out = {}
    for mid, m in raw()["metrics"].items():
        units = list(_strs(m["units"])) if "units" in m else None
        if units is not None and set(units) & set(pct):
            units += [u for u in pct if u not in units]
        rng = m.get("range")
        out[str(mid)] = MetricDef(
            id=str(mid), category=str(m["category"]), name_zh=str(m.get("name_zh") or ""),
            definition=str(m.get("definition") or ""), priority=int(m.get("priority", 0)),
            units=tuple(units) if units is not None else None,
            range=(float(rng[0]), float(rng[1])) if rng else None,
            keywords=_strs(m.get("keywords")),
            keyword_priority={str(k): int(v) for k, v in (m.get("keyword_priority") or {}).items()})
    return out


def unmatched() -> MetricDef:
    """The metric (and category) of a figure no rule or keyword claimed: other / other."""
    u = raw()["unmatched"]
    return MetricDef(id=str(u["metric"]), category=str(u["category"]), name_zh=str(u.get("name_zh") or ""),
                     definition=str(u.get("definition") or ""), priority=0, units=None, range=None,
                     keywords=(), keyword_priority={})


def change_metrics() -> tuple[str, ...]:
    """Metrics whose values are changes (a plausible range below 0): 同比 of any metric."""
    return tuple(sorted(m.id for m in metrics().values() if m.range is not None and m.range[0] < 0))


def allowed_pairs() -> frozenset[tuple[str, str]]:
    """(category, unit) pairs some metric accepts; (category, "*"): that category takes any unit
    ("other" always does)."""
    pairs = {("other", ANY_UNIT)}
    for m in metrics().values():
        for u in m.units if m.units is not None else (ANY_UNIT,):
            pairs.add((m.category, u))
    return frozenset(pairs)


def unit_folds() -> tuple[UnitFold, ...]:
    out = []
    for f in raw().get("unit_folds") or ():
        for metric in f.get("metrics") or [None]:
            out.append(UnitFold(str(f["unit"]), str(f["folded"]), None if metric is None else str(metric)))
    return tuple(out)


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, Qualifier]:
    """exact, more_than, approx, at_least, at_most (in the suite's order)."""
    return {str(q): Qualifier(str(q), str(d.get("name_zh") or ""), bool(d.get("lower_bound")),
                              _strs(d.get("before")), _strs(d.get("after")))
            for q, d in raw()["qualifiers"].items()}


def qualifier_words(where: str) -> dict[str, str]:
    """{word: qualifier} for the words `before` a number or `after` its counter."""
    return {w: q.id for q in qualifiers().values() for w in getattr(q, where)}


def lower_bound_qualifiers() -> tuple[str, ...]:
    return tuple(q.id for q in qualifiers().values() if q.lower_bound)


@lru_cache(maxsize=1)
def report_kinds() -> dict[str, ReportKind]:
    return {str(k): ReportKind(str(k), str(d.get("name_zh") or ""), bool(d.get("report")),
                               str(d.get("subject") or ""), str(d.get("title_word") or ""),
                               _strs(d.get("title_heads")), _strs(d.get("title_not")))
            for k, d in raw()["report_kinds"].items()}


def collected_kinds() -> tuple[str, ...]:
    """The kinds of report collected (rule_of_law, disclosure): every kind but decoy."""
    return tuple(k.id for k in report_kinds().values() if k.report)


def title_heads() -> tuple[TitleHead, ...]:
    return tuple(TitleHead(str(w), str(v[0]), str(v[1])) for w, v in raw()["title_heads"].items())


def title_wrappers() -> frozenset[str]:
    return frozenset(_strs(raw()["title_wrappers"]))


def title_topics() -> tuple[tuple[str, str], ...]:
    """(topic word, reason) in match order."""
    return tuple((str(w), str(r)) for w, r in raw()["title_topics"].items())


def title_forms() -> dict[str, str]:
    """{mark of another form (一图读懂, 解读): reason}, in match order."""
    return {str(w): str(r) for w, r in raw()["title_forms"].items()}


@lru_cache(maxsize=1)
def levels() -> dict[str, Level]:
    """national, province, city, county (top first)."""
    return {str(k): Level(str(k), i, str(d.get("name_zh") or ""), _strs(d.get("words")),
                          str(d.get("region") or ""), str(d.get("code") or ""), _strs(d.get("aliases")))
            for i, (k, d) in enumerate(raw()["levels"].items())}


def national() -> Level:
    return levels()["national"]


def region_levels() -> tuple[str, ...]:
    """The levels of the gazetteer's regions (province, city, county), top first."""
    return tuple(lv for lv in levels() if lv != "national")


def level_words() -> dict[str, str]:
    """{level word: level}: 省 -> province, 州 -> city, 旗 -> county."""
    return {w: lv.id for lv in levels().values() for w in lv.words}


def municipality_prefixes() -> tuple[str, ...]:
    """The first two code digits of the provinces that are cities (北京, 天津, 上海, 重庆)."""
    return _strs(raw()["levels"]["province"].get("municipality_prefixes"))


def tables() -> dict[str, pd.DataFrame]:
    """The warehouse's seed tables (one DataFrame each, names and columns stable):

    categories    category, position, is_other
    metrics       metric, category, name_zh, definition, priority, min_value, max_value
                  (the catalog's metrics, then the unmatched one: every metric a fact may carry)
    metric_units  metric, unit                       ("*": any counter)
    units         unit, kind                         (percent / money / count)
    unit_pairs    category, unit                     ("*": any counter)
    unit_folds    unit, folded_unit, metric          (metric NULL: every metric)
    qualifiers    qualifier, name_zh, is_lower_bound, position
    report_kinds  report_kind, name_zh, is_report
    levels        level, rank, name_zh, region, region_code   (region/region_code: national only)
    """
    import pandas as pd

    cats = categories()
    ms = [*metrics().values(), unmatched()]
    units = list(dict.fromkeys(counters() + percent_units() + money_units()))

    def frame(rows: list[tuple[Any, ...]], cols: list[str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=cols)

    return {
        "categories": frame([(c, i, c == "other") for i, c in enumerate(cats)], ["category", "position", "is_other"]),
        "metrics": frame([(m.id, m.category, m.name_zh, m.definition, m.priority,
                           m.range[0] if m.range else None, m.range[1] if m.range else None) for m in ms],
                         ["metric", "category", "name_zh", "definition", "priority", "min_value", "max_value"]),
        "metric_units": frame([(m.id, u) for m in ms for u in (m.units if m.units is not None else (ANY_UNIT,))],
                              ["metric", "unit"]),
        "units": frame([(u, kind_of_unit(u)) for u in units], ["unit", "kind"]),
        "unit_pairs": frame(sorted(allowed_pairs(), key=lambda p: (cats.index(p[0]), p[1])), ["category", "unit"]),
        "unit_folds": frame([(f.unit, f.folded, f.metric) for f in unit_folds()], ["unit", "folded_unit", "metric"]),
        "qualifiers": frame([(q.id, q.name_zh, q.lower_bound, i) for i, q in enumerate(qualifiers().values())],
                            ["qualifier", "name_zh", "is_lower_bound", "position"]),
        "report_kinds": frame([(k.id, k.name_zh, k.report) for k in report_kinds().values()],
                              ["report_kind", "name_zh", "is_report"]),
        "levels": frame([(lv.id, lv.rank, lv.name_zh, lv.region or None, lv.code or None) for lv in levels().values()],
                        ["level", "rank", "name_zh", "region", "region_code"]),
    }


def write_seeds(folder: Path) -> list[Path]:
    """tables() as CSV files (<name>.csv, UTF-8, empty = NULL): what a dbt seed folder holds."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, table in tables().items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        out.append(path)
    return out


def _check(d: dict[str, Any]) -> None:
    """The file agrees with itself: every reference names something it defines."""
    cats = set(_strs(d.get("categories")))
    units = set(_strs(d.get("counters")))
    problems = [f"unit kind {k}: {u!r} is not a counter"
                for k, us in (d.get("unit_kinds") or {}).items() for u in _strs(us) if u not in units]
    for mid, m in (d.get("metrics") or {}).items():
        if m.get("category") not in cats:
            problems.append(f"metric {mid}: category {m.get('category')!r} is not in categories")
        problems += [f"metric {mid}: unit {u!r} is not a counter"
                     for u in _strs(m.get("units")) if u and u not in units]
    for f in d.get("unit_folds") or ():
        problems += [f"unit fold {f.get('unit')!r}: {u!r} is not a counter"
                     for u in (f.get("unit"), f.get("folded")) if str(u) not in units]
        problems += [f"unit fold {f.get('unit')!r}: metric {m!r} is not a metric"
                     for m in f.get("metrics") or () if m not in (d.get("metrics") or {})]
    for rule in d.get("counted") or ():
        if rule.get("metric") not in (d.get("metrics") or {}):
            problems.append(f"counted rule {rule.get('id')}: metric {rule.get('metric')!r} is not a metric")
    problems += [f"title head {w}: role {v[0]!r} is neither report nor decoy"
                 for w, v in (d.get("title_heads") or {}).items() if v[0] not in ("report", "decoy")]
    problems += [f"title wrapper {w!r} is not a decoy head" for w in _strs(d.get("title_wrappers"))
                 if (d.get("title_heads") or {}).get(w, [""])[0] != "decoy"]
    if list(d.get("levels") or {})[:1] != ["national"] or not (d.get("levels") or {}).get("national", {}).get("code"):
        problems.append("levels: national (with its code) comes first")
    um = d.get("unmatched") or {}
    if um.get("category") not in cats or um.get("metric") in (d.get("metrics") or {}):
        problems.append(f"unmatched: metric {um.get('metric')!r} must be no catalog metric, category {um.get('category')!r} a category")
    if "decoy" not in (d.get("report_kinds") or {}):
        problems.append("report_kinds: decoy is missing")
    if problems:
        raise KnowledgeError(f"{PATH.name}: " + "; ".join(problems))
