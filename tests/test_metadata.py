"""etl.metadata: agency, region, year and script inferred from a report's text (invented snippets)."""
from __future__ import annotations

import pytest

from etl.metadata import DATA, gazetteer, inspect_text, region_by_name, script_of

KEYS = {"title", "agency", "province", "province_code", "city", "county", "report_year", "script"}


def test_county_department_short_title_formal_signature() -> None:
    text = ("硚口区司法局2022年法治政府建设年度报告\n"
            "2022年，区司法局在区委、区政府的领导下，扎实开展普法宣传，办理法律援助案件86件。\n"
            "一、主要工作\n全年开展送法进社区活动30场。\n"
            "武汉市硚口区司法局\n2023年2月10日")
    out = inspect_text(text)
    assert set(out) == KEYS
    assert out["agency"] == "武汉市硚口区司法局"
    assert (out["province"], out["province_code"], out["city"], out["county"]) == ("湖北省", "420000", "武汉市", "硚口区")
    assert out["report_year"] == 2022
    assert out["script"] == "hans"
    assert out["title"].startswith("硚口区司法局2022年")


def test_abbreviated_agency_is_expanded_to_the_formal_name_found_in_text() -> None:
    text = ("江岸区文旅局2021年法治政府建设工作总结\n"
            "2021年，江岸区文化和旅游局紧扣年度目标，推动依法行政落到实处。")
    out = inspect_text(text)
    assert out["agency"] == "武汉市江岸区文化和旅游局"
    assert out["county"] == "江岸区" and out["city"] == "武汉市"


def test_traditional_city_department_without_its_name() -> None:
    text = ("2023年，我局在市委、市政府的堅強領導下，認真貫徹落實《蘇州市旅遊條例》，"
            "推進文旅市場執法規範化。蘇州市文旅系統共開展執法檢查400餘次。\n"
            "二、存在問題\n執法隊伍力量仍顯不足。")
    out = inspect_text(text)
    assert out["script"] == "hant"
    assert (out["province"], out["province_code"], out["city"], out["county"]) == ("江苏省", "320000", "苏州市", "")
    assert out["report_year"] == 2023
    assert out["agency"].startswith("苏州市") and out["agency"].endswith("局")


def test_traditional_title_names_come_back_simplified() -> None:
    text = "東莞市市場監管局關於2024年度法治政府建設情況的報告\n2024年，我局堅持依法行政。"
    out = inspect_text(text)
    assert out["script"] == "hant"
    assert out["agency"] == "东莞市市场监督管理局"
    assert (out["province"], out["city"]) == ("广东省", "东莞市")
    assert out["title"].startswith("東莞市")          # the title as published
    assert out["report_year"] == 2024


def test_province_level_department() -> None:
    text = ("2022年，省司法厅在省委、省政府的坚强领导下，统筹推进全省行政复议体制改革。"
            "湖南省各市州司法局共办理行政复议案件3000余件，长沙市、株洲市率先完成改革。")
    out = inspect_text(text)
    assert out["agency"] == "湖南省司法厅"
    assert (out["province"], out["province_code"], out["city"], out["county"]) == ("湖南省", "430000", "", "")
    assert out["report_year"] == 2022


def test_title_year_beats_other_years_in_the_text() -> None:
    text = ("泉州市生态环境局2020年度法治政府建设情况报告\n"
            "按照《法治政府建设实施纲要（2015—2020年）》要求，我局对照2019年整改清单逐项推进。"
            "2021年将继续深化改革。\n泉州市生态环境局\n2021年1月15日")
    out = inspect_text(text)
    assert out["report_year"] == 2020
    assert out["agency"] == "泉州市生态环境局"
    assert out["province"] == "福建省"


def test_year_from_publish_date_only() -> None:
    text = ("一、基本情况\n全面落实行政执法三项制度，编制权责清单120项。\n"
            "二、下一步打算\n继续加强执法人员培训。\n绵阳市涪城区应急管理局\n2024年3月8日")
    out = inspect_text(text)
    assert out["report_year"] == 2023
    assert out["agency"] == "绵阳市涪城区应急管理局"
    assert (out["province"], out["city"], out["county"]) == ("四川省", "绵阳市", "涪城区")


def test_december_publish_date_is_the_same_year() -> None:
    text = "一、工作成效\n完成规范性文件备案8件。\n十堰市张湾区教育局\n2023年12月20日"
    assert inspect_text(text)["report_year"] == 2023


