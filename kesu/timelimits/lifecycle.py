"""Time limits take part in the complaint's life (SPEC §6): clocks start with the complaint and
with each status, pause while the customer has the ball, follow ownership, and re-match their
policy when the classification changes."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.complaints.lifecycle import Change, Participant
from kesu.complaints.models import Complaint
from kesu.core import clock
from kesu.timelimits import services as clocks
from kesu.timelimits.models import Reason
from kesu.timelimits.selectors import complaint_clocks, open_escalations, open_steps_prefetch
from kesu.timelimits.steps import StepType

# A change of these re-matches the time-limit policy of the open steps.
POLICY_FIELDS = frozenset({"severity", "category", "customer"})
OWNERSHIP_FIELDS = frozenset({"responsible_department", "handler", "tracker"})


class TimeLimits(Participant):
    def created(self, change: Change) -> None:
        complaint = change.complaint
        clocks.steps_on_create(complaint=complaint, now=change.now)
        # Promised in the acknowledgement, in the business time of the first step's calendar.
        complaint.reply_due_at = clocks.commitment_due(
            complaint, timedelta(hours=settings.KESU_REPLY_COMMITMENT_HOURS)
        )
        Complaint.objects.filter(pk=complaint.pk).update(reply_due_at=complaint.reply_due_at)

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
