"""Extraction throughput on one core: facts/s and MB/s of text.

  .venv/bin/python benchmarks/bench_extract.py [--docs N] [--files DIR...]

Prints wall-clock figures, facts per CPU second of this process (the one-core figure when the
machine is shared) and the ratio to a reference scan (normalise + number tokens only) timed in
the same run. By default the corpus is invented report prose (numbers, qualifiers, non-statistics, a
table, Traditional script); --files adds real .txt reports. Prints figures only: timings
vary by machine, so nothing is asserted.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from etl.extract import extract_facts  # noqa: E402
from etl.extract.tokens import TOKEN_RE  # noqa: E402
from etl.normalize import normalize  # noqa: E402

PARAGRAPHS = [
    "2024年，我局坚持以习近平法治思想为指导，深入学习贯彻党的二十大精神，落实“三项制度”，"
    "现将有关情况报告如下。",
    "全年共开展联合检查{a}余次，出动执法人员{b}人次，检查经营单位{c}家次，发现并整改安全隐患{d}处。",
    "办理行政处罚案件{d}件，其中简易程序{e}件，罚没款{f}万元；受理行政复议案件{e}件。",
    "举办法治培训十余场，参训干部{b}余人次，组织旁听庭审{e}次，局党组专题研究法治工作{e}次。",
    "发放宣传资料{c}份，开展普法活动{a}场，覆盖群众{f}万人次。12345热线转办工单{c}件，办结率和满意率均达100%。",
    "全市審批事項{c}件，同比增長{g}%，審批時限壓縮至{e}個工作日，全程網辦率達{g}%。",
    "一是健全机制；二是强化监督，印发《实施方案》（政发〔2024〕3号），联系电话0571-87654321。",
    "项目\t案件数（件）\t罚没款（万元）\n文化市场\t{a}\t{f}\n旅游市场\t{e}\t{g}\n合计\t{c}\t{f}",
]


def invented_doc(rng: random.Random) -> str:
    parts = []
    for p in rng.sample(PARAGRAPHS, k=len(PARAGRAPHS)):
        parts.append(p.format(a=rng.randint(10, 99), b=rng.randint(100, 9999), c=rng.randint(100, 99999),
                              d=rng.randint(10, 999), e=rng.randint(1, 60), f=round(rng.uniform(1, 500), 2),
                              g=round(rng.uniform(1, 99), 1)))
    return "\n".join(parts * 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--files", nargs="*", default=[])
    args = ap.parse_args()

    rng = random.Random(7)
    docs = [invented_doc(rng) for _ in range(args.docs)]
    for d in args.files:
        docs += [p.read_text(encoding="utf-8") for p in sorted(Path(d).glob("*.txt"))]
    size = sum(len(d.encode("utf-8")) for d in docs)

    extract_facts(docs[0], "warmup")                     # catalog, regexes, OpenCC
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for i, d in enumerate(docs):
        n += len(extract_facts(d, str(i)))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # Reference in the same run: normalising the text and finding its number tokens only (the
    # floor any extractor pays); the ratio says what attribution costs on this machine today.
    t1 = time.perf_counter()
    for d in docs:
        sum(1 for _ in TOKEN_RE.finditer(normalize(d)))
    ref = time.perf_counter() - t1
    print(f"docs {len(docs)}  text {size / 1e6:.1f} MB  facts {n}  time {dt:.2f} s  (reference scan {ref:.2f} s)")
    print(f"{n / dt:,.0f} facts/s  {size / 1e6 / dt:.2f} MB/s  {len(docs) / dt:,.0f} docs/s  "
          f"{dt / ref:.1f}x the reference scan")
    # CPU seconds of this process: the one-core figure when other work shares the machine.
    print(f"{n / cpu:,.0f} facts per CPU second (one core)")


if __name__ == "__main__":
    main()
