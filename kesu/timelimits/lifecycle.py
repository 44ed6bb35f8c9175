"""Time limits take part in the complaint's life (SPEC §6): clocks start with the complaint and
with each status, pause while the customer has the ball, follow ownership, and re-match their
policy when the classification changes."""

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Status
from kesu.complaints.lifecycle import Change, ListFilter, Participant
from kesu.complaints.models import Complaint
from kesu.core import clock
from kesu.core.display import enumeration
from kesu.core.errors import ValidationFailed
from kesu.core.forms import IsoDateField
from kesu.org.models import Department, User
from kesu.timelimits import services as clocks
from kesu.timelimits.models import Reason
from kesu.timelimits.selectors import (
    complaint_clocks,
    complaints_behind,
    open_escalations,
    open_steps_prefetch,
)
from kesu.timelimits.steps import StepType

# A change of these re-matches the time-limit policy of the open steps.
POLICY_FIELDS = frozenset({"severity", "category", "customer"})
OWNERSHIP_FIELDS = frozenset({"responsible_department", "handler", "tracker"})


OUTCOME_LABELS = {
    "on_time": _("on time"),
    "late": _("late"),
    "pending": _("not yet due"),
    "counted": _("counted in the rate"),
}


def _who(raw: str, name: str):
    """"" (any), "none" (without one) or a positive id."""
    if raw in ("", None):
        return ""
    if raw == "none":
        return None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31:
        return int(raw)
    raise ValidationFailed(field_errors={name: [_("Not a valid choice.")]})


class DueFilterForm(forms.Form):
    due_from = IsoDateField()
    due_to = IsoDateField()
    due_outcome = forms.ChoiceField(choices=[("", "")] + list(OUTCOME_LABELS.items()),
                                    required=False)


class TimeLimits(Participant):
    PARAMS = ("due_from", "due_to", "due_outcome", "due_department", "due_assignee")

    def list_filter(self, params) -> ListFilter | None:
        """The on-time report's drill-down: complaints with a step due in a period, of one
        department or person, on time, late or not yet due."""
        if not any(params.get(name) for name in self.PARAMS):
            return None
        form = DueFilterForm(params)
        if not form.is_valid():
            raise ValidationFailed(
                _("The time-limit filter is not valid."), field_errors=form.errors
            )
        department = _who(params.get("due_department", ""), "due_department")
        assignee = _who(params.get("due_assignee", ""), "due_assignee")
        start, end = form.cleaned_data["due_from"], form.cleaned_data["due_to"]
        outcome = form.cleaned_data["due_outcome"] or None
        q = complaints_behind(
            start=timezone.make_aware(datetime.combine(start, time.min)),
            end=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
            now=clock.now(), outcome=outcome, department=department, assignee=assignee,
        )
        words = [_("steps due %(start)s to %(end)s") % {"start": start, "end": end}]
        if outcome:
            words.append(str(OUTCOME_LABELS[outcome]))
        for value, model in ((department, Department), (assignee, User)):
            if value is None:
                words.append(str(_("without one") if model is User else _("no department")))
            elif value != "":
                found = model.objects.filter(pk=value).first()
                words.append(str(found) if found else "—")
        kept = {name: params[name] for name in self.PARAMS if params.get(name)}
        return ListFilter(q=q, label=enumeration(words), params=kept)

    def created(self, change: Change) -> None:
        complaint = change.complaint
        started = clocks.steps_on_create(complaint=complaint, now=change.now)
        # Promised in the acknowledgement, in the business time of the first step's calendar.
        complaint.reply_due_at = clocks.commitment_due(
            complaint,
            timedelta(hours=settings.KESU_REPLY_COMMITMENT_HOURS),
            first_step=started[0] if started else None,
        )
        Complaint.objects.filter(pk=complaint.pk).update(
            due_at=complaint.due_at, reply_due_at=complaint.reply_due_at
        )

    def transitioned(self, change: Change) -> None:
        complaint, target = change.complaint, change.transition.target
        clocks.steps_on_transition(
            complaint=complaint,
            to_status=target,
            now=change.now,
            due_override=change.inputs.get("dispatch_due_at"),
        )
        if OWNERSHIP_FIELDS & change.changes.keys():
            clocks.steps_reassign(complaint=complaint)
        if target == Status.DISPATCHED:
            # The department's answer is due when its acceptance step is.
            accept = complaint.steps.get(type=StepType.ACCEPT, done_at__isnull=True)
            complaint.dispatch_due_at = accept.due_at
            Complaint.objects.filter(pk=complaint.pk).update(dispatch_due_at=accept.due_at)

    def updated(self, change: Change) -> None:
        if POLICY_FIELDS & change.changes.keys():
            clocks.steps_recompute(
                steps=change.complaint.steps.all(),
                now=change.now,
                reason=Reason.CLASSIFICATION,
            )

    def waiting(self, change: Change) -> None:
        clocks.steps_pause(complaint=change.complaint, now=change.now)

    def resumed(self, change: Change) -> None:
        clocks.steps_resume(complaint=change.complaint, now=change.now)

    def suggest(self, complaint, transition, initial: dict) -> None:
        if "dispatch_due_at" in transition.inputs:
            due = clocks.preview_due(StepType.ACCEPT, complaint, clock.now())
            initial["dispatch_due_at"] = timezone.localtime(due) if due else None


    def panel(self, request, complaint, context: dict) -> str | None:
        # The clocks are the staff's; the 8D card below reads them too.
        context["clocks"] = complaint_clocks(complaint, context["now"])
        return None if request.user.is_customer else "timelimits/_steps.html"

    def list_prefetches(self) -> list:
        return [open_steps_prefetch()]

    def work(self, request, context: dict) -> str | None:
        if request.user.is_customer:
            return None
        context["escalations"] = open_escalations(request.user, context["now"])
        return "timelimits/_my_escalations.html" if context["escalations"] else None
