"""The 8D takes part in the complaint's life (SPEC §5, §7): every complaint has its report from
the start; analysis pre-fills the team and starts the disciplines' clocks; the plan is frozen for
the customer and their decision recorded on it; and the gates of the loop are the 8D's to judge.
"""

from kesu.complaints.lifecycle import Change, Participant
from kesu.complaints.workflow import CLOSURE_READY, IMPLEMENTATION_READY, PLAN_READY
from kesu.eightd import gates
from kesu.eightd.selectors import report_view
from kesu.eightd.services import eightd_create, eightd_on_transition, eightd_steps_reassign

OWNERSHIP_FIELDS = frozenset({"responsible_department", "handler", "tracker"})


class EightD(Participant):
    gates = {
        PLAN_READY: gates.require_plan,
        IMPLEMENTATION_READY: gates.require_implementation,
        CLOSURE_READY: gates.require_closure,
    }

    def created(self, change: Change) -> None:
        eightd_create(complaint=change.complaint)

    def transitioned(self, change: Change) -> None:
        eightd_on_transition(
            actor=change.actor,
            complaint=change.complaint,
            transition=change.transition,
            note=change.inputs.get("note", ""),
            now=change.now,
        )
        if OWNERSHIP_FIELDS & change.changes.keys():
            # Discipline owners keep their steps whoever now handles the complaint.
            eightd_steps_reassign(complaint=change.complaint)

    def panel(self, request, complaint, context: dict) -> str:
        context["eightd"] = report_view(complaint)
        return "eightd/_panel.html"
