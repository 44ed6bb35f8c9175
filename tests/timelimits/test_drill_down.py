"""Every number on the on-time report opens the complaints behind it (issue 11 part 7), and
its date inputs carry ISO values in Chinese, which <input type=date> needs."""

import re
from datetime import timedelta
from html import unescape

from kesu.complaints.choices import Status
from tests.timelimits.conftest import MONDAY_9, local

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def _links(html, field):
    return {
        re.sub(r"<[^>]+>", "", m.group(2)).strip(): unescape(m.group(1))
        for m in re.finditer(
            rf'data-field="{field}">.*?<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S
        )
    }


def test_each_number_lists_its_complaints(as_user, cs_agent, make_complaint, drive, at):
    with at(MONDAY_9):
        on_time = make_complaint(severity="general", title="按时的客诉")
        late = make_complaint(severity="general", title="超时的客诉")
    with at(MONDAY_9 + timedelta(hours=1)):
        drive(on_time, Status.ASSESSED)
    with at(local(2026, 3, 9, 14, 0)):
        drive(late, Status.ASSESSED)
    client = as_user(cs_agent)
    with at(local(2026, 3, 9, 16, 0)):
        html = client.get("/time-limits/on-time/", PERIOD).content.decode()
        total = html.split('data-row="total"')[1].split("</tr>")[0]
        [late_url] = _links(total, "late").values()
        [on_time_url] = _links(total, "on_time").values()
        late_list = client.get(late_url).content.decode()
        on_time_list = client.get(on_time_url).content.decode()
    assert "超时的客诉" in late_list and "按时的客诉" not in late_list
    assert "按时的客诉" in on_time_list and "超时的客诉" not in on_time_list
    assert "data-extra-filter" in late_list and 'name="due_outcome" value="late"' in late_list


def test_a_person_row_narrows_to_that_person(as_user, cs_agent, make_complaint, at):
    with at(MONDAY_9):
        make_complaint(severity="general", title="小王的客诉")
    client = as_user(cs_agent)
    with at(local(2026, 3, 9, 16, 0)):
        html = client.get("/time-limits/on-time/", PERIOD).content.decode()
        people = html.split('id="by-person"')[1]
        url = unescape(re.search(r'data-field="late">.*?<a href="([^"]+)"', people).group(1))
        assert f"due_assignee={cs_agent.pk}" in url
        assert "小王的客诉" in client.get(url).content.decode()


def test_bad_drill_down_parameters_are_refused(as_user, cs_agent):
    client = as_user(cs_agent)
    for params in (
        {"due_from": "2026/03/01", "due_to": "2026-03-31"},
        {"due_from": "2026-03-01", "due_to": "2026-03-31", "due_outcome": "x"},
        {"due_from": "2026-03-01", "due_to": "2026-03-31", "due_department": "1 OR 1=1"},
    ):
        assert client.get("/complaints/", params).status_code == 400, params


def test_the_period_inputs_carry_iso_dates_in_chinese(as_user, dept_manager):
    html = as_user(dept_manager).get(
        "/time-limits/on-time/", PERIOD, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'lang="zh-hans"' in html or "及时率" in html
    assert 'type="date" name="start" value="2026-03-01"' in html
    assert 'type="date" name="end" value="2026-03-31"' in html
