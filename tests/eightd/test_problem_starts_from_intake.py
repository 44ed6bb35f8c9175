"""D2 starts from what intake recorded (SPEC §3: the customer never tells the story twice)."""

from kesu.eightd.models import Discipline


def _d2(complaint) -> dict:
    return Discipline.objects.get(report__complaint=complaint, code="d2").content


def test_the_description_and_quantity_seed_the_problem_statement(make_complaint):
    d2 = _d2(make_complaint(description="来料检验发现表面划伤。", quantity_affected=120))
    assert d2["what"] == "来料检验发现表面划伤。"
    assert d2["how_many"] == "120"
    # Where and when the defect arose are the team's findings, not intake's.
    assert d2["where"] == "" and d2["when"] == ""
    assert d2["repeat"] is False


def test_a_repeat_is_marked_and_no_quantity_leaves_how_many_blank(make_complaint):
    d2 = _d2(make_complaint(is_repeat=True, quantity_affected=""))
    assert d2["repeat"] is True and d2["how_many"] == ""


def test_a_description_longer_than_a_d2_field_is_cut_to_fit(make_complaint):
    d2 = _d2(make_complaint(description="划" * 5000))
    assert d2["what"] == "划" * 4000
