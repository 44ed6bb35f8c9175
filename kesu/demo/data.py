"""What the demo company looks like: seed 000's organisation, master data, routing rules after
seed 003, and the complaints that are then recorded and worked through the services.

The content is Chinese data, as a Chinese factory would type it, and is not translated.
"""

from dataclasses import dataclass, field

from kesu.complaints.choices import Status
from kesu.org.models import ProcessKind, Role

# --- Organisation (seed 000) ------------------------------------------------------------------

CENTERS = [
    # code, name, head (username)
    ("C-MKT", "市场中心", "owner"),
    ("C-TEC", "技术中心", "center_head"),
    ("C-SCM", "供应链中心", "scm_head"),
]

DEPARTMENTS = [
    # code, name, center, manager (username), sees all complaints
    # Seed 000: customer service receives every complaint; Quality tracks every quality one.
    ("CS", "客服部", "C-MKT", "cs_manager", True),
    ("MKT", "市场部", "C-MKT", "sales_manager", False),
    ("ENG", "工程管理部", "C-TEC", "eng_manager", False),
    ("RD", "研发部", "C-TEC", "rd_director", False),
    ("QA", "质量部", "C-SCM", "qa_manager", True),
    ("PUR", "采购部", "C-SCM", "buyer", False),
    ("PLAN", "计划部", "C-SCM", "planner", False),
    ("PROD", "生产部", "C-SCM", "prod_manager", False),
    ("WH", "仓储部", "C-SCM", "wh_manager", False),
]

USERS = [
    # username, display name, role, department
    ("admin", "系统管理员", Role.ADMIN, None),
    ("agent", "客服专员 王丽", Role.CS_AGENT, "CS"),
    ("cs_manager", "客服部经理 赵敏", Role.DEPT_MANAGER, "CS"),
    ("sales", "跟单员 李娜", Role.SALES, "MKT"),
    ("sales_manager", "销售经理 周强", Role.SALES_MANAGER, "MKT"),
    ("director", "市场部总监 吴刚", Role.MARKETING_DIRECTOR, "MKT"),
    ("owner", "市场中心负责人 孙建国", Role.PROCESS_OWNER, "CS"),
    ("qe", "质量工程师 张磊", Role.QE, "QA"),
    ("qa_manager", "质量部经理 刘洋", Role.DEPT_MANAGER, "QA"),
    ("eng_manager", "工程管理部经理 刘志明", Role.DEPT_MANAGER, "ENG"),
    ("engineer", "工艺工程师 陈晨", Role.ENGINEER, "ENG"),
    ("rd_director", "研发总监 黄海涛", Role.RD_DIRECTOR, "RD"),
    ("rd_engineer", "研发项目经理 许文博", Role.ENGINEER, "RD"),
    ("buyer", "采购部经理 马骏", Role.DEPT_MANAGER, "PUR"),
    ("planner", "计划部经理 何静", Role.DEPT_MANAGER, "PLAN"),
    ("prod_manager", "生产部经理 郭勇", Role.DEPT_MANAGER, "PROD"),
    ("wh_manager", "仓储部经理 罗彬", Role.DEPT_MANAGER, "WH"),
    ("center_head", "技术中心负责人 郑伟", Role.CENTER_HEAD, None),
    ("scm_head", "供应链中心负责人 冯涛", Role.CENTER_HEAD, None),
    ("vp", "营销副总裁 陈志远", Role.VP, None),
]

PROCESSES = [
    # kind, owning department, owner (username)
    # Seed 000: complaint handling belongs to customer service and customer claims to marketing,
    # both owned by the head of the marketing center; quality exceptions belong to engineering
    # management, owned by the head of marketing.
    (ProcessKind.COMPLAINT_HANDLING, "CS", "owner"),
    (ProcessKind.CUSTOMER_CLAIMS, "MKT", "owner"),
    (ProcessKind.QUALITY_EXCEPTIONS, "ENG", "director"),
    # SPEC §8: quality returns → Quality, commercial returns → Marketing, replenishment →
    # Planning, supplier claims → Purchasing (material quality claims are led by Quality).
    (ProcessKind.QUALITY_RETURNS, "QA", "qa_manager"),
    (ProcessKind.COMMERCIAL_RETURNS, "MKT", "sales_manager"),
    (ProcessKind.REPLENISHMENT, "PLAN", "planner"),
    (ProcessKind.SUPPLIER_CLAIMS, "PUR", "buyer"),
]

# --- Master data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    grade: str
    login: str
    contact: str
    title: str
    phone: str
    email: str
    products: tuple[str, ...]
    status: str = "active"
    verification_lots: int | None = None


