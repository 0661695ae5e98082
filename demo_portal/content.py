"""What the demo portal publishes: agencies, their report columns, decoys and page chrome.

Pure data (no I/O). The report texts themselves live in texts.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

COLUMN_NAME = "法治政府建设"
SITE_TITLE = "政务公开示范门户"
BUILD_TIME = "2025-06-30 18:00"         # Last-Modified of listings and other undated pages


@dataclass(frozen=True)
class ReportSpec:
    """One report of an agency column."""
    year: int
    title: str
    pub: str                      # "YYYY-MM-DD HH:MM"
    fmt: str = "html"             # html: text in the page / pdf: attachment only / both /
                                  # pdf_direct: the listing links the PDF itself /
                                  # download: a cover note whose PDF sits behind downfile.jsp
    script: str = "hans"          # hans / hant (published in Traditional characters)
    failure: str = ""             # "", http_500, broken_pdf, timeout (bad inputs, not in truth)


@dataclass(frozen=True)
class Agency:
    id: str
    agency: str
    province: str
    province_code: str
    city: str
    county: str
    level: str                    # province / city / county
    path: str                     # site path of the agency, e.g. "hb/whqk/wlj"
    column: str                   # column folder under path
    site_name: str                # the government portal hosting the agency
    host_name: str                # 承办单位 in the footer
    phone: str
    icp: str
    site_code: str
    reports: tuple[ReportSpec, ...]
    charset: str = "utf-8"        # utf-8 / gb2312 (bytes encoded gb18030)
    per_page: int = 5
    link_style: str = "relative"  # listing hrefs: relative ("./202403/t...html") or absolute path
    indent: str = "css"           # paragraph indent: css / fullwidth (leading 　　)
    decoys: tuple[str, ...] = field(default_factory=tuple)  # keys of DECOYS
    include: str = "法治政府建设"
    exclude: str = "信息公开"
    max_pages: int = 5
    cms: str = "static"           # listing convention (demo_portal/cms.py STYLES)
    republishes: tuple[tuple[str, int], ...] = ()   # (agency id, year): reports of others it reposts


AGENCIES: tuple[Agency, ...] = (
    Agency(
        id="hb-qk-wlj", agency="武汉市硚口区文化和旅游局", province="湖北省", province_code="420000",
        city="武汉市", county="硚口区", level="county", path="hb/whqk/wlj", column="fzzfjs",
        site_name="武汉市硚口区人民政府", host_name="硚口区人民政府办公室",
        phone="027-83831234", icp="鄂ICP备05003417号", site_code="4201040001",
        reports=(
            ReportSpec(2023, "硚口区文化和旅游局2023年法治政府建设年度报告", "2024-01-26 09:30"),
            ReportSpec(2024, "硚口区文化和旅游局2024年度法治政府建设工作情况报告", "2025-02-14 10:00", fmt="both"),
        ),
        cms="trs_inline", decoys=("xxgk", "zj", "sjsj", "xcz", "ys", "zqyj", "jd", "gzyd"),
    ),
    Agency(
        id="hb-sft", agency="湖北省司法厅", province="湖北省", province_code="420000",
        city="", county="", level="province", path="hb/sft", column="fzzf",
        site_name="湖北省司法厅", host_name="湖北省司法厅办公室",
        phone="027-87230561", icp="鄂ICP备10012238号", site_code="4200000032",
        reports=(
            ReportSpec(2023, "湖北省司法厅2023年法治政府建设情况报告", "2024-03-28 16:20", fmt="pdf"),
            ReportSpec(2024, "湖北省司法厅2024年法治政府建设年度报告", "2025-03-21 09:00"),
        ),
        per_page=6, link_style="absolute",
        cms="hanweb", republishes=(("hb-qk-wlj", 2024),), decoys=("xxgk", "zj", "pfqd", "xcz", "zqyj", "ys", "zfsj", "ytdd", "sf"),
    ),
    Agency(
        id="js-sz-scjgj", agency="苏州市市场监督管理局", province="江苏省", province_code="320000",
        city="苏州市", county="", level="city", path="js/sz/scjgj", column="fzzfjs",
        site_name="苏州市市场监督管理局", host_name="苏州市市场监督管理局",
        phone="0512-68661234", icp="苏ICP备12034567号", site_code="3205000019",
        reports=(
            ReportSpec(2023, "苏州市市场监督管理局2023年度法治政府建设工作报告", "2024-02-02 15:00"),
            ReportSpec(2024, "苏州市市场监督管理局2024年法治政府建设年度报告", "2025-01-24 11:30", fmt="pdf"),
        ),
        charset="gb2312", indent="fullwidth",
        cms="trs_js", decoys=("xxgk", "zj", "sjsj", "zfsj", "ys", "aqsc"),
    ),
    Agency(
        id="js-jn-yjglj", agency="南京市江宁区应急管理局", province="江苏省", province_code="320000",
        city="南京市", county="江宁区", level="county", path="js/njjn/yjglj", column="fzzf",
        site_name="南京市江宁区人民政府", host_name="江宁区人民政府办公室",
        phone="025-52281234", icp="苏ICP备05016328号", site_code="3201150003",
        reports=(
            ReportSpec(2023, "江宁区应急管理局2023年法治政府建设年度报告", "2024-01-19 08:45", fmt="pdf_direct"),
            ReportSpec(2024, "江宁区应急管理局2024年法治政府建设年度报告", "2025-01-17 09:10"),
        ),
        link_style="absolute",
        cms="query", decoys=("xxgk", "zj", "aqsc", "xcz", "sjsj", "zqyj", "ys"),
    ),
    Agency(
        id="gd-gz-sthjj", agency="广州市生态环境局", province="广东省", province_code="440000",
        city="广州市", county="", level="city", path="gd/gz/sthjj", column="fzzfjs",
        site_name="广州市生态环境局", host_name="广州市生态环境局",
        phone="020-83203456", icp="粤ICP备05123456号", site_code="4401000044",
        reports=(
            ReportSpec(2023, "广州市生态环境局2023年法治政府建设年度报告", "2024-03-29 17:00", fmt="both"),
            ReportSpec(2024, "广州市生态环境局2024年法治政府建设年度报告", "2025-03-27 10:20"),
        ),
        per_page=4,
        cms="json_api", decoys=("xxgk", "zj", "zfsj", "sjsj", "pfqd", "ys", "tjh", "dyzrr"),
    ),
    Agency(
        id="gd-ns-cgj", agency="深圳市南山区城市管理和综合执法局", province="广东省", province_code="440000",
        city="深圳市", county="南山区", level="county", path="gd/szns/cgj", column="fzzf",
        site_name="深圳市南山区人民政府", host_name="南山区政务服务数据管理局",
        phone="0755-26661234", icp="粤ICP备12098765号", site_code="4403050002",
        reports=(
            ReportSpec(2023, "南山区城市管理和综合执法局2023年法治政府建设年度报告", "2024-02-29 10:00",
                       script="hant"),
            ReportSpec(2024, "南山区城市管理和综合执法局2024年法治政府建设工作情况报告", "2025-03-03 14:30",
                       fmt="pdf"),
        ),
        cms="form_post", decoys=("xxgk", "zj", "xcz", "zqyj", "ys", "sjsj"),
    ),
    Agency(
        id="zj-jtyst", agency="浙江省交通运输厅", province="浙江省", province_code="330000",
        city="", county="", level="province", path="zj/jtyst", column="fzzfjs",
        site_name="浙江省交通运输厅", host_name="浙江省交通运输厅",
        phone="0571-83051234", icp="浙ICP备05004567号", site_code="3300000017",
        reports=(
            ReportSpec(2023, "浙江省交通运输厅2023年法治政府建设年度报告", "2024-03-15 09:00"),
            ReportSpec(2024, "浙江省交通运输厅2024年法治政府建设年度报告", "2025-03-14 15:45", fmt="both"),
        ),
        per_page=6, link_style="absolute",
        cms="iframe", decoys=("xxgk", "zj", "zfsj", "pfqd", "ys", "zqyj", "xcz"),
    ),
    Agency(
        id="zj-xh-wjj", agency="杭州市西湖区卫生健康局", province="浙江省", province_code="330000",
        city="杭州市", county="西湖区", level="county", path="zj/hzxh/wjj", column="fzzf",
        site_name="杭州市西湖区人民政府", host_name="西湖区人民政府办公室",
        phone="0571-87961234", icp="浙ICP备10023456号", site_code="3301060001",
        reports=(
            ReportSpec(2023, "西湖区卫生健康局2023年法治政府建设年度报告", "2024-01-30 16:00", fmt="download"),
            ReportSpec(2024, "西湖区卫生健康局2024年法治政府建设年度报告", "2025-02-07 10:30", script="hant"),
        ),
        charset="gb2312", indent="fullwidth",
        decoys=("xxgk", "zj", "sjsj", "xcz", "ys", "zp", "jd"),
    ),
    # Bad inputs: every report of this column fails on purpose (see failures.json).
    Agency(
        id="sc-dl-yjj", agency="丹棱县应急管理局", province="四川省", province_code="510000",
        city="眉山市", county="丹棱县", level="county", path="sc/msdl/yjj", column="fzzf",
        site_name="眉山市丹棱县人民政府", host_name="丹棱县人民政府办公室",
        phone="028-37201234", icp="蜀ICP备12004321号", site_code="5114240001",
        reports=(
            ReportSpec(2024, "丹棱县应急管理局2024年法治政府建设年度报告", "2025-02-20 09:00",
                       failure="http_500"),
            ReportSpec(2023, "丹棱县应急管理局2023年法治政府建设年度报告", "2024-02-21 09:00", fmt="pdf",
                       failure="broken_pdf"),
            ReportSpec(2022, "丹棱县应急管理局2022年法治政府建设工作情况报告", "2023-02-22 09:00",
                       failure="timeout"),
        ),
        decoys=("xxgk", "zj", "aqsc"),
    ),
    # Attachments in the other shapes departments publish (demo_portal/formats.py, issue 9):
    # a scanned PDF, a PDF with a running header and a ruled table, DOCX, DOC, encrypted PDF.
    Agency(
        id="hn-yl-scjgj", agency="长沙市岳麓区市场监督管理局", province="湖南省", province_code="430000",
        city="长沙市", county="岳麓区", level="county", path="hn/csyl/scjgj", column="fzzfjs",
        site_name="长沙市岳麓区人民政府", host_name="岳麓区人民政府办公室",
        phone="0731-88991234", icp="湘ICP备05012345号", site_code="4301040002",
        reports=(
            ReportSpec(2023, "岳麓区市场监督管理局2023年法治政府建设年度报告", "2024-02-06 10:00", fmt="scanned"),
            ReportSpec(2024, "岳麓区市场监督管理局2024年法治政府建设年度报告", "2025-02-12 15:30", fmt="ruled"),
        ),
        decoys=("zj", "sjsj"),
    ),
    Agency(
        id="ah-zrzyt", agency="安徽省自然资源厅", province="安徽省", province_code="340000",
        city="", county="", level="province", path="ah/zrzyt", column="fzzf",
        site_name="安徽省自然资源厅", host_name="安徽省自然资源厅办公室",
        phone="0551-62871234", icp="皖ICP备05001234号", site_code="3400000021",
        reports=(
            ReportSpec(2023, "安徽省自然资源厅2023年法治政府建设年度报告", "2024-03-12 09:20", fmt="docx"),
            ReportSpec(2024, "安徽省自然资源厅2024年法治政府建设年度报告", "2025-03-10 16:00", fmt="doc"),
        ),
        link_style="absolute", decoys=("zj", "xcz"),
    ),
    Agency(
        id="fj-sm-sfj", agency="厦门市思明区司法局", province="福建省", province_code="350000",
        city="厦门市", county="思明区", level="county", path="fj/xmsm/sfj", column="fzzfjs",
        site_name="厦门市思明区人民政府", host_name="思明区人民政府办公室",
        phone="0592-21231234", icp="闽ICP备05034567号", site_code="3502030001",
        reports=(
            ReportSpec(2023, "思明区司法局2023年法治政府建设年度报告", "2024-01-31 11:00", fmt="encrypted"),
            ReportSpec(2024, "思明区司法局2024年法治政府建设年度报告", "2025-02-05 09:45"),
        ),
        decoys=("zj", "zqyj"),
    ),
)

# Decoys: other articles of the same column. Titles never contain 法治政府建设.
# {a} agency, {y} year, {y1} year+1. Their figures are deliberately NOT in truth.jsonl:
# a crawler that lets a decoy through loads facts the truth does not have.
DECOYS: dict[str, tuple[str, str]] = {
    "xxgk": ("{a}{y}年政府信息公开工作年度报告",
             "本报告根据《中华人民共和国政府信息公开条例》要求编制。{y}年，我单位主动公开政府信息"
             "156条，收到依申请公开8件，均按期答复。"),
    "zj": ("{a}{y}年工作总结和{y1}年工作计划",
           "{y}年，在上级部门的正确领导下，我单位围绕中心、服务大局，全年完成重点任务32项，"
           "各项工作取得新成效。{y1}年将继续做好各项工作。"),
    "sjsj": ("关于公布{y}年度“双随机、一公开”抽查计划的通知",
             "为规范事中事后监管，现将{y}年度“双随机、一公开”抽查计划予以公布，抽查事项"
             "共12项，请各相关单位认真落实。"),
    "xcz": ("关于开展{y}年“宪法宣传周”系列活动的通知",
            "为深入学习宣传宪法，定于12月4日前后开展“宪法宣传周”系列活动，各科室要结合"
            "工作实际组织好宣传活动，活动情况于12月10日前报送。"),
    "ys": ("{a}{y}年部门预算公开说明",
           "根据预算公开有关规定，现将我单位{y}年部门预算予以公开。{y}年收入预算合计"
           "2386.5万元，支出预算合计2386.5万元。"),
    "zqyj": ("关于公开征求《行政处罚裁量基准（征求意见稿）》意见的公告",
             "为进一步规范行政处罚裁量权，我单位起草了《行政处罚裁量基准（征求意见稿）》，"
             "现向社会公开征求意见，征求意见期限为30日。"),
    "pfqd": ("{a}{y}年度普法责任清单",
             "为落实“谁执法谁普法”普法责任制，现将{y}年度普法责任清单公布如下，"
             "共列明普法重点任务18项。"),
    "zfsj": ("{a}{y}年度行政执法数据公示",
             "根据行政执法公示制度要求，现将{y}年度行政执法数据公示如下：行政检查1436次，"
             "行政处罚89件，行政强制3件。"),
    # decoys that share the report's words (法治政府建设, 年度报告): only the title rules tell
    "jd": ("关于《{a}{y}年法治政府建设年度报告》的解读",
           "为便于公众理解，现对我单位{y}年法治政府建设年度报告作如下解读：全年共组织专题学法9次，"
           "办理行政复议案件41件。"),
    "ytdd": ("一图读懂{a}{y}年法治政府建设年度报告",
             "图解内容：{y}年开展执法检查1200余次，培训执法人员560人次。"),
    "gzyd": ("{a}{y1}年法治政府建设工作要点",
             "{y1}年，计划修订规范性文件7件，开展普法活动不少于20场。"),
    "tjh": ("关于召开{y1}年法治政府建设推进会的通知",
            "定于{y1}年3月12日召开法治政府建设推进会，请各处室主要负责同志参加，会期半天。"),
    "sf": ("{a}主要负责人{y}年度述法报告",
           "{y}年，本人主持召开专题会议研究法治工作6次，带头旁听庭审2次。"),
    "dyzrr": ("{a}党政主要负责人{y}年度履行推进法治建设第一责任人职责情况报告",
              "{y}年，主要负责人听取法治工作汇报4次，审定重大行政决策3项。"),
    "zp": ("{a}{y}年法治政府建设自评报告",
           "对照考核指标逐项自评，{y}年共完成任务28项，自评得分92分。"),
    "aqsc": ("关于做好{y1}年元旦春节期间安全防范工作的通知",
             "各有关单位：元旦春节将至，为确保节日期间安全形势稳定，现就有关事项通知如下，"
             "请认真抓好落实。"),
}

DECOY_YEARS: tuple[int, ...] = (2023, 2024)
ANNUAL_DECOYS: frozenset[str] = frozenset({"xxgk", "zj", "zfsj", "ys"})   # published early next year

NAV_ITEMS: tuple[str, ...] = ("首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏")
PUBLIC_SUBCOLUMNS: tuple[str, ...] = ("通知公告", "政策文件", "规划计划", COLUMN_NAME, "财政信息", "人事信息")

ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"

PDF_INTRO = "根据《法治政府建设与责任落实督察工作规定》要求，现将{title}予以公开。"
SLOW_PAGE = "系统繁忙，请稍后再试。"

# Columns only a browser can read (demo_portal/scripted.py, issue 17)
from .scripted import AGENCIES as _SCRIPTED  # noqa: E402
AGENCIES = AGENCIES + _SCRIPTED
