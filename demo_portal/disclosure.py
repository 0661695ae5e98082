"""政府信息公开工作年度报告 of the demo agencies, in the national format's real layout.

The figures are this project's own (seeded per agency and year, consistent by
construction); the tables follow 国办公开办函〔2021〕30号: section 二 in article blocks,
section 三's matrix with its merged cells, section 四's 15 columns. Each report is
published in one layout:

- html: `<table>` with rowspan/colspan (the default);
- variant: the same, with labels retyped the way agencies do (ASCII brackets, 1、, a
  dropped 属于, 其它, 单位 in brackets) and dashes/blanks for nothing;
- pdf: a cover note with the report as a PDF attachment of ruled tables (reportlab,
  STSong-Light);
- text: the tables flattened, one cell per paragraph in the fixed order;
- hant: html, every label and paragraph in Traditional characters;
- planted: html with one planted inconsistency (行政复议 总计 != the sum of its outcomes);
- printed: a PDF attachment as a browser prints the page: page breaks inside （五） and
  （六）, their labels on the next page, open boxes at the cut, running header and footer.

Figures chain across years (上年结转 = last year's 结转下年度; 现行有效 = last year's + 制发 -
废止) except one planted cross-year break (CROSSYEAR_BREAK); section 一 states 新收, 上年结转
and 行政复议 as the tables have them.

`truth_disclosure.jsonl` holds every cell (metric id, raw text, status, value) and, for
the planted report, the equation that must fail.
"""
from __future__ import annotations

import io
import json
import random
from html import escape
from typing import Any