CUSTOMERS = [
    DemoCustomer(
        "C1001", "华星汽车部件有限公司", "strategic", "huaxing", "赵建华", "质量经理",
        "0512-6652 3301", "zhao.jianhua@huaxing-auto.example",
        ("MTR-BL42", "CON-HV", "STP-BUS", "INJ-GEAR"),
    ),
    DemoCustomer(
        "C1002", "东方电梯机电股份有限公司", "strategic", "dongfang", "钱文斌", "供应商质量工程师",
        "021-5833 1200", "qian.wenbin@dfelevator.example",
        ("MTR-BL57", "STP-BRK", "CON-TB"),
    ),
    DemoCustomer(
        "C1003", "博远新能源科技有限公司", "strategic", "boyuan", "孙晓梅", "采购经理",
        "0755-2671 8890", "sun.xiaomei@boyuan-ne.example",
        ("CON-HV", "STP-BUS", "INJ-BOX"),
        verification_lots=3,
    ),
    DemoCustomer(
        "C1004", "金龙家电有限公司", "key", "jinlong", "李国庆", "品质主管",
        "0757-2280 1166", "li.guoqing@jinlong-ha.example",
        ("MTR-380", "INJ-GEAR", "INJ-PNL"),
    ),
    DemoCustomer(
        "C1005", "恒源智能科技有限公司", "key", "hengyuan", "周婷", "SQE",
        "0571-8810 2345", "zhou.ting@hengyuan-tech.example",
        ("CON-FPC", "CON-USBC", "STP-SHD"),
    ),
    DemoCustomer(
        "C1006", "欣达自动化装备有限公司", "key", "xinda", "吴海峰", "采购主管",
        "0769-8521 6600", "wu.haifeng@xinda-auto.example",
        ("MTR-STP35", "MTR-GM25", "STP-BRK"),
    ),
    DemoCustomer(
        "C1007", "中和医疗器械有限公司", "key", "zhonghe", "郑丽华", "质量部经理",
        "010-8456 7720", "zheng.lihua@zhonghe-med.example",
        ("MTR-GM25", "INJ-HSG", "STP-SPR"),
        verification_lots=3,
    ),
    DemoCustomer(
        "C1008", "联合精密机械有限公司", "normal", "lianhe", "王志强", "采购员",
        "0523-8690 1028", "wang.zhiqiang@lianhe-pm.example",
        ("MTR-545", "STP-BRK", "CON-TB"),
    ),
    DemoCustomer(
        "C1009", "瑞通电子有限公司", "normal", "ruitong", "冯佳", "IQC组长",
        "0512-5790 3318", "feng.jia@ruitong-elec.example",
        ("CON-W2B", "CON-FPC", "STP-SHD", "STP-SPR"),
    ),
    DemoCustomer(
        "C1010", "天成智能家居有限公司", "normal", "tiancheng", "陈磊", "采购",
        "0760-8833 2470", "chen.lei@tiancheng-home.example",
        ("MTR-380", "INJ-CLP", "INJ-PNL"),
        status="suspended",
    ),
]  # fmt: skip

PRODUCT_LINES = [
    ("MTR", "微型电机"),
    ("CON", "连接器"),
    ("STP", "精密冲压件"),
    ("INJ", "注塑结构件"),
]

PRODUCTS = [
    # code, name, product line, grade
    ("MTR-380", "RS-380 直流有刷电机 12V", "MTR", "B"),
    ("MTR-545", "RS-545 直流有刷电机 24V", "MTR", "B"),
    ("MTR-BL42", "42 无刷直流电机 24V/60W", "MTR", "A"),
    ("MTR-BL57", "57 无刷直流电机 48V/200W", "MTR", "A"),
    ("MTR-GM25", "25mm 行星减速电机", "MTR", "B"),
    ("MTR-STP35", "35 两相步进电机", "MTR", "C"),
    ("CON-W2B", "2.54mm 线对板连接器", "CON", "C"),
    ("CON-FPC", "0.5mm FPC 翻盖连接器", "CON", "B"),
    ("CON-HV", "高压线束连接器 800V", "CON", "A"),
    ("CON-USBC", "Type-C 16P 母座", "CON", "B"),
    ("CON-TB", "接线端子排 10P", "CON", "C"),
    ("STP-BRK", "电机安装支架", "STP", "B"),
    ("STP-SHD", "屏蔽罩", "STP", "C"),
    ("STP-BUS", "镀锡铜排汇流条", "STP", "A"),
    ("STP-SPR", "接触弹片", "STP", "B"),
    ("INJ-HSG", "电机端盖 PA66+GF30", "INJ", "B"),
    ("INJ-GEAR", "POM 塑料齿轮", "INJ", "A"),
    ("INJ-PNL", "ABS 面板外壳", "INJ", "C"),
    ("INJ-CLP", "线束卡扣", "INJ", "C"),
    ("INJ-BOX", "PC 接线盒", "INJ", "B"),
]

