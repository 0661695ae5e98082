"""Categories from what is counted (counted.py and the catalog's `counted` rules).

Every passage here is written for this test in the genre of the reports (none is taken from the
evaluation sets): one group per kind of disagreement the rules settle.
"""
from __future__ import annotations

import pytest

from etl.extract import extract_facts
from etl.extract.counted import counted_and_verb, load_rules_check, rules


def cat(text: str, quote_part: str) -> str:
    """The category of the fact whose quote contains `quote_part`."""
    fs = [f for f in extract_facts(text, "t") if quote_part in f.quote]
    assert fs, f"no fact with {quote_part!r} in {[f.quote for f in extract_facts(text, 't')]}"
    return fs[0].category


def fact(text: str, quote_part: str):
    return next(f for f in extract_facts(text, "t") if quote_part in f.quote)


# ------------------------------------------------------------------ the counted phrase and its verb

@pytest.mark.parametrize("pre,post,counted,verb", [
    ("全年出动执法人员", "", "执法人员", "出动"),
    ("开展专题学习", "", "专题学习", "开展"),
    ("审查", "议题", "议题", "审查"),
    ("共对", "养殖场开展抽查", "养殖场", "开展"),
])
def test_counted_phrase_and_governing_verb(pre: str, post: str, counted: str, verb: str) -> None:
    c, v, _ = counted_and_verb(pre, post)
    assert (c, v) == (counted, verb)


def test_a_verb_inside_a_compound_noun_does_not_cut_the_counted_phrase() -> None:
    f = fact("召开全县依法行政推进会2次。", "2次")
    assert f.category == "leadership_meetings"
    assert f.category_reason.startswith("counted 全县依法行政推进会, verb 召开; ")


def test_the_reason_names_what_is_counted_and_its_verb() -> None:
    f = fact("今年以来出动执法人员5600人次。", "5600")
    assert f.category == "enforcement_personnel"
    assert f.category_reason.startswith("counted 执法人员, verb 出动; ")


def test_every_rule_names_a_catalog_metric() -> None:
    assert load_rules_check() == [] and len(rules()) > 10


# ------------------------------------------------------------------ kind 1: the thing counted, not a nearby word

def test_the_predicate_after_the_object_of_dui_decides() -> None:
    # A word of an exception before 对 (吊销) is not what the number counts.
    assert cat("除已吊销许可证的门店外，全年对312家药店开展飞行检查。", "312") == "units_inspected"
    assert cat("对辖区48家加油站进行了安全排查并录入监管系统。", "48") == "units_inspected"


def test_places_the_work_covered_are_other() -> None:
    assert cat("公职律师服务实现对全县9个乡镇、2个街道全覆盖。", "9个") == "other"
    assert cat("指导14个单位权力清单完成动态调整。", "14") == "other"
    assert cat("对辖区27个村（社区）开展法治宣传全覆盖。", "27") == "other"
    assert cat("对5个街道的执法案卷开展交叉评查。", "5个") == "other"
    # The agency's own subordinate bodies stay organization.
    assert cat("局属二层单位6个均配备法律顾问。", "6个") == "organization"


def test_staff_of_others_addressed_are_not_the_agencys_organization() -> None:
    assert cat("向全县各乡镇的620名工作人员发放调查问卷。", "620") == "other"
    assert cat("本年度为15名新招录人员办理了执法证件，全局持证执法人员达到86名。", "86") == "organization"


def test_a_meeting_count_is_a_meeting_whatever_topic_it_met_on() -> None:
    text = "围绕行政复议、信访化解等重点工作召开党委会议6次。"
    assert cat(text, "6次") == "leadership_meetings"
    assert cat("全年共召开依法治镇工作会议5次。", "5次") == "leadership_meetings"
    assert cat("组织召开复议应诉工作推进会议2次。", "2次") == "leadership_meetings"


def test_registration_items_merged_are_a_convenience_reform() -> None:
    assert cat("将17个备案、登记事项合并到一张证照上办理。", "17") == "service_efficiency"
    # Businesses registered are still venues_registered.
    assert cat("新登记市场主体2300户。", "2300") == "venues_registered"


def test_businesses_taking_part_and_non_publicity_events() -> None:
    text = "举办银企对接活动40场，参与企业1200余家。"
    assert cat(text, "40场") == "other"
    assert cat("开展宪法宣传周活动12场。", "12场") == "publicity_events"
    assert cat("举办水务设施市民开放活动20场。", "20场") == "publicity_events"     # for the public


def test_guidance_to_regulated_bodies_is_other() -> None:
    assert cat("深入民办学校开展上门指导15次。", "15次") == "other"


def test_lectures_by_invited_experts_are_trainings() -> None:
    assert cat("特邀高校教授为机关干部开展法治宣讲2次。", "2次") == "trainings_held"
    assert cat("组织律师进社区开展普法宣讲30场。", "30场") == "publicity_events"


def test_services_delivered_to_firms_reach_them() -> None:
    assert cat("走访商户，现场解答涉法问题46个。", "46") == "publicity_reach"
    assert cat("为辖区60余家小微企业提供合规体检服务。", "60") == "publicity_reach"


# ------------------------------------------------------------------ kind 2: other where the rules decide

def test_unclaimed_percentages_are_rates() -> None:
    assert cat("窗口单位100%落实首问负责制。", "100%") == "rate_pct"
    assert cat("全县92%的村居配齐了专职调解员。", "92%") == "rate_pct"


