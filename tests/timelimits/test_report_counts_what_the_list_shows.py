"""The on-time report counts what the person reading it may see (issue 11 part 7): each number's
link opens exactly as many complaints as it names, because the report is scoped like the list
it links to. A department manager's report leaves out complaints of other departments."""

import re
from html import unescape

from kesu.complaints.choices import Status
from tests.fixtures import step
from tests.timelimits.conftest import MONDAY_9, local

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
LATER = local(2026, 3, 11, 16, 0)


def _links(html):
    """(complaints named, link) for every number of the report."""
    return [
        (int(m.group(2)), unescape(m.group(1)))
        for m in re.finditer(r'<a href="([^"]+)" data-behind="(\d+)"', html)
    ]


def _rows(client, url):
    return len(re.findall(r'<tr data-number="', client.get(url).content.decode()))


def test_every_number_equals_the_rows_behind_its_link_and_outsiders_are_left_out(
    as_user, cs_agent, qe, dept_manager, make_complaint, drive, org_chart, at
):
    with at(MONDAY_9):
        ours = [drive(make_complaint(title=f"工程部的客诉{n}"), Status.ANALYSIS) for n in range(2)]
        elsewhere = make_complaint(title="采购部的客诉")
        step(elsewhere, cs_agent, "assess_valid",
             responsible_department=org_chart["pur"].pk, tracker=qe.pk)
        make_complaint(title="还没分派的客诉")
    client = as_user(dept_manager)
    with at(LATER):
        html = client.get("/time-limits/on-time/", PERIOD).content.decode()
        links = _links(html)
        assert len(links) >= 8
        for named, url in links:
            assert _rows(client, url) == named, url
        # The whole report is about the engineering department's two complaints.
        total = html.split('data-row="total"')[1].split("</tr>")[0]
        assert sum(named for named, _url in _links(total)[:3]) >= 2
        everything = client.get(_links(total)[0][1].split("&due_outcome")[0]).content.decode()
    assert set(re.findall(r'<tr data-number="([^"]+)"', everything)) == {c.number for c in ours}
    # Someone who sees every complaint has the others' steps in theirs, behind the same links.
    qe_client = as_user(qe)
    with at(LATER):
        everyone = qe_client.get("/time-limits/on-time/", PERIOD).content.decode()
        total = everyone.split('data-row="total"')[1].split("</tr>")[0]
        url = _links(total)[0][1].split("&due_outcome")[0]
        all_of_them = qe_client.get(url).content.decode()
    assert elsewhere.number in all_of_them and elsewhere.number not in everything
