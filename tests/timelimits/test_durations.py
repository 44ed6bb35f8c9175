"""Durations read one way everywhere (issue 11 part 6): hours and minutes under a day, days and
hours from a day on, the state word said once; overdue in calendar time, time left and limits in
the step calendar's business days."""

from datetime import timedelta

import pytest
from django.utils import translation

from kesu.core import clock
from kesu.core.businesstime import Schedule
from kesu.core.display import duration_text
from kesu.timelimits.models import Step

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("value", "day_minutes", "text"),
    [
        (20 * M, None, "20 分钟"),
        (H, None, "1 小时"),
        (3 * H + 20 * M, None, "3 小时 20 分"),
        (3 * H + 5 * M, None, "3 小时 5 分"),
        (51 * H + 59 * M, None, "2 天 3 小时"),
        (48 * H, None, "2 天"),
        (-(449 * H), None, "18 天 17 小时"),
        (7 * H + 59 * M, 480, "7 小时 59 分"),
        (19 * H, 480, "2 个工作日 3 小时"),
        (40 * H, 480, "5 个工作日"),
        (168 * H, 1440, "7 天"),
    ],
)
def test_one_format_in_chinese(value, day_minutes, text):
    with translation.override("zh-hans"):
        assert duration_text(value, day_minutes=day_minutes) == text


def test_english_says_the_same():
    with translation.override("en"):
        assert duration_text(51 * H) == "2 d 3 h"
        assert duration_text(9 * H, day_minutes=480) == "1 business day 1 h"


def test_a_business_day_is_the_calendars_working_day():
    factory = Schedule(
        time_zone="Asia/Shanghai",
        weekly={day: [(510, 720), (780, 1050)] for day in range(5)} | {5: [(510, 720)]},
    )
    assert factory.day_minutes == 480
    assert Schedule.always().day_minutes == 1440


def _overdue(complaint, by):
    now = clock.now()
    Step.objects.filter(complaint=complaint).update(
        due_at=now - by, started_at=now - by - timedelta(days=30)
    )


def test_the_list_says_overdue_once_in_calendar_days(as_user, cs_agent, make_complaint):
    complaint = make_complaint(severity="general")
    _overdue(complaint, 449 * H + 10 * M)
    with translation.override("zh-hans"):
        html = as_user(cs_agent).get("/complaints/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = html.content.decode()
    assert "已超时 18 天 17 小时" in html
    assert "449 小时" not in html


def test_the_time_limit_table_says_the_state_word_once(as_user, cs_agent, make_complaint):
    complaint = make_complaint(severity="general")
    _overdue(complaint, 51 * H)
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert "已超时 2 天 3 小时" in html
    assert "已超时 · 已超时" not in html
    assert "小时 00 分" not in html


def test_a_notice_says_how_late_in_days(make_complaint):
    from kesu.notifications.models import Notification
    from kesu.notifications.rendering import render

    notification = Notification(
        kind="escalated", channel="email", language="zh-hans",
        complaint=make_complaint(contact_email=""),
        context={"step": "Containment", "level": "Department manager",
                 "overdue_minutes": 51 * 60},
    )
    assert "已超时：2 天 3 小时" in render(notification).body
