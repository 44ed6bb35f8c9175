"""The Django admin reads in Chinese (issue 11 part 6): its titles, every app's name (third-party
apps too) and readable widgets, such as reminders as "50%、80%"."""

import re

from django.apps import apps
from django.utils import translation

from kesu.calendars.models import Calendar
from kesu.timelimits.models import TimePolicy

ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z ]+$")


def test_every_app_and_model_has_a_chinese_name():
    with translation.override("zh-hans"):
        english = [
            f"{config.label}: {config.verbose_name}"
            for config in apps.get_app_configs()
            if ASCII_WORD.match(str(config.verbose_name)) and config.models_module
            and config.label not in {"ninja", "django_tasks"}
        ]
        english += [
            f"{model._meta.label}: {model._meta.verbose_name_plural}"
            for model in apps.get_models()
            if model._meta.app_label in {"auditlog", "axes"}
            and ASCII_WORD.match(str(model._meta.verbose_name_plural))
        ]
    assert not english


def test_the_admin_index_is_titled_in_chinese(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    header = html.split("<body", 1)[1].split("</header>")[0]
    assert "Kesu 管理后台" in header and "Django" not in header
    for name in ("审计日志", "登录锁定", "客诉", "组织架构"):
        assert name in html, name


def test_reminders_read_as_percentages(admin_client, db):
    policy = TimePolicy.objects.filter(active=True).first() or TimePolicy.objects.create(
        step="d3", minutes=480, calendar=Calendar.objects.get(is_default=True)
    )
    TimePolicy.objects.filter(pk=policy.pk).update(reminder_percents=[50, 80])
    listing = admin_client.get("/admin/timelimits/timepolicy/").content.decode()
    assert "50%、80%" in listing and "[50, 80]" not in listing
    form = admin_client.get(f"/admin/timelimits/timepolicy/{policy.pk}/change/").content.decode()
    assert 'value="50%、80%"' in form
