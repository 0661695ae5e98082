"""Reports published in the other shapes departments use (issue 9): a scanned PDF, a PDF
with a running header and a ruled table, a DOCX, a DOC, an encrypted PDF. Marked up like
texts.py (original writing in the genre); `register()` adds them to texts.REPORTS/TABLES.

    fmt        what the article page links
    scanned    an image-only PDF rendered from the report text (OCR needed)
    ruled      a text PDF: running header on every page, page labels, a ruled table
    docx       a Word document (paragraphs and a table)
    doc        the same as Word 97 (.doc, LibreOffice headless; the DOCX when it is absent)
    encrypted  a text PDF encrypted with an empty user password
"""
from __future__ import annotations

FORMATS = ("scanned", "ruled", "docx", "doc", "encrypted")

TABLES: dict[str, dict[str, list]] = {
    "yl-2024-enforcement": {
        "header": ["检查领域", "检查次数（次）", "立案数（件）"],
        "rows": [
            ["食品经营", ("1326", "enforcement_inspections", 1326, "次"), ("87", "cases_handled", 87, "件")],
            ["药品零售", ("418", "enforcement_inspections", 418, "次"), ("23", "cases_handled", 23, "件")],
            ["特种设备", ("265", "enforcement_inspections", 265, "次"), ("9", "cases_handled", 9, "件")],
        ],
    },
    "ah-2023-permits": {
        "header": ["事项类别", "办理数量（件）"],
        "rows": [
            ["建设用地审批", ("312", "approvals", 312, "件")],
            ["采矿权登记", ("146", "approvals", 146, "件")],
        ],
    },
}

REPORTS: dict[tuple[str, int], str] = {}

REPORTS[("hn-yl-scjgj", 2023)] = """
2023年，区市场监管局坚持以法治思维统筹市场监管各项工作，推动监管执法规范化、服务便民化，现将有关情况报告如下。
一、加强组织领导
局党组把法治建设列入年度重点工作，全年[[召开党组会专题研究法治建设工作5次|leadership_meetings|5|次|]]，主要负责人切实履行推进法治建设第一责任人职责。
二、规范执法行为
全面落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，全年[[出动执法人员2600余人次|enforcement_personnel|2600|人次|>]]，[[检查各类经营主体4100余家次|units_inspected|4100|家次|>]]，[[立案查处各类违法案件214件|cases_handled|214|件|]]，[[罚没款共计68万元|penalties_amount|680000|元|]]。
三、深化普法宣传
围绕食品安全、消费维权等群众关心的领域，[[开展法治宣传活动32场|publicity_events|32|场|]]，[[发放宣传资料6000余份|publicity_materials|6000|份|>]]。坚持以考促学，[[组织执法人员法律知识培训3期|trainings_held|3|期|]]。
四、下一步打算
一是持续提升执法人员法治素养；二是完善信用监管机制；三是推动普法与执法深度融合。
"""

REPORTS[("hn-yl-scjgj", 2024)] = """
2024年，区市场监管局深入学习贯彻习近平法治思想，围绕营造公平竞争的市场环境依法履职，法治政府建设取得新成效。现将有关情况报告如下。
一、提升审批服务效能
深化政务服务集成改革，全年[[办理各类登记许可事项8630件|approvals|8630|件|]]，[[同比增长9.2%|approvals_change_pct|9.2|%|]]。
二、严格规范公正文明执法
以“双随机、一公开”监管为基本手段，重点领域检查和立案情况见下表。
<<TABLE:yl-2024-enforcement>>
对首次轻微违法行为依法不予处罚，全年[[办理不予处罚案件41件|cases_handled|41|件|]]。
三、强化执法监督
组织开展行政执法案卷评查，对发现的问题逐项督促整改，全年[[举办执法人员业务培训4期|trainings_held|4|期|]]。
四、下一步打算
一是健全公平竞争审查机制；二是强化重点领域执法；三是持续深化普法宣传。
"""

