"""Time limits and the escalation ladder are rows an administrator edits (STYLE habit 6).
Saving one recomputes the due times of the open steps it may move, in the worker; the change
itself is in the audit log and each moved due time on its complaint's timeline."""

from datetime import timedelta

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kesu.timelimits.models import DueRecalculation, EscalationLevel, Reason, TimePolicy
from kesu.timelimits.templatetags.timelimits import business_duration


def _recompute_after_commit(**kwargs) -> None:
    from kesu.timelimits.tasks import recompute_due_times

    transaction.on_commit(lambda: recompute_due_times.enqueue(**kwargs))


class NoDeleteAdmin(admin.ModelAdmin):
    # Switch a row off with `active`: deleting would leave steps pointing at nothing.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimePolicy)
class TimePolicyAdmin(NoDeleteAdmin):
    list_display = (
        "step", "severity", "customer_grade", "category", "limit", "calendar",
        "reminder_percents", "active",
    )
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
class DueRecalculationAdmin(admin.ModelAdmin):
    list_display = ("at", "reason", "steps_checked", "steps_changed")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
