"""Extractor behaviour on invented report sentences (figures only borrowed from real ones)."""
from __future__ import annotations

import re
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extract import EXTRACTOR_VERSION, catalog, extract_facts
from etl.extract.vocabulary import categories
from etl.records import Fact

CATEGORIES = set(categories())           # the one list: etl/catalog.yaml


def facts(text: str) -> list[Fact]:
    return extract_facts(text, "doc")


def one(text: str) -> Fact:
    fs = facts(text)
    assert len(fs) == 1, [(f.quote, f.value, f.unit) for f in fs]
    return fs[0]


def vu(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in facts(text)]


# ------------------------------------------------------------------ number forms

@pytest.mark.parametrize("text, value, unit", [
    ("本年度开展联合巡查46次。", 46, "次"),
    ("本年度开展联合巡查４６次。", 46, "次"),
    ("共检查各类场所12,480家次。", 12480, "家次"),
    ("全年组织专题培训三次。", 3, "次"),
    ("举办普法讲座十余场。", 10, "场"),
    ("培训基层干部百余人次。", 100, "人次"),
    ("发放手册两千册。", 2000, "册"),
    ("覆盖商户1.2万家次。", 12000, "家次"),
    ("收缴罚款230余万元。", 2300000, "元"),
    ("门户网站访问量4.5亿次。", 450000000, "次"),
    ("挽回损失3.6亿元。", 360000000, "元"),
    ("网站累计访问量达88.6万。", 886000, ""),
    ("办件时长缩短百分之三十。", 30, "%"),
    ("全程网办率提高2.5个百分点。", 2.5, "个百分点"),
    ("审批时限压缩至5个工作日。", 5, "个工作日"),
    ("本年度发生安全事故0起。", 0, "起"),
])
def test_number_forms(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


def test_ranges_keep_the_lower_bound() -> None:
    f = one("每季度开展督查，全年督查3-5轮。")
    assert (f.value, f.unit, f.qualifier, f.quote) == (3, "轮", "at_least", "3-5轮")
    f = one("组织专项行动三至五场。")
    assert (f.value, f.unit, f.quote) == (3, "场", "三至五场")


def test_per_capita_wan_is_not_a_multiplier() -> None:
    assert vu("本市万人律师拥有量6.2名。") == [(6.2, "名")]


# ------------------------------------------------------------------ qualifiers

@pytest.mark.parametrize("text, qualifier", [
    ("开展检查70余次。", "more_than"),
    ("开展检查70多次。", "more_than"),
    ("开展检查超过70次。", "more_than"),
    ("开展检查逾70次。", "more_than"),
    ("开展检查超70次。", "more_than"),
    ("开展检查近70次。", "approx"),
    ("开展检查约70次。", "approx"),
    ("开展检查70次左右。", "approx"),
    ("开展检查70次以上。", "at_least"),
    ("开展检查不少于70次。", "at_least"),
    ("开展检查不足70次。", "at_most"),
    ("开展检查不到70次。", "at_most"),
    ("办结率95%以下。", "at_most"),
    ("累计开展检查70次。", "exact"),
    ("全年共开展检查达70次。", "exact"),
    ("约办理5万余件。", "more_than"),        # 余 outranks 约
])
def test_qualifiers(text: str, qualifier: str) -> None:
    assert one(text).qualifier == qualifier


def test_an_average_is_not_a_shared_value() -> None:
    f = one("办理时限和审查时限平均3天。")
    assert (f.value, f.unit, f.quote) == (3, "天", "3天")


def test_qualifier_words_are_part_of_the_quote() -> None:
    f = one("全年举办培训不少于12期。")
    assert f.quote == "不少于12期"
    assert f.value == 12


# ------------------------------------------------------------------ not statistics

@pytest.mark.parametrize("text", [
    "2023年，我局法治建设取得进展。",                           # years
    "于2024年3月15日召开会议。",                                # dates
    "开展12.4宪法日和4·23读书日活动。",                           # dotted dates
    "落实2021—2025年规划和2022-2023年度计划。",                   # year ranges
    "入选第四批示范单位，召开第六次会议。",                       # ordinals
    "一是健全机制，二是强化监督。",                               # enumerations
    "印发实施方案（区政发〔2024〕3号）。",                         # document numbers
    "索引号：11010500-2024-00012。",                              # index numbers
    "上线4.0版系统，推行1+N模式，畅通12345平台，建成5G基站，开发H5页面。",  # codes/versions
    "咨询电话：0571-87654321。",                                  # phone
    "地址：人民路88号。",                                          # address
    "报告从七个方面总结成效。",                                    # structural count
    "落实三项制度，推进八大行动，三类人员全覆盖。",                 # slogans
    "坚持一把手负总责，落实一岗双责，推进法律七进。",                # idioms
    "落实“三个加强”和“两个维护”要求。",                            # quoted slogans
    "执行《法治政府建设实施纲要（2021-2025年）》。",                 # titles
    "完成每千人5批次抽检任务，打造15分钟服务圈。",                   # norms
    "获评5A级景区，PM2.5浓度下降。",                                # grades and names
    "学习贯彻党的二十大和二十届三中全会精神，落实十四五规划。",      # congresses and plans
    "荣获一等奖，建成二级馆。",                                     # ranks
    "千方百计推进，万无一失保障，全区数十次会商。",                   # words with numerals
    "浏览次数：356次 发布时间：2024年2月1日 点击：120次。",           # page chrome
    "考核排名进入前10名。",                                          # rank
    "本报告共三部分。",                                              # report structure
])
def test_non_statistics_are_not_emitted(text: str) -> None:
    assert facts(text) == []


def test_number_cut_off_by_the_end_of_text_is_dropped() -> None:
    assert vu("办理时限由20个工作日压减至3个") == [(20, "个工作日")]
    assert vu("共受理案件170.") == []


# ------------------------------------------------------------------ attribution

@pytest.mark.parametrize("text, category", [
    ("本年度开展联合检查46次。", "enforcement_inspections"),
    ("共出动执法人员3200人次。", "enforcement_personnel"),
    ("检查娱乐场所1560家次。", "units_inspected"),
    ("排查整改安全隐患87处。", "hazards_found"),
    ("立案查处违法案件35件。", "cases_handled"),
    ("罚没款合计12.5万元。", "penalties_amount"),
    ("办理审批事项1820件。", "approvals"),
    ("梳理权责清单事项960项。", "power_list_items"),
    ("即办件占比提升，全程网办率达到96%。", "service_efficiency"),
    ("审核规范性文件22件。", "normative_documents"),
    ("局党组会专题研究法治工作5次。", "leadership_meetings"),
    ("举办执法培训班8期。", "trainings_held"),
    ("参训人员达460人次。", "training_participants"),
    ("开展普法宣传活动36场。", "publicity_events"),
    ("发放宣传资料8000余份。", "publicity_materials"),
    ("接待群众咨询2600人次。", "publicity_reach"),
    ("主动公开政府信息420条。", "information_disclosure"),
    ("办理投诉举报件1350件。", "complaints_handled"),
    ("办理行政复议案件14件。", "reconsideration_litigation"),
    ("办理人大代表建议23件。", "proposals_handled"),
    ("完成备案培训机构42家。", "venues_registered"),
    ("建成城市书房12个。", "public_service"),
    ("组建执法队伍3支。", "organization"),
    ("群众满意率达99%。", "rate_pct"),
    ("推出改革举措75项。", "other"),
])
def test_categories(text: str, category: str) -> None:
    f = one(text)
    assert f.category == category
    assert f.category in CATEGORIES


def test_subject_is_the_clause_before_the_number() -> None:
    f = one("全年累计出动执法人员8800余人次。")
    assert f.subject == "出动执法人员"
    f = one("全区已建成159个社区文化服务中心。")
    assert f.subject.endswith("社区文化服务中心")
    assert f.category == "public_service"


def test_meeting_body_outranks_the_study_it_held() -> None:
    assert one("区政府常务会议会前学法9次。").category == "leadership_meetings"
    assert one("组织干部职工开展学法活动9次。").category == "trainings_held"


def test_nearest_keyword_decides() -> None:
    f = one("举办安全生产、消防等法治宣传活动15场。")
    assert f.category == "publicity_events"


def test_shared_value_gives_one_fact_per_subject() -> None:
    fs = facts("热线工单的响应率、办结率和满意率均为100%。")
    assert [f.subject[-3:] for f in fs] == ["响应率", "办结率", "满意率"]
    assert [f.category for f in fs] == ["rate_pct"] * 3
    assert {(f.value, f.unit, f.quote) for f in fs} == {(100, "%", "均为100%")}


def test_breakdown_parts_point_to_their_total() -> None:
    fs = facts("全年共受理行政许可申请204件，其中当场办结30件、承诺办结174件。")
    assert [(f.value, f.part_of) for f in fs] == [(204, None), (30, 0), (174, 0)]
    assert {f.category for f in fs} == {"approvals"}


def test_breakdown_parts_without_keywords_inherit_the_total_metric() -> None:
    fs = facts("现有依申请事项35项，其中行政许可20项、其他事项15项。")
    assert [f.part_of for f in fs] == [None, 0, 0]
    assert len({f.metric for f in fs}) == 1


def test_respectively_assigns_subjects_in_order() -> None:
    fs = facts("人大代表建议、政协提案分别为26件、31件。")
    assert [(f.subject, f.value, f.category) for f in fs] == [
        ("人大代表建议", 26, "proposals_handled"), ("政协提案", 31, "proposals_handled")]


def test_second_counter_of_one_subject_shares_it() -> None:
    fs = facts("接待来访群众86批次310人次。")
    assert [f.subject for f in fs] == ["接待来访群众"] * 2


def test_breakdown_across_a_full_stop() -> None:
    fs = facts("全年办理案件60件。其中，简易程序案件25件。")
    assert [f.part_of for f in fs] == [None, 0]


def test_year_on_year_change_follows_its_metric() -> None:
    fs = facts("办理营业性演出审批320件，同比增长12.5%。")
    assert [f.category for f in fs] == ["approvals", "approvals_change_pct"]
    fs = facts("新设市场主体1.5万户，同比增长8.1%。")
    assert [f.category for f in fs] == ["venues_registered", "rate_pct"]


def test_other_facts_are_kept() -> None:
    f = one("全年引进重点项目27个。")
    assert (f.metric, f.category) == ("other", "other")


# ------------------------------------------------------------------ tables

def test_table_units_from_headers_and_subjects_from_labels() -> None:
    text = ("附表\n"
            "领域\t立案数（件）\t罚没款（万元）\t同比\n"
            "文化市场\t120\t35.6\t12.5%\n"
            "旅游市场\t80\t1.4\t-3%\n"
            "合计\t200\t37\t\n"
            "以上数据截至年底。")
    fs = facts(text)
    got = [(f.subject, f.value, f.unit, f.category) for f in fs]
    assert ("文化市场立案数", 120, "件", "cases_handled") in got
    assert ("文化市场罚没款", 356000, "元", "penalties_amount") in got
    assert ("旅游市场同比", -3, "%", "rate_pct") in got
    total = next(i for i, f in enumerate(fs) if f.subject == "合计立案数")
    assert fs[next(i for i, f in enumerate(fs) if f.subject == "文化市场立案数")].part_of == total
    for f in fs:
        assert text[f.start:f.end] == f.quote


def test_table_unit_from_row_label() -> None:
    text = "指标\t2023年\t2024年\n受理投诉举报（件）\t310\t290\n"
    fs = facts(text + "完。")
    assert [(f.value, f.unit, f.category) for f in fs] == [
        (310, "件", "complaints_handled"), (290, "件", "complaints_handled")]


# ------------------------------------------------------------------ Traditional text

def test_traditional_text_keeps_quotes_and_offsets() -> None:
    text = "本年度共完成審批事項1,820件，其中營業性演出審批６８４件，同比增長１２．５％。"
    fs = facts(text)
    assert [(f.value, f.unit) for f in fs] == [(1820, "件"), (684, "件"), (12.5, "%")]
    assert [f.quote for f in fs] == ["1,820件", "６８４件", "１２．５％"]
    assert fs[0].subject == "完成審批事項"
    assert fs[1].part_of == 0
    assert fs[2].category == "approvals_change_pct"
    for f in fs:
        assert text[f.start:f.end] == f.quote
        assert f.quote in f.sentence


# ------------------------------------------------------------------ keyword priorities and counters

@pytest.mark.parametrize("text, category", [
    # the bare noun 事项 yields to the specific word
    ("合法性审核各类涉企事项260余件。", "normative_documents"),
    ("办理群众信访事项73件。", "complaints_handled"),
    ("办理各类事项1.5万件。", "approvals"),
    ("公布依申请事项310项。", "power_list_items"),
    ("审核法律文书等事项45项。", "normative_documents"),
    # approvals counted in 份
    ("审批建设项目报告表830份。", "approvals"),
    # share words yield to the service measure they qualify; other shares stay rate_pct
    ("承诺件中即办件占比为72%。", "service_efficiency"),
    ("涉企事项网上办理比例达88%。", "service_efficiency"),
    ("基层执法人员中本科学历占比达64%。", "rate_pct"),
    ("企业电子证照关联率为97%。", "service_efficiency"),
    # waived or reduced fines are not fines collected
    ("对轻微违法主体免予处罚，涉及金额约320万元。", "other"),
    ("为个体工商户减免罚款46万元。", "other"),
    ("全年收缴罚没款186万元。", "penalties_amount"),
    # cases counted as articles are publicity materials
    ("在门户网站刊登以案释法典型案例32篇。", "publicity_materials"),
    ("编印行政执法典型案例15个。", "other"),
    # people hired or cultivated are organization; trainees are training participants
    ("选聘行政执法社会监督员40名。", "organization"),
    ("培育乡村法治带头人1800名。", "organization"),
    ("全市现有在编执法人员2100名。", "organization"),
    ("分批轮训基层执法人员1500余名。", "training_participants"),
    # businesses reached by a service campaign
    ("开展涉企法律服务，服务企业1300余家。", "publicity_reach"),
    # corrected violations counted in 宗 are hazards found; cases filed stay cases
    ("劝导纠正流动摊贩等行为8200宗。", "hazards_found"),
    ("排查消防安全问题610宗。", "hazards_found"),
    ("立案查处各类违法行为740宗。", "cases_handled"),
    # tickets and petitions outrank dispute words; a hotline alone is only a channel
    ("调处物业纠纷投诉和热线工单2300件。", "complaints_handled"),
    ("办理涉法涉诉信访案件96件。", "complaints_handled"),
    ("通过12348热线解答法律咨询9100人次。", "publicity_reach"),
    ("调解邻里纠纷案件580件。", "other"),
])
def test_keyword_priorities(text: str, category: str) -> None:
    assert one(text).category == category


def test_approvals_in_fen_carry_their_year_on_year_change() -> None:
    fs = facts("审批排污许可申请2400份，同比增长9.5%。")
    assert [(f.value, f.unit, f.category) for f in fs] == [
        (2400, "份", "approvals"), (9.5, "%", "approvals_change_pct")]


@pytest.mark.parametrize("text, value, unit", [
    ("查验进出港船舶3100艘次。", 3100, "艘次"),
    ("抽检营运客车约2.4万辆次。", 24000, "辆次"),
    ("检测特种设备870台次。", 870, "台次"),
    ("保障定制公交680趟次。", 680, "趟次"),
])
def test_compound_vehicle_counters(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


def test_keyword_priority_overrides_the_metric_priority() -> None:
    m = catalog()["metrics"]
    assert m["approvals_processed"]["keyword_priority"]["事项"] == -1
    assert "事项" in m["approvals_processed"]["keywords"]
    assert m["complaints_handled"]["keyword_priority"]["工单"] == 1


# ------------------------------------------------------------------ records and catalog

def test_fact_fields() -> None:
    f = one("全年开展联合检查46次。")
    assert f.doc == "doc" and f.extractor_version == EXTRACTOR_VERSION
    assert f.sentence == "全年开展联合检查46次。"
    assert isinstance(f.value, float)


def test_catalog_metrics_are_well_formed() -> None:
    metrics = catalog()["metrics"]
    assert metrics
    for mid, m in metrics.items():
        assert m["category"] in CATEGORIES, mid
        lo, hi = m["range"]
        assert lo <= hi
        assert all(not re.search(r"[\u7e41-\u7e9f]", k) for k in m["keywords"])  # Simplified
    assert catalog() is catalog()                      # cached


def test_every_emitted_metric_is_in_the_catalog() -> None:
    text = ("全年开展联合检查46次，出动执法人员3200人次，检查娱乐场所1560家次，"
            "发放宣传资料8000余份，群众满意率达99%，推出改革举措75项。")
    ids = set(catalog()["metrics"]) | {"other"}
    assert {f.metric for f in facts(text)} <= ids


# ------------------------------------------------------------------ properties

def to_chinese_small(n: int) -> str:
    d = "零一二三四五六七八九"
    if n == 2:
        return "两"                     # counting form: 两次, never 二次
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    if n < 100:
        return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + d[rest] if rest < 10 else d[rest // 10] + "十" + (d[rest % 10] if rest % 10 else ""))
    return d[hundreds] + "百" + tail


FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def written_numbers(draw) -> tuple[str, float, str]:
    """(token, value, qualifier) in one of the supported written forms."""
    form = draw(st.sampled_from(["arabic", "fullwidth", "thousands", "chinese", "wan", "yi", "more"]))
    n = draw(st.integers(min_value=2, max_value=999))
    if form == "arabic":
        return str(n), n, "exact"
    if form == "fullwidth":
        return str(n).translate(FULL), n, "exact"
    if form == "thousands":
        big = draw(st.integers(min_value=1000, max_value=9_999_999))
        return f"{big:,}", big, "exact"
    if form == "chinese":
        return to_chinese_small(n), n, "exact"
    if form == "wan":
        return f"{n / 10}万", n * 1000, "exact"
    if form == "yi":
        return f"{n}亿", n * 10 ** 8, "exact"
    return f"{n}{draw(st.sampled_from(['余', '多']))}", n, "more_than"


@given(written_numbers(), st.sampled_from(["次", "人次", "家次", "件", "场", "项"]))
def test_any_written_number_round_trips(written: tuple[str, float, str], unit: str) -> None:
    token, value, qualifier = written
    text = f"全年开展联合检查{token}{unit}，成效明显。"
    f = one(text)
    assert f.value == pytest.approx(value)
    assert (f.unit, f.qualifier) == (unit, qualifier)
    assert text[f.start:f.end] == f.quote


report_chars = st.sampled_from(list("检查开展共计累计其中余多约近超过以上以下左右达均为第年月日号、，。；：（）“”《》\t\n ")
                               + list("0123456789０１２３４５６７８９.%％,万亿")
                               + list("一二两三四五六七八九十百千零")
                               + ["次", "人次", "家次", "件", "个", "项", "元", "个工作日", "個", "萬", "檢查"])


@settings(max_examples=300)
@given(st.lists(report_chars, max_size=80).map("".join))
def test_random_text_never_crashes_and_offsets_hold(text: str) -> None:
    fs = facts(text)
    for f in fs:
        assert text[f.start:f.end] == f.quote
        assert f.category in CATEGORIES
        assert f.part_of is None or 0 <= f.part_of < len(fs)


@settings(max_examples=100)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    for f in facts(text):
        assert text[f.start:f.end] == f.quote


# ------------------------------------------------------------------ departments beyond culture and markets

@pytest.mark.parametrize("text, value, unit", [
    ("恢复耕地86.4公顷。", 86.4, "公顷"),
    ("清运建筑垃圾2.3万立方米。", 23000, "立方米"),
    ("整治区域面积3.6平方千米。", 3.6, "平方千米"),
    ("查获假药800余盒。", 800, "盒"),
    ("种植苗木1.2万株。", 12000, "株"),
    ("扣押病死生猪45头。", 45, "头"),
    ("热线接听来电1.08万通。", 10800, "通"),
])
def test_area_volume_and_goods_counters(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


def test_tong_is_a_counter_only_for_calls() -> None:
    assert vu("推动12项高频事项跨省通办。") == [(12, "项")]
    assert vu("全年共5通报批评。") == []


@pytest.mark.parametrize("text, value, unit", [
    ("受益群众上千人次。", 1000, "人次"),
    ("发放普法读本上万册。", 10000, "册"),
    ("接待来访上百批次。", 100, "批次"),
])
def test_shang_before_a_magnitude_is_at_least(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit, f.qualifier) == (value, unit, "at_least")
    assert f.quote.startswith("上")


def test_shang_in_online_words_is_not_a_count() -> None:
    assert facts("线上万人同步观看直播。") == []


def test_percent_written_as_baifenzhibai() -> None:
    f = one("执法人员持证率达百分之百。")
    assert (f.value, f.unit, f.category) == (100, "%", "rate_pct")


@pytest.mark.parametrize("text", [
    "对违法企业处货值金额1倍以上3倍以下罚款。",          # the legal rule applied
    "处违规金额0.5倍至2倍罚款。",
    "提供7×24小时自助服务，全年365天不打烊。",             # opening hours
    "推行24小时政务服务。",
    "组建3至5人的执法小组。",                              # a description, not a count
])
def test_norms_and_descriptions_are_not_statistics(text: str) -> None:
    assert facts(text) == []


def test_a_class_bound_before_de_is_not_a_count() -> None:
    assert vu("罚款在5万元以上的案件12件。") == [(12, "件")]
    f = one("95%以上的事项实现网上办。")                     # a share stays a statistic
    assert (f.value, f.qualifier) == (95, "at_least")


def test_a_day_count_of_service_is_kept() -> None:
    f = one("抵押登记压缩至24小时。")
    assert (f.value, f.unit, f.category) == (24, "小时", "service_efficiency")


def test_multiple_as_year_on_year_change() -> None:
    fs = facts("办理环境违法案件86件，同比增长1.5倍。")
    assert [(f.value, f.unit, f.category) for f in fs] == [(86, "件", "cases_handled"), (1.5, "倍", "rate_pct")]


def test_a_list_of_changes_shares_the_change_context() -> None:
    fs = facts("受理来信来访320批次980人次，同比分别下降8.2%和11.6%。")
    assert [f.category for f in fs] == ["complaints_handled", "complaints_handled", "rate_pct", "rate_pct"]


def test_masked_words_hide_false_keywords() -> None:
    assert one("设立公共法律服务工作站12个。").category != "normative_documents"
    assert one("审查立法项目5件。").category == "normative_documents"


@pytest.mark.parametrize("text, categories", [
    ("受理行政复议案件50件，其中办结45件。", ["reconsideration_litigation"] * 2),
    ("共受理信访件120件，其中办结118件。", ["complaints_handled"] * 2),
    ("受理劳动争议仲裁案件800件，其中结案760件。", ["other"] * 2),
    ("办理案件300件，其中行政复议案件12件。", ["cases_handled", "reconsideration_litigation"]),
])
def test_parts_keep_the_kind_named_by_a_stronger_total(text: str, categories: list[str]) -> None:
    fs = facts(text)
    assert [f.category for f in fs] == categories
    assert fs[1].part_of == 0


@pytest.mark.parametrize("text, category", [
    ("立案查处违法违规行为37起。", "cases_handled"),
    ("排查违法违规问题56个。", "hazards_found"),
    ("抽查物业服务项目62个。", "units_inspected"),
    ("核查违法用地图斑218宗。", "hazards_found"),
    ("拆除违章建筑120处。", "hazards_found"),
    ("核发建设工程规划许可证143件。", "approvals"),
    ("抵押登记实现1小时办结。", "service_efficiency"),
    ("社保卡补办平均用时不到1个工作日。", "service_efficiency"),
    ("联合开展打击非法采矿行动6轮。", "enforcement_inspections"),
    ("网上办税率达87%。", "service_efficiency"),
    ("110接处警31.6万起。", "complaints_handled"),
    ("收到欺诈骗保举报线索17条。", "complaints_handled"),
    ("组成联合检查组4个。", "organization"),
    ("全县共有人民调解委员会256个。", "organization"),
    ("本单位共有工作人员128人。", "organization"),
    ("组织工作人员参加培训128人。", "training_participants"),
    ("受理劳动人事争议仲裁案件4300件。", "other"),
    ("12348热线解答咨询1.08万通。", "publicity_reach"),
])
def test_department_wording(text: str, category: str) -> None:
    assert one(text).category == category


# ------------------------------------------------------------------ more departments (round 3)

def test_thousands_separator_does_not_end_the_clause() -> None:
    f = one("全区1,832项政务服务事项实现网上可办。")
    assert (f.value, f.category) == (1832, "service_efficiency")   # items made online: service speed
    assert "政务服务事项" in f.subject
    f = one("全县2,400余名干部参加网上学法考试。")
    assert f.category == "training_participants"


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("组织法治讲座十几场。", 10, "场", "more_than"),
    ("处理投诉二十几件。", 20, "件", "more_than"),
    ("筹集资金十几万元。", 100000, "元", "more_than"),
    ("发放宣传册2千余册。", 2000, "册", "more_than"),
    ("参演人员约6千人。", 6000, "人", "approx"),
    ("投入资金5千万元。", 50000000, "元", "exact"),
    ("查获假冒化肥5千克。", 5, "千克", "exact"),
    ("实际利用外资3.2亿美元。", 320000000, "美元", "exact"),
    ("实现境外投资850万港元。", 8500000, "港元", "exact"),
])
def test_ji_qian_and_foreign_currency(text: str, value: float, unit: str, qualifier: str) -> None:
    f = one(text)
    assert (f.value, f.unit, f.qualifier) == (value, unit, qualifier)


def test_couples_are_counted_in_dui() -> None:
    assert vu("办理结婚登记6,120对、离婚登记1,580对。") == [(6120, "对"), (1580, "对")]
    assert vu("为300对新人颁证。") == [(300, "对")]


@pytest.mark.parametrize("text", [
    "开展1对1帮扶。",                                   # one-to-one, not a count of couples
    "通过12345对群众诉求快速响应。",                     # 对 as "towards"
    "几十家企业参与。",                                  # vague 几十 stays dropped
    "均经过公众参与、专家论证等五个法定程序。",            # the legal steps, not a count
])
def test_more_non_statistics(text: str) -> None:
    assert facts(text) == []


@pytest.mark.parametrize("text, category", [
    ("提出审计建议88条。", "other"),
    ("提出法律意见和建议160余条。", "normative_documents"),
    ("承办人大代表建议45件。", "proposals_handled"),
    ("举办全民健身赛事活动60余场次。", "public_service"),
    ("年检社会组织530家。", "units_inspected"),
    ("全年巡河1,200余次。", "enforcement_inspections"),
    ("检出不合格样品45批次。", "hazards_found"),
    ("实有经营主体累计达6.1万户。", "venues_registered"),
    ("2100户经营主体纳入信用白名单。", "other"),
    ("局内设机构9个。", "organization"),
    ("开展执法技能比武两次。", "trainings_held"),
    ("开展应急演练80余次。", "trainings_held"),
    ("参演人员约3千人。", "training_participants"),
    ("区长带头讲法治课2次。", "trainings_held"),
    ("适用查封扣押17件。", "cases_handled"),
    ("发布价格监测信息260期。", "information_disclosure"),
    ("审批建设项目环评文件210个。", "approvals"),
    ("核发排污许可证140张。", "approvals"),
    ("梳理审批事项56个。", "power_list_items"),
])
def test_department_wording_round_three(text: str, category: str) -> None:
    assert one(text).category == category


def test_weak_processing_verb_takes_the_kind_named_before_it() -> None:
    fs = facts("收到行政复议申请120件，受理104件，审结98件。")
    assert [f.category for f in fs] == ["reconsideration_litigation"] * 3
    fs = facts("收到群众投诉300件，受理290件。")
    assert [f.category for f in fs] == ["complaints_handled"] * 2
    assert one("受理教师资格认定申请1,200件。").category == "approvals"


def test_towards_list_keeps_the_verb_after_the_list_comma() -> None:
    fs = facts("对全县96家养老机构开展消防、食品安全专项检查3轮。")
    assert [(f.value, f.unit, f.category) for f in fs] == [
        (96, "家", "units_inspected"), (3, "轮", "enforcement_inspections")]


def test_number_parser_reads_qian_and_ji() -> None:
    from etl.numbers import parse_number
    assert parse_number("2千") == 2000
    assert parse_number("1.5千万") == 15000000
    assert parse_number("十几") == 10
    assert parse_number("二十几万") == 200000
    assert parse_number("3几") is None


# ------------------------------------------------------------------ parser-delivered text (1.4.0)

@pytest.mark.parametrize("text, value, unit", [
    ("全年辦理處罰案件1526\n件，", 1526, "件"),              # PDF break between number and counter
    ("全年办理处罚案件 1526 件，", 1526, "件"),               # spaced by the text extractor
    ("检查生产经营单位2\n,318家次。", 2318, "家次"),         # break inside the thousands groups
    ("罚没款共计\n86.4萬元。", 864000, "元"),
    ("即办件占比63\n%。", 63, "%"),
])
def test_broken_number_and_counter(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.value, f.unit) == (value, unit)


def test_line_break_does_not_glue_numbers() -> None:
    assert vu("会议共有代表46\n2023年12月召开。") == []
    assert vu("第 3 次会议审议通过。") == []


def test_soft_line_break_keeps_subject() -> None:
    f = one("本年度深入推进安全生产领域排查工作，发现隐患\n415處，已整改完毕。")
    assert f.category == "hazards_found" and "\n" not in f.subject


def test_heading_line_is_not_joined() -> None:
    fs = facts("一、執法檢查情況\n開展專項行動12次。")
    assert [(f.value, f.category) for f in fs] == [(12, "enforcement_inspections")]


def test_table_serial_column_and_unit_column() -> None:
    text = ("序號\t單位\t立案數量（件）\t罰沒金額(萬元)\n1\t市場監管局\t326\t45.6\n"
            "合計\t\t326\t45.6\n\n項目\t數量\t單位\n主動公開信息\t3418\t條\n")
    fs = facts(text)
    assert [(f.value, f.unit) for f in fs] == [(326, "件"), (456000, "元"), (326, "件"),
                                               (456000, "元"), (3418, "条")]
    assert fs[0].subject.startswith("市場監管局") and fs[0].part_of == 2
    assert fs[4].category == "information_disclosure"


@pytest.mark.parametrize("text, subject", [
    ("（1）组织旁听庭审4次。", "组织旁听庭审"),
    ("1. 开展普法活动56场。", "开展普法活动"),
    ("① 推送普法短视频132条；", "推送普法短视频"),
])
def test_bullet_numbering_not_in_subject(text: str, subject: str) -> None:
    assert one(text).subject == subject


def test_shorter_keyword_when_longest_rejects_unit() -> None:
    fs = facts("组织旁听庭审4次，参加人员320人。")
    assert [f.category for f in fs] == ["trainings_held", "training_participants"]


def test_traditional_categories() -> None:
    fs = facts("審批營業性演出152項，同比增長12.6%。信訪事項辦理1,093件次。")
    assert [f.category for f in fs] == ["approvals", "approvals_change_pct", "complaints_handled"]


@pytest.mark.parametrize("text", [
    "每季度至少開展1次執法檢查。",
    "案件辦結率不低於90%。",
    "实行8小时工作制。",
    "确保24小时应急响应。",
])
def test_norms_are_not_statistics(text: str) -> None:
    assert facts(text) == []


def test_achieved_rate_is_kept() -> None:
    f = one("行政許可事項即辦率達95%以上。")
    assert (f.value, f.qualifier) == (95, "at_least")


# ------------------------------------------------------------------ category boundaries (1.4.1)

@pytest.mark.parametrize("text, category", [
    # a meeting body decides over the subject it studied; 党委 alone does not
    ("党组会议专题研究行政复议工作2次。", "leadership_meetings"),
    ("党委副书记出庭应诉3次。", "reconsideration_litigation"),
    ("召开全面依法治区委员会会议2次。", "leadership_meetings"),
    # a bare business noun or attribute yields to the verb counting it
    ("抽查市场主体620户。", "units_inspected"),
    ("检查持证经营的娱乐场所96家。", "units_inspected"),
    ("全区共有网吧78家。", "venues_registered"),
    ("实有市场主体1.2万户。", "venues_registered"),
    ("抽检餐饮单位480家次。", "units_inspected"),
    ("检查学校及幼儿园145所。", "units_inspected"),
    # the name of a law is the topic, not the work it governs
    ("组织新修订行政复议法专题培训2次。", "trainings_held"),
    ("开展行政处罚法宣传活动8场。", "publicity_events"),
    ("受理行政复议申请34件。", "reconsideration_litigation"),
    # 信访 as a topic yields to the nearer verb; petitions themselves stay complaints
    ("针对信访反映的问题开展联合执法6次。", "enforcement_inspections"),
    ("办理涉法涉诉信访案件96件。", "complaints_handled"),
    # bodies set up, publishing verbs and legal review decide over nearer nouns
    ("组建行政复议工作专班1个。", "organization"),
    ("主动公开规范性文件38件。", "information_disclosure"),
    ("发布政策解读文章48篇。", "information_disclosure"),
    ("审查行政执法决定法制审核案件68件。", "normative_documents"),
    ("整改问题清单事项28项。", "hazards_found"),
    # wording the catalog lacked
    ("制作宣传展板120块。", "publicity_materials"),
    ("制作普法短视频36部。", "publicity_materials"),
    ("组织法治文艺演出18场。", "publicity_events"),
    ("开展业务知识测试4次。", "trainings_held"),
    ("实施行政强制措施12件。", "cases_handled"),
    ("接收12345转办件2800余件。", "complaints_handled"),
    ("实现容缺受理事项占比达60%。", "service_efficiency"),
    ("召开政策例行吹风会6场。", "information_disclosure"),
    ("建成新时代文明实践站86个。", "public_service"),
    ("组建法律服务团队14个。", "organization"),
    ("建成智慧监管平台1个。", "other"),
])
def test_category_boundaries(text: str, category: str) -> None:
    assert one(text).category == category


def test_law_name_mask_keeps_words_starting_with_fa() -> None:
    assert one("规范制作行政复议法律文书12件。").category == "reconsideration_litigation"
    assert one("学习行政复议法12次。").category == "trainings_held"


def test_value_after_from_shares_the_measure() -> None:
    fs = facts("办理环节由5个压减至2个。")
    assert [f.category for f in fs] == ["service_efficiency"] * 2


def test_weak_verb_after_a_clause_naming_the_kind() -> None:
    assert one("办理人大代表建议和政协提案，办结18件。").category == "proposals_handled"
    assert one("深化放管服改革，全年办结12000件。").category == "approvals"
