"""Labelled regression passages: our own writing in the genre of 法治政府建设 reports (and one
政府信息公开年度报告), labelled by hand under shared/eval CATEGORIES.md "Deciding the close calls"
and CONVENTIONS.md. `python tests/labelled/passages.py` rewrites NNN.txt and gold.jsonl.

Gold rows: (quote, value, unit, qualifier, category); value in base units, unit Simplified.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

PASSAGES: dict[str, tuple[str, str, list[tuple[str, float, str, str, str]]]] = {
    "001": ("公安 county",
            "2023年，平阳县公安局坚持以法治思维推进执法规范化建设。全年共受理行政案件1,326起，其中办结1,208起，"
            "依法适用简易程序办理案件312起，对首次轻微违法行为不予处罚46起。局党委会专题研究法治工作6次，"
            "举办执法资格考试培训班3期，组织民警参训420人次。开展防范电信诈骗宣传进社区活动85场，"
            "发放宣传资料2.3万份，覆盖群众1.6万人次。",
            [("1,326起", 1326, "起", "exact", "cases_handled"),
             ("1,208起", 1208, "起", "exact", "cases_handled"),
             ("312起", 312, "起", "exact", "cases_handled"),
             ("46起", 46, "起", "exact", "cases_handled"),
             ("6次", 6, "次", "exact", "leadership_meetings"),
             ("3期", 3, "期", "exact", "trainings_held"),
             ("420人次", 420, "人次", "exact", "training_participants"),
             ("85场", 85, "场", "exact", "publicity_events"),
             ("2.3万份", 23000, "份", "exact", "publicity_materials"),
             ("1.6万人次", 16000, "人次", "exact", "publicity_reach")]),
    "002": ("税务 city, shared predicate after a list",
            "2023年，温州市税务局将规范性文件3件、税收协议5份、重大执法决定12件提交法制审核，审核率达100%。"
            "全面推行“非接触式”办税，网上办税率达98.6%，办税申请材料压减45%，增值税发票开具平均用时缩短至10分钟以内。"
            "全年主动公开行政处罚决定67条，组织局务会会前学法10次，邀请法学教授开展专题讲座4场。"
            "收到纳税人投诉举报58件，均在规定时限内办结，办结率100%。",
            [("3件", 3, "件", "exact", "normative_documents"),
             ("5份", 5, "份", "exact", "normative_documents"),
             ("12件", 12, "件", "exact", "normative_documents"),
             ("达100%", 100, "%", "exact", "rate_pct"),
             ("达98.6%", 98.6, "%", "exact", "service_efficiency"),
             ("45%", 45, "%", "exact", "service_efficiency"),
             ("10分钟以内", 10, "分钟", "at_most", "service_efficiency"),
             ("67条", 67, "条", "exact", "information_disclosure"),
             ("10次", 10, "次", "exact", "leadership_meetings"),
             ("4场", 4, "场", "exact", "trainings_held"),
             ("58件", 58, "件", "exact", "complaints_handled"),
             ("100%", 100, "%", "exact", "rate_pct")]),
    "003": ("卫健 county, enforcement outcomes",
            "永嘉县卫生健康局全年开展医疗机构监督检查1,050户次，出动卫生监督员2,100人次，发现问题隐患238处，"
            "下达责令改正通知书96份，立案查处违法案件41件，罚没款合计18.65万元；其中，查处无证行医单位7家。"
            "组织卫生监督员法治培训5期、参训310人次，开展民法典进医院宣传活动12场。",
            [("1,050户次", 1050, "户次", "exact", "units_inspected"),
             ("2,100人次", 2100, "人次", "exact", "enforcement_personnel"),
             ("238处", 238, "处", "exact", "hazards_found"),
             ("96份", 96, "份", "exact", "hazards_found"),
             ("41件", 41, "件", "exact", "cases_handled"),
             ("18.65万元", 186500, "元", "exact", "penalties_amount"),
             ("7家", 7, "家", "exact", "cases_handled"),
             ("5期", 5, "期", "exact", "trainings_held"),
             ("310人次", 310, "人次", "exact", "training_participants"),
             ("12场", 12, "场", "exact", "publicity_events")]),
    "004": ("教育 district, leadership body vs staff training",
            "鹿城区教育局党组理论学习中心组集体学法4次，开展校长法治专题培训2期，覆盖中小学校长及干部职工560人次。"
            "全区中小学校法治副校长配备率达100%，局机关聘请法律顾问3名。联合公安、市场监管部门检查校外培训机构184家次，"
            "取缔无证办学机构9家。受理家长投诉83件，依申请公开政府信息11件。",
            [("4次", 4, "次", "exact", "leadership_meetings"),
             ("2期", 2, "期", "exact", "trainings_held"),
             ("560人次", 560, "人次", "exact", "training_participants"),
             ("达100%", 100, "%", "exact", "rate_pct"),
             ("3名", 3, "名", "exact", "organization"),
             ("184家次", 184, "家次", "exact", "units_inspected"),
             ("9家", 9, "家", "exact", "cases_handled"),
             ("83件", 83, "件", "exact", "complaints_handled"),
             ("11件", 11, "件", "exact", "information_disclosure")]),
    "005": ("住建 city, approvals and service speed",
            "湖州市住房和城乡建设局全年共办理建筑工程施工许可、商品房预售许可等行政许可事项2,318件，"
            "平均审批时限由15个工作日压减至5个工作日，即办件占比提高到42%。开展建筑施工安全专项检查三轮，"
            "检查在建项目436个次，排查整改安全隐患1,127条，下达整改指令书58份，实施行政处罚29起，处罚金额356.8万元。",
            [("2,318件", 2318, "件", "exact", "approvals"),
             ("15个工作日", 15, "个工作日", "exact", "service_efficiency"),
             ("5个工作日", 5, "个工作日", "exact", "service_efficiency"),
             ("42%", 42, "%", "exact", "service_efficiency"),
             ("三轮", 3, "轮", "exact", "enforcement_inspections"),
             ("436个次", 436, "个次", "exact", "units_inspected"),
             ("1,127条", 1127, "条", "exact", "hazards_found"),
             ("58份", 58, "份", "exact", "hazards_found"),
             ("29起", 29, "起", "exact", "cases_handled"),
             ("356.8万元", 3568000, "元", "exact", "penalties_amount")]),
    "006": ("自然资源 county, Traditional script",
            "泰順縣自然資源和規劃局2023年共立案查處違法用地案件27宗，罰沒款82.6萬元。開展衛片執法檢查4輪次，"
            "核查疑似違法圖斑612個，其中確認違法圖斑48個。全年辦理不動產登記業務3.1萬件，"
            "一般登記業務辦理時間壓縮至3個工作日以內。組織土地管理法宣傳活動6場次。",
            [("27宗", 27, "宗", "exact", "cases_handled"),
             ("82.6萬元", 826000, "元", "exact", "penalties_amount"),
             ("4輪次", 4, "轮次", "exact", "enforcement_inspections"),
             ("612個", 612, "个", "exact", "hazards_found"),
             ("48個", 48, "个", "exact", "hazards_found"),
             ("3.1萬件", 31000, "件", "exact", "approvals"),
             ("3個工作日以內", 3, "个工作日", "at_most", "service_efficiency"),
             ("6場次", 6, "场次", "exact", "publicity_events")]),
    "007": ("水利 city, lists and proposals",
            "丽水市水利局组织开展河湖“清四乱”专项行动，累计巡河巡湖1.8万次，清理整治河湖问题315个。"
            "全年办理取水许可、河道管理范围内建设项目审批等行政许可事项137件，全程网办率达100%。"
            "对全市31家规模以上取水户开展用水计量专项检查，发现并督促整改问题64项。"
            "办理人大代表建议9件、政协委员提案14件，均按期办结。",
            [("1.8万次", 18000, "次", "exact", "enforcement_inspections"),
             ("315个", 315, "个", "exact", "hazards_found"),
             ("137件", 137, "件", "exact", "approvals"),
             ("达100%", 100, "%", "exact", "service_efficiency"),
             ("31家", 31, "家", "exact", "units_inspected"),
             ("64项", 64, "项", "exact", "hazards_found"),
             ("9件", 9, "件", "exact", "proposals_handled"),
             ("14件", 14, "件", "exact", "proposals_handled")]),
    "008": ("交通 county, session numbers and 第 over a list",
            "文成县交通运输局深入学习贯彻县委十五届五次全会精神，配合做好县委第七、八、九轮巡察反馈问题整改。"
            "全年开展道路运输市场执法检查312次，查处非法营运案件57起，货车超限率控制在0.5%以下。"
            "组织执法人员开展业务培训6场次、岗位练兵2次，参训执法人员180人次。",
            [("312次", 312, "次", "exact", "enforcement_inspections"),
             ("57起", 57, "起", "exact", "cases_handled"),
             ("0.5%以下", 0.5, "%", "at_most", "rate_pct"),
             ("6场次", 6, "场次", "exact", "trainings_held"),
             ("2次", 2, "次", "exact", "trainings_held"),
             ("180人次", 180, "人次", "exact", "training_participants")]),
    "009": ("人社 county, shared verb 实现全程网办 after the items",
            "苍南县人力资源和社会保障局梳理公布政务服务事项清单186项，其中社保卡申领、失业登记等127项实现全程网办，"
            "43项实现跨省通办。办理劳动人事争议仲裁案件218件，调解成功率达76%。开展根治欠薪专项检查2次，"
            "检查用人单位356户，为1,215名农民工追发工资2,136.5万元。",
            [("186项", 186, "项", "exact", "power_list_items"),
             ("127项", 127, "项", "exact", "service_efficiency"),
             ("43项", 43, "项", "exact", "service_efficiency"),
             ("218件", 218, "件", "exact", "other"),
             ("达76%", 76, "%", "exact", "rate_pct"),
             ("2次", 2, "次", "exact", "enforcement_inspections"),
             ("356户", 356, "户", "exact", "units_inspected"),
             ("1,215名", 1215, "名", "exact", "other"),
             ("2,136.5万元", 21365000, "元", "exact", "other")]),
    "010": ("民政 district, 共计 carried to the parts",
            "瓯海区民政局全年共办理婚姻登记2,946对，其中结婚登记2,211对、离婚登记735对。"
            "全区登记社会组织共计48家。开展社会组织年检312家，年检合格率96.2%。"
            "民政法治宣传月期间开展宣传咨询活动15场，接待群众咨询1,200余人次。",
            [("2,946对", 2946, "对", "exact", "approvals"),
             ("2,211对", 2211, "对", "exact", "approvals"),
             ("735对", 735, "对", "exact", "approvals"),
             ("48家", 48, "家", "exact", "venues_registered"),
             ("312家", 312, "家", "exact", "units_inspected"),
             ("96.2%", 96.2, "%", "exact", "rate_pct"),
             ("15场", 15, "场", "exact", "publicity_events"),
             ("1,200余人次", 1200, "人次", "more_than", "publicity_reach")]),
    "011": ("生态环境 city, compound physical unit",
            "嘉兴市生态环境局报告，全市细颗粒物平均浓度为28微克每立方米，同比下降6.7%。"
            "全年审批建设项目环评文件312个，核发排污许可证196张，审批时限压缩50%。"
            "开展双随机监管检查企业1,436家次，查办环境违法案件86件，罚款金额1,023.5万元，其中适用按日连续处罚案件2件。",
            [("28微克每立方米", 28, "微克每立方米", "exact", "other"),
             ("6.7%", 6.7, "%", "exact", "rate_pct"),
             ("312个", 312, "个", "exact", "approvals"),
             ("196张", 196, "张", "exact", "approvals"),
             ("50%", 50, "%", "exact", "service_efficiency"),
             ("1,436家次", 1436, "家次", "exact", "units_inspected"),
             ("86件", 86, "件", "exact", "cases_handled"),
             ("1,023.5万元", 10235000, "元", "exact", "penalties_amount"),
             ("2件", 2, "件", "exact", "cases_handled")]),
    "012": ("county government, meetings and lectures by leaders",
            "2023年，洞头区人民政府召开区政府常务会议24次，其中专题研究法治政府建设工作4次。"
            "区政府领导班子成员带头讲法治课3次，组织区直部门主要负责人旁听庭审2场、参加旁听240人次。"
            "全年审查区政府规范性文件11件，备案审查率100%；办理行政复议案件63件，行政机关负责人出庭应诉率达100%。",
            [("24次", 24, "次", "exact", "leadership_meetings"),
             ("4次", 4, "次", "exact", "leadership_meetings"),
             ("3次", 3, "次", "exact", "trainings_held"),
             ("2场", 2, "场", "exact", "trainings_held"),
             ("240人次", 240, "人次", "exact", "training_participants"),
             ("11件", 11, "件", "exact", "normative_documents"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("63件", 63, "件", "exact", "reconsideration_litigation"),
             ("达100%", 100, "%", "exact", "rate_pct")]),
    "013": ("政府信息公开年度报告 prose",
            "本年度，龙湾区人民政府办公室主动公开政府信息2,457条，其中政策文件136件、政策解读材料89篇。"
            "收到政府信息公开申请共计214件，其中当面申请37件、网络申请161件、信函申请16件，均已按期答复。"
            "因政府信息公开工作被申请行政复议3件、提起行政诉讼1件。召开新闻发布会12场。",
            [("2,457条", 2457, "条", "exact", "information_disclosure"),
             ("136件", 136, "件", "exact", "information_disclosure"),
             ("89篇", 89, "篇", "exact", "information_disclosure"),
             ("214件", 214, "件", "exact", "information_disclosure"),
             ("37件", 37, "件", "exact", "information_disclosure"),
             ("161件", 161, "件", "exact", "information_disclosure"),
             ("16件", 16, "件", "exact", "information_disclosure"),
             ("3件", 3, "件", "exact", "reconsideration_litigation"),
             ("1件", 1, "件", "exact", "reconsideration_litigation"),
             ("12场", 12, "场", "exact", "information_disclosure")]),
    "014": ("市场监管 district, 一期/一次 in a list",
            "龙港市市场监督管理局举办食品安全管理员培训班一期、特种设备作业人员考试一次、法治讲堂8期，累计参训920人次。"
            "开展铁拳行动专项执法检查17轮，检查经营主体2,830户次，查处各类违法案件315件，"
            "其中不予处罚、减轻处罚案件68件，罚没款466.2万元。",
            [("一期", 1, "期", "exact", "trainings_held"),
             ("一次", 1, "次", "exact", "trainings_held"),
             ("8期", 8, "期", "exact", "trainings_held"),
             ("920人次", 920, "人次", "exact", "training_participants"),
             ("17轮", 17, "轮", "exact", "enforcement_inspections"),
             ("2,830户次", 2830, "户次", "exact", "units_inspected"),
             ("315件", 315, "件", "exact", "cases_handled"),
             ("68件", 68, "件", "exact", "cases_handled"),
             ("466.2万元", 4662000, "元", "exact", "penalties_amount")]),
    "015": ("文旅 district, commerce vs public service, meetings vs lectures",
            "瑞安市文化和旅游局审批营业性演出28场，对全市41家娱乐场所开展消防安全检查。"
            "全年组织送戏下乡惠民演出56场。局长办公会听取法治工作汇报3次，"
            "邀请律师为全局干部职工开展法治专题讲座2场，参加学习150人次。"
            "组织法治文艺演出进社区9场，观看群众3,600余人次。",
            [("28场", 28, "场", "exact", "approvals"),
             ("41家", 41, "家", "exact", "units_inspected"),
             ("56场", 56, "场", "exact", "public_service"),
             ("3次", 3, "次", "exact", "leadership_meetings"),
             ("2场", 2, "场", "exact", "trainings_held"),
             ("150人次", 150, "人次", "exact", "training_participants"),
             ("9场", 9, "场", "exact", "publicity_events"),
             ("3,600余人次", 3600, "人次", "more_than", "publicity_reach")]),
    "016": ("司法 county, 最多 and durations",
            "乐清市司法局推行证明事项告知承诺制，清理证明事项21项，保留8项。公证办理时限由20天缩短至7天，"
            "公证事项最多5个工作日出证，群众办事最多跑一次。组织开展法治宣传周活动为期3天，覆盖群众约2万人。",
            [("21项", 21, "项", "exact", "power_list_items"),
             ("8项", 8, "项", "exact", "power_list_items"),
             ("20天", 20, "天", "exact", "service_efficiency"),
             ("7天", 7, "天", "exact", "service_efficiency"),
             ("最多5个工作日", 5, "个工作日", "at_most", "service_efficiency"),
             ("约2万人", 20000, "人", "approx", "publicity_reach")]),
    "017": ("司法 city, legal review, reconsideration and bodies",
            "2023年，市司法局共审查市政府及部门规范性文件87件，提出修改意见213条；审核市政府重大合同、协议46份。"
            "办理行政复议案件412件，其中调解和解结案96件、纠错37件，纠错率8.98%。"
            "市政府所属部门负责人出庭应诉198次，出庭应诉率100%。全市配备公职律师362名，组建法律顾问团3个。",
            [("87件", 87, "件", "exact", "normative_documents"),
             ("213条", 213, "条", "exact", "normative_documents"),
             ("46份", 46, "份", "exact", "normative_documents"),
             ("412件", 412, "件", "exact", "reconsideration_litigation"),
             ("96件", 96, "件", "exact", "reconsideration_litigation"),
             ("37件", 37, "件", "exact", "reconsideration_litigation"),
             ("8.98%", 8.98, "%", "exact", "rate_pct"),
             ("198次", 198, "次", "exact", "reconsideration_litigation"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("362名", 362, "名", "exact", "organization"),
             ("3个", 3, "个", "exact", "organization")]),
    "018": ("应急管理 county, hazards and units punished",
            "县应急管理局组织开展安全生产大排查大整治行动，共检查生产经营单位1,283家次，排查一般隐患3,456项、重大隐患12项，"
            "均已整改到位。对违法违规企业立案处罚54家，罚款金额216.7万元，责令停产停业整顿8家。"
            "开展应急演练27场次，组织企业主要负责人和安全管理人员培训14期、1,120人次。发放安全宣传资料4.6万份。",
            [("1,283家次", 1283, "家次", "exact", "units_inspected"),
             ("3,456项", 3456, "项", "exact", "hazards_found"),
             ("12项", 12, "项", "exact", "hazards_found"),
             ("54家", 54, "家", "exact", "cases_handled"),
             ("216.7万元", 2167000, "元", "exact", "penalties_amount"),
             ("8家", 8, "家", "exact", "cases_handled"),
             ("27场次", 27, "场次", "exact", "trainings_held"),
             ("14期", 14, "期", "exact", "trainings_held"),
             ("1,120人次", 1120, "人次", "exact", "training_participants"),
             ("4.6万份", 46000, "份", "exact", "publicity_materials")]),
    "019": ("政府信息公开年度报告, requests and their outcomes",
            "2023年，本机关共收到政府信息公开申请95件，上年结转4件。本年度办理结果中，予以公开41件，部分公开12件，"
            "不予公开7件，无法提供29件，不予处理3件。主动公开规范性文件18件，公开行政许可决定1,426件、行政处罚决定312件。",
            [("95件", 95, "件", "exact", "information_disclosure"),
             ("4件", 4, "件", "exact", "information_disclosure"),
             ("41件", 41, "件", "exact", "information_disclosure"),
             ("12件", 12, "件", "exact", "information_disclosure"),
             ("7件", 7, "件", "exact", "information_disclosure"),
             ("29件", 29, "件", "exact", "information_disclosure"),
             ("3件", 3, "件", "exact", "information_disclosure"),
             ("18件", 18, "件", "exact", "information_disclosure"),
             ("1,426件", 1426, "件", "exact", "information_disclosure"),
             ("312件", 312, "件", "exact", "information_disclosure")]),
    "020": ("综合执法 district, light penalties and rectification notices",
            "鹿城区综合行政执法局全年办理行政处罚案件2,317件，适用简易程序案件1,105件，对轻微违法行为不予处罚、"
            "首违不罚案件436件，减免罚款金额58.3万元。下达责令限期改正通知书3,280份，拆除违法建筑面积4.2万平方米。"
            "受理12345热线交办件8,642件，按期办结率99.2%，群众满意率96.5%。",
            [("2,317件", 2317, "件", "exact", "cases_handled"),
             ("1,105件", 1105, "件", "exact", "cases_handled"),
             ("436件", 436, "件", "exact", "cases_handled"),
             ("58.3万元", 583000, "元", "exact", "other"),
             ("3,280份", 3280, "份", "exact", "hazards_found"),
             ("4.2万平方米", 42000, "平方米", "exact", "other"),
             ("8,642件", 8642, "件", "exact", "complaints_handled"),
             ("99.2%", 99.2, "%", "exact", "rate_pct"),
             ("96.5%", 96.5, "%", "exact", "rate_pct")]),
    "021": ("行政审批 city, service speed against approvals",
            "市行政审批服务局深化集成改革，平均减少申请材料56%、压缩办理时限71%。全市依申请政务服务事项网上可办率达99.8%，"
            "全程网办事项2,105项。企业开办全流程压缩至0.5个工作日，电子证照关联率95%。"
            "全年办理各类审批服务事项86.4万件，同比增长12.6%。",
            [("56%", 56, "%", "exact", "service_efficiency"),
             ("71%", 71, "%", "exact", "service_efficiency"),
             ("达99.8%", 99.8, "%", "exact", "service_efficiency"),
             ("2,105项", 2105, "项", "exact", "service_efficiency"),
             ("0.5个工作日", 0.5, "个工作日", "exact", "service_efficiency"),
             ("95%", 95, "%", "exact", "service_efficiency"),
             ("86.4万件", 864000, "件", "exact", "approvals"),
             ("12.6%", 12.6, "%", "exact", "approvals_change_pct")]),
    "022": ("农业农村 county, samples, trainees who are the public",
            "县农业农村局开展农资打假专项执法行动，出动执法人员560人次，检查农资经营门店312家次，抽检农药、化肥样品86批次，"
            "检出不合格样品5批次，立案查处农资案件11起，货值金额3.6万元。开展高素质农民法治培训班8期，培训农民640人。"
            "组织法治宣传下乡活动20次，受益群众6,000余人。",
            [("560人次", 560, "人次", "exact", "enforcement_personnel"),
             ("312家次", 312, "家次", "exact", "units_inspected"),
             ("86批次", 86, "批次", "exact", "enforcement_inspections"),
             ("5批次", 5, "批次", "exact", "hazards_found"),
             ("11起", 11, "起", "exact", "cases_handled"),
             ("3.6万元", 36000, "元", "exact", "other"),
             ("8期", 8, "期", "exact", "trainings_held"),
             ("640人", 640, "人", "exact", "training_participants"),
             ("20次", 20, "次", "exact", "publicity_events"),
             ("6,000余人", 6000, "人", "more_than", "publicity_reach")]),
    "023": ("county party and government, meetings, exams, advisers",
            "2023年，县委常委会会议专题听取法治建设工作汇报2次，县委理论学习中心组开展习近平法治思想专题学习4次。"
            "组织全县科级领导干部法治理论考试，参考1,860人，合格率100%。县政府聘请法律顾问7名，全年审查合同协议158份。",
            [("2次", 2, "次", "exact", "leadership_meetings"),
             ("4次", 4, "次", "exact", "leadership_meetings"),
             ("1,860人", 1860, "人", "exact", "training_participants"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("7名", 7, "名", "exact", "organization"),
             ("158份", 158, "份", "exact", "normative_documents")]),
    "024": ("医保 city, funds recovered and units punished",
            "市医疗保障局开展定点医药机构专项检查，现场检查定点医药机构1,046家，覆盖率100%，追回医保基金2,860.4万元，"
            "行政处罚医药机构23家。医保经办服务事项全部实现一窗通办，办理时限平均压缩40%。"
            "举办医保政策宣传活动45场，发放宣传折页3.2万份。",
            [("1,046家", 1046, "家", "exact", "units_inspected"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("2,860.4万元", 28604000, "元", "exact", "other"),
             ("23家", 23, "家", "exact", "cases_handled"),
             ("40%", 40, "%", "exact", "service_efficiency"),
             ("45场", 45, "场", "exact", "publicity_events"),
             ("3.2万份", 32000, "份", "exact", "publicity_materials")]),
    "025": ("市场监管 city, totals, parts and publishing",
            "全年共办理各类行政处罚案件1,862件，罚没款总额2,345.6万元，其中食品安全领域案件603件、特种设备领域案件88件、"
            "价格领域案件41件。依法向社会公示行政处罚信息1,862条。对全市3.6万户经营主体开展双随机抽查，抽查比例达5.2%。",
            [("1,862件", 1862, "件", "exact", "cases_handled"),
             ("2,345.6万元", 23456000, "元", "exact", "penalties_amount"),
             ("603件", 603, "件", "exact", "cases_handled"),
             ("88件", 88, "件", "exact", "cases_handled"),
             ("41件", 41, "件", "exact", "cases_handled"),
             ("1,862条", 1862, "条", "exact", "information_disclosure"),
             ("3.6万户", 36000, "户", "exact", "units_inspected"),
             ("达5.2%", 5.2, "%", "exact", "rate_pct")]),
    "026": ("文旅 county, meeting study vs staff study",
            "局党组坚持第一议题学法制度，全年开展党组会前学法11次；组织机关干部开展集中学法活动12次，"
            "参学干部职工达380人次。邀请市司法局讲师作民法典专题辅导1次。开展宪法宣传周系列活动，"
            "举办法治文艺汇演3场，吸引观众2,000余人次。",
            [("11次", 11, "次", "exact", "leadership_meetings"),
             ("12次", 12, "次", "exact", "trainings_held"),
             ("达380人次", 380, "人次", "exact", "training_participants"),
             ("1次", 1, "次", "exact", "trainings_held"),
             ("3场", 3, "场", "exact", "publicity_events"),
             ("2,000余人次", 2000, "人次", "more_than", "publicity_reach")]),
    "027": ("税务 county, items online, legal review total",
            "县税务局推行非接触式办税缴费，实现233项涉税事项网上办理，网上申报率稳定在99%以上。"
            "全年办理退税减税降费业务5.6万笔。对本局制发的行政规范性文件和重大税务执法决定开展法制审核，共审核41件。"
            "在门户网站主动公开政府信息326条，其中政策解读42条。",
            [("233项", 233, "项", "exact", "service_efficiency"),
             ("99%以上", 99, "%", "at_least", "service_efficiency"),
             ("5.6万笔", 56000, "笔", "exact", "approvals"),
             ("41件", 41, "件", "exact", "normative_documents"),
             ("326条", 326, "条", "exact", "information_disclosure"),
             ("42条", 42, "条", "exact", "information_disclosure")]),
    "028": ("公安 city, exams, trainees and the public reached",
            "市公安局组织全警开展执法资格等级考试，参考民警1,236人，通过率92.4%。举办执法规范化专题培训班6期，"
            "轮训基层所队长和执法办案民警780人次。开展法治进校园活动150余场，受教育师生5.8万人次。"
            "全年受理群众报警求助42.3万起，查处治安案件1.1万起。",
            [("1,236人", 1236, "人", "exact", "training_participants"),
             ("92.4%", 92.4, "%", "exact", "rate_pct"),
             ("6期", 6, "期", "exact", "trainings_held"),
             ("780人次", 780, "人次", "exact", "training_participants"),
             ("150余场", 150, "场", "more_than", "publicity_events"),
             ("5.8万人次", 58000, "人次", "exact", "publicity_reach"),
             ("42.3万起", 423000, "起", "exact", "complaints_handled"),
             ("1.1万起", 11000, "起", "exact", "cases_handled")]),
    "029": ("住建 county, licences, speed, publishing, notices",
            "县住建局全年核发建筑工程施工许可证86张，办理商品房预售许可31件，平均办理时间由20个工作日压缩至7个工作日。"
            "在信用网站公示行政许可和行政处罚信息共计117条。开展建筑工地扬尘专项整治，下发整改通知书64份，"
            "处罚违规企业12家，罚款38.5万元。",
            [("86张", 86, "张", "exact", "approvals"),
             ("31件", 31, "件", "exact", "approvals"),
             ("20个工作日", 20, "个工作日", "exact", "service_efficiency"),
             ("7个工作日", 7, "个工作日", "exact", "service_efficiency"),
             ("117条", 117, "条", "exact", "information_disclosure"),
             ("64份", 64, "份", "exact", "hazards_found"),
             ("12家", 12, "家", "exact", "cases_handled"),
             ("38.5万元", 385000, "元", "exact", "penalties_amount")]),
    "030": ("生态环境 county, meetings, lectures, drills, approvals",
            "县生态环境分局领导班子带头学法，全年局务会议学法8次，主要负责人讲法治课2次。"
            "组织全局干部职工参加网上学法用法考试，参考率100%。开展环境执法大练兵活动，组织执法人员岗位练兵4次。"
            "办理环评审批项目63个，审批时限压缩60%。",
            [("8次", 8, "次", "exact", "leadership_meetings"),
             ("2次", 2, "次", "exact", "trainings_held"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("4次", 4, "次", "exact", "trainings_held"),
             ("63个", 63, "个", "exact", "approvals"),
             ("60%", 60, "%", "exact", "service_efficiency")]),
    "031": ("民政 city, other agencies, registrations, own bodies",
            "市民政局联合公安、市场监管等8个部门开展打击整治养老诈骗专项行动，检查养老机构156家次，排查风险隐患43处。"
            "全市登记社会组织2,615家，其中2023年新登记126家。市民政局内设科室11个，下属事业单位5个。",
            [("8个", 8, "个", "exact", "other"),
             ("156家次", 156, "家次", "exact", "units_inspected"),
             ("43处", 43, "处", "exact", "hazards_found"),
             ("2,615家", 2615, "家", "exact", "venues_registered"),
             ("126家", 126, "家", "exact", "venues_registered"),
             ("11个", 11, "个", "exact", "organization"),
             ("5个", 5, "个", "exact", "organization")]),
    "032": ("交通 city, proposals, hotline, reconsideration",
            "全年办理市人大代表建议41件、市政协提案58件，办复率100%。受理12345政务服务热线工单6,128件，"
            "工单按时办结率98.7%。发生行政复议案件14件、行政诉讼案件9件，均未被纠错。",
            [("41件", 41, "件", "exact", "proposals_handled"),
             ("58件", 58, "件", "exact", "proposals_handled"),
             ("100%", 100, "%", "exact", "rate_pct"),
             ("6,128件", 6128, "件", "exact", "complaints_handled"),
             ("98.7%", 98.7, "%", "exact", "rate_pct"),
             ("14件", 14, "件", "exact", "reconsideration_litigation"),
             ("9件", 9, "件", "exact", "reconsideration_litigation")]),
    "033": ("政府信息公开年度报告, releases and requests",
            "本年度共召开政策发布会6场，发布政策解读稿件73篇，通过政务新媒体发布信息4,812条。"
            "全年收到依申请公开事项116件，已全部按时办结。因政府信息公开被提起行政复议2件，结果维持2件。",
            [("6场", 6, "场", "exact", "information_disclosure"),
             ("73篇", 73, "篇", "exact", "information_disclosure"),
             ("4,812条", 4812, "条", "exact", "information_disclosure"),
             ("116件", 116, "件", "exact", "information_disclosure"),
             ("2件", 2, "件", "exact", "reconsideration_litigation"),
             ("维持2件", 2, "件", "exact", "reconsideration_litigation")]),
    "034": ("教育 city, institutions registered, inspected, ordered to rectify",
            "全市现有校外培训机构412家，本年度审批新设非学科类培训机构23家。开展校外培训机构联合执法检查9轮次，"
            "检查机构637家次，责令整改29家。全市中小学校园法治宣传覆盖率100%。",
            [("412家", 412, "家", "exact", "venues_registered"),
             ("23家", 23, "家", "exact", "venues_registered"),
             ("9轮次", 9, "轮次", "exact", "enforcement_inspections"),
             ("637家次", 637, "家次", "exact", "units_inspected"),
             ("29家", 29, "家", "exact", "hazards_found"),
             ("100%", 100, "%", "exact", "rate_pct")]),
}


def write() -> None:
    rows = []
    for doc, (_what, text, gold) in PASSAGES.items():
        (HERE / f"{doc}.txt").write_text(text + "\n", encoding="utf-8")
        for quote, value, unit, qualifier, category in gold:
            assert quote in text, (doc, quote)
            rows.append({"doc": doc, "quote": quote, "value": value, "unit": unit,
                         "qualifier": qualifier, "subject": "", "category": category})
    (HERE / "gold.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                     encoding="utf-8")


if __name__ == "__main__":
    write()