SUPPLIERS = [
    # code, name, contact, phone, e-mail, status
    ("S2001", "宁波恒磁磁业有限公司", "孙经理", "0574-8765 1100", "sales@hengci.example", "active"),
    ("S2002", "江苏华铜新材料有限公司", "钱主管",
     "0510-8231 5566", "qian@huatong.example", "active"),
    ("S2003", "东莞新塑胶原料贸易有限公司", "林小姐",
     "0769-2298 4410", "lin@xinsujiao.example", "active"),
    ("S2004", "苏州精达电镀有限公司", "顾经理",
     "0512-6520 7788", "gu@jingda-plating.example", "active"),
    ("S2005", "上海申钢金属制品有限公司", "沈工",
     "021-5670 3321", "shen@shengang.example", "active"),
    ("S2006", "广州顺包包装材料有限公司", "黄先生",
     "020-3456 0987", "huang@shunbao.example", "suspended"),
]  # fmt: skip

DEFECT_GROUPS = [
    # group code, group name, [(code, name)]
    ("APP", "外观", [
        ("APP-SCR", "划伤"), ("APP-DRT", "脏污"), ("APP-DEF", "变形"), ("APP-CLR", "色差"),
        ("APP-RST", "锈蚀"), ("APP-PLT", "镀层不良"), ("APP-SHT", "缺料"),
    ]),
    ("DIM", "尺寸", [("DIM-OOT", "超差"), ("DIM-BUR", "毛刺")]),
    ("FUN", "功能", [("FUN-FAIL", "失效"), ("FUN-NOI", "异响"), ("FUN-PERF", "性能不达标")]),
    ("MAT", "材料", [("MAT-SPEC", "材质不符"), ("MAT-MIX", "混料")]),
    ("PKG", "包装", [("PKG-DMG", "破损"), ("PKG-QTY", "数量不符")]),
    ("LBL", "标识", [("LBL-ERR", "错误"), ("LBL-MIS", "缺失")]),
]  # fmt: skip

LOTS = 50
LOT_MONTHS = 6

# --- Routing (seed 003's process card, SPEC §4) -----------------------------------------------

ROUTING_RULES = [
    # priority, name, conditions, department, handler, tracker
    (10, "退货类 → 跟单员（8H）", {"category": "return"}, "MKT", "sales", None),
    (20, "产品设计类 → 研发总监（4H）", {"category": "design"}, "RD", "rd_director", None),
    (
        25,
        "注塑件质量问题 → 生产部，质量部跟踪",
        {"category": "quality", "product_line": "INJ"},
        "PROD",
        None,
        "qe",
    ),
    (30, "质量类 → 工程管理部，质量部跟踪", {"category": "quality"}, "ENG", None, "qe"),
    (40, "交付类 → 计划部", {"category": "delivery"}, "PLAN", "planner", None),
    (50, "商务类 → 销售经理", {"category": "commercial"}, "MKT", "sales_manager", None),
    (60, "服务类 → 客服部经理", {"category": "service"}, "CS", "cs_manager", None),
    (90, "其他类 → 销售经理（8H）", {"category": "other"}, "MKT", "sales_manager", None),
]

# Who does the work once a department has accepted a complaint.
DEPARTMENT_HANDLERS = {
    "ENG": "engineer",
    "RD": "rd_engineer",
    "MKT": "sales_manager",
    "PLAN": "planner",
    "PROD": "prod_manager",
    "QA": "qe",
    "CS": "cs_manager",
    "PUR": "buyer",
}

# --- Complaints -------------------------------------------------------------------------------

# Steps of the loop, in order, and the status each one leads to (see loader.STEPS).
COMPLAINT_PATH = ("assess", "dispatch", "accept", "plan", "confirm", "implement", "close")
FEEDBACK_PATH = ("reply", "follow_up", "close_feedback")
REACHED_BY = {
    Status.RECEIVED: 0,
    Status.ASSESSED: 1,
    Status.DISPATCHED: 2,
    Status.ANALYSIS: 3,
    Status.CONFIRMATION: 4,
    Status.IMPLEMENTATION: 5,
    Status.VERIFICATION: 6,
    Status.CLOSED: 7,
}
FEEDBACK_REACHED_BY = {Status.RECEIVED: 0, Status.REPLIED: 1, Status.FOLLOW_UP: 2, Status.CLOSED: 3}


def to(status, kind="complaint") -> tuple[str, ...]:
    """The steps that take a new record to `status` along the usual path."""
    if kind == "feedback":
        return FEEDBACK_PATH[: FEEDBACK_REACHED_BY[status]]
    return COMPLAINT_PATH[: REACHED_BY[status]]


@dataclass(frozen=True)
class Scenario:
    key: str
    customer: str
    product: str
    category: str
    severity: str
    channel: str
    days_ago: int
    title: str
    description: str
    remedies: tuple[str, ...]
    steps: tuple[str, ...]
    status: Status  # where the steps end; checked after loading
    kind: str = "complaint"
    defect: str | None = None
    quantity: int | None = None
    recorder: str = "agent"
    is_repeat: bool = False
    order_number: str = ""
    # 8D content: why it happened, why it escaped, what is done about it.
    cause: str = ""
    escape: str = "出货检验抽样方案未覆盖该特性，未能拦截不良品流出。"
    action: str = ""
    # After a rejected plan or a recurrence: the revised root cause and actions.
    revised_cause: str = ""
    revised_action: str = ""
    # The note of the deciding step: invalid, cancel, send back, reject, recurrence, reopen.
    notes: dict = field(default_factory=dict)
    # The customer's contact confirms the plan in the portal (else the agent records it).
    portal: bool = False
    # (after step, username or "customer", text, "internal" or "customer")
    comments: tuple[tuple[str, str, str, str], ...] = ()
    duplicate_of: str = ""
    # A fixed receipt time (local, ISO) instead of days_ago, and fixed delays before each step
    # (clock hours): for a history that must cross particular days of the calendar.
    received_local: str = ""
    gaps_hours: tuple[float, ...] = ()