RESULT_ROWS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("disclosed", "（一）予以公开", ()),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("withheld", "（三）不予公开", (
        ("state_secret", "1.属于国家秘密"), ("law_prohibited", "2.其他法律行政法规禁止公开"),
        ("security_stability", "3.危及“三安全一稳定”"), ("third_party", "4.保护第三方合法权益"),
        ("internal_affairs", "5.属于三类内部事务信息"), ("process_info", "6.属于四类过程性信息"),
        ("enforcement_file", "7.属于行政执法案卷"), ("administrative_query", "8.属于行政查询事项"))),
    ("unavailable", "（四）无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"), ("needs_creation", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"))),
    ("not_processed", "（五）不予处理", (
        ("petition", "1.信访举报投诉类申请"), ("duplicate", "2.重复申请"),
        ("publication", "3.要求提供公开出版物"), ("mass_repeated", "4.无正当理由大量反复申请"),
        ("confirmation", "5.要求行政机关确认或重新出具已获取信息"))),
    ("other", "（六）其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"))),
    ("total", "（七）总计", ()),
)
COLS = ("natural_person", "business", "research", "social_welfare", "legal_service", "other_org")
APPEAL_GROUPS = ("reconsideration", "litigation.direct", "litigation.after_reconsideration")
OUTCOMES = ("upheld", "corrected", "other", "pending")
# How agencies retype labels (the 'variant' layout): official wording -> theirs.
VARIANT_LABELS = {
    "（一）予以公开": "(一)予以公开", "1.属于国家秘密": "1、国家秘密",
    "3.危及“三安全一稳定”": "3、危及\"三安全一稳定\"", "法人或其他组织": "法人或其它组织",
    "二、上年结转政府信息公开申请数量": "二、上年结转的政府信息公开申请数量",
    "四、结转下年度继续办理": "四、结转下年度继续办理的申请",
    "1.本机关不掌握相关政府信息": "1、本机关不掌握相关信息",
    "本年收费金额（单位：万元）": "本年收费金额（万元）", "6.属于四类过程性信息": "6、过程性信息",
}
# (agency id, year) -> layout; every other report is 'html'.
LAYOUTS: dict[tuple[str, int], str] = {
    ("hb-sft", 2023): "pdf", ("gd-ns-cgj", 2024): "pdf",
    ("gd-gz-sthjj", 2024): "text", ("js-sz-scjgj", 2023): "text",
    ("zj-xh-wjj", 2023): "variant", ("zj-xh-wjj", 2024): "variant", ("hb-qk-wlj", 2024): "variant",
    ("js-jn-yjglj", 2024): "planted", ("gd-ns-cgj", 2023): "hant",
    ("hb-qk-wlj", 2023): "printed",
}
# Where the 'printed' layout's page breaks fall: inside （五）不予处理 and （六）其他处理, so
# their labels land on the next page beside later sub-lines.
PRINTED_BREAKS = ("2.重复申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
PLANTED_EQUATION = "appeal_total:reconsideration"


# ---------------------------------------------------------------- figures

FIRST_YEAR = 2022          # the earliest report year the figures chain from
# (agency, year) whose 现行有效 行政规范性文件 does not follow from last year's (a real kind of
# cross-year inconsistency: a clean-up the table does not show as 废止).
CROSSYEAR_BREAK = ("hb-sft", 2024)


def figures(agency_id: str, year: int) -> dict[str, int | float]:
    """Consistent figures of one report, by metric id (seeded: same every build), and
    consistent with the agency's previous year: 上年结转 = last year's 结转下年度, 现行有效 =
    last year's + 本年制发 - 本年废止."""
    prev = figures(agency_id, year - 1) if year > FIRST_YEAR else None
    rng = random.Random(f"{agency_id}/{year}/xxgk")
    f: dict[str, int | float] = {}
    hi = {"natural_person": 60, "business": 8, "research": 1, "social_welfare": 1, "legal_service": 3,
          "other_org": 2}
    leaves = [f"result.{c}" if not subs else f"result.{c}.{s}"
              for c, _, subs in RESULT_ROWS[:-1] for s, _ in (subs or (("", ""),))]
    weights = [45 if x == "result.disclosed" else 10 if x == "result.partial" else
               18 if x == "result.unavailable.not_held" else 2 for x in leaves]
    for c in COLS:
        new = rng.randint(0 if c != "natural_person" else 3, hi[c])
        carried = rng.randint(0, 3) if c in ("natural_person", "business") else 0
        if prev is not None:
            carried = int(prev[f"carried_forward.{c}"])
        forward = rng.randint(0, min(2, new + carried))
        f[f"requests.new.{c}"], f[f"requests.carried_over.{c}"] = new, carried
        f[f"carried_forward.{c}"] = forward
        counts = dict.fromkeys(leaves, 0)
        for leaf in rng.choices(leaves, weights, k=new + carried - forward):
            counts[leaf] += 1
        for leaf, n in counts.items():
            f[f"{leaf}.{c}"] = n
        f[f"result.total.{c}"] = new + carried - forward
    for row in {k.rsplit(".", 1)[0] for k in list(f)}:
        f[f"{row}.total"] = sum(int(f[f"{row}.{c}"]) for c in COLS)
    for g in APPEAL_GROUPS:
        ns = [rng.choice((0, 0, 0, 1, 2)) for _ in OUTCOMES]
        for o, v in zip(OUTCOMES, ns):
            f[f"{g}.{o}"] = v
        f[f"{g}.total"] = sum(ns)
    f.update({"active.regulation.issued": 0, "active.regulation.repealed": 0, "active.regulation.in_force": 0,
              "active.normative_doc.issued": rng.randint(0, 9), "active.normative_doc.repealed": rng.randint(0, 3),
              "active.normative_doc.in_force": rng.randint(10, 60), "active.license.decisions": rng.randint(0, 900),
              "active.penalty.decisions": rng.randint(0, 400), "active.coercion.decisions": rng.randint(0, 30),
              "active.fees.amount": round(rng.uniform(0, 80), 2) if rng.random() < 0.5 else 0,
              "other.processing_fee": rng.choice((0, 0, 0, 40, 125))})
    if prev is not None:
        f["active.normative_doc.in_force"] = (int(prev["active.normative_doc.in_force"])
                                              + int(f["active.normative_doc.issued"]) - int(f["active.normative_doc.repealed"]))
        if (agency_id, year) == CROSSYEAR_BREAK:
            f["active.normative_doc.in_force"] = int(f["active.normative_doc.in_force"]) - 7
    return f


def _raw(v: int | float, layout: str, metric: str) -> str:
    """How the report writes a figure: zeros as '0', or (variant) as '—' / '/' / blank."""
    if layout == "variant" and v == 0:
        if metric.startswith(("reconsideration", "litigation")):
            return "—"
        if metric == "active.fees.amount":
            return "/"
        if metric.endswith((".research", ".social_welfare")):
            return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


# ---------------------------------------------------------------- tables: (text, rowspan, colspan)

Cell = tuple[str, int, int]


def _lab(text: str, layout: str) -> str:
    if layout == "hant":                        # published in Traditional characters
        from .markup import to_traditional
        return to_traditional()(text)
    return VARIANT_LABELS.get(text, text) if layout == "variant" else text


def tables(raw: dict[str, str], layout: str) -> list[list[list[Cell]]]:
    def v(m: str, span: int = 1) -> Cell:
        return raw[m], 1, span

    lab = lambda t, rs=1, cs=1: (_lab(t, layout), rs, cs)  # noqa: E731
    active: list[list[Cell]] = [
        [lab("第二十条第（一）项", 1, 4)],
        [lab("信息内容"), lab("本年制发件数"), lab("本年废止件数"), lab("现行有效件数")],
        [lab("规章")] + [v(f"active.regulation.{c}") for c in ("issued", "repealed", "in_force")],
        [lab("行政规范性文件")] + [v(f"active.normative_doc.{c}") for c in ("issued", "repealed", "in_force")],
        [lab("第二十条第（五）项", 1, 4)],
        [lab("信息内容"), lab("本年处理决定数量", 1, 3)],
        [lab("行政许可"), v("active.license.decisions", 3)],
        [lab("第二十条第（六）项", 1, 4)],
        [lab("信息内容"), lab("本年处理决定数量", 1, 3)],
        [lab("行政处罚"), v("active.penalty.decisions", 3)],
        [lab("行政强制"), v("active.coercion.decisions", 3)],
        [lab("第二十条第（八）项", 1, 4)],
        [lab("信息内容"), lab("本年收费金额（单位：万元）", 1, 3)],
        [lab("行政事业性收费"), v("active.fees.amount", 3)],
    ]
    cols = COLS + ("total",)
    vals = lambda row: [v(f"{row}.{c}") for c in cols]  # noqa: E731
    n_result = sum(max(1, len(subs)) for _, _, subs in RESULT_ROWS)
    matrix: list[list[Cell]] = [
        [lab("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), lab("申请人情况", 1, 7)],
        [lab("自然人", 2, 1), lab("法人或其他组织", 1, 5), lab("总计", 2, 1)],
        [lab("商业企业"), lab("科研机构"), lab("社会公益组织"), lab("法律服务机构"), lab("其他")],
        [lab("一、本年新收政府信息公开申请数量", 1, 3)] + vals("requests.new"),
        [lab("二、上年结转政府信息公开申请数量", 1, 3)] + vals("requests.carried_over"),
    ]
    first = True
    for cid, text, subs in RESULT_ROWS:
        head = [lab("三、本年度办理结果", n_result, 1)] if first else []
        first = False
        if not subs:
            row_id = f"result.{cid}"
            matrix.append(head + [lab(text, 1, 2)] + vals(row_id))
            continue
        for i, (sid, stext) in enumerate(subs):
            cat = [lab(text, len(subs), 1)] if i == 0 else []
            matrix.append((head if i == 0 else []) + cat + [lab(stext)] + vals(f"result.{cid}.{sid}"))
            head = []
    matrix.append([lab("四、结转下年度继续办理", 1, 3)] + vals("carried_forward"))
    outcome_labels = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    appeals: list[list[Cell]] = [
        [lab("行政复议", 1, 5), lab("行政诉讼", 1, 10)],
        [lab(t, 2, 1) for t in outcome_labels] + [lab("未经复议直接起诉", 1, 5), lab("复议后起诉", 1, 5)],
        [lab(t) for t in outcome_labels] * 2,
        [v(f"{g}.{o}") for g in APPEAL_GROUPS for o in OUTCOMES + ("total",)],
    ]
    return [active, matrix, appeals]


def _prose(agency: str, year: int, f: dict[str, Any]) -> dict[str, list[str]]:
    new = f["requests.new.total"]
    return {
        "一、总体情况": [
            f"{year}年，{agency}坚持以公开为常态、不公开为例外，围绕重点领域信息公开、依申请公开办理和"
            f"平台建设等方面扎实推进政务公开工作。全年通过门户网站主动公开各类政府信息，依法办理"
            f"政府信息公开申请{new}件，办理情况详见下表。",
            f"（二）依申请公开情况。本年度共收到政府信息公开申请{new}件，另有上年结转申请"
            f"{f['requests.carried_over.total']}件；因政府信息公开引起的行政复议{f['reconsideration.total']}件。",
            "本单位明确由办公室负责政府信息公开日常工作，配备专兼职工作人员，公开工作机制运行平稳。"],
        "五、存在的主要问题及改进情况": [
            "一是部分业务科室对主动公开范围的把握还不够精准；二是政策解读形式较为单一。下一步将加强"
            "业务培训，丰富图表、音视频等解读形式，提升公开质量。"],
        "六、其他需要报告的事项": [
            (f"本年度共收取信息处理费{f['other.processing_fee']}元。" if f.get("other.processing_fee")
             else "本年度未收取信息处理费。") + f"{year}年度本单位无其他需要报告的事项。"],
    }


SECTION_TITLES = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况")


# ---------------------------------------------------------------- renderers

def _html_table(rows: list[list[Cell]]) -> str:
    trs = []
    for r in rows:
        tds = []
        for text, rs, cs in r:
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tds.append(f"<td{attrs}>{escape(text)}</td>")
        trs.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="3" style="border-collapse:collapse">' \
           + "".join(trs) + "</table>"


def _p(text: str, strong: bool = False) -> str:
    t = escape(text, quote=False)
    return f'<p style="text-indent:2em;">{"<strong>" + t + "</strong>" if strong else t}</p>'


def html_body(prose: dict[str, list[str]], tabs: list[list[list[Cell]]], flat: bool) -> str:
    """The article body: prose sections and the three tables (flattened: one <p> per cell)."""
    out = []
    heads = list(prose)
    out.append(_p(heads[0], True))
    out += [_p(t) for t in prose[heads[0]]]
    for title, rows in zip(SECTION_TITLES, tabs):
        out.append(_p(title, True))
        if flat:
            out += [f"<p>{escape(text, quote=False)}</p>" for r in rows for text, _, _ in r]
        else:
            out.append(_html_table(rows))
    for h in heads[1:]:
        out.append(_p(h, True))
        out += [_p(t) for t in prose[h]]
    return "\n".join(out)


def _expand(rows: list[list[Cell]]) -> tuple[list[list[str]], list[tuple], int]:
    """Published rows -> a full grid (text at each merged cell's origin) and SPAN commands."""
    taken: set[tuple[int, int]] = set()
    origin: dict[tuple[int, int], str] = {}
    spans, width = [], 0
    for r, cells in enumerate(rows):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in taken:
                c += 1
            origin[(r, c)] = text
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            if rs > 1 or cs > 1:
                spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
            c += cs
            width = max(width, c)
    grid = [[origin.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return grid, spans, width


def pdf_bytes(title: str, agency: str, prose: dict[str, list[str]], tabs: list[list[list[Cell]]]) -> bytes:
    """The report as a PDF of ruled tables (merged cells as SPANs), CJK font STSong-Light."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=12)
    cell = ParagraphStyle("c", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    story: list = [Paragraph(escape(title), ParagraphStyle("t", parent=body, fontSize=15, leading=24,
                                                           alignment=1, firstLineIndent=0)), Spacer(1, 8)]
    heads = list(prose)

    def section(h: str) -> None:
        story.append(Paragraph(f"<b>{escape(h)}</b>", head))
        story.extend(Paragraph(escape(t), body) for t in prose[h])

    section(heads[0])
    widths = {4: [4.0 * cm] + [3.8 * cm] * 3, 10: [1.4 * cm, 1.6 * cm, 3.8 * cm] + [1.25 * cm] * 7,
              15: [1.04 * cm] * 15}
    for t, rows in zip(SECTION_TITLES, tabs):
        story.append(Paragraph(f"<b>{escape(t)}</b>", head))
        grid, spans, width = _expand(rows)
        data = [[Paragraph(escape(x), cell) if x else "" for x in r] for r in grid]
        tab = Table(data, colWidths=widths.get(width), repeatRows=0)
        tab.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
        story += [tab, Spacer(1, 8)]
    for h in heads[1:]:
        section(h)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.6 * cm, topMargin=2.5 * cm,
                      bottomMargin=2.5 * cm, title=title, author=agency, creator="", producer="",
                      invariant=1).build(story)
    return buf.getvalue()


def printed_pdf(title: str, agency: str, prose: dict[str, list[str]], tabs: list[list[list[Cell]]],
                break_before: tuple[str, ...] = (), ruled: bool = True) -> bytes:
    """The report as a browser prints the web page: the tables flow over pages and break
    between any two rows, inside a merged group too. A merged cell a page break cuts is
    drawn as open boxes (no rule at the page edge) and its label is printed once, where
    the middle of the whole cell falls (often on the next page, beside a later sub-line);
    every page has a running header and a '- N -' footer. `break_before`: labels of rows a
    page break must precede (as the length of the text above would have placed it)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as pdfcanvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    left, right, top, bottom = 50.0, width - 50.0, height - 60.0, 60.0
    pages: list[list[tuple]] = [[]]           # per page: drawing operations
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = top

    def wrap(text: str, chars: int) -> list[str]:
        chars = max(chars, 1)
        return [text[i:i + chars] for i in range(0, len(text), chars)] or [""]

    def para(text: str, size: float = 11, indent: bool = True) -> None:
        nonlocal y
        for line in wrap(("\u3000\u3000" if indent else "") + text, int((right - left) // size)):
            if y - size * 1.6 < bottom:
                new_page()
            y -= size * 1.6
            pages[-1].append(("text", left, y, line, size))

    para(title, 15, False)
    heads = list(prose)
    para(heads[0], 12, False)
    for t in prose[heads[0]]:
        para(t)
    widths = {4: [135.0, 120.0, 120.0, 120.0], 10: [36.0, 44.0, 149.0] + [38.0] * 7, 15: [33.0] * 15}
    size, lead = 7.0, 9.0
    for sec_title, rows in zip(SECTION_TITLES, tabs):
        para(sec_title, 12, False)
        grid, spans, ncol = _expand(rows)
        ws = widths.get(ncol, [(right - left) / ncol] * ncol)
        xs = [left + sum(ws[:i]) for i in range(ncol + 1)]
        cells = []                            # (r0, c0, rs, cs, text)
        taken: set[tuple[int, int]] = set()
        for r, published in enumerate(rows):
            c = 0
            for text, rs, cs in published:
                while (r, c) in taken:
                    c += 1
                cells.append((r, c, rs, cs, text))
                taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
                c += cs
        heights = []
        for r in range(len(grid)):
            own = [len(wrap(t, int((xs[c0 + cs] - xs[c0] - 4) // size))) for r0, c0, rs, cs, t in cells
                   if r0 == r and rs == 1]
            heights.append(max([1] + own) * lead + 6)
        place = []                            # per row: (page, y top, y bottom)
        for r, h in enumerate(heights):
            starts = [t for r0, c0, rs, cs, t in cells if r0 == r and rs == 1 and cs == 1 and t]
            if y - h < bottom or (r and any(t in break_before for t in starts)):
                new_page()
            place.append((len(pages) - 1, y, y - h))
            y -= h
        for r0, c0, rs, cs, text in cells:
            segs: dict[int, list[int]] = {}
            for r in range(r0, r0 + rs):
                segs.setdefault(place[r][0], []).append(r)
            for pg, rr in segs.items():
                y0, y1 = place[rr[0]][1], place[rr[-1]][2]
                ops = pages[pg]
                ops.append(("line", xs[c0], y0, xs[c0], y1))
                ops.append(("line", xs[c0 + cs], y0, xs[c0 + cs], y1))
                if rr[0] == r0:
                    ops.append(("line", xs[c0], y0, xs[c0 + cs], y0))
                if rr[-1] == r0 + rs - 1:
                    ops.append(("line", xs[c0], y1, xs[c0 + cs], y1))
            if not text:
                continue
            middle = sum(heights[r0:r0 + rs]) / 2           # where the whole cell's middle falls
            acc = 0.0
            for r in range(r0, r0 + rs):
                if acc + heights[r] >= middle:
                    pg, ytop = place[r][0], place[r][1] - (middle - acc)
                    break
                acc += heights[r]
            lines = wrap(text, int((xs[c0 + cs] - xs[c0] - 4) // size))
            yy = ytop + len(lines) * lead / 2 - lead + 2
            for i, line in enumerate(lines):
                pages[pg].append(("text", xs[c0] + 2, yy - i * lead, line, size))
        y -= 10
    for head in heads[1:]:
        para(head, 12, False)
        for t in prose[head]:
            para(t)
    buf = io.BytesIO()
    cv = pdfcanvas.Canvas(buf, pagesize=A4, invariant=1)
    cv.setTitle(title)
    cv.setAuthor(agency)
    for n, ops in enumerate(pages, 1):
        if n > 1:                             # running header
            cv.setFont(font, 9)
            cv.drawCentredString(width / 2, height - 35, title)
        for op in ops:
            if op[0] == "line":
                if ruled:                     # unruled: a page style that hides the borders
                    cv.setLineWidth(0.5)
                    cv.line(*op[1:])
            else:
                cv.setFont(font, op[4])
                cv.drawString(op[1], op[2], op[3])
        cv.setFont(font, 10)
        cv.drawCentredString(width / 2, 30, f"- {n} -")
        cv.showPage()
    cv.save()
    return buf.getvalue()


def docx_bytes(prose: dict[str, list[str]], tabs: list[list[list[Cell]]]) -> bytes:
    """The report as a Word file (python-docx): the same tables, merged cells merged."""
    import docx
    doc = docx.Document()
    heads = list(prose)

    def section(h: str) -> None:
        doc.add_paragraph(h)
        for t in prose[h]:
            doc.add_paragraph(t)

    section(heads[0])
    for title, rows in zip(SECTION_TITLES, tabs):
        doc.add_paragraph(title)
        grid, spans, width = _expand(rows)
        table = doc.add_table(rows=len(grid), cols=width)
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        for _, (c0, r0), (c1, r1) in spans:
            table.cell(r0, c0).merge(table.cell(r1, c1))
    for h in heads[1:]:
        section(h)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- one report

def report(agency_id: str, agency: str, year: int, title: str) -> dict[str, Any]:
    """Everything the portal publishes for one report: layout, body HTML, PDF (or None),
    and the truth rows (metric ids without the 'xxgk.' prefix are prefixed here)."""
    layout = LAYOUTS.get((agency_id, year), "html")
    f = figures(agency_id, year)
    if layout == "planted":                     # 总计 one more than its four outcomes
        f["reconsideration.total"] = int(f["reconsideration.total"]) + 1
    raw = {m: _raw(v, layout, m) for m, v in f.items()}
    tabs = tables(raw, layout)
    prose = _prose(agency, year, f)
    if layout == "hant":
        prose = {_lab(h, layout): [_lab(t, layout) for t in ts] for h, ts in prose.items()}
    pdf = pdf_bytes(title, agency, prose, tabs) if layout == "pdf" else \
        printed_pdf(title, agency, prose, tabs, PRINTED_BREAKS) if layout == "printed" else None
    body = html_body(prose, tabs, flat=layout == "text")
    truth = []
    fee = int(f.pop("other.processing_fee"))
    raw.pop("other.processing_fee")
    truth.append({"metric": "xxgk.other.processing_fee", "raw": f"信息处理费{fee}元" if fee else "未收取信息处理费",
                  "status": "number", "value": float(fee), "unit": "元"})
    for m, r in sorted(raw.items()):
        status = "number" if r not in ("", "—", "/") else ("blank" if r == "" else "dash")
        truth.append({"metric": f"xxgk.{m}", "raw": r, "status": status,
                      "value": float(f[m]) if status == "number" else None,
                      "unit": "万元" if m == "active.fees.amount" else "件"})
    return {"layout": layout, "body": body, "pdf": pdf, "truth": truth,
            "planted": PLANTED_EQUATION if layout == "planted" else ""}


PDF_COVER = "现将{title}全文予以公开，详见附件。"


def build(site, art) -> None:  # noqa: ANN001 (generator.Site, generator.Article)
    """Publish one report in its agency's column (the generator's decoy slot 'xxgk')."""
    from . import pages
    from .content import DECOYS
    a, year = art.agency, art.decoy_year
    title = DECOYS["xxgk"][0].format(a=a.agency, y=year, y1=year + 1)
    rep = report(a.id, a.agency, year, title)
    attachments = []
    body = rep["body"]
    if rep["pdf"] is not None:
        site.add(art.pdf_url, rep["pdf"], art.pub)
        attachments.append(("./" + art.pdf_url.rsplit("/", 1)[1], f"{title}.pdf"))
        body = _p(PDF_COVER.format(title=f"《{title}》"))
    site.add_html(art.url, pages.article_page(a, title, art.pub, body, attachments), a.charset, art.pub)
    base = {"source_id": a.id, "agency": a.agency, "province": a.province, "province_code": a.province_code,
            "report_year": year, "url": art.url, "layout": rep["layout"], "planted": rep["planted"]}
    TRUTH.setdefault(id(site), []).extend({**base, **t} for t in rep["truth"])


TRUTH: dict[int, list[dict[str, Any]]] = {}
TRUTH_FILE = "truth_disclosure.jsonl"


def finish(site) -> None:  # noqa: ANN001
    """Add the truth file of every report built for this site."""
    rows = TRUTH.pop(id(site), [])
    site.add("/" + TRUTH_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))