REPORTS[("ah-zrzyt", 2023)] = """
2023年，省自然资源厅坚持依法管地、依法用矿，把法治建设贯穿自然资源管理全过程，现将年度法治政府建设情况报告如下。
一、健全依法决策机制
严格执行重大行政决策程序规定，全年[[审查规范性文件和重大行政决策事项37件|normative_documents|37|件|]]，未经合法性审查的一律不提交审议；对不适应改革要求的文件开展清理，[[废止和修改规范性文件9件|normative_documents|9|件|]]。
二、优化审批服务
全面推行用地用矿审批事项网上办理，主要审批事项办理情况见下表。
<<TABLE:ah-2023-permits>>
三、强化执法监督
持续开展耕地保护专项执法行动，全年[[出动执法人员5200余人次|enforcement_personnel|5200|人次|>]]，[[立案查处自然资源违法案件356件|cases_handled|356|件|]]。
四、加强法治宣传
结合“4·22世界地球日”“6·25全国土地日”等节点，[[开展法治宣传活动46场|publicity_events|46|场|]]，[[发放宣传资料1.2万份|publicity_materials|12000|份|]]。
"""

REPORTS[("ah-zrzyt", 2024)] = """
2024年，省自然资源厅聚焦自然资源保护和合理利用，全面推进法治政府建设，现将主要工作报告如下。
一、加强组织领导
厅党组全年[[召开会议专题研究法治建设工作6次|leadership_meetings|6|次|]]，将法治建设情况纳入厅属单位年度考核。严格规范性文件合法性审查，[[审查规范性文件21件|normative_documents|21|件|]]。
二、规范行政执法
健全执法协作机制，全年[[开展卫片执法检查和实地核查1850次|enforcement_inspections|1850|次|]]，[[立案查处违法用地案件298件|cases_handled|298|件|]]，[[罚没款共计3260万元|penalties_amount|32600000|元|]]。
三、提升法治能力
[[组织全系统执法人员法律知识培训9期|trainings_held|9|期|]]，[[参训人员1100余人次|training_participants|1100|人次|>]]；面向社会[[开展普法宣传活动52场|publicity_events|52|场|]]。
四、下一步打算
一是完善自然资源领域配套制度；二是提升执法办案质量；三是加强法治队伍建设。
"""

REPORTS[("fj-sm-sfj", 2023)] = """
2023年，区司法局紧紧围绕全区中心工作，统筹推进法治政府建设，现将有关情况报告如下。
一、推进依法行政
局党组全年[[召开党组会专题研究法治建设工作3次|leadership_meetings|3|次|]]。加强行政规范性文件合法性审核，全年[[审核区政府及部门规范性文件28件|normative_documents|28|件|]]。
二、做好行政复议应诉
畅通行政复议渠道，全年[[受理行政复议申请64件|reconsideration_litigation|64|件|]]，[[审结行政复议案件58件|reconsideration_litigation|58|件|]]。
三、深化法治宣传
组织“宪法宣传周”“民法典宣传月”等主题活动，全年[[开展普法宣传活动120余场|publicity_events|120|场|>]]，[[发放宣传资料8000余份|publicity_materials|8000|份|>]]；[[举办领导干部法治专题讲座6场|trainings_held|6|场|]]，[[参训人员300余人次|training_participants|300|人次|>]]。
四、下一步打算
一是提升行政复议质效；二是深入推进基层法治建设；三是创新普法宣传方式。
"""

REPORTS[("fj-sm-sfj", 2024)] = """
2024年，区司法局坚持以习近平法治思想为指导，认真履行统筹推进全区法治政府建设职责，现将年度工作情况报告如下。
一、强化统筹协调
配合区委依法治区办开展法治督察，全年[[召开法治建设专题会议4次|leadership_meetings|4|次|]]，对督察发现的问题建立台账、跟踪整改。
二、规范行政执法
组织开展全区行政执法案卷评查，[[举办行政执法人员培训班3期|trainings_held|3|期|]]，[[参训人员260人次|training_participants|260|人次|]]，执法规范化水平进一步提升。全年[[审核规范性文件19件|normative_documents|19|件|]]。
三、做好行政复议
坚持发挥行政复议化解行政争议主渠道作用，全年[[受理行政复议申请71件|reconsideration_litigation|71|件|]]。
四、深化法治宣传
全年[[开展法治宣传活动85场|publicity_events|85|场|]]，[[发放宣传资料1.5万份|publicity_materials|15000|份|]]；面向社区“法律明白人”[[举办法治讲座10场|trainings_held|10|场|]]。
五、下一步打算
一是健全依法决策机制；二是深化行政执法协调监督；三是持续推进普法依法治理。
"""


def register() -> None:
    """Add these reports and tables to the portal's texts (idempotent)."""
    from . import texts
    texts.TABLES.update(TABLES)
    texts.REPORTS.update(REPORTS)
