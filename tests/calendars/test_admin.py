"""Editing a calendar in the admin bumps its revision (cached schedules are rebuilt and due
times recomputed); calendars are never deleted."""

from datetime import date, time

import pytest
from django.urls import reverse

from kesu.calendars.models import CalendarDay, DayKind, DaySource
from kesu.org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, db):
    client.force_login(
        f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    )
    return client


def change_url(calendar):
    return reverse("admin:calendars_calendar_change", args=[calendar.pk])


def form_data(calendar, *, windows=None, days=None):
    """The change form as the browser posts it, with the given inline rows."""
    windows = (
        windows
        if windows is not None
        else [(w.pk, w.weekday, w.start, w.end) for w in calendar.windows.all()]
    )
    days = days if days is not None else [
        (d.pk, d.date, d.kind, d.name) for d in calendar.days.all()
    ]  # fmt: skip
    data = {
        "name": calendar.name,
        "code": calendar.code,
        "time_zone": calendar.time_zone,
        "observes_public_holidays": "on" if calendar.observes_public_holidays else "",
        "is_default": "on" if calendar.is_default else "",
        "windows-TOTAL_FORMS": len(windows),
        "windows-INITIAL_FORMS": sum(1 for w in windows if w[0]),
        "days-TOTAL_FORMS": len(days),
        "days-INITIAL_FORMS": sum(1 for d in days if d[0]),
        "years-TOTAL_FORMS": 0,
        "years-INITIAL_FORMS": calendar.years.count(),
    }
    for i, (pk, weekday, start, end) in enumerate(windows):
        data.update(
            {
                f"windows-{i}-id": pk or "",
                f"windows-{i}-calendar": calendar.pk,
                f"windows-{i}-weekday": weekday,
                f"windows-{i}-start": f"{start:%H:%M}",
                f"windows-{i}-end": f"{end:%H:%M}",
            }
        )
    for i, (pk, day, kind, name) in enumerate(days):
        data.update(
            {
                f"days-{i}-id": pk or "",
                f"days-{i}-calendar": calendar.pk,
                f"days-{i}-date": day.isoformat(),
                f"days-{i}-kind": kind,
                f"days-{i}-name": name,
            }
        )
    return {key: value for key, value in data.items() if value != ""}


def test_the_change_page_shows_provisional_years_and_offers_no_delete(administrator, seeded):
    response = administrator.get(change_url(seeded))
    assert response.status_code == 200
    assert b"deletelink" not in response.content
    assert "2027" in response.content.decode()
    delete = reverse("admin:calendars_calendar_delete", args=[seeded.pk])
    assert administrator.get(delete).status_code == 403
    changelist = administrator.get(reverse("admin:calendars_calendar_changelist"))
    assert b'value="delete_selected"' not in changelist.content


def test_adding_a_window_bumps_the_revision(administrator, standard):
    before = standard.revision
    data = form_data(
        standard,
        windows=[
            *[(w.pk, w.weekday, w.start, w.end) for w in standard.windows.all()],
            (None, 5, time(8, 30), time(12)),
        ],
    )
    response = administrator.post(change_url(standard), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    standard.refresh_from_db()
    assert standard.revision == before + 1
    assert standard.windows.filter(weekday=5).count() == 1


def test_saving_without_a_change_keeps_the_revision(administrator, standard):
    before = standard.revision
    response = administrator.post(change_url(standard), form_data(standard))
    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.revision == before


def test_overlapping_windows_in_one_submission_are_refused(administrator, standard):
    before = standard.revision
    data = form_data(
        standard,
        windows=[
            *[(w.pk, w.weekday, w.start, w.end) for w in standard.windows.all()],
            (None, 5, time(8), time(12)),
            (None, 5, time(11), time(13)),
        ],
    )
    response = administrator.post(change_url(standard), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    standard.refresh_from_db()
    assert standard.revision == before


def test_moving_lunch_in_one_submission_is_not_an_overlap(administrator, standard):
    # Monday becomes 08:30–11:30 and 11:30–17:30: each new window overlaps an old one.
    rows = []
    for w in standard.windows.all():
        if w.weekday == 0:
            start, end = (w.start, time(11, 30)) if w.start < time(12) else (time(11, 30), w.end)
            rows.append((w.pk, 0, start, end))
        else:
            rows.append((w.pk, w.weekday, w.start, w.end))
    response = administrator.post(change_url(standard), form_data(standard, windows=rows))
    assert response.status_code == 302


def test_a_day_edited_in_the_admin_becomes_manual(administrator, seeded):
    before = seeded.revision
    rows = [
        (d.pk, d.date, DayKind.WORKDAY if d.date == date(2026, 6, 19) else d.kind, d.name)
        for d in seeded.days.all()
    ]
    response = administrator.post(change_url(seeded), form_data(seeded, days=rows))
    assert response.status_code == 302
    edited = CalendarDay.objects.get(calendar=seeded, date=date(2026, 6, 19))
    assert (edited.kind, edited.source) == (DayKind.WORKDAY, DaySource.MANUAL)
    untouched = CalendarDay.objects.get(calendar=seeded, date=date(2026, 2, 17))
    assert untouched.source == DaySource.SEEDED
    seeded.refresh_from_db()
    assert seeded.revision == before + 1
