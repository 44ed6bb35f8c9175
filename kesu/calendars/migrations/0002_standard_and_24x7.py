"""The two calendars every installation starts with. Holidays are not seeded here: they come
from `kesu seed-holidays`, which knows the years and can be run again."""

from datetime import time

from django.db import migrations

STANDARD_HOURS = [(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))]


def create_calendars(apps, schema_editor):
    Calendar = apps.get_model("calendars", "Calendar")
    WorkingWindow = apps.get_model("calendars", "WorkingWindow")
    standard, created = Calendar.objects.get_or_create(
        code="standard",
        defaults={"name": "标准工作日历", "is_default": True, "observes_public_holidays": True},
    )
    if created:
        WorkingWindow.objects.bulk_create(
            WorkingWindow(calendar=standard, weekday=weekday, start=start, end=end)
            for weekday in range(5)
            for start, end in STANDARD_HOURS
        )
    Calendar.objects.get_or_create(
        code="24x7",
        defaults={"name": "24×7", "is_24x7": True, "observes_public_holidays": False},
    )


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(create_calendars, migrations.RunPython.noop)]