def test_explicit_title_argument_is_used() -> None:
    out = inspect_text("全年办理信访件12件。", title="宜昌市夷陵区民政局关于2021年法治政府建设工作情况的报告")
    assert out["agency"] == "宜昌市夷陵区民政局"
    assert out["report_year"] == 2021
    assert out["county"] == "夷陵区"


@pytest.mark.parametrize("city_hint, province, city", [
    ("南昌市", "江西省", "南昌市"),
    ("杭州市", "浙江省", "杭州市"),
])
def test_ambiguous_county_resolved_by_other_place_names(city_hint: str, province: str, city: str) -> None:
    text = (f"西湖区住房和城乡建设局2023年法治政府建设情况报告\n"
            f"2023年，在区委、区政府的领导下，我局落实{city_hint}住建系统执法要求，{city_hint}委依法治市办给予肯定。")
    out = inspect_text(text)
    assert (out["province"], out["city"], out["county"]) == (province, city, "西湖区")
    assert out["agency"] == f"{city}西湖区住房和城乡建设局"


def test_ambiguous_county_without_evidence_keeps_the_agency_as_written() -> None:
    out = inspect_text("朝阳区卫生健康委员会2022年法治政府建设情况报告\n2022年，委机关严格依法行政。")
    assert out["county"] == "朝阳区"
    assert out["agency"] == "朝阳区卫生健康委员会"        # no region prefix invented when unsure


def test_municipality_district_has_no_city() -> None:
    text = "2024年，我区坚持依法行政，中共北京市丰台区委、丰台区人民政府统筹推进法治政府建设。"
    out = inspect_text(text)
    assert (out["province"], out["province_code"], out["city"], out["county"]) == ("北京市", "110000", "", "丰台区")
    assert out["agency"] == "北京市丰台区人民政府"


def test_region_as_subject_means_the_government() -> None:
    out = inspect_text("2021年，吴中区紧紧围绕法治政府建设目标任务，推进严格规范公正文明执法。苏州市委")
    assert out["agency"] == "苏州市吴中区人民政府"
    assert (out["city"], out["county"]) == ("苏州市", "吴中区")


def test_short_names_do_not_match_inside_words() -> None:
    text = ("2023年，我局在县委、县政府的领导下，沿着江汉平原的长江汉口段开展巡查，"
            "规范县级执法，提高县域治理水平，信息县级共享。\n桂阳县交通运输局\n2024年1月5日")
    out = inspect_text(text)
    assert out["county"] == "桂阳县"
    assert (out["province"], out["city"]) == ("湖南省", "郴州市")
    assert out["agency"] == "郴州市桂阳县交通运输局"


def test_national_ministry() -> None:
    out = inspect_text("水利部2022年法治政府建设年度报告\n2022年，水利部坚持依法治水管水。")
    assert out["agency"] == "水利部"
    assert out["province"] == "全国" and out["province_code"] == "100000"     # a level of its own
    assert out["city"] == "" and out["county"] == ""


def test_hint_overrides_inference() -> None:
    hint = {"agency": "襄阳市襄州区农业农村局", "province": "湖北省"}
    out = inspect_text("2023年，我局认真履行法定职责。", hint=hint)
    assert out["agency"] == "襄阳市襄州区农业农村局"
    assert (out["province"], out["province_code"], out["city"], out["county"]) == ("湖北省", "420000", "襄阳市", "襄州区")


def test_empty_text() -> None:
    out = inspect_text("")
    assert out == {"title": "", "agency": "", "province": "", "province_code": "", "city": "", "county": "",
                   "report_year": None, "script": "hans"}


def test_script_of() -> None:
    assert script_of("法治政府建设年度报告：全面推进依法行政") == "hans"
    assert script_of("法治政府建設年度報告：全面推進依法行政") == "hant"
    assert script_of("2024 ABC") == "hans"


