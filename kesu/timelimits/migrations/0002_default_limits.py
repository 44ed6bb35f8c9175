"""Default time limits and escalation ladder: seed 003's table (record & classify 2 h; return
handling 8 h; design complaint assignment 4 h; other complaints organised 8 h; tracking and
customer contact 4 h; effect feedback 8 h) plus the steps seed 003 does not time. Major
complaints run on the 24×7 calendar (SPEC §6). Administrators change all of it in the admin."""

from django.db import migrations

H = 60
# (step, severity, customer_grade, category, minutes, calendar code)
DEFAULTS = [
    ("classify", "", "", "", 2 * H, "standard"),
    ("classify", "major", "", "", 2 * H, "24x7"),
    ("classify", "", "strategic", "", 1 * H, "standard"),
    ("reply", "", "", "", 4 * H, "standard"),
    ("organise", "", "", "", 8 * H, "standard"),
    ("organise", "", "", "return", 8 * H, "standard"),
    ("organise", "", "", "design", 4 * H, "standard"),
    ("organise", "major", "", "", 4 * H, "24x7"),
    ("accept", "", "", "", 4 * H, "standard"),
    ("accept", "major", "", "", 2 * H, "24x7"),
    # 8D habit: containment within 24 clock hours, root cause and plan within a week.
    ("containment", "", "", "", 24 * H, "24x7"),
    ("plan", "", "", "", 40 * H, "standard"),
    ("plan", "major", "", "", 72 * H, "24x7"),
    ("implementation", "", "", "", 80 * H, "standard"),
    ("verification", "", "", "", 80 * H, "standard"),
    ("follow_up", "", "", "", 8 * H, "standard"),
    ("effect_feedback", "", "", "", 8 * H, "standard"),
]
# handler (at the due time) → department manager → process owner → center head
LADDER = [(1, "dept_manager", 2 * H), (2, "process_owner", 8 * H), (3, "center_head", 16 * H)]


def create_defaults(apps, schema_editor):
    Calendar = apps.get_model("calendars", "Calendar")
    TimePolicy = apps.get_model("timelimits", "TimePolicy")
    EscalationLevel = apps.get_model("timelimits", "EscalationLevel")
    calendars = {c.code: c for c in Calendar.objects.all()}
    for step, severity, grade, category, minutes, code in DEFAULTS:
        TimePolicy.objects.get_or_create(
            step=step, severity=severity, customer_grade=grade, category=category, active=True,
            defaults={"minutes": minutes, "calendar": calendars[code],
                      "reminder_percents": [50, 80]},
        )
    for level, target, delay in LADDER:
        EscalationLevel.objects.get_or_create(
            level=level, defaults={"target": target, "delay_minutes": delay}
        )


class Migration(migrations.Migration):
    dependencies = [("timelimits", "0001_initial"), ("calendars", "0002_standard_and_24x7")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
