"""Time limits and the escalation ladder are rows an administrator edits (STYLE habit 6).
Saving one recomputes the due times of the open steps it may move, in the worker; the change
itself is in the audit log and each moved due time on its complaint's timeline."""

import json
import re
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kesu.core.admin import ReadOnlyAdminMixin
from kesu.core.display import enumeration
from kesu.timelimits.models import DueRecalculation, EscalationLevel, Reason, TimePolicy
from kesu.timelimits.templatetags.timelimits import business_duration


def _recompute_after_commit(**kwargs) -> None:
    from kesu.timelimits.tasks import recompute_due_times

    transaction.on_commit(lambda: recompute_due_times.enqueue(**kwargs))


class NoDeleteAdmin(admin.ModelAdmin):
    # Switch a row off with `active`: deleting would leave steps pointing at nothing.
    def has_delete_permission(self, request, obj=None):
        return False


class PercentsField(forms.CharField):
    """A list of percentages as people write it ("50%、80%", "50, 80"), not JSON ("[50, 80]")."""

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return percents_text(value or [])

    def to_python(self, value):
        text = super().to_python(value)
        numbers = re.findall(r"\d+", text or "")
        if re.sub(r"[\d\s%,，、;；\[\]]", "", text or "") or any(
            not 0 < int(n) < 100 for n in numbers
        ):
            raise forms.ValidationError(
                _("Enter whole percentages between 1 and 99, for example 50%, 80%."),
                code="percents",
            )
        return sorted({int(n) for n in numbers})


def percents_text(percents) -> str:
    return enumeration(f"{p}%" for p in percents)


class TimePolicyForm(forms.ModelForm):
    reminder_percents = PercentsField(
        label=_("Reminders at"),
        required=False,
        help_text=_(
            "Percentages of the time limit, for example 50%, 80%: "
            "remind at half and at four fifths of the limit."
        ),
    )

    class Meta:
        model = TimePolicy
        # The admin builds its fields from this form's: every field, as without a form.
        fields = "__all__"  # noqa: DJ007


@admin.register(TimePolicy)
class TimePolicyAdmin(NoDeleteAdmin):
    form = TimePolicyForm
    list_display = (
        "step", "severity", "customer_grade", "category", "limit", "calendar",
        "reminders", "active",
    )

    @admin.display(description=_("Reminders at"))
    def reminders(self, obj):
        return percents_text(obj.reminder_percents) or "—"
    list_filter = ("step", "severity", "customer_grade", "calendar", "active")

    @admin.display(description=_("time limit"), ordering="minutes")
    def limit(self, obj):
        return business_duration(timedelta(minutes=obj.minutes), obj.calendar)

    def save_model(self, request, obj, form, change):
        previous = TimePolicy.objects.filter(pk=obj.pk).values_list("step", flat=True).first()
        super().save_model(request, obj, form, change)
        for step in {obj.step, previous} - {None}:
            _recompute_after_commit(step_type=step, reason=Reason.POLICY, by=str(request.user))


@admin.register(EscalationLevel)
class EscalationLevelAdmin(NoDeleteAdmin):
    list_display = ("level", "target", "delay_minutes", "active")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recompute_after_commit(reason=Reason.LADDER, by=str(request.user))


@admin.register(DueRecalculation)
class DueRecalculationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "reason", "steps_checked", "steps_changed")
