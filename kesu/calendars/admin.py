"""Administration of business calendars (SPEC §6): working hours and holidays are data.

Every save goes through `calendar_changed`, which bumps the calendar's revision (so compiled
schedules are rebuilt) and recomputes the due times counted on it. Calendars and seeded years
are never deleted; a working window or a day can be, because hours and holidays that no longer
apply must stop counting (the change log keeps what was removed).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from kesu.calendars.models import Calendar, CalendarDay, CalendarYear, DaySource, WorkingWindow
from kesu.calendars.services import calendar_changed


class WorkingWindowFormSet(BaseInlineFormSet):
    """Checks overlaps among the submitted windows as a whole: the model's own check compares
    with the rows in the database, which this very form may be changing (a swap would fail)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.siblings_checked = True
        return form

    def clean(self):
        super().clean()
        by_weekday: dict[int, list[tuple[int, int, WorkingWindow]]] = {}
        for form in self.forms:
            if form.errors or not form.has_changed() and form.instance.pk is None:
                continue
            if self._should_delete_form(form):
                continue
            window = form.instance
            if window.weekday is None or window.start is None or window.end is None:
                continue
            start, end = window.minutes
            by_weekday.setdefault(window.weekday, []).append((start, end, window))
        for windows in by_weekday.values():
            windows.sort(key=lambda w: w[:2])
            for (_s1, end, first), (start, _e2, second) in zip(windows, windows[1:], strict=False):
                if start < end:
                    raise ValidationError(
                        _("%(first)s and %(second)s overlap."),
                        code="overlap",
                        params={"first": first, "second": second},
                    )


class WorkingWindowInline(admin.TabularInline):
    model = WorkingWindow
    formset = WorkingWindowFormSet
    fields = ["weekday", "start", "end"]
    extra = 0


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "name", "source"]
    readonly_fields = ["source"]
    extra = 0


class CalendarYearInline(admin.TabularInline):
    model = CalendarYear
    fields = ["year", "provisional", "source", "seeded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("seeded years (kesu seed-holidays)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "time_zone",
        "is_24x7",
        "observes_public_holidays",
        "is_default",
        "revision",
        "updated_at",
    ]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    readonly_fields = ["revision", "updated_at"]
    inlines = [WorkingWindowInline, CalendarDayInline, CalendarYearInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        if formset.model is CalendarDay:
            # A day the administrator edits is theirs: seeding again must not undo it.
            for day_form in formset.forms:
                if day_form.has_changed() and not formset._should_delete_form(day_form):
                    day_form.instance.source = DaySource.MANUAL
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(fs.has_changed() for fs in formsets):
            calendar_changed(calendar=form.instance)
