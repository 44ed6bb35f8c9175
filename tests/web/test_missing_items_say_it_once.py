"""What the 8D still lacks, as the next-step card lists it, names each thing once (issue 11 §6):
not "D4 根本原因（发生原因与流出原因）：发生原因：原因描述、发生原因：5个为什么分析…".
"""

import copy

import pytest

from kesu.complaints.choices import Status
from kesu.eightd.gates import plan_problems
from kesu.eightd.models import Discipline
from kesu.eightd.selectors import report_view
from kesu.eightd.services import discipline_update
from tests import eightd_data


@pytest.fixture
def analysis(make_complaint, drive):
    return drive(make_complaint(), Status.ANALYSIS)


def write(complaint, actor, code, content):
    discipline = Discipline.objects.get(report__complaint=complaint, code=code)
    discipline_update(
        actor=actor, complaint=complaint, code=code, version=discipline.version, content=content
    )


def lines(complaint) -> dict[str, str]:
    return {p.url.rsplit("#", 1)[1]: str(p) for p in plan_problems(report_view(complaint))}


def test_an_empty_d4_asks_for_both_causes_once(analysis):
    d4 = lines(analysis)["d4"]
    assert d4 == "D4 根本原因：分析发生原因和流出原因"


def test_a_half_written_cause_lists_only_its_missing_parts_after_its_name(analysis, engineer):
    d4 = copy.deepcopy(eightd_data.COMPLETE["d4"])
    d4["occurrence"]["verification"] = ""
    d4["occurrence"]["category"] = None
    d4["escape"] = {"statement": "", "whys": [], "category": None, "verification": ""}
    write(analysis, engineer, "d4", d4)
    assert lines(analysis)["d4"] == "D4 根本原因：发生原因的6M 类别和验证方法；分析流出原因"


def test_each_action_row_is_named_once_with_all_it_lacks(analysis, engineer):
    write(analysis, engineer, "d5", {"actions": [
        {"cause": "occurrence", "action": "更换定位销"},
        {"cause": "escape", "action": "增加侧面检查", "owner": "质量赵工", "due": "2026-03-10"},
    ]})
    assert lines(analysis)["d5"] == (
        "D5 选定永久纠正措施：措施 1 的负责人、完成期限和实施前验证；措施 2 的实施前验证"
    )


@pytest.mark.parametrize("code", ["d3", "d4", "d5"])
def test_no_problem_line_repeats_a_colon(analysis, code):
    # One colon after the discipline's name; what follows is one list, not "x：y、x：z".
    assert lines(analysis)[code].count("：") == 1