@pytest.mark.parametrize("name, code, level, province, city", [
    ("湖北省", "420000", "province", "湖北省", ""),
    ("湖北", "420000", "province", "湖北省", ""),
    ("武汉市", "420100", "city", "湖北省", "武汉市"),
    ("武汉", "420100", "city", "湖北省", "武汉市"),
    ("江汉区", "420103", "county", "湖北省", "武汉市"),
    ("江汉", "420103", "county", "湖北省", "武汉市"),
    ("東城區", "110101", "county", "北京市", ""),
    ("南昌市西湖区", "360103", "county", "江西省", "南昌市"),
    ("杭州西湖区", "330106", "county", "浙江省", "杭州市"),
    ("本溪县", "210521", "county", "辽宁省", "本溪市"),
    ("仙桃市", "429004", "county", "湖北省", ""),
    ("延边", "222400", "city", "吉林省", "延边朝鲜族自治州"),
    ("内蒙古", "150000", "province", "内蒙古自治区", ""),
    ("莱芜市", "371200", "city", "山东省", "莱芜市"),        # abolished 2019, kept for old reports
])
def test_region_by_name(name: str, code: str, level: str, province: str, city: str) -> None:
    r = region_by_name(name)
    assert r is not None
    assert (r["code"], r["level"], r["province"], r["city"]) == (code, level, province, city)
    assert r["province_code"] == code[:2] + "0000"


def test_region_by_name_unknown() -> None:
    assert region_by_name("不存在县") is None
    assert region_by_name("") is None


def test_gazetteer_file() -> None:
    head = DATA.read_text(encoding="utf-8").splitlines()[:6]
    assert any("2025-12-31" in line for line in head)            # the vintage is stated
    g = gazetteer()
    provinces = {r.code for r in g.by_code.values() if r.level == "province"}
    assert len(provinces) == 34
    assert all(len(c) == 6 and c.isdigit() for c in g.by_code)
    assert DATA.stat().st_size < 400_000


@pytest.mark.parametrize("head, city", [
    ("凉山州会理市", "凉山彝族自治州"),
    ("湘西州吉首市", "湘西土家族苗族自治州"),
    ("巴州尉犁县", "巴音郭楞蒙古自治州"),
])
def test_autonomous_prefecture_abbreviated_with_zhou(head: str, city: str) -> None:
    out = inspect_text(f"{head}水利局2023年法治政府建设年度报告\n2023年，局党组坚持依法行政，查处水事案件9起。")
    assert out["city"] == city
    assert out["county"] == head[3:] or out["county"] == head[2:]
    assert out["agency"] == city + out["county"] + "水利局"


def test_zhou_abbreviation_alone_names_the_prefecture() -> None:
    out = inspect_text("楚雄州林业和草原局2022年度法治政府建设情况报告\n2022年，州林草局在州委、州政府的领导下，"
                       "组织执法人员赴昆明市参加培训。")
    assert (out["province"], out["city"], out["county"]) == ("云南省", "楚雄彝族自治州", "")
    assert out["agency"] == "楚雄彝族自治州林业和草原局"


def test_zone_committee_named_after_its_city_gets_no_second_prefix() -> None:
    out = inspect_text("芜湖经济技术开发区管委会2023年法治政府建设情况报告\n"
                       "2023年，开发区管委会在芜湖市委、市政府的领导下，深化放管服改革。")
    assert out["agency"] == "芜湖经济技术开发区管理委员会"
    assert (out["province"], out["city"]) == ("安徽省", "芜湖市")


def test_bare_city_department_with_the_only_city_named_once() -> None:
    text = ("2022年，市水务局在市委、市政府的领导下，落实《天津市节约用水条例》，"
            "与河北省、山西省水利部门开展流域联合执法。\n一、主要工作")
    out = inspect_text(text)
    assert out["agency"] == "天津市水务局"
    assert (out["province"], out["city"], out["county"]) == ("天津市", "", "")


def test_title_starting_with_guanyu_and_a_street_office() -> None:
    out = inspect_text("关于江汉区民族街道办事处2022年度法治政府建设情况的报告\n"
                       "2022年，街道在区委、区政府的领导下，化解矛盾纠纷60件。")
    assert out["agency"] == "武汉市江汉区民族街道办事处"
    assert (out["city"], out["county"], out["report_year"]) == ("武汉市", "江汉区", 2022)


def test_party_committee_department_is_an_agency() -> None:
    out = inspect_text("中共兴山县委组织部2023年法治政府建设工作报告\n2023年，部机关坚持依法办事。")
    assert out["agency"] == "宜昌市兴山县委组织部"
    assert (out["city"], out["county"]) == ("宜昌市", "兴山县")


