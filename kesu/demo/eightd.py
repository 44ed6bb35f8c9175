"""The demo's 8D documents, built from a scenario's cause, escape and actions as an engineer
would fill the structured form. Chinese data, not translated."""

import re
from datetime import date, timedelta

from kesu.demo.data import Scenario

# Words that place a cause in one of the 6M (人机料法环测).
SIX_M_WORDS = (
    ("material", ("来料", "供应商", "材料", "原材料", "批次")),
    ("machine", ("设备", "夹具", "模具", "温控", "机台", "刀具", "传感器")),
    ("measurement", ("检验", "检测", "抽样", "测量", "量具")),
    ("environment", ("湿", "温度", "环境", "海运", "粉尘")),
    ("man", ("作业员", "培训", "人员", "操作")),
)


def six_m(text: str, default: str = "method") -> str:
    for category, words in SIX_M_WORDS:
        if any(word in text for word in words):
            return category
    return default


def split_actions(text: str) -> list[str]:
    """"1. 更换温控器；2. 附着力检验改为…" → the single actions."""
    parts = re.split(r"[；;]\s*|\s*\d+[.、]\s*", text)
    return [p.strip("。 ") for p in parts if p.strip("。 ")]


def problem(s: Scenario, received: date, contact: str, lot: str) -> dict:
    return {
        "what": s.title,
        "where": "客户来料检验及生产线",
        "when": received.isoformat(),
        "who": contact,
        "why": s.description,
        "how": "客户检验发现后反馈，并附不良照片",
        "how_many": f"{s.quantity}件" if s.quantity else "待确认",
        "is_is_not": [
            {"aspect": "批次", "is": lot or "投诉批次", "is_not": "此前交付批次"},
            {"aspect": "客户", "is": "该客户", "is_not": "其他客户（已排查）"},
        ],
        "repeat": s.is_repeat,
    }


def containment(s: Scenario, today: date, rng) -> dict:
    checked = rng.randint(8, 30) * 100
    return {
        "actions": [
            {
                "location": "our_stock", "action": "厂内库存全数隔离挑选", "qty_checked": checked,
                "qty_bad": rng.randint(0, 12), "owner": "仓储部 罗彬", "start": today.isoformat(),
                "end": today.isoformat(), "effectiveness": "挑选后抽检200件无不良",
            },
            {
                "location": "in_transit", "action": "在途品到货后优先挑选", "qty_checked": 500,
                "qty_bad": rng.randint(0, 5), "owner": "计划部 何静", "start": today.isoformat(),
                "effectiveness": "在途批次挑选记录齐全",
            },
            {
                "location": "at_customer", "action": "派员到客户现场协助挑选并更换不良品",
                "qty_checked": s.quantity * 10 if s.quantity else 1000,
                "qty_bad": s.quantity or 0, "owner": "客服部 王丽", "start": today.isoformat(),
                "effectiveness": "客户产线恢复正常，未再反馈",
            },
        ]
    }


def causes(s: Scenario, cause: str) -> dict:
    return {
        "occurrence": {
            "statement": cause,
            "whys": [f"为什么出现“{s.title}”？", cause, "该失效模式未在PFMEA中识别"],
            "category": six_m(cause),
            "verification": "按该原因复现试验，不良重现；消除原因后试产200件无不良",
        },
        "escape": {
            "statement": s.escape,
            "whys": ["为什么不良未被拦截？", s.escape],
            "category": six_m(s.escape, "measurement"),
            "verification": "用原检验方案复检留样，确认无法检出",
        },
    }


def actions(action: str, today: date, owner: str) -> dict:
    steps = split_actions(action) or [action]
    rows = [
        {"cause": "occurrence", "action": text, "owner": owner,
         "due": (today + timedelta(days=7)).isoformat(), "verified": True,
         "verification": "小批量试产验证有效"}
        for text in steps
    ]
    rows.append(
        {"cause": "escape", "action": "出货检验增加该特性检查并加严抽样", "owner": "质量部 张磊",
         "due": (today + timedelta(days=7)).isoformat(), "verified": True,
         "verification": "模拟检验可100%检出留样不良"}
    )
    return {"actions": rows}


def implementation(plan: dict, today: date) -> dict:
    return {
        "implementations": [
            {"action": row["action"], "owner": row["owner"], "planned": row["due"],
             "done": today.isoformat(), "evidence": "实施记录、首件检验报告及连续3批过程数据"}
            for row in plan["actions"]
        ],
        "containment_removed": today.isoformat(),
        "containment_removal_note": "永久措施实施后连续3批检验合格，临时挑选措施解除",
    }


def prevention(s: Scenario, product_line: str, today: date) -> dict:
    return {
        "rollout": [
            {"kind": "product", "target": f"{product_line}同类产品", "owner": "工程管理部",
             "due": today.isoformat(), "done": today.isoformat()},
            {"kind": "line", "target": "二号生产线", "owner": "生产部 郭勇",
             "due": today.isoformat(), "done": today.isoformat()},
        ],
        "pfmea": {"status": "done", "reference": "PFMEA 已增加该失效模式"},
        "control_plan": {"status": "done", "reference": "控制计划已更新"},
        "work_instruction": {"status": "done", "reference": "作业指导书已修订"},
        "inspection_standard": {"status": "done", "reference": "检验标准已加严"},
        "lesson_learned": f"{s.title}：同类风险纳入新品评审清单及新员工培训。",
    }


def closure(s: Scenario, today: date) -> dict:
    return {
        "recognition": "感谢改善小组全体成员的快速响应与努力。",
        "closure": f"{s.title}已有效解决，后续批次验证合格，客诉关闭。",
        "closed_on": today.isoformat(),
    }
