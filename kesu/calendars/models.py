"""Business calendars (SPEC §6): the working hours and holidays time limits are counted in.

Configuration is data: an administrator edits windows and days in the admin, the holidays of
each year come from `kesu seed-holidays`. Schedules are compiled from these rows by
`kesu.calendars.schedules` and cached by `Calendar.revision`, which every edit bumps
(`kesu.calendars.services.calendar_changed`).
"""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(zone)s is not a known time zone (for example Asia/Shanghai)."),
            code="invalid_time_zone",
            params={"zone": value},
        ) from exc


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Make-up working day (调休)")


class DaySource(models.TextChoices):
    SEEDED = "seeded", _("Seeded from the public holidays")
    MANUAL = "manual", _("Entered by hand")


class Calendar(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
        help_text=_("The zone the working hours are read in, for example Asia/Shanghai."),
    )
    is_24x7 = models.BooleanField(
        _("24×7"),
        default=False,
        help_text=_("Every hour of every day counts: no working hours, no holidays."),
    )
    observes_public_holidays = models.BooleanField(
        _("observes public holidays"),
        default=True,
        help_text=_(
            "China's public holidays and make-up working days apply; each year must be seeded."
        ),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used where no other calendar is chosen.")
    )
    # Bumped by every edit (services.calendar_changed); compiled schedules are cached by it.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="calendars_one_default",
                violation_error_message=_("Only one calendar can be the default."),
            ),
        ]

    def __str__(self):
        return self.name


class WorkingWindow(models.Model):
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"), help_text=_("00:00 means midnight at the end of the day."))

    # Set (not stored) when the caller checks overlaps among a whole set of windows itself.
    siblings_checked = False

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday", "start"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def minutes(self) -> tuple[int, int]:
        """(start, end) in minutes of the day; an end of 00:00 is 1440."""
        end = self.end.hour * 60 + self.end.minute
        return self.start.hour * 60 + self.start.minute, end or 1440

    def clean(self):
        if self.start is None or self.end is None:
            return
        if any(t.second or t.microsecond for t in (self.start, self.end)):
            raise ValidationError(_("Working hours are whole minutes."), code="whole_minutes")
        start, end = self.minutes
        if end <= start:
            raise ValidationError(
                {"end": _("The end must be after the start.")}, code="end_before_start"
            )
        # The admin's formset checks all of a calendar's windows together and sets this flag.
        if self.calendar_id is None or self.weekday is None or self.siblings_checked:
            return
        siblings = WorkingWindow.objects.filter(
            calendar_id=self.calendar_id, weekday=self.weekday
        ).exclude(pk=self.pk)
        for other in siblings:
            other_start, other_end = other.minutes
            if start < other_end and other_start < end:
                raise ValidationError(
                    _("Overlaps the working hours %(other)s."),
                    code="overlap",
                    params={"other": other},
                )


class CalendarDay(models.Model):
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="days"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=DayKind.choices,
        help_text=_(
            "A make-up working day (调休) uses the calendar's Monday working hours, "
            "whatever day of the week it falls on."
        ),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=DaySource.choices,
        default=DaySource.MANUAL,
        help_text=_("Seeding the public holidays again never changes a day entered by hand."),
    )

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendars_one_entry_a_day")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose public holidays are known. Any other year fails closed (no due time is
    computed on a guess) for a calendar that observes public holidays."""

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=50, help_text=_('e.g. "holidays 0.109"'))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "No make-up working day is listed for this year: the State Council notice is "
            "probably not out yet. Check it and seed again."
        ),
    )
    seeded_at = models.DateTimeField(_("seeded at"))

    class Meta:
        verbose_name = _("seeded year")
        verbose_name_plural = _("seeded years")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="calendars_one_row_a_year")
        ]

    def __str__(self):
        return str(self.year)
