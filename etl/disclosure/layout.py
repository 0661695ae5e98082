"""The national format of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号) as data.

Three tables carry figures:

- section 2 (主动公开政府信息情况): blocks by article of the regulation, each with a header
  row (信息内容 | 本年制发件数 | ...) and data rows (规章, 行政规范性文件, 行政许可 ...);
- section 3 (收到和处理政府信息公开申请情况): one matrix, rows = request/result lines,
  columns = kinds of applicant (自然人, five kinds of 法人或其他组织, 总计);
- section 4 (行政复议、行政诉讼情况): 15 columns, 3 groups x 5 outcomes, one data row.

Metric ids are stable: `xxgk.<row>.<column>` in section 3 (e.g.
`xxgk.requests.new.natural_person`, `xxgk.result.withheld.state_secret.total`),
`xxgk.<group>.<outcome>` in section 4 (`xxgk.reconsideration.corrected`) and
`xxgk.active.<item>.<column>` in section 2. Labels vary between agencies (punctuation,
abbreviations, the older 2019 wording), so every spec carries keywords; matching is by
normalised text first, then by position (ordinal, column order), never by exact strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

UNIT_COUNT = "件"
UNIT_AMOUNT = "万元"


@dataclass(frozen=True)
class Label:
    """A row or column of the format: id, the official wording, keywords that identify it."""
    id: str
    text: str
    keys: tuple[str, ...] = ()
    subs: tuple["Label", ...] = field(default_factory=tuple)   # sub-rows (不予公开 1..8)


def L(id: str, text: str, *keys: str, subs: tuple[Label, ...] = ()) -> Label:  # noqa: N802
    return Label(id, text, keys or (text,), subs)


# --- section 3: the request matrix -------------------------------------------------------

REQUEST_COLUMNS: tuple[Label, ...] = (
    L("natural_person", "自然人", "自然人"),
    L("business", "商业企业", "商业企业", "企业"),
    L("research", "科研机构", "科研机构", "科研"),
    L("social_welfare", "社会公益组织", "社会公益组织", "公益组织", "公益"),
    L("legal_service", "法律服务机构", "法律服务机构", "法律服务"),
    L("other_org", "其他", "其他"),
    L("total", "总计", "总计", "合计"),
)
# Column groups that are headers only (no figures of their own).
REQUEST_COLUMN_GROUPS = ("申请人情况", "法人或其他组织")

RESULT_CATEGORIES: tuple[Label, ...] = (
    L("disclosed", "予以公开", "予以公开"),
    L("partial", "部分公开", "部分公开", "区分处理"),
    L("withheld", "不予公开", "不予公开", subs=(
        L("state_secret", "属于国家秘密", "国家秘密"),
        L("law_prohibited", "其他法律行政法规禁止公开", "法律行政法规禁止", "禁止公开"),
        L("security_stability", "危及“三安全一稳定”", "三安全一稳定", "三安全"),
        L("third_party", "保护第三方合法权益", "第三方"),
        L("internal_affairs", "属于三类内部事务信息", "内部事务"),
        L("process_info", "属于四类过程性信息", "过程性信息", "过程性"),
        L("enforcement_file", "属于行政执法案卷", "执法案卷"),
        L("administrative_query", "属于行政查询事项", "行政查询", "查询事项"),
    )),
    L("unavailable", "无法提供", "无法提供", subs=(
        L("not_held", "本机关不掌握相关政府信息", "不掌握"),
        L("needs_creation", "没有现成信息需要另行制作", "另行制作", "没有现成"),
        L("unclear", "补正后申请内容仍不明确", "仍不明确", "补正后"),
    )),
    L("not_processed", "不予处理", "不予处理", subs=(
        L("petition", "信访举报投诉类申请", "信访举报投诉", "信访"),
        L("duplicate", "重复申请", "重复申请"),
        L("publication", "要求提供公开出版物", "公开出版物", "出版物"),
        L("mass_repeated", "无正当理由大量反复申请", "大量反复", "反复申请"),
        L("confirmation", "要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具"),
    )),
    L("other", "其他处理", "其他处理", subs=(
        L("no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
          "逾期不补正", "不补正"),
        L("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
          "收费通知", "缴纳费用"),
        L("other", "其他", "其他"),
    )),
    L("total", "总计", "总计", "合计"),
)

REQUEST_ROWS: tuple[Label, ...] = (
    L("requests.new", "本年新收政府信息公开申请数量", "本年新收", "新收"),
    L("requests.carried_over", "上年结转政府信息公开申请数量", "上年结转"),
    L("carried_forward", "结转下年度继续办理", "结转下年度", "下年度继续办理", "继续办理"),
)
RESULT_GROUP = L("result", "本年度办理结果", "本年度办理结果", "办理结果")

# --- section 4: reconsideration and litigation ------------------------------------------

APPEAL_OUTCOMES: tuple[Label, ...] = (
    L("upheld", "结果维持", "维持"),
    L("corrected", "结果纠正", "纠正"),
    L("other", "其他结果", "其他"),
    L("pending", "尚未审结", "尚未审结", "未审结"),
    L("total", "总计", "总计", "合计"),
)
APPEAL_GROUPS: tuple[Label, ...] = (
    L("reconsideration", "行政复议", "行政复议"),
    L("litigation.direct", "未经复议直接起诉", "直接起诉", "未经复议"),
    L("litigation.after_reconsideration", "复议后起诉", "复议后起诉", "复议后"),
)
LITIGATION = L("litigation", "行政诉讼", "行政诉讼")

# --- section 2: proactive disclosure ------------------------------------------------------

ACTIVE_ITEMS: tuple[Label, ...] = (
    L("regulation", "规章", "规章"),
    L("normative_doc", "行政规范性文件", "规范性文件"),
    L("license", "行政许可", "行政许可"),
    L("other_services", "其他对外管理服务事项", "其他对外管理服务"),
    L("penalty", "行政处罚", "行政处罚"),
    L("coercion", "行政强制", "行政强制"),
    L("fees", "行政事业性收费", "行政事业性收费", "事业性收费"),
    L("procurement", "政府集中采购", "集中采购"),
)
# Columns of the 2021 format first, then the 2019 wording some agencies still use.
ACTIVE_COLUMNS: tuple[Label, ...] = (
    L("issued", "本年制发件数", "制发"),
    L("repealed", "本年废止件数", "废止"),
    L("in_force", "现行有效件数", "现行有效"),
    L("decisions", "本年处理决定数量", "处理决定"),
    L("amount", "本年收费金额（单位：万元）", "收费金额"),
    L("made", "本年新制作数量", "新制作"),
    L("published", "本年新公开数量", "新公开"),
    L("public_total", "对外公开总数量", "公开总数"),
    L("prev_items", "上一年项目数量", "上一年项目"),
    L("change", "本年增/减", "增/减", "增减"),
    L("procurement_items", "采购项目数量", "采购项目"),
    L("procurement_amount", "采购总金额", "采购总金额"),
)
# Fixed columns when a flattened text gives no header the matcher recognises (2021 format).
ACTIVE_DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "regulation": ("issued", "repealed", "in_force"),
    "normative_doc": ("issued", "repealed", "in_force"),
    "license": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}
AMOUNT_COLUMNS = frozenset({"amount", "procurement_amount"})
SIGNED_COLUMNS = frozenset({"change"})        # 本年增/减 may be negative

# --- metric ids ---------------------------------------------------------------------------


def request_row_ids() -> list[str]:
    """Row ids of the matrix in the published order (the flattened text's order too)."""
    out = [REQUEST_ROWS[0].id, REQUEST_ROWS[1].id]
    for c in RESULT_CATEGORIES:
        if c.subs:
            out += [f"result.{c.id}.{s.id}" for s in c.subs]
        else:
            out.append(f"result.{c.id}")
    return out + [REQUEST_ROWS[2].id]


REQUEST_COLUMN_IDS: tuple[str, ...] = tuple(c.id for c in REQUEST_COLUMNS)
APPEAL_COLUMN_IDS: tuple[str, ...] = tuple(
    f"{g.id}.{o.id}" for g in APPEAL_GROUPS for o in APPEAL_OUTCOMES)


def request_metric(row: str, col: str) -> str:
    return f"xxgk.{row}.{col}"


def appeal_metric(col: str) -> str:
    return f"xxgk.{col}"


def active_metric(item: str, col: str) -> str:
    return f"xxgk.active.{item}.{col}"


def all_metric_ids() -> list[str]:
    """Every metric id of the 2021 format (for documentation and completeness checks)."""
    out = [active_metric(i, c) for i, cols in ACTIVE_DEFAULT_COLUMNS.items() for c in cols]
    out += [request_metric(r, c) for r in request_row_ids() for c in REQUEST_COLUMN_IDS]
    return out + [appeal_metric(c) for c in APPEAL_COLUMN_IDS] + [PROCESSING_FEE]


PROCESSING_FEE = "xxgk.other.processing_fee"     # 六、其他需要报告的事项: 信息处理费 (prose)


def column_label(section: str, col: str) -> str:
    """The format's wording of a column ('reconsideration.upheld' -> '行政复议 / 结果维持')."""
    if section == "requests":
        return next((c.text for c in REQUEST_COLUMNS if c.id == col), col)
    if section == "appeals":
        grp, _, out = col.rpartition(".")
        g = next((x.text for x in APPEAL_GROUPS if x.id == grp), grp)
        o = next((x.text for x in APPEAL_OUTCOMES if x.id == out), out)
        return f"{g} / {o}"
    return next((c.text for c in ACTIVE_COLUMNS if c.id == col), col)