C, F = "complaint", "feedback"

SCENARIOS = [
    # --- Closed -----------------------------------------------------------------------------
    # Received on the Friday before the 2026 Spring Festival: its due times cross the make-up
    # working days (Sat 2026-02-14 and Sat 2026-02-28, 调休) and the holiday in between.
    Scenario(
        "plating-spring-festival", "C1006", "STP-BRK", "quality", "general", "email", 0,
        "支架镀锌层局部起泡",
        "客户春节前最后一批来料检验发现支架镀锌层局部起泡，抽检80件中6件不良，"
            "客户要求节后复工前给出临时措施。",
        ("8d_report", "replacement"), to(Status.CLOSED), Status.CLOSED,
        defect="APP-PLT", quantity=6,
        received_local="2026-02-13T16:30:00",
        gaps_hours=(16.5, 1.0, 4.0, 284.0),
        cause="电镀前处理除油槽温度控制器故障，槽液温度偏低导致除油不彻底。",
        escape="镀层附着力检验为每班一次抽检，故障发生在两次抽检之间。",
        action="1. 更换温控器并增加槽温超限报警；2. 附着力检验改为每2小时一次。",
    ),
    Scenario(
        "noise-bl42", "C1001", "MTR-BL42", "quality", "serious", "email", 150,
        "42无刷电机运行异响",
        "客户座椅调节模块装配线终检发现42无刷电机在3000rpm附近有明显异响，抽检200台中18台异响，"
        "影响模块下线。客户要求24小时内提供临时措施并提交8D报告。",
        ("8d_report", "replacement"), to(Status.CLOSED), Status.CLOSED,
        defect="FUN-NOI", quantity=18, order_number="HX-PO-240612", portal=True,
        cause="转子动平衡工序的平衡机校准过期两个月，残余不平衡量超出工艺要求（≤0.5g·mm）。",
        escape="出货检验仅做空载电流测试，未设噪音测试项目，异响电机未被拦截。",
        action="1. 平衡机重新校准，并纳入月度点检表；2. 终检增加噪音测试工位（≤45dB(A)），"
        "100%检测；3. 平衡机校准到期由设备系统自动提醒。",
        comments=(
            ("create", "customer", "我司产线明天继续生产，"
                "请今天内确认替换品发货时间。", "customer"),
            ("assess", "agent", "已安排仓库备货200台替换品，明早发顺丰加急。", "customer"),
        ),
    ),
    Scenario(
        "hole-bracket", "C1002", "STP-BRK", "quality", "general", "hotline", 120,
        "电机安装支架孔位偏移",
        "客户来料检验发现安装支架M8孔位偏移约0.3mm，"
            "超出图纸±0.1mm公差，无法装配。涉及批次共500件。",
        ("8d_report", "return"), to(Status.CLOSED), Status.CLOSED,
        defect="DIM-OOT", quantity=500,
        cause="冲压模具定位销磨损，导致孔位整体偏移。",
        escape="首件检验项目中未包含孔位尺寸，巡检频次为每4小时一次，间隔过长。",
        action="1. 更换定位销并建立模具易损件寿命台账；"
            "2. 首件及巡检增加孔位三坐标检测，巡检改为每2小时一次。",
    ),
    Scenario(
        "gear-heat", "C1004", "INJ-GEAR", "design", "serious", "field", 110,
        "塑料齿轮高温环境下变形",
        "客户烘干机整机高温老化测试（85℃/500h）后，"
            "POM齿轮齿形变形导致传动卡滞，客户要求评估材料及结构设计。",
        ("explanation", "8d_report"), to(Status.CLOSED), Status.CLOSED,
        defect="APP-DEF", quantity=30, recorder="sales",
        cause="原设计选用普通均聚POM，长期耐温不足；齿根圆角偏小，高温下应力集中导致蠕变变形。",
        escape="设计验证只做了常温寿命试验，未按客户应用做高温老化验证。",
        action="1. 材料改为耐热共聚POM；2. 齿根圆角由R0.1增大至R0.3；"
            "3. 设计验证计划增加85℃/1000h高温老化。",
        comments=(("create", "sales", "客户拜访时现场确认了变形齿轮，"
            "已带回5件样品交研发部。", "internal"),),
    ),
    Scenario(
        "wrong-voltage", "C1008", "MTR-545", "return", "general", "hotline", 95,
        "545电机规格发错要求退货",
        "客户订单要求24V规格，实际收到12V电机共200台，要求全部退货并补发正确型号。",
        ("return", "replacement"), to(Status.CLOSED), Status.CLOSED,
        defect="LBL-ERR", quantity=200, order_number="LH-2407-033",
        cause="两种电压规格外箱标签外观相近，仓库拣货时未扫码核对型号。",
        escape="出库复核只核对数量，未核对规格。",
        action="1. 外箱标签按电压增加颜色区分；"
            "2. 出库强制扫码校验型号与订单一致；3. 补发200台24V电机。",
    ),
    Scenario(
        "invoice-mismatch", "C1004", "MTR-380", "commercial", "general", "email", 140,
        "6月对账单金额与发票不一致",
        "客户财务反映6月对账单金额比增值税发票多出3,200元，要求核对并重开发票。",
        ("explanation",), to(Status.CLOSED, F), Status.CLOSED, kind=F,
        notes={"reply": "已核对，差异为一笔退货未冲减，财务将重新开具发票，3个工作日内寄出。",
               "follow_up": "销售经理已与客户财务确认新发票金额无误并已签收。"},
    ),
    Scenario(
        "hotline-busy", "C1002", "CON-TB", "service", "general", "hotline", 90,
        "客服电话多次无人接听",
        "客户反映下午时段多次拨打400热线无人接听，希望改善响应。",
        ("explanation",), to(Status.CLOSED, F), Status.CLOSED, kind=F,
        notes={"reply": "非常抱歉，当日客服人员外出培训，已增加午间及下午值班安排。",
               "follow_up": "客服部已调整排班，热线接通率纳入客服月度考核。"},
    ),
    # --- Not valid and cancelled -------------------------------------------------------------
    Scenario(
        "fpc-solder", "C1009", "CON-FPC", "quality", "general", "email", 60,
        "FPC连接器焊接不良",
        "客户SMT贴片后发现部分FPC连接器引脚虚焊，要求我司分析原因。",
        ("explanation",), ("invalid",), Status.INVALID,
        defect="FUN-FAIL", quantity=120,
        notes={"invalid": "经对客户退回样品分析，连接器引脚共面度（≤0.08mm）及镀层厚度均合格；"
               "虚焊原因为客户回流焊炉温峰值偏低（228℃），低于我司规格书要求（245±5℃），"
               "非我司产品问题。分析报告已发送客户，并建议客户调整炉温曲线。"},
    ),
    Scenario(
        "stepper-lost-steps", "C1006", "MTR-STP35", "quality", "general", "wechat", 40,
        "步进电机运行丢步",
        "客户设备运行中35步进电机偶发丢步，导致定位偏差。",
        ("explanation",), ("invalid",), Status.INVALID,
        defect="FUN-PERF", quantity=5,
        notes={"invalid": "现场确认客户驱动器电流设置为1.0A，而电机额定电流为2.0A，"
               "调整至额定值后连续运行48小时无丢步，非产品质量问题。"},
    ),
    Scenario(
        "hv-pin-duplicate", "C1003", "CON-HV", "quality", "major", "hotline", 12,
        "高压连接器端子退针（电话）",
        "客户来电反映电池包装配时高压连接器端子退针。",
        ("8d_report",), ("cancel",), Status.CANCELLED,
        defect="FUN-FAIL", quantity=60, duplicate_of="hv-pin",
        notes={"cancel": "与 {duplicate} 为同一问题："
            "客户先邮件后电话重复反馈，合并在 {duplicate} 处理。"},
    ),
    Scenario(
        "panel-colour", "C1010", "INJ-PNL", "quality", "general", "hotline", 30,
        "面板外壳与样板色差",
        "客户反映本批面板外壳与封样样板存在轻微色差。",
        ("explanation",), ("cancel",), Status.CANCELLED,
        defect="APP-CLR", quantity=800,
        notes={"cancel": "客户复核后确认为其来料检验灯箱光源更换所致，撤回投诉。",
               "cancel_reason": "withdrawn"},
    ),
    # --- Special paths ------------------------------------------------------------------------
    Scenario(
        "usbc-life-reopened", "C1005", "CON-USBC", "quality", "general", "email", 100,
        "Type-C母座插拔寿命不足",
        "客户寿命测试5000次插拔后接触电阻超过30mΩ，规格要求10000次后≤30mΩ。",
        ("8d_report",), (*to(Status.CLOSED), "reopen", "assess", "dispatch"), Status.DISPATCHED,
        defect="FUN-FAIL", quantity=50,
        cause="端子镀金层厚度偏下限（0.05μm），耐磨性不足。",
        escape="镀层厚度为供应商出厂报告确认，我司来料未抽测。",
        action="1. 镀金厚度规格提高至≥0.1μm；2. 来料每批X-ray测厚；3. 寿命试验纳入季度型式试验。",
        notes={"reopen": "客户反馈对策后第3批仍有2%样品在8000次插拔后接触电阻偏高，重新打开处理。"},
    ),
    Scenario(
        "rust-gm25-recurrence", "C1007", "MTR-GM25", "quality", "serious", "email", 80,
        "减速电机输出轴锈蚀",
        "客户来料发现减速电机输出轴表面锈点，医疗设备对外观及清洁度要求严格，本批40台全部隔离。",
        ("8d_report", "replacement"),
        (*to(Status.VERIFICATION), "recurrence", "plan", "confirm", "implement"),
        Status.VERIFICATION,
        defect="APP-RST", quantity=40, portal=True,
        cause="输出轴磨削后防锈油涂覆不均，局部漏涂。",
        escape="出货检验为目视抽检，未使用放大镜检查轴面。",
        action="1. 防锈油改为浸涂并延长沥干时间；2. 出货检验增加10倍放大镜检查轴面。",
        revised_cause="补充分析：包装内防锈纸在海运高湿环境下失效，是锈蚀再发的主因。",
        revised_action="1. 包装改为VCI防锈袋并加干燥剂；"
            "2. 海运批次增加湿度指示卡；3. 原对策继续执行。",
        notes={"recurrence": "验证期第2批仍发现3台输出轴锈点，对策未完全有效，退回原因分析。"},
    ),
    Scenario(
        "encoder-plan-rejected", "C1002", "MTR-BL57", "quality", "serious", "hotline", 70,
        "57无刷电机编码器信号丢失",
        "客户电梯门机调试中出现编码器信号丢失报警，更换电机后恢复。累计发生8台。",
        ("8d_report", "replacement"),
        (*to(Status.CONFIRMATION), "reject", "plan", "confirm"), Status.IMPLEMENTATION,
        defect="FUN-FAIL", quantity=8, portal=True,
        cause="编码器板排针焊点虚焊，振动后接触不良。",
        action="1. 波峰焊参数优化（预热温度提高20℃）；2. 编码器板增加焊点AOI检测。",
        revised_cause="发生原因：编码器板排针焊点虚焊。流出原因：成品测试仅静态读取编码器信号，"
        "未做振动条件下的信号测试，因此虚焊未被检出。",
        revised_action="1. 波峰焊参数优化；2. 编码器板AOI检测；"
            "3. 成品测试增加振动台信号监测（5~200Hz扫频）；"
        "4. 客户端库存全数更换。",
        notes={"reject": "原因分析只说明了焊点虚焊，"
            "未说明为何出厂测试未检出；请补充流出原因及对策。"},
    ),
    # --- In progress --------------------------------------------------------------------------
    Scenario(
        "noise-bl42-repeat", "C1001", "MTR-BL42", "quality", "serious", "email", 20,
        "42无刷电机异响再次发生",
        "本月来料抽检再次发现3台电机异响，与上次异响问题现象相同，请确认上次对策是否有效。",
        ("8d_report",), to(Status.ANALYSIS), Status.ANALYSIS,
        defect="FUN-NOI", quantity=3, is_repeat=True,
        comments=(("accept", "engineer", "已调取三台电机的动平衡记录，数据均在规格内，"
            "怀疑轴承游隙问题，正在拆解分析。", "internal"),),
    ),
    Scenario(
        "hv-pin", "C1003", "CON-HV", "quality", "major", "email", 12,
        "高压连接器端子退针",
        "客户电池包装配时发现高压连接器端子退针，插拔力测试不合格，"
            "存在高压接触不良及热失控风险，客户已停线。",
        ("8d_report", "replacement", "compensation"), to(Status.CONFIRMATION), Status.CONFIRMATION,
        defect="FUN-FAIL", quantity=60, order_number="BY-2410-118", portal=True,
        cause="端子一次锁止结构（倒刺）冲压高度不足，保持力低于规格（≥60N）。",
        escape="端子保持力为每班首件抽测1件，未覆盖模具磨损后的变化。",
        action="1. 修模恢复倒刺高度；2. 端子保持力改为每2小时抽测5件；3. 客户端库存全数返工检测。",
        comments=(("create", "customer", "我司产线已停线，请今天内给出围堵方案。", "customer"),),
    ),
    Scenario(
        "gearbox-leak", "C1006", "MTR-GM25", "quality", "serious", "field", 18,
        "减速电机齿轮箱漏油",
        "客户设备运行一周后发现减速电机齿轮箱结合面渗油，污染设备下方产品。",
        ("8d_report", "replacement"), to(Status.CONFIRMATION), Status.CONFIRMATION,
        defect="FUN-FAIL", quantity=12, recorder="sales",
        cause="齿轮箱结合面O形圈压缩量不足，润滑脂高温下析油渗出。",
        action="1. O形圈沟槽深度修正；2. 润滑脂更换为低析油型号；3. 成品增加45℃/24h渗油试验抽检。",
    ),
    Scenario(
        "fpc-latch", "C1005", "CON-FPC", "design", "general", "email", 25,
        "FPC连接器翻盖锁扣易断",
        "客户产线反映翻盖锁扣在操作3~5次后断裂，要求改进设计。",
        ("explanation", "8d_report"), to(Status.CONFIRMATION), Status.CONFIRMATION,
        defect="FUN-FAIL", quantity=300,
        cause="翻盖转轴处壁厚0.15mm，LCP材料在该壁厚下韧性不足。",
        action="转轴处壁厚增加至0.22mm并增加加强筋，样品已通过50次翻盖测试。",
    ),
    Scenario(
        "brush-wear", "C1004", "MTR-380", "quality", "general", "hotline", 50,
        "380电机碳刷异常磨损",
        "客户寿命测试400小时后部分电机碳刷磨损至极限，规格要求寿命600小时。",
        ("8d_report",), to(Status.VERIFICATION), Status.VERIFICATION,
        defect="FUN-PERF", quantity=20,
        cause="碳刷供应商变更配方，硬度偏低。",
        action="恢复原配方碳刷，并要求供应商变更须提前书面通知（4M变更管理）。",
    ),
    Scenario(
        "spring-force", "C1009", "STP-SPR", "quality", "general", "email", 35,
        "接触弹片弹力不足",
        "客户反映接触弹片装配后接触压力不足，导致间歇性接触不良。",
        ("8d_report", "replacement"), to(Status.IMPLEMENTATION), Status.IMPLEMENTATION,
        defect="FUN-PERF", quantity=2000,
        cause="热处理炉温偏低，弹片硬度不足（HV380，要求HV420~480）。",
        action="1. 热处理炉温度校准；2. 每炉次增加硬度抽检；3. 弹力测试纳入出货检验。",
    ),
    Scenario(
        "short-shot-housing", "C1007", "INJ-HSG", "quality", "serious", "email", 45,
        "电机端盖卡扣缺料",
        "端盖卡扣位置缺料（短射），装配后卡扣断裂，影响医疗设备密封。",
        ("8d_report", "replacement"), to(Status.IMPLEMENTATION), Status.IMPLEMENTATION,
        defect="APP-SHT", quantity=150,
        cause="PA66+GF30原料干燥不足，熔体流动性下降，卡扣末端充填不满。",
        action="1. 原料干燥时间由2小时延长至4小时并监控含水率≤0.2%；"
            "2. 卡扣部位增加排气槽；3. 全检卡扣外观。",
    ),
    Scenario(
        "hv-temp-rise", "C1001", "CON-HV", "quality", "major", "email", 8,
        "高压连接器温升超标",
        "客户整车台架试验中高压连接器在250A持续电流下温升达到62K，超出规格（≤55K）。",
        ("8d_report",), to(Status.ANALYSIS), Status.ANALYSIS,
        defect="FUN-PERF", quantity=10, portal=True,
    ),
    Scenario(
        "plating-blister", "C1008", "STP-BRK", "quality", "general", "hotline", 10,
        "支架镀锌层起泡",
        "客户来料发现支架表面镀锌层局部起泡，盐雾试验48小时即出现白锈。",
        ("8d_report", "replacement"), to(Status.ANALYSIS), Status.ANALYSIS,
        defect="APP-PLT", quantity=1000,
        comments=(("accept", "engineer", "初步判断为外协电镀（苏州精达电镀 S2004）前处理不良，"
            "已通知采购部准备供应商索赔。", "internal"),),
    ),
    Scenario(
        "ip67-box", "C1003", "INJ-BOX", "design", "serious", "email", 9,
        "接线盒防护等级不满足IP67",
        "客户浸水试验（1m/30min）后接线盒内部进水，不满足IP67要求。",
        ("8d_report", "explanation"), to(Status.ANALYSIS), Status.ANALYSIS,
        defect="FUN-FAIL", quantity=20,
    ),
    Scenario(
        "busbar-tin-return", "C1003", "STP-BUS", "return", "serious", "email", 15,
        "铜排镀锡层厚度不足整批退货",
        "客户检测铜排镀锡层厚度平均3μm，低于图纸要求5~8μm，要求整批退货。",
        ("return", "replacement"), to(Status.ANALYSIS), Status.ANALYSIS,
        defect="APP-PLT", quantity=3000,
    ),
    Scenario(
        "panel-scratch", "C1004", "INJ-PNL", "quality", "general", "wechat", 5,
        "面板外壳表面划伤",
        "客户来料检验发现面板外壳可视面划伤，不良率约3%。",
        ("replacement",), to(Status.DISPATCHED), Status.DISPATCHED,
        defect="APP-SCR", quantity=90,
    ),
    Scenario(
        "terminal-thread", "C1002", "CON-TB", "quality", "general", "email", 4,
        "接线端子螺钉滑牙",
        "客户装配时发现接线端子排螺钉拧紧力矩达到0.8N·m即滑牙，规格要求1.2N·m。",
        ("8d_report",), to(Status.DISPATCHED), Status.DISPATCHED,
        defect="FUN-FAIL", quantity=40,
    ),
    Scenario(
        "busbar-late", "C1001", "STP-BUS", "delivery", "serious", "hotline", 3,
        "铜排交付延迟，客户有停线风险",
        "客户订单HX-PO-241020要求10月25日到货5000件，实际仅到货2000件，客户库存仅够2天生产。",
        ("replacement",), to(Status.DISPATCHED), Status.DISPATCHED,
        quantity=3000, order_number="HX-PO-241020",
    ),
    Scenario(
        "w2b-oxidation", "C1009", "CON-W2B", "quality", "general", "email", 3,
        "线对板连接器端子氧化",
        "客户仓库存放3个月的连接器端子表面发黑，可焊性下降。",
        ("8d_report", "replacement"), to(Status.ASSESSED), Status.ASSESSED,
        defect="APP-RST", quantity=5000,
    ),
    Scenario(
        "bracket-hardness-sent-back", "C1006", "STP-BRK", "quality", "serious", "hotline", 6,
        "支架材料硬度不符",
        "客户折弯装配时支架开裂，送检硬度HRB92，图纸要求HRB60~75。",
        ("8d_report", "replacement"), (*to(Status.DISPATCHED), "send_back"), Status.ASSESSED,
        defect="MAT-SPEC", quantity=600,
        notes={"send_back": "初步分析为冷轧钢带来料硬度不符（供应商上海申钢 S2005），"
            "属来料质量问题，"
               "建议改由质量部主导供应商质量改善。"},
    ),
    Scenario(
        "shield-dimension", "C1005", "STP-SHD", "quality", "general", "email", 1,
        "屏蔽罩高度尺寸超差",
        "客户SMT后发现屏蔽罩高度2.15mm，图纸要求2.0±0.1mm，与外壳干涉。",
        ("8d_report",), (), Status.RECEIVED,
        defect="DIM-OOT", quantity=400,
    ),
    Scenario(
        "clip-overship", "C1010", "INJ-CLP", "return", "general", "hotline", 0,
        "线束卡扣多发要求退回",
        "客户订单10000件，实际到货12000件，多出2000件要求退回并更正发货单。",
        ("return",), (), Status.RECEIVED,
        defect="PKG-QTY", quantity=2000,
    ),
    Scenario(
        "gm25-noise-medical", "C1007", "MTR-GM25", "design", "major", "transfer", 2,
        "减速电机噪音超出医疗设备要求",
        "客户新一代输液泵要求电机噪音≤35dB(A)，"
            "现有减速电机实测42dB(A)，客户销售总监直接联系我司销售经理。",
        ("explanation", "8d_report"), (), Status.RECEIVED,
        defect="FUN-NOI", recorder="sales_manager",
    ),
    Scenario(
        "pay-terms", "C1001", "STP-BUS", "commercial", "general", "field", 7,
        "申请调整季度付款账期",
        "客户采购在拜访中提出希望将付款账期由60天调整为90天。",
        ("explanation",), to(Status.REPLIED, F), Status.REPLIED, kind=F, recorder="sales",
        notes={"reply": "已收到贵司申请，我司将在本月经营会议上评估，两周内书面答复。"},
    ),
    Scenario(
        "training-request", "C1005", "CON-USBC", "service", "general", "email", 5,
        "希望提供技术人员现场培训",
        "客户新产线投产，希望我司派技术人员到现场培训连接器压接工艺。",
        ("explanation",), to(Status.REPLIED, F), Status.REPLIED, kind=F,
        notes={"reply": "可以安排，我司客服部将与贵司确认培训时间及人数。"},
    ),
    Scenario(
        "pallet-packing", "C1006", "MTR-GM25", "delivery", "general", "email", 14,
        "希望改用托盘包装交货",
        "客户仓库改造后希望所有来货改为托盘包装，便于叉车卸货。",
        ("explanation",), to(Status.FOLLOW_UP, F), Status.FOLLOW_UP, kind=F,
        notes={"reply": "已收到，计划部将评估托盘包装方案及成本。",
               "follow_up": "计划部已确认下月起改为1.2m×1.0m托盘包装，首批将于下周发货。"},
    ),
    Scenario(
        "rohs-report", "C1009", "STP-SHD", "other", "general", "email", 11,
        "随货资料缺少RoHS检测报告",
        "客户IQC要求每批随货提供RoHS检测报告，本批未附。",
        ("explanation",), to(Status.FOLLOW_UP, F), Status.FOLLOW_UP, kind=F,
        notes={"reply": "已补发电子版报告，后续将随货附纸质报告。",
               "follow_up": "市场部已将RoHS报告加入该客户的随货资料清单。"},
    ),
    Scenario(
        "delivery-window", "C1003", "CON-HV", "delivery", "general", "wechat", 1,
        "送货时间与收货窗口不符",
        "客户仓库收货时间为8:00~16:00，我司物流两次在18:00后送达，无法卸货。",
        ("explanation",), (), Status.RECEIVED, kind=F,
    ),
]  # fmt: skip