def test_views_case_file_reviews_and_training_hours() -> None:
    assert cat("普法短视频累计浏览总量12万人次。", "12万") == "publicity_reach"
    assert cat("组织开展执法案卷评查3次。", "3次") == "enforcement_inspections"
    assert cat("全年完成业务培训60小时。", "60小时") == "trainings_held"


def test_completed_random_inspection_tasks_are_inspections() -> None:
    text = "完成双随机抽查市级任务85个、区级任务130个。"
    assert cat(text, "85") == "enforcement_inspections"
    assert cat(text, "130") == "enforcement_inspections"
    # A planned total of targets stays other.
    assert cat("年初确定本年度随机抽查对象计划数420家。", "420") == "other"


def test_parts_of_a_reconsideration_total_keep_its_kind() -> None:
    text = "全年受理行政复议申请96件，调解结案41件，纠错8件。"
    assert cat(text, "41") == "reconsideration_litigation"
    assert cat(text, "8件") == "reconsideration_litigation"
    assert cat("行政诉讼案件25件，已审结案件19件。", "19") == "reconsideration_litigation"


# ------------------------------------------------------------------ kind 3: leadership bodies and meetings

def test_a_body_in_the_first_object_of_a_list_does_not_spread() -> None:
    text = "组织党组理论学习中心组学习8次、青年干部集中学习5次、执法人员业务培训3次。"
    assert cat(text, "8次") == "leadership_meetings"
    assert cat(text, "5次") == "trainings_held"
    assert cat(text, "3次") == "trainings_held"


def test_a_body_as_subject_carries_but_not_past_its_own_count() -> None:
    assert cat("局党组理论学习中心组全年开展集体学法9次、交流研讨2次。", "2次") == "leadership_meetings"
    text = "全年组织局党组理论学习11次，开展读书交流研讨18次。"
    assert cat(text, "11次") == "leadership_meetings"
    assert cat(text, "18次") == "trainings_held"
    assert cat("区政府常务会议学法4次，组织全区各部门学法160场次。", "160") == "trainings_held"
    text = "局党委开展集中研讨5次，组织党员干部专题学习8次。"
    assert cat(text, "5次") == "leadership_meetings"
    assert cat(text, "8次") == "trainings_held"


# ------------------------------------------------------------------ kind 4: what a body deliberated

def test_agenda_items_instructions_and_laws_studied_are_other() -> None:
    text = "党组会议审议依法行政相关议题27个，主要负责同志作出批示15次。"
    assert cat(text, "27") == "other"
    assert cat(text, "15次") == "other"
    assert cat("县政府常务会议先后学习党内法规和法律12部。", "12部") == "other"
    assert cat("党委会研究部署法治建设工作40项。", "40项") == "other"
    assert cat("区长就依法行政工作作出批示9次。", "9次") == "other"


def test_agenda_items_reviewed_for_legality_are_documents() -> None:
    assert cat("对提交常务会议的议题开展合法性审查，审查议题35个。", "35") == "normative_documents"


def test_documents_adopted_and_publicity_handed_out() -> None:
    text = "召开依法治县委员会会议3次，审议通过文件7个。"
    assert cat(text, "3次") == "leadership_meetings"
    assert cat(text, "7个") == "normative_documents"
    assert cat("向过往群众派发普法书籍600本。", "600") == "publicity_materials"


def test_matters_a_meeting_decided_are_decisions() -> None:
    assert cat("常务会议集体讨论决定重大事项56件。", "56") == "normative_documents"


# ------------------------------------------------------------------ kind 5: complaints versus cases

def test_matters_from_a_complaint_channel_are_complaints() -> None:
    text = "依托12345政务服务便民热线接收群众反映。全年办结讨薪类纠纷案件870件，发出限期整改通知31件，作出行政处理6件。"
    assert cat(text, "870") == "complaints_handled"
    assert cat(text, "31件") == "hazards_found"
    assert cat(text, "6件") == "cases_handled"
    assert cat("经市民热线平台转办案件460件，按期办结。", "460") == "complaints_handled"
    # Legal aid given in a paragraph about the hotline is a legal service, not a complaint.
    assert cat("开通法律服务热线。全年办理法律援助案件3100件。", "3100") == "other"
    # Cases filed by enforcement stay cases.
    assert cat("立案查处违法案件52件。", "52") == "cases_handled"


def test_cut_off_list_item_takes_the_kind_of_the_list() -> None:
    text = "审核行政规范性文件9件、重大行政决策事项4件和12项重"
    assert cat(text, "12项") == "normative_documents"


def test_time_limit_with_a_bare_nei_is_at_most() -> None:
    f = fact("企业开办时限由3个工作日缩减到1个工作日内。", "1个工作日")
    assert f.qualifier == "at_most" and f.category == "service_efficiency"


# ------------------------------------------------------------------ the rules do not fire past their reach

@pytest.mark.parametrize("text,category", [
    ("召开新闻发布会8场。", "information_disclosure"),        # a meeting that publishes, not a body's
    ("对全市120家单位开展执法检查。", "units_inspected"),      # units inspected are not places covered
    ("审议通过规范性文件12件。", "normative_documents"),      # documents adopted, not agenda items
    ("组织学习宪法等法律法规12次。", "trainings_held"),        # sessions, not laws counted in 部
    ("发放学习读本500本。", "publicity_materials"),           # materials handed out, not laws studied
    ("开展送法进企业活动15场。", "publicity_events"),
    ("聘请法律顾问12名。", "organization"),
    ("全系统共有执法人员86名。", "organization"),
    ("办理行政复议案件45件，其中维持32件。", "reconsideration_litigation"),
])
def test_rules_keep_to_what_they_describe(text: str, category: str) -> None:
    assert extract_facts(text, "t")[-1].category == category
