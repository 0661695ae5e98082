"""Attribution by clause and the close-call rules (shared/eval CATEGORIES.md), the number
misses (session numbers, 一 in lists, compound and Traditional units, at_most words), the
category_reason of every fact, and the metric dictionary. Invented sentences."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.extract import catalog, extract_facts, metric_dictionary
from etl.records import Fact

ROOT = Path(__file__).resolve().parents[1]


def facts(text: str) -> list[Fact]:
    return extract_facts(text, "doc")


def cats(text: str) -> list[tuple[str, str]]:
    return [(f.quote, f.category) for f in facts(text)]


# ------------------------------------------------------------------ shared predicates

def test_a_verb_after_a_list_decides_every_item() -> None:
    got = cats("对行政协议2份、招商合同7份、处罚决定书15份进行合法性审查。")
    assert got == [("2份", "normative_documents"), ("7份", "normative_documents"),
                   ("15份", "normative_documents")]
    assert all("合法性审查" in f.category_reason for f in facts("对行政协议2份、招商合同7份、处罚决定书15份进行合法性审查。"))


def test_items_made_online_are_service_efficiency() -> None:
    got = cats("不动产、社保、医保等领域32项、公积金领域11项和户籍领域6项实现跨省通办。")
    assert [c for _, c in got] == ["service_efficiency"] * 3


def test_a_list_without_a_shared_tail_keeps_its_own_categories() -> None:
    got = cats("出动执法人员260人次、检查酒店民宿118家次，立案查处3起。")
    assert got == [("260人次", "enforcement_personnel"), ("118家次", "units_inspected"), ("3起", "cases_handled")]


def test_parts_after_qizhong_carry_the_totals_kind() -> None:
    got = cats("收到行政复议申请共45件，其中维持28件、撤销3件、驳回6件。")
    assert [c for _, c in got] == ["reconsideration_litigation"] * 4


# ------------------------------------------------------------------ close calls

@pytest.mark.parametrize("text, category", [
    # a leadership body that met or studied, whatever the form
    ("局党组理论学习中心组开展集中学习研讨5次。", "leadership_meetings"),
    ("县政府常务会议会前学法12次。", "leadership_meetings"),
    ("落实第一议题制度，学习习近平法治思想8次。", "leadership_meetings"),
    # lectures for staff, even when a leader gives them
    ("党组书记为全体干部讲法治课2次。", "trainings_held"),
    ("局领导班子集体学法3次。", "leadership_meetings"),
    ("领导班子成员为基层执法人员讲法治课2次。", "trainings_held"),
    ("组织开展警示教育专题研讨3场。", "trainings_held"),
    # rectification orders are hazards, units punished are cases
    ("下达限期整改通知书41份。", "hazards_found"),
    ("依法查处无证经营的托育机构6家。", "cases_handled"),
    ("对首次违法且危害轻微的适用首违不罚14件。", "cases_handled"),
    # publishing is disclosure; a published list stays a list
    ("在门户网站公示行政许可决定328条。", "information_disclosure"),
    ("主动公开行政处罚决定书96件。", "information_disclosure"),
    ("公布权责清单事项3,412项。", "power_list_items"),
    # service speed beats approvals and rates
    ("全区审批服务事项即办件占比达到61.5%。", "service_efficiency"),
    ("高频事项申请材料平均精简42%。", "service_efficiency"),
    # commerce is not public service
    ("举办营业性演出47场。", "other"),
    ("审批营业性演出47场。", "approvals"),
    ("开展送文化下乡惠民演出47场。", "public_service"),
    # awards and bases, tasks in a plan
    ("获评省级法治宣传教育基地2个。", "other"),
    ("制定年度法治建设重点任务26项。", "other"),
])
def test_close_calls(text: str, category: str) -> None:
    fs = facts(text)
    assert len(fs) == 1, [(f.quote, f.category) for f in fs]
    assert fs[0].category == category, fs[0].category_reason


def test_people_of_a_training_are_participants_and_the_public_is_reach() -> None:
    got = cats("举办依法行政专题培训班2期，覆盖机关干部职工430人次；开展普法宣传进市场活动6场，覆盖商户和群众2,100人次。")
    assert got == [("2期", "trainings_held"), ("430人次", "training_participants"),
                   ("6场", "publicity_events"), ("2,100人次", "publicity_reach")]


# ------------------------------------------------------------------ numbers

def test_session_numbers_are_not_statistics() -> None:
    assert facts("认真贯彻落实市委十三届六次全会精神。") == []
    assert facts("传达学习县委四次全会精神。") == []
    assert [f.quote for f in facts("配合完成第四、五、六轮巡察整改，整改问题23个。")] == ["23个"]
    assert [f.quote for f in facts("第3、4轮督察共发现问题17个。")] == ["17个"]


def test_one_counts_only_as_a_list_item_among_counts() -> None:
    got = [(f.value, f.unit) for f in facts("举办专题讲座一场、法治沙龙一期、知识竞赛3场。")]
    assert got == [(1, "场"), (1, "期"), (3, "场")]
    assert facts("推行一件事一次办，打造一站式服务。") == []
    assert facts("实现群众办事最多跑一次、一网通办。") == []


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("开展联合执法检查6輪次。", 6, "轮次", "exact"),
    ("举办宣讲会12場次。", 12, "场次", "exact"),
    ("全市二氧化氮年均浓度为21微克每立方米。", 21, "微克每立方米", "exact"),
    ("出水化学需氧量为18毫克每升。", 18, "毫克每升", "exact"),
    ("细颗粒物年均浓度为26微克/立方米。", 26, "微克/立方米", "exact"),
    ("企业开办时间压缩至1个工作日以内。", 1, "个工作日", "at_most"),
    ("工程建设项目审批最多45个工作日。", 45, "个工作日", "at_most"),
])
def test_units_and_at_most(text: str, value: float, unit: str, qualifier: str) -> None:
    f = facts(text)
    assert [(x.value, x.unit, x.qualifier) for x in f] == [(value, unit, qualifier)]


def test_durations_are_not_statistics() -> None:
    assert [f.quote for f in facts("开展为期5天的集中整治，检查门店64家。")] == ["64家"]
    assert facts("普法宣传月活动历时两个月。") == []


# ------------------------------------------------------------------ reasons and dictionary

def test_every_fact_says_why_it_has_its_category() -> None:
    fs = facts("受理投诉举报126件，办结率98%。开展培训3期。截至目前共有87个。")
    assert all(f.category_reason for f in fs)
    assert "投诉" in fs[0].category_reason
    assert fs[-1].category == "other" and fs[-1].category_reason.endswith("-> other")


def test_metric_dictionary_covers_the_catalog() -> None:
    rows = metric_dictionary()
    assert [r["metric"] for r in rows] == list(catalog()["metrics"])
    for r in rows:
        assert set(r) == {"metric", "name_zh", "definition", "category", "units", "min_value", "max_value"}
        assert r["name_zh"] and r["definition"], r["metric"]
        assert r["min_value"] is None or r["min_value"] <= r["max_value"]
    from etl.extract.catalog import metric_dictionary as via_module   # the module path works too
    assert via_module() == rows


def test_cli_catalog_and_explain(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "etl", "catalog", "--format", "jsonl"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert {json.loads(x)["metric"] for x in out} == set(catalog()["metrics"])
    doc = tmp_path / "r.txt"
    doc.write_text("组织法律顾问审查合同18份。\n", encoding="utf-8")
    line = subprocess.run([sys.executable, "-m", "etl", "extract", str(doc), "--explain"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()
    cells = line.split("\t")
    assert cells[1] == "normative_documents"
    assert cells[-1].startswith("counted 合同, verb 审查; keyword ") and cells[-1].split("keyword ")[1][:2] in "审查合同"
    # A figure that no rule and no keyword decides is reported as unmatched, with what it counts.
    doc.write_text("截至目前共有鸽子87只。\n", encoding="utf-8")
    line = subprocess.run([sys.executable, "-m", "etl", "extract", str(doc), "--explain"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()
    assert line.split("\t")[1] == "other" and line.split("\t")[-1].startswith("unmatched: counted 鸽子")


# ------------------------------------------------------------------ context beyond the clause

def test_a_table_caption_says_what_unlabelled_cells_count() -> None:
    text = "表2 本年度行政应诉案件情况\n单位\t收案（件）\t结案（件）\n甲局\t14\t12\n乙局\t6\t6"
    assert {f.category for f in facts(text)} == {"reconsideration_litigation"}
    assert all(f.category_reason.startswith("table caption") for f in facts(text))
    # no caption: the labels alone decide, and say nothing here
    assert {f.category for f in facts("单位\t收案（件）\n甲局\t14")} == {"other"}


def test_a_change_of_a_service_rate_is_service_efficiency() -> None:
    fs = facts("一网通办事项可办率达到97%，较上年提高4.2个百分点。")
    assert [(f.value, f.category) for f in fs] == [(97, "service_efficiency"), (4.2, "service_efficiency")]
    fs = facts("受理投诉件数同比下降12%。")
    assert fs[0].category == "rate_pct"


def test_people_served_by_a_public_service_are_that_service() -> None:
    fs = facts("组织送电影下乡放映1,320场，服务群众8.6万人次。")
    assert [f.category for f in fs] == ["public_service", "public_service"]
    fs = facts("开展法治宣传进社区活动24场，服务群众3,100人次。")
    assert [f.category for f in fs] == ["publicity_events", "publicity_reach"]


def test_closures_and_seizures_of_units_are_cases() -> None:
    assert [f.category for f in facts("检查商铺320家，查封违法经营场所5家，责令停业整顿3家。")] == \
        ["units_inspected", "cases_handled", "cases_handled"]


def test_a_dispute_complaint_is_a_complaint() -> None:
    assert facts("受理物业纠纷投诉217件。")[0].category == "complaints_handled"
    assert facts("调处矛盾纠纷217件。")[0].category == "other"


def test_items_with_their_noun_before_the_join_share_the_trailing_verb() -> None:
    got = cats("对全县412家药店、87家诊所、15所卫生院开展专项检查。")
    assert [c for _, c in got] == ["units_inspected"] * 3


def test_a_part_that_is_a_finding_keeps_its_kind_and_other_parts_carry() -> None:
    got = cats("共抽检农产品样品960批次，其中不合格样品12批次。")
    assert [c for _, c in got] == ["enforcement_inspections", "hazards_found"]
    got = cats("审批营业性演出活动88场，其中涉外演出6场。")
    assert [c for _, c in got] == ["approvals", "approvals"]


def test_the_public_is_reach_only_in_publicity_work() -> None:
    assert facts("开展宪法宣传进校园活动，参与师生2,300人次。")[-1].category == "publicity_reach"
    assert facts("全年临时救助困难群众860人次。")[0].category == "other"



def test_items_with_their_own_verb_share_nothing() -> None:
    got = cats("行政机关负责人出庭应诉12次、组织旁听庭审3次。检查企业120家、发现问题30个并督促整改。")
    assert got == [("12次", "reconsideration_litigation"), ("3次", "trainings_held"),
                   ("120家", "units_inspected"), ("30个", "hazards_found")]
    got = cats("检查餐饮单位86家、食品生产企业12家并督促整改。")   # 并…: a further predicate
    assert got == [("86家", "units_inspected"), ("12家", "units_inspected")]
