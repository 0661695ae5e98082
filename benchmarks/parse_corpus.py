"""A generated corpus of report PDFs for the parse benchmark: 2-60 pages each, Simplified
and Traditional, with and without ruled tables (some long enough to run over a page
without repeating their header), running headers, page labels in several styles.

Every number planted is recorded as truth (value in base units, unit), prose and table
cells apart, so both PDF paths can be scored against it with the same extractor.
The texts are written for this corpus in the genre of the yearly reports.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from demo_portal.documents import PAGE_LABELS, report_pdf
from demo_portal.markup import Block, identity, to_traditional

CORPUS_VERSION = 3
FILLER_SHARE = 0.6             # sentences without a figure: ~12 facts a page, as in real reports
CHARS_PER_PAGE = 620            # about a page of 14 pt text with headings and spacing

# (template, [(slot, unit, scale)]) ; {a} {b} are drawn numbers; scale folds 万 into the value
FACTS: list[tuple[str, list[tuple[str, str, float]]]] = [
    ("全年共办理行政许可事项{a}件，办件总量较上年有所增加。", [("a", "件", 1)]),
    ("组织开展各类执法检查{a}次，出动执法人员{b}人次。", [("a", "次", 1), ("b", "人次", 1)]),
    ("检查各类经营主体{a}家次，发现并督促整改问题隐患{b}处。", [("a", "家次", 1), ("b", "处", 1)]),
    ("举办领导干部法治专题讲座{a}场，参训干部{b}人次。", [("a", "场", 1), ("b", "人次", 1)]),
    ("对拟出台的规范性文件开展合法性审查{a}件，提出修改意见{b}条。", [("a", "件", 1), ("b", "条", 1)]),
    ("受理行政复议申请{a}件，依法审结{b}件。", [("a", "件", 1), ("b", "件", 1)]),
    ("印发普法宣传资料{a}份，开展送法进社区、进企业活动{b}场。", [("a", "份", 1), ("b", "场", 1)]),
    ("立案查处各类违法案件{a}件，罚没款{b}万元。", [("a", "件", 1), ("b", "元", 10000)]),
    ("办理人大代表建议和政协委员提案{a}件，均在规定时限内答复。", [("a", "件", 1)]),
    ("聘请常年法律顾问{a}名，审查各类合同{b}份。", [("a", "名", 1), ("b", "份", 1)]),
    ("调处各类矛盾纠纷{a}起，调解成功率达到{b}%。", [("a", "起", 1), ("b", "%", 1)]),
    ("全年清理涉企政策文件{a}件，废止和修改{b}件。", [("a", "件", 1), ("b", "件", 1)]),
]
FILLER = [
    "坚持把法治建设摆在全局工作的突出位置，做到与业务工作同谋划、同部署、同推进、同考核。",
    "进一步健全依法决策机制，严格落实公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序。",
    "持续深化放管服改革，推动政务服务事项标准化、规范化、便利化，让企业和群众办事更加省心。",
    "加强行政执法队伍建设，常态化开展执法案卷评查，促进严格规范公正文明执法。",
    "畅通群众诉求表达渠道，依法及时化解矛盾纠纷，切实维护人民群众的合法权益。",
    "将普法责任制落实情况纳入年度绩效考核，推动形成部门各负其责、齐抓共管的普法工作格局。",
    "主动接受人大法律监督、政协民主监督和社会舆论监督，自觉把权力运行置于阳光之下。",
    "围绕优化营商环境，全面推行包容审慎监管，对轻微违法行为依法不予处罚并加强教育引导。",
]
HEADINGS = ["加强组织领导，压实法治建设责任", "推进依法决策，提升制度建设质量", "严格规范执法，维护市场秩序",
            "强化权力监督，促进依法行政", "深化普法宣传，营造良好法治氛围", "化解矛盾纠纷，维护社会稳定",
            "存在的问题和不足", "下一步工作打算"]
NUMERALS = "一二三四五六七八九十"
DOMAINS = ["食品安全", "药品医疗器械", "特种设备", "产品质量", "价格监管", "广告监管", "知识产权", "网络交易",
           "计量监管", "消费维权", "安全生产", "生态环境", "城市管理", "交通运输", "文化市场", "农业农村"]
TABLES = [
    (["执法领域", "检查次数（次）", "出动执法人员（人次）", "立案数（件）"], ["次", "人次", "件"]),
    (["项目", "办理数量（件）", "办结率（%）"], ["件", "%"]),
    (["工作事项", "场次（场）", "受众（人次）"], ["场", "人次"]),
]
AGENCIES = ["某市市场监督管理局", "某县司法局", "某区应急管理局", "某市生态环境局", "某县交通运输局", "某区文化和旅游局"]


@dataclass
class CorpusDoc:
    name: str
    pages_target: int
    script: str
    tables: bool
    truth_prose: list[tuple[float, str]] = field(default_factory=list)
    truth_table: list[tuple[float, str]] = field(default_factory=list)
    pages: int = 0


def _number(rng: random.Random, unit: str) -> int | float:
    if unit == "%":
        return rng.choice([85, 90.5, 92.3, 95, 96.8, 98.2, 99.1, 100])
    if unit == "元":
        return rng.choice([12.6, 35.8, 48, 126.5, 230, 8.9])
    return rng.choice([rng.randint(3, 99), rng.randint(100, 999), rng.randint(1000, 9999)])


def _table(rng: random.Random, doc: CorpusDoc, convert, long: bool) -> Block:
    header, units = rng.choice(TABLES)
    n = rng.randint(30, 45) if long else rng.randint(3, 9)
    rows = [[convert(h) for h in header]]
    for i in range(n):
        label = DOMAINS[i % len(DOMAINS)] + ("" if i < len(DOMAINS) else f"（{i // len(DOMAINS) + 1}）")
        cells = [convert(label)]
        for u in units:
            v = _number(rng, u)
            cells.append(f"{v:g}")
            doc.truth_table.append((float(v), u))
        rows.append(cells)
    return Block("table", rows=rows)


def blocks_for(doc: CorpusDoc, rng: random.Random) -> list[Block]:
    convert = to_traditional() if doc.script == "hant" else identity
    blocks: list[Block] = []
    chars, target, h = 0, doc.pages_target * CHARS_PER_PAGE, 0
    while chars < target:
        if chars >= h * target / len(HEADINGS) and h < len(HEADINGS):
            blocks.append(Block("h", convert(f"{NUMERALS[h]}、{HEADINGS[h]}")))
            h += 1
        parts = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < FILLER_SHARE:
                parts.append(rng.choice(FILLER))
                continue
            tmpl, slots = rng.choice(FACTS)
            values = {}
            for slot, unit, scale in slots:
                v = _number(rng, unit)
                values[slot] = f"{v:g}"
                doc.truth_prose.append((round(float(v) * scale, 6), unit))
            parts.append(tmpl.format(**values))
        text = convert("".join(parts))
        blocks.append(Block("p", text))
        chars += len(text)
        if doc.tables and rng.random() < 0.12:
            long = rng.random() < 0.15
            blocks.append(_table(rng, doc, convert, long))
            chars += 1200 if long else 300
    return blocks


def page_targets(rng: random.Random):
    """2-60 pages per document, forever."""
    while True:
        yield rng.choice([2, 3, 4, 6, 8, 12, 16, 24, 30, 40, 48, 58])


def build_corpus(root: Path, total_pages: int = 1500, seed: int = 9) -> list[tuple[Path, CorpusDoc]]:
    """Write (or reuse) the corpus under root; returns (pdf path, doc) pairs."""
    import pypdfium2 as pdfium
    root = root / f"v{CORPUS_VERSION}-{total_pages}-{seed}"
    index = root / "index.json"
    if index.exists():
        docs = [CorpusDoc(**{**d, "truth_prose": [tuple(x) for x in d["truth_prose"]],
                             "truth_table": [tuple(x) for x in d["truth_table"]]})
                for d in json.loads(index.read_text(encoding="utf-8"))]
        return [(root / f"{d.name}.pdf", d) for d in docs]
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    docs = []
    for i, n in enumerate(page_targets(rng)):
        if sum(d.pages for d in docs) >= total_pages:
            break
        doc = CorpusDoc(f"doc{i:03d}", n, "hant" if i % 4 == 3 else "hans", tables=i % 2 == 0 or i % 7 == 1)
        agency = AGENCIES[i % len(AGENCIES)]
        convert = to_traditional() if doc.script == "hant" else identity
        title = convert(f"{agency}2024年法治政府建设年度报告")
        data = report_pdf(title, agency, blocks_for(doc, rng),
                          running_header=convert(agency) if i % 3 else "",
                          label=list(PAGE_LABELS)[i % len(PAGE_LABELS)])
        (root / f"{doc.name}.pdf").write_bytes(data)
        pdf = pdfium.PdfDocument(data)
        doc.pages = len(pdf)
        pdf.close()
        docs.append(doc)
    index.write_text(json.dumps([d.__dict__ for d in docs], ensure_ascii=False), encoding="utf-8")
    return [(root / f"{d.name}.pdf", d) for d in docs]


def long_report(root: Path, pages: int, seed: int = 5) -> Path:
    """One report of `pages` pages (within 5%) with tables: memory and linearity checks."""
    import pypdfium2 as pdfium
    path = root / f"long-v{CORPUS_VERSION}-{pages}.pdf"
    if path.exists():
        return path
    root.mkdir(parents=True, exist_ok=True)
    target = pages
    for _ in range(4):
        doc = CorpusDoc("long", target, "hans", tables=True)
        data = report_pdf("某市市场监督管理局2024年法治政府建设年度报告", "某市市场监督管理局",
                          blocks_for(doc, random.Random(seed)), running_header="某市市场监督管理局", label="of")
        pdf = pdfium.PdfDocument(data)
        got = len(pdf)
        pdf.close()
        if abs(got - pages) <= pages * 0.05:
            break
        target = max(1, round(target * pages / got))
    path.write_bytes(data)
    return path