def test_chinese_numeral_dates_and_years() -> None:
    text = ("一、主要工作\n全年办理行政复议案件12件。\n二、下一步打算\n继续规范执法。\n"
            "睢县民政局\n二〇二四年二月十六日")
    out = inspect_text(text)
    assert out["report_year"] == 2023
    assert out["agency"] == "商丘市睢县民政局"
    assert (out["province"], out["city"], out["county"]) == ("河南省", "商丘市", "睢县")
    out = inspect_text("滑县人民政府二〇二二年度法治政府建设情况报告\n二〇二二年，滑县坚持依法行政。")
    assert out["report_year"] == 2022
    assert out["title"].startswith("滑县人民政府二〇二二年度")          # the title as printed


def test_last_committee_in_the_leadership_clause_gives_the_level() -> None:
    text = ("2023年，我区在拉萨市委、市政府和区委的坚强领导下，推进依法行政，城关区行政复议案件全部办结。\n"
            "一、主要工作")
    out = inspect_text(text)
    assert (out["province"], out["city"], out["county"]) == ("西藏自治区", "拉萨市", "城关区")
    assert out["agency"] == "拉萨市城关区人民政府"


def test_region_as_opening_subject_is_not_replaced_by_a_bureau_named_later() -> None:
    text = ("2023年，在市委、市政府和县委的坚强领导下，全县深入推进法治政府建设，与义乌市开展协作。"
            "桐庐县司法局具体承担法治政府建设日常工作。\n一、主要工作")
    out = inspect_text(text)
    assert out["agency"] == "杭州市桐庐县人民政府"
    assert (out["city"], out["county"]) == ("杭州市", "桐庐县")


# ------------------------------------------------------------------ whole names, zones, authors

def test_two_character_county_names_are_whole_names_only() -> None:
    from etl.metadata import _scan
    assert _scan("坚决落实省委部署和县委要求") == []            # not 和县
    assert _scan("统筹管理县委交办事项") == []                  # not 理县
    assert [t.surface for t in _scan("中共和县委员会召开全会")] == ["和县"]   # not 共和县
    assert [t.surface for t in _scan("安徽省和县人民政府")] == ["安徽省", "和县"]


def test_league_short_forms_and_zones_map_to_their_region() -> None:
    meta = inspect_text("2023年，锡盟市场监督管理局坚持依法行政，推进法治建设。")
    assert (meta["province"], meta["city"]) == ("内蒙古自治区", "锡林郭勒盟")
    meta = inspect_text("2023年，天府新区管委会深入推进法治建设。\n四川天府新区管理委员会\n2024年1月9日")
    assert (meta["province"], meta["city"]) == ("四川省", "成都市")
    assert meta["agency"].endswith("新区管理委员会")


def test_traditional_place_names_resolve() -> None:
    meta = inspect_text("廣州市白雲區司法局2023年法治政府建設年度報告\n2023年，區司法局堅持依法行政。")
    assert (meta["province"], meta["city"], meta["county"]) == ("广东省", "广州市", "白云区")
    assert meta["script"] == "hant"


def test_the_texts_own_agency_wins_over_the_column_owner() -> None:
    hint = {"agency": "绍兴市柯桥区人民政府", "province": "浙江省", "province_code": "330000",
            "city": "绍兴市", "county": "柯桥区"}
    text = "绍兴市柯桥区卫生健康局2023年法治政府建设年度报告\n2023年，区卫生健康局坚持依法行政。"
    meta = inspect_text(text, "", hint)
    assert meta["agency"] == "绍兴市柯桥区卫生健康局"
    assert (meta["province"], meta["county"]) == ("浙江省", "柯桥区")
    own = inspect_text("绍兴市柯桥区人民政府2023年法治政府建设年度报告\n2023年，区政府坚持依法行政。", "", hint)
    assert own["agency"] == "绍兴市柯桥区人民政府"


def test_a_short_name_before_a_side_or_street_is_no_place() -> None:
    from etl.metadata import _scan
    assert _scan("沿黄河南岸开展巡查") == [] and _scan("位于湖南路") == []
    assert [t.surface for t in _scan("服务河南发展")] == ["河南"]


def test_names_that_opencc_rewrites_are_still_found() -> None:
    # t2s folds 乾 to 干 even in Simplified text: 乾县 must still be found, and named as it is.
    meta = inspect_text("乾县司法局2023年法治政府建设年度报告\n2023年，县司法局坚持依法行政。")
    assert (meta["province"], meta["city"], meta["county"]) == ("陕西省", "咸阳市", "乾县")
    assert region_by_name("乾安縣")["province"] == "吉林省"
