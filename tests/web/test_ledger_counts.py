"""A ledger of a million rows is not counted to the last row (SPEC §14): the list and "my
work" count up to a cap and say "more than" beyond it; below the cap the count is exact."""

import pytest

from kesu.core import paging


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(paging, "CAP", 3)
    monkeypatch.setattr(paging, "WORK_CAP", 3)


def test_the_list_says_more_than_the_cap(as_user, cs_agent, make_complaint, cap_of_three):
    for n in range(5):
        make_complaint(title=f"第{n}条")
    page = as_user(cs_agent).get("/complaints/")
    html = page.content.decode()
    assert "超过 3 条客诉" in html
    assert page.context["page"].paginator.count == 4  # counted to the cap and one more


def test_below_the_cap_the_count_is_exact(as_user, cs_agent, make_complaint, cap_of_three):
    for n in range(3):
        make_complaint(title=f"第{n}条")
    html = as_user(cs_agent).get("/complaints/").content.decode()
    assert "共 3 条客诉" in html and "超过" not in html


def test_my_work_says_more_than_the_cap(as_user, cs_agent, make_complaint, cap_of_three):
    for n in range(5):
        make_complaint(title=f"第{n}条")
    html = as_user(cs_agent).get("/").content.decode()
    assert "超过 3 条客诉等待您处理" in html


def test_my_work_counts_to_its_own_smaller_cap(as_user, cs_agent, make_complaint, monkeypatch):
    monkeypatch.setattr(paging, "WORK_CAP", 2)
    for n in range(3):
        make_complaint(title=f"第{n}条")
    assert "超过 2 条客诉等待您处理" in as_user(cs_agent).get("/").content.decode()
    assert "共 3 条客诉" in as_user(cs_agent).get("/complaints/").content.decode()
