"""A complete 8D for tests: every discipline filled so that nothing is missing."""

from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_sign, discipline_update

COMPLETE = {
    "d1": {
        "champion": "工程部经理",
        "leader": "张工",
        "members": [{"name": "张工", "department": "工程管理部", "role": "组长"}],
    },
    "d2": {
        "what": "外壳划伤", "where": "客户来料检验", "when": "2026-03-02", "who": "客户IQC",
        "why": "外观不良", "how": "目视检查", "how_many": "120/5000",
        "is_is_not": [{"aspect": "批次", "is": "L2403", "is_not": "L2402"}],
        "repeat": False,
    },
    "d3": {"actions": [{
        "location": "our_stock", "action": "库存全检", "qty_checked": 3000, "qty_bad": 12,
        "owner": "仓库李工", "start": "2026-03-03", "end": "2026-03-04",
        "effectiveness": "复检无不良",
    }]},
    "d4": {
        "occurrence": {
            "statement": "夹具定位销磨损导致划伤",
            "whys": ["外壳有划痕", "夹具与外壳摩擦", "定位销磨损"],
            "category": "machine", "verification": "更换定位销后试产200件无划伤",
        },
        "escape": {
            "statement": "出货检验未覆盖侧面",
            "whys": ["侧面未检", "检验指导书未规定侧面"],
            "category": "method", "verification": "按新检验标准复检发现同类不良",
        },
    },
    "d5": {"actions": [
        {"cause": "occurrence", "action": "更换定位销并纳入点检", "owner": "设备王工",
         "due": "2026-03-10", "verified": True, "verification": "试产验证OK"},
        {"cause": "escape", "action": "检验指导书增加侧面检查", "owner": "质量赵工",
         "due": "2026-03-10", "verified": True, "verification": "模拟检验OK"},
    ]},
    "d6": {
        "implementations": [{"action": "更换定位销", "owner": "设备王工",
                             "planned": "2026-03-10", "done": "2026-03-09",
                             "evidence": "点检记录"}],
        "containment_removed": "2026-03-20", "containment_removal_note": "连续3批合格",
    },
    "d7": {
        "rollout": [{"kind": "line", "target": "二号线", "owner": "张工",
                     "due": "2026-03-20", "done": "2026-03-18"}],
        "pfmea": {"status": "done", "reference": "PFMEA-12 rev C"},
        "control_plan": {"status": "done", "reference": "CP-12"},
        "work_instruction": {"status": "na", "reference": ""},
        "inspection_standard": {"status": "done", "reference": "IS-7"},
        "lesson_learned": "夹具易损件须纳入点检",
    },
    "d8": {"recognition": "感谢团队", "closure": "问题关闭", "closed_on": "2026-03-25"},
}


def fill(complaint, actor, codes):
    """Write the given disciplines with the complete content."""
    for code in codes:
        discipline = Discipline.objects.get(report__complaint=complaint, code=code)
        discipline_update(
            actor=actor, complaint=complaint, code=code, version=discipline.version,
            content=COMPLETE[code],
        )


def approve(complaint, approver, codes, password):
    for code in codes:
        discipline_sign(
            actor=approver, complaint=complaint, code=code, password=password, meaning="approved"
        )
