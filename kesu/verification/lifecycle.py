"""Effect verification takes part in the complaint's life (SPEC §5 step 7): entering
verification starts a round that watches the delivered lots; leaving it ends the round; the
CLOSURE_READY gate asks for N clean lots (or a signed approval) and a confirmed outcome."""

from kesu.complaints.choices import Kind, Status
from kesu.complaints.lifecycle import Change, Participant
from kesu.complaints.workflow import CLOSURE_READY
from kesu.masterdata.models import DefectCode
from kesu.verification import selectors, services

# The statuses a complaint that has been in verification can be in, short of a recurrence or
# a reopening (which the counters tell).
SEEN = frozenset({Status.VERIFICATION, Status.CLOSED, Status.CANCELLED})


class Verification(Participant):
    gates = {CLOSURE_READY: selectors.require_verified}

    def transitioned(self, change: Change) -> None:
        if change.transition.target == Status.VERIFICATION:
            services.verification_start(complaint=change.complaint, now=change.now)
        elif change.step.from_state == Status.VERIFICATION:
            services.verification_end(complaint=change.complaint, now=change.now)

    def panel(self, request, complaint, context: dict) -> str | None:
        if request.user.is_customer or complaint.kind != Kind.COMPLAINT:
            return None
        if complaint.status not in SEEN and not (
            complaint.recurrence_count or complaint.reopen_count
        ):
            return None  # never in verification: no query
        view = selectors.round_view(complaint)
        if view.round is None:
            return None
        context["verification"] = view
        context["verification_can"] = can = services.abilities(request.user, complaint, view)
        if can["record"]:
            context["verification_defects"] = DefectCode.objects.filter(active=True)
        return "verification/_panel.html"
